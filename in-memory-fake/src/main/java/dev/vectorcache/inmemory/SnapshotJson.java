package dev.vectorcache.inmemory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.OptimizersConfig;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.QuantizationType;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.ShardingMethod;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.model.TenantIndex;
import dev.vectorcache.core.model.VectorParams;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of a snapshot manifest's configurations ({@code docs/snapshots.md}): a {@link
 * CollectionConfig} and its parts written and read, and the readers of required and optional
 * fields. A missing or mistyped field is an {@link IllegalArgumentException}, which the snapshot
 * reader reports as a corrupt manifest.
 */
final class SnapshotJson {
  private SnapshotJson() {}

  static ObjectNode configNode(CollectionConfig c) {
    ObjectNode n = EngineSnapshots.NODES.objectNode();
    spaceNodes(n, c.vectors(), c.storageMode(), c.indexType(), c.hnsw(), c.quantization());
    optimizersNode(n, c.optimizers());
    n.put("onDiskPayload", c.onDiskPayload());
    n.put("shardNumber", c.shardNumber());
    n.put("replicationFactor", c.replicationFactor());
    n.put("writeConsistencyFactor", c.writeConsistencyFactor());
    ShardingMethod method = c.shardingMethod();
    n.put("shardingMethod", method == null ? null : method.name());
    ArrayNode keys = n.putArray("shardKeys");
    for (ShardKey k : c.shardKeys()) {
      keys.add(keyNode(k));
    }
    TenantIndex t = c.tenantIndex();
    if (t == null) {
      n.putNull("tenantIndex");
    } else {
      n.putObject("tenantIndex").put("field", t.field()).put("type", t.type().name());
    }
    return n;
  }

  /**
   * The settings of one dense space into {@code n}, as a single-vector {@code config} has them and
   * each dense space of a {@code vectorsConfig}: {@code vectors}, {@code storageMode}, {@code
   * indexType}, {@code hnsw}, {@code quantization}.
   */
  static void spaceNodes(
      ObjectNode n,
      VectorParams vectors,
      StorageMode storageMode,
      IndexType indexType,
      HnswConfig hnsw,
      @Nullable QuantizationConfig quantization) {
    n.putObject("vectors")
        .put("dimension", vectors.dimension())
        .put("distance", vectors.distance().name());
    n.put("storageMode", storageMode.name());
    n.put("indexType", indexType.name());
    hnswNode(n, hnsw);
    quantizationNode(n, quantization);
  }

  private static void hnswNode(ObjectNode n, HnswConfig h) {
    n.putObject("hnsw")
        .put("m", h.m())
        .put("efConstruct", h.efConstruct())
        .put("fullScanThresholdKb", h.fullScanThresholdKb())
        .put("onDisk", h.onDisk())
        .put("maxIndexingThreads", h.maxIndexingThreads());
  }

  private static void quantizationNode(ObjectNode n, @Nullable QuantizationConfig q) {
    if (q == null) {
      n.putNull("quantization");
    } else {
      ObjectNode qn = n.putObject("quantization");
      qn.put("type", q.type().name());
      qn.put("quantile", q.quantile());
      QuantizationConfig.Compression compression = q.compression();
      qn.put("compression", compression == null ? null : compression.name());
      qn.put("alwaysRam", q.alwaysRam());
    }
  }

  static void optimizersNode(ObjectNode n, OptimizersConfig o) {
    n.putObject("optimizers")
        .put("memmapThresholdKb", o.memmapThresholdKb())
        .put("indexingThresholdKb", o.indexingThresholdKb())
        .put("defaultSegmentNumber", o.defaultSegmentNumber());
  }

  static ObjectNode keyNode(ShardKey k) {
    ObjectNode n = EngineSnapshots.NODES.objectNode();
    if (k.isNumber()) {
      n.put("number", k.number());
    } else {
      n.put("keyword", k.keyword());
    }
    return n;
  }

  static CollectionConfig config(JsonNode n) {
    JsonNode vectors = object(n, "vectors");
    CollectionConfig.Builder b =
        CollectionConfig.builder(
            (int) number(vectors, "dimension"), Distance.valueOf(text(vectors, "distance")));
    b.storageMode(StorageMode.valueOf(text(n, "storageMode")));
    b.indexType(IndexType.valueOf(text(n, "indexType")));
    b.hnsw(hnsw(n));
    QuantizationConfig q = quantization(n);
    if (q != null) {
      b.quantization(q);
    }
    b.optimizers(optimizers(n));
    b.onDiskPayload(bool(n, "onDiskPayload"));
    b.shardNumber(optionalInt(n, "shardNumber"));
    b.replicationFactor(optionalInt(n, "replicationFactor"));
    b.writeConsistencyFactor(optionalInt(n, "writeConsistencyFactor"));
    String method = optionalText(n, "shardingMethod");
    b.shardingMethod(method == null ? null : ShardingMethod.valueOf(method));
    List<ShardKey> keys = new ArrayList<>();
    for (JsonNode k : array(n, "shardKeys")) {
      keys.add(key(k));
    }
    b.shardKeys(keys);
    JsonNode t = n.get("tenantIndex");
    if (t != null && !t.isNull()) {
      b.tenantIndex(new TenantIndex(text(t, "field"), PayloadSchemaType.valueOf(text(t, "type"))));
    }
    return b.build();
  }

  static HnswConfig hnsw(JsonNode n) {
    JsonNode h = object(n, "hnsw");
    Long threshold = optionalNumber(h, "fullScanThresholdKb");
    return new HnswConfig(
        (int) number(h, "m"),
        (int) number(h, "efConstruct"),
        threshold == null ? null : Math.toIntExact(threshold),
        bool(h, "onDisk"),
        (int) number(h, "maxIndexingThreads"));
  }

  /** The field {@code quantization} of {@code n}; {@code null} when it is {@code null}. */
  static @Nullable QuantizationConfig quantization(JsonNode n) {
    JsonNode q = n.get("quantization");
    if (q == null || q.isNull()) {
      return null;
    }
    JsonNode quantile = q.get("quantile");
    String compression = optionalText(q, "compression");
    return new QuantizationConfig(
        QuantizationType.valueOf(text(q, "type")),
        quantile == null || quantile.isNull() ? null : quantile.floatValue(),
        compression == null ? null : QuantizationConfig.Compression.valueOf(compression),
        bool(q, "alwaysRam"));
  }

  static OptimizersConfig optimizers(JsonNode n) {
    JsonNode o = object(n, "optimizers");
    Long segments = optionalNumber(o, "defaultSegmentNumber");
    return new OptimizersConfig(
        optionalNumber(o, "memmapThresholdKb"),
        optionalNumber(o, "indexingThresholdKb"),
        segments == null ? null : Math.toIntExact(segments));
  }

  static ShardKey key(JsonNode k) {
    JsonNode number = k.get("number");
    return number != null && !number.isNull()
        ? ShardKey.of(number.longValue())
        : ShardKey.of(text(k, "keyword"));
  }

  // ---- JSON helpers: a missing or mistyped field is an IllegalArgumentException ----

  static JsonNode field(JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("the field " + name + " is missing");
    }
    return v;
  }

  static String text(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (!v.isTextual()) {
      throw new IllegalArgumentException("the field " + name + " is not a string");
    }
    return v.textValue();
  }

  static @Nullable String optionalText(JsonNode n, String name) {
    JsonNode v = n.get(name);
    return v == null || v.isNull() ? null : text(n, name);
  }

  static long number(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException("the field " + name + " is not an integer");
    }
    return v.longValue();
  }

  static @Nullable Long optionalNumber(JsonNode n, String name) {
    JsonNode v = n.get(name);
    return v == null || v.isNull() ? null : number(n, name);
  }

  static @Nullable Integer optionalInt(JsonNode n, String name) {
    Long v = optionalNumber(n, name);
    return v == null ? null : Math.toIntExact(v);
  }

  static boolean bool(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (!v.isBoolean()) {
      throw new IllegalArgumentException("the field " + name + " is not a boolean");
    }
    return v.booleanValue();
  }

  static JsonNode object(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (!v.isObject()) {
      throw new IllegalArgumentException("the field " + name + " is not an object");
    }
    return v;
  }

  static JsonNode array(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (!v.isArray()) {
      throw new IllegalArgumentException("the field " + name + " is not an array");
    }
    return v;
  }
}
