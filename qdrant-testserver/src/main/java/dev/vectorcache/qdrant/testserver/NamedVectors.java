package dev.vectorcache.qdrant.testserver;

import static dev.vectorcache.qdrant.testserver.ProtoPoints.floats;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.noVectorName;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.unsupported;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.SparseVector;
import dev.vectorcache.core.port.MultiVectors;
import io.grpc.Status;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Named and sparse vectors over the backing store's {@link MultiVectors} extension: which
 * collections have more than the one unnamed dense vector, the conversion of Qdrant's {@code
 * Vectors} into a {@link MultiVectorPoint} and of stored points into {@code VectorsOutput}.
 *
 * <p>A collection is served through {@link MultiVectors} when its spaces are anything but the
 * single unnamed dense vector; every other collection keeps the port's single-vector path. Without
 * the extension, asking for named or sparse vectors is answered {@code UNIMPLEMENTED}.
 */
final class NamedVectors {
  private NamedVectors() {}

  /** The extension, when the backing store offers it. */
  static Optional<MultiVectors> extension(ServerState state) {
    return state.store().extension(MultiVectors.class);
  }

  /** The extension, or {@code UNIMPLEMENTED} naming {@code what} needed it. */
  static MultiVectors require(ServerState state, String what) {
    return extension(state)
        .orElseThrow(
            () ->
                Status.UNIMPLEMENTED
                    .withDescription(
                        "the backing store of the vectorcache Qdrant test server does not offer"
                            + " named and sparse vectors (MultiVectors), needed for "
                            + what)
                    .asRuntimeException());
  }

  /**
   * The vector spaces of {@code collection} when it has more than the single unnamed dense vector
   * (and the store offers the extension); {@code null} for a single-vector collection, or one that
   * does not exist (the single-vector path then answers as before).
   */
  static @Nullable MultiVectorConfig multi(ServerState state, String collection) {
    Optional<MultiVectors> mv = extension(state);
    if (mv.isEmpty() || collection.isEmpty() || !state.store().collectionExists(collection)) {
      return null;
    }
    MultiVectorConfig config = Futures.join(mv.get().vectorsConfig(collection));
    return isSingle(config) ? null : config;
  }

  /** Whether the spaces are just the unnamed dense vector. */
  static boolean isSingle(MultiVectorConfig config) {
    return config.sparse().isEmpty() && config.dense().keySet().equals(Set.of(""));
  }

  /** A point's vectors, split into dense and sparse ones. */
  record Parsed(Map<String, float[]> dense, Map<String, SparseVector> sparse) {
    MultiVectorPoint point(PointId id, Map<String, Object> payload) {
      return MultiVectorPoint.of(id, dense, sparse, payload);
    }
  }

  /**
   * Qdrant's {@code Vectors} of a point of a collection with these spaces: the unnamed {@code
   * vector} is the space {@code ""}; every name must be one of the collection's, and a dense vector
   * goes to a dense space, a sparse one to a sparse space.
   */
  static Parsed vectors(Points.Vectors v, MultiVectorConfig config) {
    Map<String, float[]> dense = new LinkedHashMap<>();
    Map<String, SparseVector> sparse = new LinkedHashMap<>();
    switch (v.getVectorsOptionsCase()) {
      case VECTOR -> put("", v.getVector(), config, dense, sparse);
      case VECTORS -> {
        for (Map.Entry<String, Points.Vector> e : v.getVectors().getVectorsMap().entrySet()) {
          put(e.getKey(), e.getValue(), config, dense, sparse);
        }
      }
      default ->
          throw Status.INVALID_ARGUMENT
              .withDescription("Validation error in body: [vectors: a vector is required]")
              .asRuntimeException();
    }
    return new Parsed(dense, sparse);
  }

  // clients may still send the deprecated `data` and `indices` fields, which Qdrant accepts
  @SuppressWarnings("deprecation")
  private static void put(
      String name,
      Points.Vector v,
      MultiVectorConfig config,
      Map<String, float[]> dense,
      Map<String, SparseVector> sparse) {
    if (!config.hasVector(name)) {
      throw noVectorName(name);
    }
    boolean isSparse = v.hasSparse() || (v.hasIndices() && !v.hasDense());
    if (v.hasMultiDense() || v.hasDocument() || v.hasImage() || v.hasObject()) {
      throw unsupported("multi-dense and inference vectors");
    }
    if (isSparse != config.sparse().containsKey(name)) {
      throw conversion();
    }
    if (isSparse) {
      sparse.put(
          name,
          v.hasSparse()
              ? sparse(v.getSparse().getIndicesList(), v.getSparse().getValuesList())
              : sparse(v.getIndices().getDataList(), v.getDataList()));
    } else {
      dense.put(name, floats(v.hasDense() ? v.getDense().getDataList() : v.getDataList()));
    }
  }

  /** A sparse vector from Qdrant's parallel lists (indices are uint32 on the wire). */
  static SparseVector sparse(List<Integer> indices, List<Float> values) {
    if (indices.size() != values.size()) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Validation error in body: [indices: must be the same length as values]")
          .asRuntimeException();
    }
    int[] in = new int[indices.size()];
    for (int i = 0; i < in.length; i++) {
      int index = indices.get(i);
      if (index < 0) {
        throw unsupported("sparse indices of 2^31 or more");
      }
      in[i] = index;
    }
    return SparseVector.of(in, floats(values));
  }

  static RuntimeException conversion() {
    return Status.INVALID_ARGUMENT
        .withDescription("Wrong input: Conversion between sparse and regular vectors failed")
        .asRuntimeException();
  }

  /**
   * The names a {@code with_vectors} selector asks for: {@code null} for every vector, an empty set
   * for none.
   */
  static @Nullable Set<String> selection(@Nullable WithVectorsSelector s) {
    if (s == null) {
      return Set.of();
    }
    return switch (s.getSelectorOptionsCase()) {
      case ENABLE -> s.getEnable() ? null : Set.of();
      case INCLUDE -> new LinkedHashSet<>(s.getInclude().getNamesList());
      default -> Set.of();
    };
  }

  /**
   * A stored point's vectors as Qdrant answers them: the plain {@code vector} when the point's only
   * vector is the unnamed dense one, else the map of named vectors ({@code names}: those asked,
   * {@code null} for all).
   */
  static Points.VectorsOutput output(MultiVectorPoint p, @Nullable Set<String> names) {
    Map<String, Points.VectorOutput> out = new LinkedHashMap<>();
    p.dense()
        .forEach(
            (name, v) -> {
              if (names == null || names.contains(name)) {
                Points.DenseVector.Builder d = Points.DenseVector.newBuilder();
                for (float x : v) {
                  d.addData(x);
                }
                out.put(name, Points.VectorOutput.newBuilder().setDense(d).build());
              }
            });
    p.sparse()
        .forEach(
            (name, v) -> {
              if (names == null || names.contains(name)) {
                Points.SparseVector.Builder s = Points.SparseVector.newBuilder();
                for (int i = 0; i < v.size(); i++) {
                  s.addIndices(v.indexAt(i)).addValues(v.valueAt(i));
                }
                out.put(name, Points.VectorOutput.newBuilder().setSparse(s).build());
              }
            });
    Points.VectorOutput unnamed = out.get("");
    if (out.size() == 1 && unnamed != null && unnamed.hasDense()) {
      return Points.VectorsOutput.newBuilder().setVector(unnamed).build();
    }
    return Points.VectorsOutput.newBuilder()
        .setVectors(Points.NamedVectorsOutput.newBuilder().putAllVectors(out))
        .build();
  }

  /** The vectors of these points as {@link #output} answers them, by id (missing ids absent). */
  static Map<PointId, Points.VectorsOutput> outputs(
      MultiVectors mv, String collection, List<PointId> ids, @Nullable Set<String> names) {
    Map<PointId, Points.VectorsOutput> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    for (MultiVectorPoint p :
        Futures.join(mv.retrieve(collection, ids, PayloadSelector.NONE, true))) {
      out.put(p.id(), output(p, names));
    }
    return out;
  }

  /** Scored points with the vectors asked attached (nothing to do when none are asked). */
  static List<Points.ScoredPoint> withScoredVectors(
      ServerState state,
      String collection,
      List<Points.ScoredPoint> points,
      @Nullable Set<String> names) {
    return withVectors(
        state,
        collection,
        points,
        names,
        Points.ScoredPoint::getId,
        (p, v) -> p.toBuilder().setVectors(v).build());
  }

  /** Retrieved points with the vectors asked attached (nothing to do when none are asked). */
  static List<Points.RetrievedPoint> withRetrievedVectors(
      ServerState state,
      String collection,
      List<Points.RetrievedPoint> points,
      @Nullable Set<String> names) {
    return withVectors(
        state,
        collection,
        points,
        names,
        Points.RetrievedPoint::getId,
        (p, v) -> p.toBuilder().setVectors(v).build());
  }

  /** Each point with its vectors (of {@code names}; all when null) read in one retrieve. */
  private static <P> List<P> withVectors(
      ServerState state,
      String collection,
      List<P> points,
      @Nullable Set<String> names,
      Function<P, Common.PointId> id,
      BiFunction<P, Points.VectorsOutput, P> attach) {
    if (names != null && names.isEmpty()) {
      return points;
    }
    List<PointId> ids = new ArrayList<>();
    points.forEach(p -> ids.add(ProtoValues.id(id.apply(p))));
    Map<PointId, Points.VectorsOutput> vectors =
        outputs(require(state, "vectors"), collection, ids, names);
    List<P> out = new ArrayList<>(points.size());
    for (P p : points) {
      Points.VectorsOutput v = vectors.get(ProtoValues.id(id.apply(p)));
      out.add(v == null ? p : attach.apply(p, v));
    }
    return out;
  }
}
