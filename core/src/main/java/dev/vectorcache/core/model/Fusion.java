package dev.vectorcache.core.model;

/** How the result lists of several searches are merged into one ranking (Qdrant's fusion). */
public enum Fusion {
  /**
   * Reciprocal rank fusion: a point scores {@code 1 / (rank + 2)} in each list it appears in (rank
   * from 0), summed over the lists. Only ranks count, so lists scored on different scales (dense
   * cosine and sparse dot products) merge fairly.
   */
  RRF,
  /**
   * Distribution-based score fusion: each list's scores are normalised to {@code [0, 1]} between
   * its mean minus and plus three standard deviations, then summed over the lists.
   */
  DBSF
}
