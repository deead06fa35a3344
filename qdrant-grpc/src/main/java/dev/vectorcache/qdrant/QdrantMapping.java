package dev.vectorcache.qdrant;

import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.InvalidMetadataException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Match;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.OptimizersConfig;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.model.VectorParams;
import dev.vectorcache.qdrant.common.PayloadCodec;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Mapping between the core model and Qdrant's protobuf messages. Package-private: the adapter's
 * only translation layer.
 *
 * <p>The filter and collection-config mappings here are written independently of the test server's
 * ({@code ProtoFilters}, {@code ProtoConfigs}) on purpose and must not move to {@code
 * qdrant-common}: the test server is the only Qdrant in CI, so one mapping shared by both sides
 * would make its bugs symmetric, and the contract tests would pass over them. Only payload values
 * go through the shared {@link PayloadCodec}, which has a round-trip test of its own.
 *
 * <p>Memory settings of {@link CollectionConfig}:
 *
 * <ul>
 *   <li>{@link StorageMode#IN_MEMORY} → {@code VectorParams.on_disk=false}, or {@code on_disk}
 *       unset under a {@code memmap_threshold} (see {@link #onDisk}); {@link StorageMode#MMAP} →
 *       {@code on_disk=true}; {@link StorageMode#ON_DISK} → {@code on_disk=true}, {@code
 *       hnsw_config.on_disk=true} and {@code on_disk_payload=true}.
 *   <li>quantization → {@code quantization_config} (scalar int8 with quantile and always_ram,
 *       product with compression and always_ram, binary with always_ram).
 *   <li>HNSW → {@code hnsw_config} (m, ef_construct, full_scan_threshold, on_disk).
 *   <li>optimizers → {@code optimizers_config} (memmap_threshold, indexing_threshold,
 *       default_segment_number); shard_number, replication_factor, write_consistency_factor and
 *       sharding_method pass through when set ({@link QdrantClusterMapping}); shard keys and the
 *       tenant index are created after the collection, by their own calls.
 *   <li>The storage mode and the index type, which Qdrant has no field for, are also written to the
 *       collection's metadata ({@value #META_STORAGE_MODE}, {@value #META_INDEX_TYPE}), so that
 *       reading the config back is exact. {@link IndexType#FLAT} makes every search exact.
 * </ul>
 */
final class QdrantMapping {
  static final String META_STORAGE_MODE = "vectorcache.storage_mode";
  static final String META_INDEX_TYPE = "vectorcache.index_type";

  private QdrantMapping() {}

  // ---- collections ----

  static Collections.CreateCollection createCollection(String name, CollectionConfig c) {
    Collections.VectorParams.Builder vp =
        Collections.VectorParams.newBuilder()
            .setSize(c.dimension())
            .setDistance(distance(c.distance()));
    onDisk(vp, c.storageMode(), c.optimizers());
    Collections.HnswConfigDiff hnsw = hnsw(c.hnsw());
    Collections.CreateCollection.Builder b =
        Collections.CreateCollection.newBuilder()
            .setCollectionName(name)
            .setVectorsConfig(Collections.VectorsConfig.newBuilder().setParams(vp))
            .setHnswConfig(hnsw)
            .setOnDiskPayload(c.onDiskPayload())
            .putMetadata(META_STORAGE_MODE, string(c.storageMode().name()))
            .putMetadata(META_INDEX_TYPE, string(c.indexType().name()));
    if (c.quantization() != null) {
      b.setQuantizationConfig(quantization(c.quantization()));
    }
    if (!c.optimizers().equals(OptimizersConfig.DEFAULT)) {
      b.setOptimizersConfig(optimizers(c.optimizers()));
    }
    if (c.shardNumber() != null) {
      b.setShardNumber(c.shardNumber());
    }
    if (c.replicationFactor() != null) {
      b.setReplicationFactor(c.replicationFactor());
    }
    if (c.writeConsistencyFactor() != null) {
      b.setWriteConsistencyFactor(c.writeConsistencyFactor());
    }
    if (c.shardingMethod() != null) {
      b.setShardingMethod(QdrantClusterMapping.shardingMethod(c.shardingMethod()));
    }
    return b.build();
  }

  /** The HNSW settings as Qdrant's diff (m, ef_construct, on_disk and the optional ones). */
  static Collections.HnswConfigDiff hnsw(HnswConfig h) {
    Collections.HnswConfigDiff.Builder hnsw =
        Collections.HnswConfigDiff.newBuilder()
            .setM(h.m())
            .setEfConstruct(h.efConstruct())
            .setOnDisk(h.onDisk());
    if (h.fullScanThresholdKb() != null) {
      hnsw.setFullScanThreshold(h.fullScanThresholdKb());
    }
    if (h.maxIndexingThreads() > 0) {
      hnsw.setMaxIndexingThreads(h.maxIndexingThreads());
    }
    return hnsw.build();
  }

  /** Qdrant's HNSW diff read back, defaults where a field is unset. */
  static HnswConfig hnsw(Collections.HnswConfigDiff h) {
    return new HnswConfig(
        h.hasM() ? (int) h.getM() : HnswConfig.DEFAULT.m(),
        h.hasEfConstruct() ? (int) h.getEfConstruct() : HnswConfig.DEFAULT.efConstruct(),
        h.hasFullScanThreshold() ? (int) h.getFullScanThreshold() : null,
        h.hasOnDisk() && h.getOnDisk(),
        h.hasMaxIndexingThreads() ? (int) h.getMaxIndexingThreads() : 0);
  }

  /** Qdrant's optimizer settings read back. */
  static OptimizersConfig optimizers(Collections.OptimizersConfigDiff o) {
    return new OptimizersConfig(
        o.hasMemmapThreshold() ? o.getMemmapThreshold() : null,
        o.hasIndexingThreshold() ? o.getIndexingThreshold() : null,
        o.hasDefaultSegmentNumber() && o.getDefaultSegmentNumber() > 0
            ? (int) o.getDefaultSegmentNumber()
            : null);
  }

  /**
   * Sets {@code on_disk} of a vector space: {@code true} for mapped storage, {@code false} for
   * {@link StorageMode#IN_MEMORY}, except that an in-memory space of a collection with a {@code
   * memmap_threshold} leaves it unset. Qdrant lets an explicit {@code on_disk=false} win over the
   * threshold (its indexing optimizer keeps such vectors in RAM), while an unset flag lets the
   * threshold move them; leaving it unset gives the behaviour the embedded engine has for the same
   * {@link dev.vectorcache.core.model.CollectionConfig}: in memory until the threshold.
   */
  static void onDisk(
      Collections.VectorParams.Builder vp, StorageMode mode, OptimizersConfig optimizers) {
    Long thresholdKb = optimizers.memmapThresholdKb();
    if (mode != StorageMode.IN_MEMORY) {
      vp.setOnDisk(true);
    } else if (thresholdKb == null || thresholdKb <= 0) {
      vp.setOnDisk(false);
    }
  }

  static Collections.OptimizersConfigDiff optimizers(OptimizersConfig o) {
    Collections.OptimizersConfigDiff.Builder ob = Collections.OptimizersConfigDiff.newBuilder();
    if (o.memmapThresholdKb() != null) {
      ob.setMemmapThreshold(o.memmapThresholdKb());
    }
    if (o.indexingThresholdKb() != null) {
      ob.setIndexingThreshold(o.indexingThresholdKb());
    }
    if (o.defaultSegmentNumber() != null) {
      ob.setDefaultSegmentNumber(o.defaultSegmentNumber());
    }
    return ob.build();
  }

  static Collections.QuantizationConfig quantization(QuantizationConfig q) {
    Collections.QuantizationConfig.Builder b = Collections.QuantizationConfig.newBuilder();
    switch (q.type()) {
      case SCALAR_INT8 -> {
        Collections.ScalarQuantization.Builder s =
            Collections.ScalarQuantization.newBuilder()
                .setType(Collections.QuantizationType.Int8)
                .setAlwaysRam(q.alwaysRam());
        if (q.quantile() != null) {
          s.setQuantile(q.quantile());
        }
        b.setScalar(s);
      }
      case PRODUCT ->
          b.setProduct(
              Collections.ProductQuantization.newBuilder()
                  .setCompression(
                      compression(
                          Objects.requireNonNull(
                              q.compression(), "product quantization has a compression")))
                  .setAlwaysRam(q.alwaysRam()));
      case BINARY ->
          b.setBinary(Collections.BinaryQuantization.newBuilder().setAlwaysRam(q.alwaysRam()));
    }
    return b.build();
  }

  private static Collections.CompressionRatio compression(QuantizationConfig.Compression c) {
    return switch (c) {
      case X4 -> Collections.CompressionRatio.x4;
      case X8 -> Collections.CompressionRatio.x8;
      case X16 -> Collections.CompressionRatio.x16;
      case X32 -> Collections.CompressionRatio.x32;
      case X64 -> Collections.CompressionRatio.x64;
    };
  }

  static Collections.Distance distance(Distance d) {
    return switch (d) {
      case COSINE -> Collections.Distance.Cosine;
      case EUCLID -> Collections.Distance.Euclid;
      case DOT -> Collections.Distance.Dot;
      case MANHATTAN -> Collections.Distance.Manhattan;
    };
  }

  static Distance distance(Collections.Distance d) {
    return switch (d) {
      case Cosine -> Distance.COSINE;
      case Euclid -> Distance.EUCLID;
      case Dot -> Distance.DOT;
      case Manhattan -> Distance.MANHATTAN;
      default -> throw new IllegalArgumentException("unknown Qdrant distance " + d);
    };
  }

  /** The server's collection config read back into the core model. */
  static CollectionConfig config(Collections.CollectionConfig cc) {
    Collections.CollectionParams p = cc.getParams();
    Collections.VectorParams vp = portVector(p.getVectorsConfig());
    Map<String, Value> meta = cc.getMetadataMap();
    boolean vectorsOnDisk = vp.hasOnDisk() && vp.getOnDisk();
    StorageMode mode = vectorsOnDisk ? StorageMode.MMAP : StorageMode.IN_MEMORY;
    StorageMode recorded = enumValue(meta.get(META_STORAGE_MODE), StorageMode.class);
    if (recorded != null && (recorded != StorageMode.IN_MEMORY) == vectorsOnDisk) {
      mode = recorded;
    }
    IndexType index = enumValue(meta.get(META_INDEX_TYPE), IndexType.class);
    Collections.HnswConfigDiff h = cc.hasHnswConfig() ? cc.getHnswConfig() : vp.getHnswConfig();
    HnswConfig hnsw = hnsw(h);
    Collections.QuantizationConfig q =
        cc.hasQuantizationConfig() ? cc.getQuantizationConfig() : vp.getQuantizationConfig();
    Collections.OptimizersConfigDiff o = cc.getOptimizerConfig();
    CollectionConfig.Builder b =
        CollectionConfig.builder((int) vp.getSize(), distance(vp.getDistance()))
            .storageMode(mode)
            .indexType(index == null ? IndexType.HNSW : index)
            .hnsw(hnsw)
            .quantization(quantization(q))
            .optimizers(optimizers(o))
            .onDiskPayload(p.getOnDiskPayload())
            .shardNumber(p.getShardNumber() > 0 ? p.getShardNumber() : null)
            .replicationFactor(p.hasReplicationFactor() ? p.getReplicationFactor() : null)
            .writeConsistencyFactor(
                p.hasWriteConsistencyFactor() ? p.getWriteConsistencyFactor() : null)
            .shardingMethod(QdrantClusterMapping.shardingMethod(p));
    return b.build();
  }

  /**
   * The dense vector the port's {@code CollectionConfig} describes: the unnamed one, or for a
   * collection with named vectors ({@link dev.vectorcache.core.port.MultiVectors}) its vector
   * {@code ""} when it has one, else its first dense vector by name.
   *
   * @throws IllegalArgumentException when the collection has no dense vector at all
   */
  static Collections.VectorParams portVector(Collections.VectorsConfig vc) {
    if (vc.hasParams()) {
      return vc.getParams();
    }
    Map<String, Collections.VectorParams> named = vc.getParamsMap().getMapMap();
    Collections.VectorParams unnamed = named.get("");
    if (unnamed != null) {
      return unnamed;
    }
    return named.entrySet().stream()
        .min(Map.Entry.comparingByKey())
        .map(Map.Entry::getValue)
        .orElseThrow(
            () -> new IllegalArgumentException("the collection has no dense vector, only sparse"));
  }

  /** Whether the collection has the unnamed vector {@code ""} the port's upsert and search use. */
  static boolean hasUnnamedVector(Collections.CollectionConfig cc) {
    Collections.VectorsConfig vc = cc.getParams().getVectorsConfig();
    return vc.hasParams() || vc.getParamsMap().getMapMap().containsKey("");
  }

  static @Nullable QuantizationConfig quantization(Collections.QuantizationConfig q) {
    return switch (q.getQuantizationCase()) {
      case SCALAR ->
          new QuantizationConfig(
              dev.vectorcache.core.model.QuantizationType.SCALAR_INT8,
              q.getScalar().hasQuantile() ? q.getScalar().getQuantile() : null,
              null,
              q.getScalar().hasAlwaysRam() && q.getScalar().getAlwaysRam());
      case PRODUCT ->
          QuantizationConfig.product(
              QuantizationConfig.Compression.valueOf(
                  q.getProduct().getCompression().name().toUpperCase(Locale.ROOT)),
              q.getProduct().hasAlwaysRam() && q.getProduct().getAlwaysRam());
      case BINARY ->
          QuantizationConfig.binary(q.getBinary().hasAlwaysRam() && q.getBinary().getAlwaysRam());
      default -> null;
    };
  }

  static <E extends Enum<E>> @Nullable E enumValue(@Nullable Value v, Class<E> type) {
    if (v == null || !v.hasStringValue()) {
      return null;
    }
    try {
      return Enum.valueOf(type, v.getStringValue());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static VectorParams vectorParams(CollectionConfig c) {
    return c.vectors();
  }

  static Points.FieldType fieldType(PayloadSchemaType t) {
    return switch (t) {
      case KEYWORD -> Points.FieldType.FieldTypeKeyword;
      case INTEGER -> Points.FieldType.FieldTypeInteger;
      case FLOAT -> Points.FieldType.FieldTypeFloat;
      case BOOL -> Points.FieldType.FieldTypeBool;
      case TEXT -> Points.FieldType.FieldTypeText;
      case DATETIME -> Points.FieldType.FieldTypeDatetime;
      case UUID -> Points.FieldType.FieldTypeUuid;
    };
  }

  // ---- ids, vectors, payloads ----

  static Common.PointId id(PointId id) {
    return id.isNumeric()
        ? Common.PointId.newBuilder().setNum(id.num()).build()
        : Common.PointId.newBuilder().setUuid(id.uuid().toString()).build();
  }

  static PointId id(Common.PointId id) {
    return id.hasNum() ? PointId.of(id.getNum()) : PointId.parse(id.getUuid());
  }

  static List<Common.PointId> ids(Collection<PointId> ids) {
    List<Common.PointId> out = new ArrayList<>(ids.size());
    for (PointId id : ids) {
      out.add(id(id));
    }
    return out;
  }

  static Points.PointsSelector selector(Collection<PointId> ids) {
    return Points.PointsSelector.newBuilder()
        .setPoints(Points.PointsIdsList.newBuilder().addAllIds(ids(ids)))
        .build();
  }

  static Points.Vectors vectors(float[] v) {
    Points.DenseVector.Builder dense = Points.DenseVector.newBuilder();
    for (float x : v) {
      dense.addData(x);
    }
    return Points.Vectors.newBuilder()
        .setVector(Points.Vector.newBuilder().setDense(dense))
        .build();
  }

  static Points.VectorInput vectorInput(float[] v) {
    Points.DenseVector.Builder dense = Points.DenseVector.newBuilder();
    for (float x : v) {
      dense.addData(x);
    }
    return Points.VectorInput.newBuilder().setDense(dense).build();
  }

  /** The unnamed dense vector of an answer, or {@code null} when none was returned. */
  // older servers answer in the deprecated `data` field only; reading it is the point
  @SuppressWarnings("deprecation")
  static float @Nullable [] vector(Points.VectorsOutput out) {
    if (!out.hasVector()) {
      return null;
    }
    Points.VectorOutput v = out.getVector();
    List<Float> data = v.hasDense() ? v.getDense().getDataList() : v.getDataList();
    float[] f = new float[data.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = data.get(i);
    }
    return f;
  }

  static Points.WithPayloadSelector withPayload(PayloadSelector s) {
    if (!s.enabled()) {
      return Points.WithPayloadSelector.newBuilder().setEnable(false).build();
    }
    if (s.include().isEmpty()) {
      return Points.WithPayloadSelector.newBuilder().setEnable(true).build();
    }
    return Points.WithPayloadSelector.newBuilder()
        .setInclude(Points.PayloadIncludeSelector.newBuilder().addAllFields(s.include()))
        .build();
  }

  static Points.WithVectorsSelector withVectors(boolean v) {
    return Points.WithVectorsSelector.newBuilder().setEnable(v).build();
  }

  /**
   * A payload for a request, encoded into {@code sink} (a builder's {@code putPayload}) through the
   * codec shared with the test server. The payload was copied by {@code Payloads.copy} (in {@code
   * PointStruct} or the payload writes), so a value the codec refuses cannot reach this point from
   * a caller; if one did, the codec's {@code InvalidMetadataException} names its path and type,
   * before any I/O.
   */
  static void payload(Map<String, ?> payload, BiConsumer<String, Value> sink) {
    PayloadCodec.encodeInto(payload, "payload", sink);
  }

  /**
   * A payload from a reply. Qdrant never sends a NaN or an infinity; if a server did, that is a
   * fault of the backend, not of the caller's input.
   */
  static Map<String, Object> payloadFromProto(Map<String, Value> payload) {
    try {
      return PayloadCodec.toJava(payload, "payload");
    } catch (InvalidMetadataException e) {
      throw new BackendException(
          QdrantErrors.BACKEND, "Qdrant answered a payload that is not JSON: " + e.getMessage(), e);
    }
  }

  static Value string(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  // ---- search ----

  static Points.SearchParams searchParams(SearchParams p, IndexType index) {
    Points.SearchParams.Builder b = Points.SearchParams.newBuilder();
    if (p.hnswEf() != null) {
      b.setHnswEf(p.hnswEf());
    }
    if (p.exact() || index == IndexType.FLAT) {
      b.setExact(true);
    }
    if (p.ignoreQuantization() || p.rescore() != null || p.oversampling() != null) {
      Points.QuantizationSearchParams.Builder q = Points.QuantizationSearchParams.newBuilder();
      if (p.ignoreQuantization()) {
        q.setIgnore(true);
      }
      if (p.rescore() != null) {
        q.setRescore(p.rescore());
      }
      if (p.oversampling() != null) {
        q.setOversampling(p.oversampling());
      }
      b.setQuantization(q);
    }
    return b.build();
  }

  // ---- filters ----

  static Common.Filter filter(Filter f) {
    Common.Filter.Builder b = Common.Filter.newBuilder();
    for (Condition c : f.must()) {
      b.addMust(condition(c));
    }
    for (Condition c : f.should()) {
      b.addShould(condition(c));
    }
    for (Condition c : f.mustNot()) {
      b.addMustNot(condition(c));
    }
    if (f.minShould() != null && !f.minShould().conditions().isEmpty()) {
      Common.MinShould.Builder m =
          Common.MinShould.newBuilder().setMinCount(f.minShould().minCount());
      for (Condition c : f.minShould().conditions()) {
        m.addConditions(condition(c));
      }
      b.setMinShould(m);
    }
    return b.build();
  }

  static Common.Condition condition(Condition c) {
    Common.Condition.Builder b = Common.Condition.newBuilder();
    if (c instanceof Condition.FieldCondition fc) {
      Common.FieldCondition.Builder f = Common.FieldCondition.newBuilder().setKey(fc.key());
      if (fc.match() != null) {
        f.setMatch(match(fc.match()));
      } else {
        // a field condition holds a match or a range (checked by its constructor)
        Range range = Objects.requireNonNull(fc.range(), "range");
        Common.Range.Builder r = Common.Range.newBuilder();
        if (range.lt() != null) {
          r.setLt(range.lt());
        }
        if (range.gt() != null) {
          r.setGt(range.gt());
        }
        if (range.gte() != null) {
          r.setGte(range.gte());
        }
        if (range.lte() != null) {
          r.setLte(range.lte());
        }
        f.setRange(r);
      }
      b.setField(f);
    } else if (c instanceof Condition.IsEmpty e) {
      b.setIsEmpty(Common.IsEmptyCondition.newBuilder().setKey(e.key()));
    } else if (c instanceof Condition.IsNull n) {
      b.setIsNull(Common.IsNullCondition.newBuilder().setKey(n.key()));
    } else if (c instanceof Condition.HasId h) {
      b.setHasId(Common.HasIdCondition.newBuilder().addAllHasId(ids(h.ids())));
    } else if (c instanceof Condition.Nested n) {
      b.setNested(
          Common.NestedCondition.newBuilder().setKey(n.key()).setFilter(filter(n.filter())));
    } else if (c instanceof Condition.Sub s) {
      b.setFilter(filter(s.filter()));
    }
    return b.build();
  }

  private static Common.Match match(Match m) {
    Common.Match.Builder b = Common.Match.newBuilder();
    if (m instanceof Match.Keyword k) {
      b.setKeyword(k.value());
    } else if (m instanceof Match.IntegerValue i) {
      b.setInteger(i.value());
    } else if (m instanceof Match.Bool bool) {
      b.setBoolean(bool.value());
    } else if (m instanceof Match.AnyKeywords a) {
      b.setKeywords(Common.RepeatedStrings.newBuilder().addAllStrings(a.values()));
    } else if (m instanceof Match.AnyIntegers a) {
      b.setIntegers(Common.RepeatedIntegers.newBuilder().addAllIntegers(a.values()));
    } else if (m instanceof Match.ExceptKeywords e) {
      b.setExceptKeywords(Common.RepeatedStrings.newBuilder().addAllStrings(e.values()));
    } else if (m instanceof Match.ExceptIntegers e) {
      b.setExceptIntegers(Common.RepeatedIntegers.newBuilder().addAllIntegers(e.values()));
    } else if (m instanceof Match.Text t) {
      b.setText(t.text());
    }
    return b.build();
  }
}
