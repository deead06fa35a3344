package dev.vectorcache.spring.boot;

import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.StorageMode;

/** The memory settings of the collection ({@code vectorcache.collection.preset}). */
public enum CollectionPreset {
  /** Everything in RAM, no quantization: {@link CollectionConfig#builder(int, Distance)}. */
  IN_MEMORY,
  /**
   * {@link CollectionConfig#memoryOptimized(int, Distance)}: memory-mapped vectors, int8 scalar
   * quantization (codes in RAM) rescored with the originals, on-disk payload and on-disk HNSW.
   */
  MEMORY_OPTIMIZED,
  /** {@link StorageMode#ON_DISK}: vectors, HNSW graph and payload on disk, no quantization. */
  ON_DISK;

  /** The collection configuration of this preset. */
  public CollectionConfig config(int dimension, Distance distance) {
    return switch (this) {
      case IN_MEMORY -> CollectionConfig.builder(dimension, distance).build();
      case MEMORY_OPTIMIZED -> CollectionConfig.memoryOptimized(dimension, distance);
      case ON_DISK ->
          CollectionConfig.builder(dimension, distance).storageMode(StorageMode.ON_DISK).build();
    };
  }
}
