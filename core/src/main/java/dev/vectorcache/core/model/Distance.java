package dev.vectorcache.core.model;

/**
 * Similarity measure of a collection, with Qdrant's scoring.
 *
 * <p>{@link #COSINE} and {@link #DOT} return similarities: larger is better. {@link #EUCLID}
 * returns the L2 distance and {@link #MANHATTAN} the L1 distance: smaller is better. Cosine vectors
 * are normalised on insert and at query time.
 */
public enum Distance {
  COSINE(true),
  EUCLID(false),
  DOT(true),
  MANHATTAN(false);

  private final boolean largerIsBetter;

  Distance(boolean largerIsBetter) {
    this.largerIsBetter = largerIsBetter;
  }

  /** True for similarities (Cosine, Dot), false for distances (Euclid, Manhattan). */
  public boolean largerIsBetter() {
    return largerIsBetter;
  }

  /**
   * Whether {@code score} passes {@code threshold}. Strict, as in Qdrant: {@code score > threshold}
   * for similarities, {@code score < threshold} for distances.
   */
  public boolean passes(float score, float threshold) {
    return largerIsBetter ? score > threshold : score < threshold;
  }

  /** Orders scores best first. */
  public int compareBestFirst(float a, float b) {
    return largerIsBetter ? Float.compare(b, a) : Float.compare(a, b);
  }
}
