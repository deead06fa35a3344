package dev.vectorcache.qdrant.testserver;

import static dev.vectorcache.qdrant.testserver.ProtoPoints.noVectorName;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.scored;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.unsupported;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.port.MultiVectors;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.qdrant.testserver.ProtoPoints.PayloadView;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The dense vectors one request reads, Qdrant's {@code using} (or {@code vector_name}): the unnamed
 * vector of a single-vector collection, read through the routed port, or one dense space of a
 * collection with named vectors, read through the store's {@link MultiVectors}. Queries by example,
 * groups, distance matrices, MMR and relevance feedback read through it, so they answer alike on
 * both kinds of collection. A point without a vector in the space is never a candidate; an example
 * point without one contributes no vector (as in Qdrant).
 *
 * <p>Sparse spaces are not read here: those features on a sparse vector are {@code UNIMPLEMENTED}.
 */
final class Space {
  private static final int PAGE = 1000;

  private final ServerState state;
  private final Routed routed;
  private final String name;
  private final String using;
  private final @Nullable MultiVectors multi;
  private final int dimension;
  private final Distance distance;

  private Space(
      ServerState state,
      Routed routed,
      String name,
      String using,
      @Nullable MultiVectors multi,
      int dimension,
      Distance distance) {
    this.state = state;
    this.routed = routed;
    this.name = name;
    this.using = using;
    this.multi = multi;
    this.dimension = dimension;
    this.distance = distance;
  }

  /**
   * The space {@code using} of {@code collection}, which must exist (Qdrant's NOT_FOUND otherwise);
   * a name it lacks is Qdrant's "Not existing vector name", a sparse one is {@code UNIMPLEMENTED}
   * naming {@code feature}.
   */
  static Space of(
      ServerState state, Routed routed, String collection, String using, String feature) {
    VectorStore store = state.store();
    if (!store.collectionExists(collection)) {
      throw new CollectionNotFoundException(collection);
    }
    MultiVectorConfig config = NamedVectors.multi(state, collection);
    if (config == null) {
      if (!using.isEmpty()) {
        throw noVectorName(using);
      }
      CollectionConfig c = store.collectionInfo(collection).config();
      return new Space(state, routed, collection, using, null, c.dimension(), c.distance());
    }
    if (config.sparse().containsKey(using)) {
      throw unsupported(feature + " on the sparse vector \"" + using + "\"");
    }
    DenseVectorConfig dense = config.dense().get(using);
    if (dense == null) {
      throw noVectorName(using);
    }
    return new Space(
        state,
        routed,
        collection,
        using,
        NamedVectors.require(state, feature),
        dense.dimension(),
        dense.distance());
  }

  /**
   * The space {@code using} of another collection ({@code lookup_from}), read with {@code routed}.
   */
  Space other(Routed routed, String collection, String using) {
    return of(state, routed, collection, using, "lookup_from");
  }

  String name() {
    return name;
  }

  String using() {
    return using;
  }

  int dimension() {
    return dimension;
  }

  Distance distance() {
    return distance;
  }

  VectorStore store() {
    return state.store();
  }

  Routed routed() {
    return routed;
  }

  /** An ordinary search of the space. */
  List<ScoredPoint> search(SearchRequest request) {
    MultiVectors mv = multi;
    return mv == null
        ? routed.search(name, request)
        : Futures.join(mv.search(name, using, request));
  }

  /** How many points pass {@code filter} (with or without a vector in the space). */
  long count(@Nullable Filter filter) {
    return routed.count(name, filter);
  }

  /** Every point passing {@code filter} that has a vector in the space, with it, in id order. */
  List<RetrievedPoint> scan(@Nullable Filter filter, PayloadSelector payload) {
    if (multi == null) {
      return Ranking.scan(routed, name, filter, payload, true);
    }
    List<RetrievedPoint> points = Ranking.scan(routed, name, filter, payload, false);
    List<RetrievedPoint> out = new ArrayList<>(points.size());
    for (int from = 0; from < points.size(); from += PAGE) {
      List<RetrievedPoint> page = points.subList(from, Math.min(points.size(), from + PAGE));
      List<PointId> ids = new ArrayList<>(page.size());
      page.forEach(p -> ids.add(p.id()));
      Map<PointId, float[]> vectors = new HashMap<>();
      for (RetrievedPoint p : retrieve(ids, PayloadSelector.NONE)) {
        float[] v = p.vector();
        if (v != null) {
          vectors.put(p.id(), v);
        }
      }
      for (RetrievedPoint p : page) {
        float[] v = vectors.get(p.id());
        if (v != null) {
          out.add(new RetrievedPoint(p.id(), p.payload(), v));
        }
      }
    }
    return out;
  }

  /**
   * The points of {@code ids} that exist, in the order given, each with its vector in the space
   * ({@code null} when it has none).
   */
  List<RetrievedPoint> retrieve(Collection<PointId> ids, PayloadSelector payload) {
    MultiVectors mv = multi;
    if (mv == null) {
      return routed.retrieve(name, ids, payload, true);
    }
    List<RetrievedPoint> out = new ArrayList<>(ids.size());
    for (MultiVectorPoint p : Futures.join(mv.retrieve(name, ids, payload, true))) {
      float[] v = p.dense(using);
      out.add(
          v == null
              ? RetrievedPoint.withoutVector(p.id(), p.payload())
              : new RetrievedPoint(p.id(), p.payload(), v));
    }
    return out;
  }

  /** Whether this is a space of a collection with named or sparse vectors. */
  boolean named() {
    return multi != null;
  }

  /**
   * Whether a read should carry each hit's vector for {@code selector}: on a single-vector
   * collection the hit's vector is the answer's; a collection with named vectors ({@code named})
   * answers with the vectors asked, attached by {@link #answer}.
   */
  static boolean readsVectors(boolean named, @Nullable WithVectorsSelector selector) {
    return !named && ProtoPoints.withVectors(selector);
  }

  boolean readsVectors(@Nullable WithVectorsSelector selector) {
    return readsVectors(named(), selector);
  }

  /**
   * Hits of {@code collection} as answered, with the payload of {@code view} and the vectors {@code
   * selector} asks: those the hits carry, or on a collection with named vectors ({@code named})
   * those read for them by name.
   */
  static List<Points.ScoredPoint> answer(
      ServerState state,
      String collection,
      boolean named,
      List<ScoredPoint> hits,
      PayloadView view,
      @Nullable WithVectorsSelector selector) {
    List<Points.ScoredPoint> out = new ArrayList<>(hits.size());
    hits.forEach(p -> out.add(scored(p, view)));
    if (!named) {
      return out;
    }
    return NamedVectors.withScoredVectors(state, collection, out, NamedVectors.selection(selector));
  }

  List<Points.ScoredPoint> answer(
      List<ScoredPoint> hits, PayloadView view, @Nullable WithVectorsSelector selector) {
    return answer(state, name, named(), hits, view, selector);
  }
}
