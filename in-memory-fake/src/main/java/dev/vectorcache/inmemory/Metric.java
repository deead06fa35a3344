package dev.vectorcache.inmemory;

import dev.vectorcache.core.model.Distance;

/**
 * What a kernel computes for a {@link Distance}: the dot product for Cosine (on normalised vectors)
 * and Dot, the L2 distance for Euclid and the L1 distance for Manhattan, as Qdrant returns them.
 */
enum Metric {
  DOT,
  L2,
  L1;

  static Metric of(Distance distance) {
    return switch (distance) {
      case COSINE, DOT -> DOT;
      case EUCLID -> L2;
      case MANHATTAN -> L1;
    };
  }

  /**
   * The score of a distance that a quantized index's traversal compares (smaller is closer): the
   * negated similarity for {@link #DOT}, the squared distance for {@link #L2} (the score is its
   * square root), the distance itself for {@link #L1}.
   */
  float scoreOfTraversal(float distance) {
    return switch (this) {
      case DOT -> -distance;
      case L2 -> (float) Math.sqrt(Math.max(0f, distance));
      case L1 -> distance;
    };
  }
}
