package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * Optimizer settings passed to Qdrant. {@code null} fields keep the server default.
 *
 * @param memmapThresholdKb segments larger than this many kilobytes are converted to memory-mapped
 *     storage. Deprecated by Qdrant since 1.15 in favour of the {@code on_disk} flags (which win on
 *     conflict) but still honoured; 0 disables it
 * @param indexingThresholdKb segments larger than this are indexed with HNSW; smaller ones are
 *     scanned
 * @param defaultSegmentNumber target number of segments
 */
public record OptimizersConfig(
    @Nullable Long memmapThresholdKb,
    @Nullable Long indexingThresholdKb,
    @Nullable Integer defaultSegmentNumber) {
  /** Every field at the server default. */
  public static final OptimizersConfig DEFAULT = new OptimizersConfig(null, null, null);

  public OptimizersConfig {
    if (memmapThresholdKb != null && memmapThresholdKb < 0) {
      throw new InvalidInputException(
          "optimizers.memmapThresholdKb", "0 or more", memmapThresholdKb);
    }
    if (indexingThresholdKb != null && indexingThresholdKb < 0) {
      throw new InvalidInputException(
          "optimizers.indexingThresholdKb", "0 or more", indexingThresholdKb);
    }
    if (defaultSegmentNumber != null && defaultSegmentNumber < 1) {
      throw new InvalidInputException(
          "optimizers.defaultSegmentNumber", "1 or more", defaultSegmentNumber);
    }
  }
}
