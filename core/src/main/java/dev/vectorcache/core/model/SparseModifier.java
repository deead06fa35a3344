package dev.vectorcache.core.model;

/** What is applied to a sparse vector space's values at search time (Qdrant's {@code Modifier}). */
public enum SparseModifier {
  /** The values are used as stored: the score is the dot product. */
  NONE,
  /**
   * Inverse document frequency: each query value is multiplied by {@code ln(1 + (N - n + 0.5) / (n
   * + 0.5))}, where {@code N} is the number of points with a vector in the space and {@code n} the
   * number of those holding the index. Rare indices weigh more; store raw term frequencies and let
   * the store keep the statistics current as points come and go (BM25 without the corpus pass).
   */
  IDF
}
