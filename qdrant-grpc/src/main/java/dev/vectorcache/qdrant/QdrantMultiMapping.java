package dev.vectorcache.qdrant;

import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.Fusion;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.HybridQuery;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.OptimizersConfig;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.SparseModifier;
import dev.vectorcache.core.model.SparseSearch;
import dev.vectorcache.core.model.SparseVector;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.model.VectorParams;
import dev.vectorcache.core.model.VectorSearch;
import dev.vectorcache.core.model.Vectors;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The requests and replies of {@link QdrantMultiVectors}: named dense vectors, sparse vectors and
 * hybrid queries as Qdrant's protobuf messages, and the input checks against a collection's vector
 * spaces. Everything here runs before any I/O (or after the reply); the collection's spaces come
 * from the caller's cache.
 *
 * <p>A collection's spaces: {@code vectors_config.params_map} by name (the unnamed {@code params}
 * when the only dense name is {@code ""}), {@code sparse_vectors_config} with the modifier {@code
 * Idf} where asked. Each dense space's HNSW settings and quantization go on its own {@code
 * VectorParams}; its storage mode and index type, which Qdrant has no field for, go to the
 * collection's metadata under {@code vectorcache.storage_mode.NAME} and {@code
 * vectorcache.index_type.NAME} (the keys of a single-vector collection for the name {@code ""}), so
 * that reading the spaces back is exact.
 */
final class QdrantMultiMapping {
  /** Qdrant's limit on a vector name, in UTF-8 bytes. */
  static final int MAX_VECTOR_NAME_BYTES = 200;

  private QdrantMultiMapping() {}

  // ---- names ----

  /** Qdrant's rule for vector names: at most 200 bytes, no {@code /} or NUL. */
  static String checkVectorName(@Nullable String name, String field, boolean emptyAllowed) {
    if (name == null || (!emptyAllowed && name.isEmpty())) {
      throw new InvalidInputException(
          field, emptyAllowed ? "a vector name" : "a non-empty vector name", name);
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_VECTOR_NAME_BYTES) {
      throw new InvalidInputException(
          field, "at most " + MAX_VECTOR_NAME_BYTES + " bytes of UTF-8", bytes + " bytes");
    }
    if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new InvalidInputException(
          field,
          "a vector name without '/' or NUL",
          name,
          "Qdrant uses the name as a directory name");
    }
    return name;
  }

  // ---- collections ----

  static String metaKey(String key, String name) {
    return name.isEmpty() ? key : key + "." + name;
  }

  static Collections.CreateCollection createCollection(String name, MultiVectorConfig c) {
    Collections.CreateCollection.Builder b =
        Collections.CreateCollection.newBuilder()
            .setCollectionName(name)
            .setOnDiskPayload(c.onDiskPayload());
    Map<String, Collections.VectorParams> dense = new LinkedHashMap<>();
    for (Map.Entry<String, DenseVectorConfig> e : c.dense().entrySet()) {
      String vector = checkVectorName(e.getKey(), "dense", true);
      DenseVectorConfig d = e.getValue();
      dense.put(vector, vectorParams(d, c.optimizers()));
      b.putMetadata(
          metaKey(QdrantMapping.META_STORAGE_MODE, vector),
          QdrantMapping.string(d.storageMode().name()));
      b.putMetadata(
          metaKey(QdrantMapping.META_INDEX_TYPE, vector),
          QdrantMapping.string(d.indexType().name()));
    }
    if (dense.size() == 1 && dense.containsKey("")) {
      b.setVectorsConfig(Collections.VectorsConfig.newBuilder().setParams(dense.get("")));
    } else {
      b.setVectorsConfig(
          Collections.VectorsConfig.newBuilder()
              .setParamsMap(Collections.VectorParamsMap.newBuilder().putAllMap(dense)));
    }
    DenseVectorConfig unnamed = c.dense().get("");
    if (unnamed != null) {
      // what the port's collectionInfo reads for the vector ""
      b.setHnswConfig(QdrantMapping.hnsw(unnamed.hnsw()));
    }
    if (!c.sparse().isEmpty()) {
      Collections.SparseVectorConfig.Builder sparse = Collections.SparseVectorConfig.newBuilder();
      for (Map.Entry<String, SparseVectorParams> e : c.sparse().entrySet()) {
        sparse.putMap(checkVectorName(e.getKey(), "sparse", false), sparseParams(e.getValue()));
      }
      b.setSparseVectorsConfig(sparse);
    }
    if (!c.optimizers().equals(OptimizersConfig.DEFAULT)) {
      b.setOptimizersConfig(QdrantMapping.optimizers(c.optimizers()));
    }
    return b.build();
  }

  private static Collections.VectorParams vectorParams(
      DenseVectorConfig d, OptimizersConfig optimizers) {
    Collections.VectorParams.Builder vp =
        Collections.VectorParams.newBuilder()
            .setSize(d.dimension())
            .setDistance(QdrantMapping.distance(d.distance()))
            .setHnswConfig(QdrantMapping.hnsw(d.hnsw()));
    QdrantMapping.onDisk(vp, d.storageMode(), optimizers);
    if (d.quantization() != null) {
      vp.setQuantizationConfig(QdrantMapping.quantization(d.quantization()));
    }
    return vp.build();
  }

  private static Collections.SparseVectorParams sparseParams(SparseVectorParams p) {
    Collections.SparseVectorParams.Builder b = Collections.SparseVectorParams.newBuilder();
    if (p.modifier() == SparseModifier.IDF) {
      b.setModifier(Collections.Modifier.Idf);
    }
    return b.build();
  }

  /**
   * {@code CreateVectorName} for a dense space: Qdrant takes its size and distance only (its
   * storage, index and quantization follow the collection's), so any other setting is refused
   * rather than dropped.
   */
  static Points.CreateVectorNameRequest createDense(
      String collection, String name, DenseVectorConfig config) {
    if (config.storageMode() != StorageMode.IN_MEMORY
        || config.indexType() != IndexType.HNSW
        || !config.hnsw().equals(HnswConfig.DEFAULT)
        || config.quantization() != null) {
      throw new InvalidInputException(
          "config",
          "DenseVectorConfig.of(dimension, distance): in memory, HNSW defaults, no quantization",
          config,
          "Qdrant's CreateVectorName takes the size and distance only; create the collection"
              + " with the space to choose its other settings");
    }
    return Points.CreateVectorNameRequest.newBuilder()
        .setCollectionName(collection)
        .setWait(true)
        .setVectorName(name)
        .setDenseConfig(
            Points.DenseVectorCreationConfig.newBuilder()
                .setSize(config.dimension())
                .setDistance(QdrantMapping.distance(config.distance())))
        .build();
  }

  static Points.CreateVectorNameRequest createSparse(
      String collection, String name, SparseVectorParams params) {
    Points.SparseVectorCreationConfig.Builder sparse =
        Points.SparseVectorCreationConfig.newBuilder();
    if (params.modifier() == SparseModifier.IDF) {
      sparse.setModifier(Collections.Modifier.Idf);
    }
    return Points.CreateVectorNameRequest.newBuilder()
        .setCollectionName(collection)
        .setWait(true)
        .setVectorName(name)
        .setSparseConfig(sparse)
        .build();
  }

  static Points.DeleteVectorNameRequest deleteVectorName(String collection, String name) {
    return Points.DeleteVectorNameRequest.newBuilder()
        .setCollectionName(collection)
        .setWait(true)
        .setVectorName(name)
        .build();
  }

  /** The collection's spaces read back, or a {@link BackendException} saying why not. */
  static MultiVectorConfig config(String name, Collections.CollectionInfo info) {
    try {
      Collections.CollectionConfig cc = info.getConfig();
      Collections.CollectionParams p = cc.getParams();
      Collections.VectorsConfig vc = p.getVectorsConfig();
      Map<String, DenseVectorConfig> dense = new LinkedHashMap<>();
      if (vc.hasParams()) {
        dense.put("", dense("", vc.getParams(), cc));
      } else {
        // Qdrant keeps the names sorted; a map read from protobuf has no set order
        new TreeMap<>(vc.getParamsMap().getMapMap())
            .forEach((vector, vp) -> dense.put(vector, dense(vector, vp, cc)));
      }
      Map<String, SparseVectorParams> sparse = new LinkedHashMap<>();
      new TreeMap<>(p.getSparseVectorsConfig().getMapMap())
          .forEach(
              (vector, sp) ->
                  sparse.put(
                      vector,
                      sp.hasModifier() && sp.getModifier() == Collections.Modifier.Idf
                          ? SparseVectorParams.IDF
                          : SparseVectorParams.DEFAULT));
      return new MultiVectorConfig(
          dense, sparse, p.getOnDiskPayload(), QdrantMapping.optimizers(cc.getOptimizerConfig()));
    } catch (RuntimeException e) {
      throw new BackendException(
          QdrantErrors.BACKEND,
          "cannot read the vectors of Qdrant collection '" + name + "': " + e.getMessage(),
          e);
    }
  }

  private static DenseVectorConfig dense(
      String name, Collections.VectorParams vp, Collections.CollectionConfig cc) {
    Map<String, Value> meta = cc.getMetadataMap();
    boolean onDisk = vp.hasOnDisk() && vp.getOnDisk();
    StorageMode mode = onDisk ? StorageMode.MMAP : StorageMode.IN_MEMORY;
    StorageMode recorded =
        QdrantMapping.enumValue(
            meta.get(metaKey(QdrantMapping.META_STORAGE_MODE, name)), StorageMode.class);
    if (recorded != null && (recorded != StorageMode.IN_MEMORY) == onDisk) {
      mode = recorded;
    }
    IndexType index =
        QdrantMapping.enumValue(
            meta.get(metaKey(QdrantMapping.META_INDEX_TYPE, name)), IndexType.class);
    Collections.HnswConfigDiff h = vp.hasHnswConfig() ? vp.getHnswConfig() : cc.getHnswConfig();
    Collections.QuantizationConfig q =
        vp.hasQuantizationConfig() ? vp.getQuantizationConfig() : cc.getQuantizationConfig();
    return new DenseVectorConfig(
        VectorParams.of((int) vp.getSize(), QdrantMapping.distance(vp.getDistance())),
        mode,
        index == null ? IndexType.HNSW : index,
        QdrantMapping.hnsw(h),
        QdrantMapping.quantization(q));
  }

  // ---- points ----

  /** The point's vectors, each checked against its space. */
  private static Points.Vectors vectors(
      MultiVectorPoint p, String field, String collection, MultiVectorConfig config) {
    Map<String, float[]> dense = p.dense();
    Map<String, SparseVector> sparse = p.sparse();
    if (dense.size() == 1 && sparse.isEmpty() && dense.containsKey("")) {
      DenseVectorConfig d = config.denseSpace(collection, "", field + ".dense");
      return QdrantMapping.vectors(Vectors.check(dense.get(""), field + ".dense[]", d.vectors()));
    }
    Points.NamedVectors.Builder named = Points.NamedVectors.newBuilder();
    for (Map.Entry<String, float[]> e : dense.entrySet()) {
      String name = e.getKey();
      DenseVectorConfig d = config.denseSpace(collection, name, field + ".dense");
      Vectors.check(e.getValue(), field + ".dense[" + name + "]", d.vectors());
      named.putVectors(
          name, Points.Vector.newBuilder().setDense(denseVector(e.getValue())).build());
    }
    for (Map.Entry<String, SparseVector> e : sparse.entrySet()) {
      config.sparseSpace(collection, e.getKey(), field + ".sparse");
      named.putVectors(
          e.getKey(), Points.Vector.newBuilder().setSparse(sparseVector(e.getValue())).build());
    }
    return Points.Vectors.newBuilder().setVectors(named).build();
  }

  private static Points.DenseVector denseVector(float[] v) {
    Points.DenseVector.Builder dense = Points.DenseVector.newBuilder();
    for (float x : v) {
      dense.addData(x);
    }
    return dense.build();
  }

  private static Points.SparseVector sparseVector(SparseVector s) {
    Points.SparseVector.Builder b = Points.SparseVector.newBuilder();
    for (int i = 0; i < s.size(); i++) {
      b.addIndices(s.indexAt(i));
      b.addValues(s.valueAt(i));
    }
    return b.build();
  }

  static Points.UpsertPoints upsert(
      String collection, List<MultiVectorPoint> points, MultiVectorConfig config) {
    Points.UpsertPoints.Builder b =
        Points.UpsertPoints.newBuilder().setCollectionName(collection).setWait(true);
    for (int i = 0; i < points.size(); i++) {
      MultiVectorPoint p = points.get(i);
      Points.PointStruct.Builder point =
          b.addPointsBuilder()
              .setId(QdrantMapping.id(p.id()))
              .setVectors(vectors(p, "points[" + i + "]", collection, config));
      QdrantMapping.payload(p.payload(), point::putPayload);
    }
    return b.build();
  }

  static Points.UpdatePointVectors updateVectors(
      String collection, List<MultiVectorPoint> points, MultiVectorConfig config) {
    Points.UpdatePointVectors.Builder b =
        Points.UpdatePointVectors.newBuilder().setCollectionName(collection).setWait(true);
    for (int i = 0; i < points.size(); i++) {
      MultiVectorPoint p = points.get(i);
      if (p.vectorNames().isEmpty()) {
        throw new InvalidInputException(
            "points[" + i + "]", "a point with at least one vector to update", "no vectors");
      }
      b.addPointsBuilder()
          .setId(QdrantMapping.id(p.id()))
          .setVectors(vectors(p, "points[" + i + "]", collection, config));
    }
    return b.build();
  }

  static Points.DeletePointVectors deleteVectors(
      String collection, List<PointId> ids, Collection<String> names, MultiVectorConfig config) {
    for (String name : names) {
      if (name == null || !config.hasVector(name)) {
        throw new InvalidInputException(
            "vectorNames",
            "vector names of collection '"
                + collection
                + "' "
                + config.dense().keySet()
                + " "
                + config.sparse().keySet(),
            name);
      }
    }
    // a has_id filter, not a list of ids: points that do not exist are skipped, not NOT_FOUND
    Common.Filter hasIds =
        Common.Filter.newBuilder()
            .addMust(
                Common.Condition.newBuilder()
                    .setHasId(
                        Common.HasIdCondition.newBuilder().addAllHasId(QdrantMapping.ids(ids))))
            .build();
    return Points.DeletePointVectors.newBuilder()
        .setCollectionName(collection)
        .setWait(true)
        .setPointsSelector(Points.PointsSelector.newBuilder().setFilter(hasIds))
        .setVectors(Points.VectorsSelector.newBuilder().addAllNames(names))
        .build();
  }

  static Points.GetPoints get(
      String collection, List<PointId> ids, PayloadSelector payload, boolean withVectors) {
    return Points.GetPoints.newBuilder()
        .setCollectionName(collection)
        .addAllIds(QdrantMapping.ids(ids))
        .setWithPayload(QdrantMapping.withPayload(payload))
        .setWithVectors(QdrantMapping.withVectors(withVectors))
        .build();
  }

  // ---- searches ----

  /** The port's query ({@link QdrantRequests#query}) of the dense space {@code using}. */
  static Points.QueryPoints search(
      String collection, String using, SearchRequest request, MultiVectorConfig config) {
    DenseVectorConfig d = config.denseSpace(collection, using, "using");
    Points.QueryPoints q = QdrantRequests.query(collection, request, d.vectors(), d.indexType());
    if (using.isEmpty()) {
      return q;
    }
    return q.toBuilder()
        .setUsing(using)
        .setWithVectors(withVector(using, request.withVectors()))
        .build();
  }

  /** The vector {@code using} only; every vector for {@code ""}, of which the reply keeps one. */
  private static Points.WithVectorsSelector withVector(String using, boolean withVectors) {
    if (!withVectors || using.isEmpty()) {
      return QdrantMapping.withVectors(withVectors);
    }
    return Points.WithVectorsSelector.newBuilder()
        .setInclude(Points.VectorsSelector.newBuilder().addNames(using))
        .build();
  }

  static Points.QueryPoints searchSparse(
      String collection, String using, SparseSearch request, MultiVectorConfig config) {
    config.sparseSpace(collection, using, "using");
    Points.QueryPoints.Builder q =
        Points.QueryPoints.newBuilder()
            .setCollectionName(collection)
            .setQuery(sparseQuery(request.vector()))
            .setUsing(using)
            .setLimit(request.limit())
            .setWithPayload(QdrantMapping.withPayload(request.withPayload()))
            .setWithVectors(QdrantMapping.withVectors(false));
    if (request.offset() > 0) {
      q.setOffset(request.offset());
    }
    if (request.filter() != null) {
      q.setFilter(QdrantMapping.filter(request.filter()));
    }
    if (request.scoreThreshold() != null) {
      q.setScoreThreshold(request.scoreThreshold());
    }
    return q.build();
  }

  private static Points.Query sparseQuery(SparseVector v) {
    return Points.Query.newBuilder()
        .setNearest(Points.VectorInput.newBuilder().setSparse(sparseVector(v)))
        .build();
  }

  /**
   * One {@code Query} with a prefetch per search and the fusion as its query ({@link HybridQuery}
   * has refused offsets, payload and vectors on its searches: a prefetch has none).
   */
  static Points.QueryPoints query(String collection, HybridQuery query, MultiVectorConfig config) {
    Points.QueryPoints.Builder q =
        Points.QueryPoints.newBuilder()
            .setCollectionName(collection)
            .setQuery(
                Points.Query.newBuilder()
                    .setFusion(
                        query.fusion() == Fusion.RRF ? Points.Fusion.RRF : Points.Fusion.DBSF))
            .setLimit(query.limit())
            .setWithPayload(QdrantMapping.withPayload(query.withPayload()))
            .setWithVectors(QdrantMapping.withVectors(false));
    List<VectorSearch> searches = query.searches();
    for (int i = 0; i < searches.size(); i++) {
      q.addPrefetch(prefetch(collection, searches.get(i), "searches[" + i + "]", config));
    }
    return q.build();
  }

  private static Points.PrefetchQuery prefetch(
      String collection, VectorSearch search, String field, MultiVectorConfig config) {
    Points.PrefetchQuery.Builder p = Points.PrefetchQuery.newBuilder().setLimit(search.limit());
    if (search instanceof VectorSearch.Dense d) {
      DenseVectorConfig space = config.denseSpace(collection, d.using(), field + ".using");
      SearchRequest r = d.request();
      Vectors.check(r.vector(), field + ".vector", space.vectors());
      p.setQuery(Points.Query.newBuilder().setNearest(QdrantMapping.vectorInput(r.vector())))
          .setParams(QdrantMapping.searchParams(r.params(), space.indexType()));
      if (!d.using().isEmpty()) {
        p.setUsing(d.using());
      }
      if (r.filter() != null) {
        p.setFilter(QdrantMapping.filter(r.filter()));
      }
      if (r.scoreThreshold() != null) {
        p.setScoreThreshold(r.scoreThreshold());
      }
    } else {
      VectorSearch.Sparse s = (VectorSearch.Sparse) search;
      config.sparseSpace(collection, s.using(), field + ".using");
      SparseSearch r = s.request();
      p.setQuery(sparseQuery(r.vector())).setUsing(s.using());
      if (r.filter() != null) {
        p.setFilter(QdrantMapping.filter(r.filter()));
      }
      if (r.scoreThreshold() != null) {
        p.setScoreThreshold(r.scoreThreshold());
      }
    }
    return p.build();
  }

  // ---- replies ----

  /** The points found, in the order of {@code wanted}; ids Qdrant did not find are left out. */
  static List<MultiVectorPoint> retrieved(
      List<Points.RetrievedPoint> found, List<PointId> wanted, boolean withVectors) {
    Map<PointId, MultiVectorPoint> byId = new HashMap<>();
    for (Points.RetrievedPoint p : found) {
      PointId id = QdrantMapping.id(p.getId());
      Map<String, float[]> dense = new LinkedHashMap<>();
      Map<String, SparseVector> sparse = new LinkedHashMap<>();
      if (withVectors) {
        read(p.getVectors(), dense, sparse);
      }
      byId.put(
          id,
          MultiVectorPoint.of(
              id, dense, sparse, QdrantMapping.payloadFromProto(p.getPayloadMap())));
    }
    List<MultiVectorPoint> out = new ArrayList<>(byId.size());
    for (PointId id : wanted) {
      MultiVectorPoint p = byId.get(id);
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  /** Hits, each with its vector {@code using} when asked for. */
  static List<ScoredPoint> scored(
      List<Points.ScoredPoint> hits, @Nullable String using, boolean withVectors) {
    List<ScoredPoint> out = new ArrayList<>(hits.size());
    for (Points.ScoredPoint h : hits) {
      PointId id = QdrantMapping.id(h.getId());
      Map<String, Object> payload = QdrantMapping.payloadFromProto(h.getPayloadMap());
      float[] vector = null;
      if (withVectors && using != null) {
        Map<String, float[]> dense = new LinkedHashMap<>();
        read(h.getVectors(), dense, new LinkedHashMap<>());
        vector = dense.get(using);
      }
      out.add(
          vector == null
              ? ScoredPoint.withoutVector(id, h.getScore(), payload)
              : new ScoredPoint(id, h.getScore(), payload, vector));
    }
    return out;
  }

  /** Sorts the vectors of an answer into dense and sparse ones by name. */
  private static void read(
      Points.VectorsOutput out, Map<String, float[]> dense, Map<String, SparseVector> sparse) {
    if (out.hasVector()) {
      read("", out.getVector(), dense, sparse);
    } else if (out.hasVectors()) {
      new TreeMap<>(out.getVectors().getVectorsMap())
          .forEach((name, v) -> read(name, v, dense, sparse));
    }
  }

  // older servers answer in the deprecated `data` and `indices` fields only; reading them is the
  // point
  @SuppressWarnings("deprecation")
  private static void read(
      String name,
      Points.VectorOutput v,
      Map<String, float[]> dense,
      Map<String, SparseVector> sparse) {
    if (v.hasSparse()) {
      Points.SparseVector s = v.getSparse();
      sparse.put(name, sparseFromProto(name, s.getIndicesList(), s.getValuesList()));
    } else if (v.hasDense()) {
      dense.put(name, floats(v.getDense().getDataList()));
    } else if (v.hasIndices()) {
      sparse.put(name, sparseFromProto(name, v.getIndices().getDataList(), v.getDataList()));
    } else if (!v.hasMultiDense()) {
      dense.put(name, floats(v.getDataList()));
    }
    // a multi-vector (ColBERT) is not part of the model: left out
  }

  private static SparseVector sparseFromProto(
      String name, List<Integer> indices, List<Float> values) {
    int[] in = new int[indices.size()];
    for (int i = 0; i < in.length; i++) {
      in[i] = indices.get(i);
    }
    try {
      return new SparseVector(in, floats(values));
    } catch (InvalidInputException e) {
      // an index above 2^31 - 1 (written by another client), or a malformed answer
      throw new BackendException(
          QdrantErrors.BACKEND,
          "Qdrant answered a sparse vector '"
              + name
              + "' this client cannot read: "
              + e.getMessage(),
          e);
    }
  }

  private static float[] floats(List<Float> data) {
    float[] f = new float[data.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = data.get(i);
    }
    return f;
  }

  /** The ids of the points, without duplicates, in their first order. */
  static List<PointId> ids(List<MultiVectorPoint> points) {
    Set<PointId> ids = new java.util.LinkedHashSet<>();
    for (MultiVectorPoint p : points) {
      ids.add(p.id());
    }
    return List.copyOf(ids);
  }
}
