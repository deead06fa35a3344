package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything needed to create a collection: vector parameters and the memory settings of the
 * original design. Immutable; build with {@link #builder(int, Distance)} or start from {@link
 * #memoryOptimized(int, Distance)}.
 *
 * <p>{@link StorageMode#ON_DISK} implies an on-disk HNSW graph and on-disk payload, so the
 * constructor sets both.
 *
 * @param vectors dimension and distance
 * @param storageMode where the original vectors live
 * @param indexType HNSW or a flat (exact) scan
 * @param hnsw graph settings
 * @param quantization quantization, or {@code null} for none
 * @param optimizers optimizer settings
 * @param onDiskPayload keep payloads on disk, read on demand
 * @param shardNumber Qdrant cluster setting passed through; {@code null} for the server default
 * @param replicationFactor Qdrant cluster setting passed through; {@code null} for the default
 * @param writeConsistencyFactor Qdrant cluster setting passed through; {@code null} for the default
 * @param shardingMethod Qdrant's sharding method; {@code null} for the server default ({@link
 *     ShardingMethod#AUTO}), not sent
 * @param shardKeys with {@link ShardingMethod#CUSTOM}, the shard keys created with the collection
 *     (read back: the keys it has); empty otherwise
 * @param tenantIndex a payload index created with {@code is_tenant=true}, or {@code null} for none
 */
public record CollectionConfig(
    VectorParams vectors,
    StorageMode storageMode,
    IndexType indexType,
    HnswConfig hnsw,
    @Nullable QuantizationConfig quantization,
    OptimizersConfig optimizers,
    boolean onDiskPayload,
    @Nullable Integer shardNumber,
    @Nullable Integer replicationFactor,
    @Nullable Integer writeConsistencyFactor,
    @Nullable ShardingMethod shardingMethod,
    List<ShardKey> shardKeys,
    @Nullable TenantIndex tenantIndex) {

  /** Checks the settings; {@link StorageMode#ON_DISK} turns on on-disk HNSW and payload. */
  public CollectionConfig {
    Objects.requireNonNull(vectors, "vectors");
    Objects.requireNonNull(storageMode, "storageMode");
    Objects.requireNonNull(indexType, "indexType");
    Objects.requireNonNull(hnsw, "hnsw");
    Objects.requireNonNull(optimizers, "optimizers");
    positiveOrNull("shardNumber", shardNumber);
    positiveOrNull("replicationFactor", replicationFactor);
    positiveOrNull("writeConsistencyFactor", writeConsistencyFactor);
    shardKeys = ShardKeys.copy("shardKeys", shardKeys);
    if (!shardKeys.isEmpty() && shardingMethod != ShardingMethod.CUSTOM) {
      throw new InvalidInputException(
          "shardKeys",
          "no shard keys unless shardingMethod is CUSTOM",
          shardKeys,
          "use customSharding(keys...)");
    }
    if (storageMode == StorageMode.ON_DISK) {
      hnsw = hnsw.withOnDisk(true);
      onDiskPayload = true;
    }
  }

  private static void positiveOrNull(String field, @Nullable Integer value) {
    if (value != null && value < 1) {
      throw new InvalidInputException(field, "1 or more (or unset for the server default)", value);
    }
  }

  public int dimension() {
    return vectors.dimension();
  }

  public Distance distance() {
    return vectors.distance();
  }

  /** A plain in-memory collection: no quantization, everything in RAM. */
  public static Builder builder(int dimension, Distance distance) {
    return new Builder(VectorParams.of(dimension, distance));
  }

  /**
   * The memory-optimised configuration of the original design: memory-mapped vectors, int8 scalar
   * quantization (quantile 0.99, codes in RAM) rescored with the originals, on-disk payload and
   * on-disk HNSW.
   */
  public static CollectionConfig memoryOptimized(int dimension, Distance distance) {
    return builder(dimension, distance)
        .storageMode(StorageMode.MMAP)
        .quantization(QuantizationConfig.scalarInt8())
        .onDiskPayload(true)
        .hnsw(HnswConfig.DEFAULT.withOnDisk(true))
        .build();
  }

  /** A builder holding this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder(vectors);
    b.storageMode = storageMode;
    b.indexType = indexType;
    b.hnsw = hnsw;
    b.quantization = quantization;
    b.optimizers = optimizers;
    b.onDiskPayload = onDiskPayload;
    b.shardNumber = shardNumber;
    b.replicationFactor = replicationFactor;
    b.writeConsistencyFactor = writeConsistencyFactor;
    b.shardingMethod = shardingMethod;
    b.shardKeys = shardKeys;
    b.tenantIndex = tenantIndex;
    return b;
  }

  /** Builder for {@link CollectionConfig}. */
  public static final class Builder {
    private final VectorParams vectors;
    private StorageMode storageMode = StorageMode.IN_MEMORY;
    private IndexType indexType = IndexType.HNSW;
    private HnswConfig hnsw = HnswConfig.DEFAULT;
    private @Nullable QuantizationConfig quantization;
    private OptimizersConfig optimizers = OptimizersConfig.DEFAULT;
    private boolean onDiskPayload;
    private @Nullable Integer shardNumber;
    private @Nullable Integer replicationFactor;
    private @Nullable Integer writeConsistencyFactor;
    private @Nullable ShardingMethod shardingMethod;
    private List<ShardKey> shardKeys = List.of();
    private @Nullable TenantIndex tenantIndex;

    private Builder(VectorParams vectors) {
      this.vectors = vectors;
    }

    public Builder storageMode(StorageMode storageMode) {
      this.storageMode = Objects.requireNonNull(storageMode, "storageMode");
      return this;
    }

    public Builder indexType(IndexType indexType) {
      this.indexType = Objects.requireNonNull(indexType, "indexType");
      return this;
    }

    public Builder hnsw(HnswConfig hnsw) {
      this.hnsw = Objects.requireNonNull(hnsw, "hnsw");
      return this;
    }

    /** Quantization, or {@code null} for none. */
    public Builder quantization(@Nullable QuantizationConfig quantization) {
      this.quantization = quantization;
      return this;
    }

    public Builder optimizers(OptimizersConfig optimizers) {
      this.optimizers = Objects.requireNonNull(optimizers, "optimizers");
      return this;
    }

    public Builder onDiskPayload(boolean onDiskPayload) {
      this.onDiskPayload = onDiskPayload;
      return this;
    }

    public Builder shardNumber(@Nullable Integer shardNumber) {
      this.shardNumber = shardNumber;
      return this;
    }

    public Builder replicationFactor(@Nullable Integer replicationFactor) {
      this.replicationFactor = replicationFactor;
      return this;
    }

    public Builder writeConsistencyFactor(@Nullable Integer writeConsistencyFactor) {
      this.writeConsistencyFactor = writeConsistencyFactor;
      return this;
    }

    /** The sharding method; {@code null} leaves it to the server ({@link ShardingMethod#AUTO}). */
    public Builder shardingMethod(@Nullable ShardingMethod shardingMethod) {
      this.shardingMethod = shardingMethod;
      return this;
    }

    /** The shard keys created with a {@link ShardingMethod#CUSTOM} collection. */
    public Builder shardKeys(@Nullable List<ShardKey> shardKeys) {
      this.shardKeys = ShardKeys.copy("shardKeys", shardKeys);
      return this;
    }

    /** {@link ShardingMethod#CUSTOM} sharding, created with these shard keys (more can follow). */
    public Builder customSharding(ShardKey... shardKeys) {
      this.shardingMethod = ShardingMethod.CUSTOM;
      return shardKeys(shardKeys == null ? null : Arrays.asList(shardKeys));
    }

    /** A payload index on the tenant field, created with {@code is_tenant}; {@code null}: none. */
    public Builder tenantIndex(@Nullable TenantIndex tenantIndex) {
      this.tenantIndex = tenantIndex;
      return this;
    }

    /** The configuration. */
    public CollectionConfig build() {
      return new CollectionConfig(
          vectors,
          storageMode,
          indexType,
          hnsw,
          quantization,
          optimizers,
          onDiskPayload,
          shardNumber,
          replicationFactor,
          writeConsistencyFactor,
          shardingMethod,
          shardKeys,
          tenantIndex);
    }
  }
}
