package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * HNSW graph settings.
 *
 * @param m edges per node (0 disables the graph, as in Qdrant)
 * @param efConstruct candidates while building, at least 4
 * @param fullScanThresholdKb below this many kilobytes of vectors a segment is scanned, not
 *     searched by graph; {@code null} for the server default
 * @param onDisk keep the graph on disk (memory-mapped) instead of in RAM
 */
public record HnswConfig(
    int m, int efConstruct, @Nullable Integer fullScanThresholdKb, boolean onDisk) {
  /** Qdrant's defaults: m=16, ef_construct=100, in RAM. */
  public static final HnswConfig DEFAULT = new HnswConfig(16, 100, null, false);

  public HnswConfig {
    if (m < 0) {
      throw new InvalidInputException("hnsw.m", "0 or more", m);
    }
    if (efConstruct < 4) {
      throw new InvalidInputException("hnsw.efConstruct", "4 or more", efConstruct);
    }
    if (fullScanThresholdKb != null && fullScanThresholdKb < 0) {
      throw new InvalidInputException("hnsw.fullScanThresholdKb", "0 or more", fullScanThresholdKb);
    }
  }

  public HnswConfig withOnDisk(boolean onDisk) {
    return new HnswConfig(m, efConstruct, fullScanThresholdKb, onDisk);
  }
}
