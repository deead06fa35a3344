package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.OptimizersConfig;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.ShardingMethod;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.model.StorageMode;
import io.grpc.Status;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Points;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads the collection settings of a CreateCollection request into the core model, for the backing
 * store. The server echoes the original request back on Get, so nothing here needs to round-trip.
 *
 * <p>Written independently of the adapter's {@code QdrantMapping} on purpose, not shared through
 * {@code qdrant-common}: this server is the only Qdrant in CI, so a mapping shared by both sides
 * would turn a bug in it into a symmetric one that every test passes.
 */
final class ProtoConfigs {
  private ProtoConfigs() {}

  static CollectionConfig toCore(CreateCollection req) {
    if (!req.hasVectorsConfig() || !req.getVectorsConfig().hasParams()) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              req.hasVectorsConfig()
                  ? "Wrong input: the vectorcache Qdrant test server supports a single unnamed"
                      + " dense vector per collection"
                  : "Validation error in body: [vectors_config: field is required]")
          .asRuntimeException();
    }
    Collections.VectorParams vp = req.getVectorsConfig().getParams();
    if (vp.getSize() < 1 || vp.getSize() > 65_536) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "Validation error in body: [vectors_config.params.size: value "
                  + vp.getSize()
                  + " invalid, must be from 1 to 65536]")
          .asRuntimeException();
    }
    CollectionConfig.Builder b =
        CollectionConfig.builder((int) vp.getSize(), distance(vp.getDistance()));
    boolean onDisk = vp.hasOnDisk() && vp.getOnDisk();
    b.storageMode(onDisk ? StorageMode.MMAP : StorageMode.IN_MEMORY);
    Collections.HnswConfigDiff h = vp.hasHnswConfig() ? vp.getHnswConfig() : req.getHnswConfig();
    b.hnsw(
        new HnswConfig(
            h.hasM() ? (int) h.getM() : HnswConfig.DEFAULT.m(),
            h.hasEfConstruct() ? (int) h.getEfConstruct() : HnswConfig.DEFAULT.efConstruct(),
            h.hasFullScanThreshold() ? (int) h.getFullScanThreshold() : null,
            h.hasOnDisk() && h.getOnDisk(),
            h.hasMaxIndexingThreads() ? (int) h.getMaxIndexingThreads() : 0));
    Collections.QuantizationConfig q =
        vp.hasQuantizationConfig() ? vp.getQuantizationConfig() : req.getQuantizationConfig();
    b.quantization(quantization(q));
    OptimizersConfig optimizers = optimizers(req.getOptimizersConfig());
    if (vp.hasOnDisk() && !vp.getOnDisk() && optimizers.memmapThresholdKb() != null) {
      // Qdrant's indexing optimizer lets an explicit on_disk=false win over memmap_threshold: the
      // vectors stay in RAM. The engine follows the threshold for every in-memory collection, so it
      // is not given one; the request (echoed by GetCollection) keeps it.
      optimizers =
          new OptimizersConfig(
              null, optimizers.indexingThresholdKb(), optimizers.defaultSegmentNumber());
    }
    b.optimizers(optimizers);
    // Qdrant's default (config.yaml storage.on_disk_payload) is true
    b.onDiskPayload(!req.hasOnDiskPayload() || req.getOnDiskPayload());
    if (req.hasShardNumber() && req.getShardNumber() > 0) {
      b.shardNumber(req.getShardNumber());
    }
    if (req.hasReplicationFactor() && req.getReplicationFactor() > 0) {
      b.replicationFactor(req.getReplicationFactor());
    }
    if (req.hasWriteConsistencyFactor() && req.getWriteConsistencyFactor() > 0) {
      b.writeConsistencyFactor(req.getWriteConsistencyFactor());
    }
    if (req.hasShardingMethod()) {
      b.shardingMethod(
          switch (req.getShardingMethod()) {
            case Auto -> ShardingMethod.AUTO;
            case Custom -> ShardingMethod.CUSTOM;
            default ->
                throw Status.INVALID_ARGUMENT
                    .withDescription("Validation error in body: [sharding_method: unknown value]")
                    .asRuntimeException();
          });
    }
    return b.build();
  }

  private static OptimizersConfig optimizers(Collections.OptimizersConfigDiff o) {
    return new OptimizersConfig(
        o.hasMemmapThreshold() ? o.getMemmapThreshold() : null,
        o.hasIndexingThreshold() ? o.getIndexingThreshold() : null,
        o.hasDefaultSegmentNumber() && o.getDefaultSegmentNumber() > 0
            ? (int) o.getDefaultSegmentNumber()
            : null);
  }

  static Distance distance(Collections.Distance d) {
    return switch (d) {
      case Cosine -> Distance.COSINE;
      case Euclid -> Distance.EUCLID;
      case Dot -> Distance.DOT;
      case Manhattan -> Distance.MANHATTAN;
      default ->
          throw Status.INVALID_ARGUMENT
              .withDescription(
                  "Validation error in body: [vectors_config.params.distance: unknown]")
              .asRuntimeException();
    };
  }

  static Collections.Distance toProto(Distance d) {
    return switch (d) {
      case COSINE -> Collections.Distance.Cosine;
      case EUCLID -> Collections.Distance.Euclid;
      case DOT -> Collections.Distance.Dot;
      default -> Collections.Distance.Manhattan;
    };
  }

  private static @Nullable QuantizationConfig quantization(Collections.QuantizationConfig q) {
    return switch (q.getQuantizationCase()) {
      case SCALAR ->
          QuantizationConfig.scalarInt8(
              q.getScalar().hasQuantile() ? q.getScalar().getQuantile() : 1.0f,
              q.getScalar().hasAlwaysRam() && q.getScalar().getAlwaysRam());
      case PRODUCT ->
          QuantizationConfig.product(
              compression(q.getProduct().getCompression()),
              q.getProduct().hasAlwaysRam() && q.getProduct().getAlwaysRam());
      case BINARY ->
          QuantizationConfig.binary(q.getBinary().hasAlwaysRam() && q.getBinary().getAlwaysRam());
      case QUANTIZATION_NOT_SET -> null;
      default ->
          throw Status.UNIMPLEMENTED
              .withDescription(
                  "the vectorcache Qdrant test server does not support this quantization")
              .asRuntimeException();
    };
  }

  private static QuantizationConfig.Compression compression(Collections.CompressionRatio r) {
    return switch (r) {
      case x4 -> QuantizationConfig.Compression.X4;
      case x8 -> QuantizationConfig.Compression.X8;
      case x16 -> QuantizationConfig.Compression.X16;
      case x32 -> QuantizationConfig.Compression.X32;
      case x64 -> QuantizationConfig.Compression.X64;
      default ->
          throw Status.INVALID_ARGUMENT
              .withDescription(
                  "Validation error in body: [quantization_config.product.compression: unknown]")
              .asRuntimeException();
    };
  }

  private static Collections.CompressionRatio toProto(QuantizationConfig.Compression c) {
    return switch (c) {
      case X4 -> Collections.CompressionRatio.x4;
      case X8 -> Collections.CompressionRatio.x8;
      case X16 -> Collections.CompressionRatio.x16;
      case X32 -> Collections.CompressionRatio.x32;
      case X64 -> Collections.CompressionRatio.x64;
    };
  }

  /**
   * A CreateCollection request describing {@code config}, for collections that exist in the backing
   * store without having been created through this server.
   */
  static CreateCollection fromCore(String name, CollectionConfig c) {
    Collections.VectorParams.Builder vp =
        Collections.VectorParams.newBuilder()
            .setSize(c.dimension())
            .setDistance(toProto(c.distance()));
    Long thresholdKb = c.optimizers().memmapThresholdKb();
    if (c.storageMode() != StorageMode.IN_MEMORY || thresholdKb == null || thresholdKb <= 0) {
      // unset under a threshold: the engine's in-memory vectors follow it, as Qdrant's do then
      vp.setOnDisk(c.storageMode() != StorageMode.IN_MEMORY);
    }
    Collections.HnswConfigDiff.Builder h =
        Collections.HnswConfigDiff.newBuilder()
            .setM(c.hnsw().m())
            .setEfConstruct(c.hnsw().efConstruct())
            .setOnDisk(c.hnsw().onDisk());
    if (c.hnsw().fullScanThresholdKb() != null) {
      h.setFullScanThreshold(c.hnsw().fullScanThresholdKb());
    }
    if (c.hnsw().maxIndexingThreads() > 0) {
      h.setMaxIndexingThreads(c.hnsw().maxIndexingThreads());
    }
    CreateCollection.Builder b =
        CreateCollection.newBuilder()
            .setCollectionName(name)
            .setVectorsConfig(Collections.VectorsConfig.newBuilder().setParams(vp))
            .setHnswConfig(h)
            .setOnDiskPayload(c.onDiskPayload());
    QuantizationConfig q = c.quantization();
    if (q != null) {
      Collections.QuantizationConfig.Builder qb = Collections.QuantizationConfig.newBuilder();
      switch (q.type()) {
        case SCALAR_INT8 ->
            qb.setScalar(
                Collections.ScalarQuantization.newBuilder()
                    .setType(Collections.QuantizationType.Int8)
                    .setQuantile(q.effectiveQuantile())
                    .setAlwaysRam(q.alwaysRam()));
        case PRODUCT ->
            qb.setProduct(
                Collections.ProductQuantization.newBuilder()
                    .setCompression(toProto(Objects.requireNonNull(q.compression(), "compression")))
                    .setAlwaysRam(q.alwaysRam()));
        default ->
            qb.setBinary(Collections.BinaryQuantization.newBuilder().setAlwaysRam(q.alwaysRam()));
      }
      b.setQuantizationConfig(qb);
    }
    Collections.OptimizersConfigDiff.Builder o = Collections.OptimizersConfigDiff.newBuilder();
    OptimizersConfig oc = c.optimizers();
    if (oc.memmapThresholdKb() != null) {
      o.setMemmapThreshold(oc.memmapThresholdKb());
    }
    if (oc.indexingThresholdKb() != null) {
      o.setIndexingThreshold(oc.indexingThresholdKb());
    }
    if (oc.defaultSegmentNumber() != null) {
      o.setDefaultSegmentNumber(oc.defaultSegmentNumber());
    }
    b.setOptimizersConfig(o);
    if (c.shardNumber() != null) {
      b.setShardNumber(c.shardNumber());
    }
    if (c.replicationFactor() != null) {
      b.setReplicationFactor(c.replicationFactor());
    }
    if (c.writeConsistencyFactor() != null) {
      b.setWriteConsistencyFactor(c.writeConsistencyFactor());
    }
    return b.build();
  }

  /**
   * The vector spaces of a request with named dense vectors ({@code vectors_config.params_map})
   * and/or sparse ones ({@code sparse_vectors_config}), each dense space read as {@link #toCore}
   * reads the single one; {@code null} for a request with just the unnamed dense vector. An unnamed
   * {@code params} beside sparse vectors is the dense space {@code ""}.
   */
  static @Nullable MultiVectorConfig toMulti(CreateCollection req) {
    boolean named = req.hasVectorsConfig() && req.getVectorsConfig().hasParamsMap();
    boolean sparse = req.hasSparseVectorsConfig() && req.getSparseVectorsConfig().getMapCount() > 0;
    if (!named && !sparse) {
      return null;
    }
    Map<String, DenseVectorConfig> dense = new LinkedHashMap<>();
    CollectionConfig shared = null;
    if (named) {
      for (Map.Entry<String, Collections.VectorParams> e :
          new TreeMap<>(req.getVectorsConfig().getParamsMap().getMapMap()).entrySet()) {
        CollectionConfig one = toCore(withParams(req, e.getValue()));
        dense.put(e.getKey(), DenseVectorConfig.from(one));
        shared = one;
      }
    } else if (req.hasVectorsConfig() && req.getVectorsConfig().hasParams()) {
      shared = toCore(req);
      dense.put("", DenseVectorConfig.from(shared));
    }
    if (shared == null) {
      // sparse vectors only: the collection-level settings, read with a placeholder space
      shared =
          toCore(
              withParams(
                  req,
                  Collections.VectorParams.newBuilder()
                      .setSize(1)
                      .setDistance(Collections.Distance.Dot)
                      .build()));
    }
    if (shared.shardingMethod() == ShardingMethod.CUSTOM) {
      throw Status.UNIMPLEMENTED
          .withDescription(
              "the vectorcache Qdrant test server does not support custom sharding with named"
                  + " or sparse vectors")
          .asRuntimeException();
    }
    Map<String, SparseVectorParams> sparseSpaces = new LinkedHashMap<>();
    if (sparse) {
      for (Map.Entry<String, Collections.SparseVectorParams> e :
          new TreeMap<>(req.getSparseVectorsConfig().getMapMap()).entrySet()) {
        sparseSpaces.put(e.getKey(), sparse(e.getValue()));
      }
    }
    for (String name : sparseSpaces.keySet()) {
      if (dense.containsKey(name)) {
        throw Status.INVALID_ARGUMENT
            .withDescription(
                "Wrong input: Sparse vector name `" + name + "` is already used by a dense vector")
            .asRuntimeException();
      }
    }
    // the collection's optimizers as sent: every dense space of the engine follows one threshold
    return new MultiVectorConfig(
        dense, sparseSpaces, shared.onDiskPayload(), optimizers(req.getOptimizersConfig()));
  }

  private static CreateCollection withParams(CreateCollection req, Collections.VectorParams vp) {
    if (vp.hasMultivectorConfig()) {
      throw Status.UNIMPLEMENTED
          .withDescription("the vectorcache Qdrant test server does not support multivectors")
          .asRuntimeException();
    }
    return req.toBuilder()
        .setVectorsConfig(Collections.VectorsConfig.newBuilder().setParams(vp))
        .build();
  }

  static SparseVectorParams sparse(Collections.SparseVectorParams p) {
    return p.hasModifier() && p.getModifier() == Collections.Modifier.Idf
        ? SparseVectorParams.IDF
        : SparseVectorParams.DEFAULT;
  }

  /** Records a dense space made by CreateVectorName in the echoed request, as Qdrant shows it. */
  static void addDense(
      ServerState state, String collection, String name, Points.DenseVectorCreationConfig d) {
    state
        .configs()
        .computeIfPresent(
            collection,
            (k, c) -> {
              Collections.VectorParams vp =
                  Collections.VectorParams.newBuilder()
                      .setSize(d.getSize())
                      .setDistance(d.getDistance())
                      .build();
              Collections.VectorParamsMap.Builder map = Collections.VectorParamsMap.newBuilder();
              if (c.hasVectorsConfig() && c.getVectorsConfig().hasParams()) {
                map.putMap("", c.getVectorsConfig().getParams());
              } else if (c.hasVectorsConfig() && c.getVectorsConfig().hasParamsMap()) {
                map.putAllMap(c.getVectorsConfig().getParamsMap().getMapMap());
              }
              map.putMap(name, vp);
              return c.toBuilder()
                  .setVectorsConfig(Collections.VectorsConfig.newBuilder().setParamsMap(map))
                  .build();
            });
  }

  /** Records a sparse space made by CreateVectorName in the echoed request. */
  static void addSparse(
      ServerState state, String collection, String name, Points.SparseVectorCreationConfig s) {
    state
        .configs()
        .computeIfPresent(
            collection,
            (k, c) -> {
              Collections.SparseVectorParams.Builder p =
                  Collections.SparseVectorParams.newBuilder();
              if (s.hasModifier()) {
                p.setModifier(s.getModifier());
              }
              return c.toBuilder()
                  .setSparseVectorsConfig(
                      c.getSparseVectorsConfig().toBuilder().putMap(name, p.build()))
                  .build();
            });
  }

  /** Forgets a space deleted by DeleteVectorName in the echoed request. */
  static void removeVector(ServerState state, String collection, String name) {
    state
        .configs()
        .computeIfPresent(
            collection,
            (k, c) -> {
              CreateCollection.Builder b = c.toBuilder();
              if (c.hasSparseVectorsConfig()) {
                b.setSparseVectorsConfig(
                    c.getSparseVectorsConfig().toBuilder().removeMap(name).build());
              }
              if (c.hasVectorsConfig() && c.getVectorsConfig().hasParamsMap()) {
                b.setVectorsConfig(
                    Collections.VectorsConfig.newBuilder()
                        .setParamsMap(
                            c.getVectorsConfig().getParamsMap().toBuilder().removeMap(name)));
              } else if (name.isEmpty() && c.hasVectorsConfig()) {
                b.setVectorsConfig(
                    Collections.VectorsConfig.newBuilder()
                        .setParamsMap(Collections.VectorParamsMap.getDefaultInstance()));
              }
              return b.build();
            });
  }
}
