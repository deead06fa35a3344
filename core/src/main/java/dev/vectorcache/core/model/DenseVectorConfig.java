package dev.vectorcache.core.model;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one named dense vector space of a collection: what {@link CollectionConfig} says
 * about the vectors of a collection with one unnamed vector, for each name.
 *
 * @param vectors dimension and distance
 * @param storageMode where the original vectors live ({@link StorageMode#ON_DISK} also puts the
 *     graph on disk)
 * @param indexType HNSW or a flat (exact) scan
 * @param hnsw graph settings
 * @param quantization quantization, or {@code null} for none
 */
public record DenseVectorConfig(
    VectorParams vectors,
    StorageMode storageMode,
    IndexType indexType,
    HnswConfig hnsw,
    @Nullable QuantizationConfig quantization) {

  public DenseVectorConfig {
    Objects.requireNonNull(vectors, "vectors");
    Objects.requireNonNull(storageMode, "storageMode");
    Objects.requireNonNull(indexType, "indexType");
    Objects.requireNonNull(hnsw, "hnsw");
    if (storageMode == StorageMode.ON_DISK) {
      hnsw = hnsw.withOnDisk(true);
    }
  }

  /** In memory, HNSW with the default settings, no quantization. */
  public static DenseVectorConfig of(int dimension, Distance distance) {
    return new DenseVectorConfig(
        VectorParams.of(dimension, distance),
        StorageMode.IN_MEMORY,
        IndexType.HNSW,
        HnswConfig.DEFAULT,
        null);
  }

  /** The vector settings of a collection with one unnamed vector. */
  public static DenseVectorConfig from(CollectionConfig config) {
    return new DenseVectorConfig(
        config.vectors(),
        config.storageMode(),
        config.indexType(),
        config.hnsw(),
        config.quantization());
  }

  public int dimension() {
    return vectors.dimension();
  }

  public Distance distance() {
    return vectors.distance();
  }

  public DenseVectorConfig withStorageMode(StorageMode mode) {
    return new DenseVectorConfig(vectors, mode, indexType, hnsw, quantization);
  }

  public DenseVectorConfig withIndexType(IndexType type) {
    return new DenseVectorConfig(vectors, storageMode, type, hnsw, quantization);
  }

  public DenseVectorConfig withHnsw(HnswConfig config) {
    return new DenseVectorConfig(vectors, storageMode, indexType, config, quantization);
  }

  public DenseVectorConfig withQuantization(@Nullable QuantizationConfig config) {
    return new DenseVectorConfig(vectors, storageMode, indexType, hnsw, config);
  }

  /**
   * A single-vector collection configuration with these vector settings and the collection-level
   * settings given (the form the embedded engine builds each named space from).
   */
  public CollectionConfig toCollectionConfig(boolean onDiskPayload, OptimizersConfig optimizers) {
    return CollectionConfig.builder(dimension(), distance())
        .storageMode(storageMode)
        .indexType(indexType)
        .hnsw(hnsw)
        .quantization(quantization)
        .onDiskPayload(onDiskPayload)
        .optimizers(optimizers)
        .build();
  }
}
