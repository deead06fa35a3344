package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * HNSW graph settings, with Qdrant's meanings.
 *
 * @param m edges per node on the upper levels, twice as many on level 0 (0 disables the graph, as
 *     in Qdrant: every search is an exact scan)
 * @param efConstruct candidates while building, at least 4; also the default search breadth ({@code
 *     hnsw_ef}) when a search does not set one
 * @param fullScanThresholdKb below this many kilobytes of vectors (1 KB = one vector of 256 float32
 *     components, so {@code kb × 1024 / (4 × dimension)} vectors) a search scans exactly instead of
 *     traversing the graph: when the collection holds fewer points, or when a filter matches fewer;
 *     {@code null} for the server default (Qdrant's is 10,000 KB)
 * @param onDisk keep the graph on disk (memory-mapped) instead of in RAM
 * @param maxIndexingThreads threads that build the graph; 0 (the default) lets the engine choose
 */
public record HnswConfig(
    int m,
    int efConstruct,
    @Nullable Integer fullScanThresholdKb,
    boolean onDisk,
    int maxIndexingThreads) {
  /** Qdrant's defaults: m=16, ef_construct=100, in RAM, threads chosen by the engine. */
  public static final HnswConfig DEFAULT = new HnswConfig(16, 100, null, false);

  /** Qdrant's default {@code full_scan_threshold}, in kilobytes. */
  public static final int DEFAULT_FULL_SCAN_THRESHOLD_KB = 10_000;

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
    if (maxIndexingThreads < 0) {
      throw new InvalidInputException(
          "hnsw.maxIndexingThreads", "0 (the engine chooses) or more", maxIndexingThreads);
    }
  }

  /** Settings with the engine choosing the number of indexing threads. */
  public HnswConfig(int m, int efConstruct, @Nullable Integer fullScanThresholdKb, boolean onDisk) {
    this(m, efConstruct, fullScanThresholdKb, onDisk, 0);
  }

  public HnswConfig withOnDisk(boolean onDisk) {
    return new HnswConfig(m, efConstruct, fullScanThresholdKb, onDisk, maxIndexingThreads);
  }

  public HnswConfig withMaxIndexingThreads(int maxIndexingThreads) {
    return new HnswConfig(m, efConstruct, fullScanThresholdKb, onDisk, maxIndexingThreads);
  }

  public HnswConfig withFullScanThresholdKb(@Nullable Integer fullScanThresholdKb) {
    return new HnswConfig(m, efConstruct, fullScanThresholdKb, onDisk, maxIndexingThreads);
  }

  /** The full-scan threshold in kilobytes, Qdrant's default when unset. */
  public int effectiveFullScanThresholdKb() {
    return fullScanThresholdKb == null ? DEFAULT_FULL_SCAN_THRESHOLD_KB : fullScanThresholdKb;
  }

  /**
   * The full-scan threshold as a number of vectors of {@code dimension} float32 components: {@code
   * kb × 1024 / (4 × dimension)}, as Qdrant converts it.
   */
  public long fullScanThresholdVectors(int dimension) {
    return (long) effectiveFullScanThresholdKb() * 1024L / (4L * Math.max(1, dimension));
  }
}
