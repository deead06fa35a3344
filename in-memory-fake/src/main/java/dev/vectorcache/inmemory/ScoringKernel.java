package dev.vectorcache.inmemory;

import dev.vectorcache.core.model.Distance;

/**
 * Scores a query against one stored vector laid out at {@code data[offset .. offset+dim)},
 * returning the score Qdrant returns (after its post-processing): the dot product for Cosine (on
 * normalised vectors) and Dot, the L2 distance for Euclid and the L1 distance for Manhattan.
 * Arithmetic is in {@code float}, as the server's is.
 */
interface ScoringKernel {
  float score(float[] query, float[] data, int offset);

  static ScoringKernel of(Distance distance) {
    return switch (distance) {
      case COSINE, DOT -> ScoringKernel::dot;
      case EUCLID -> ScoringKernel::euclid;
      case MANHATTAN -> ScoringKernel::manhattan;
    };
  }

  private static float dot(float[] q, float[] d, int off) {
    float s = 0f;
    for (int i = 0; i < q.length; i++) {
      s += q[i] * d[off + i];
    }
    return s;
  }

  private static float euclid(float[] q, float[] d, int off) {
    float s = 0f;
    for (int i = 0; i < q.length; i++) {
      float diff = q[i] - d[off + i];
      s += diff * diff;
    }
    return (float) Math.sqrt(s);
  }

  private static float manhattan(float[] q, float[] d, int off) {
    float s = 0f;
    for (int i = 0; i < q.length; i++) {
      s += Math.abs(q[i] - d[off + i]);
    }
    return s;
  }
}
