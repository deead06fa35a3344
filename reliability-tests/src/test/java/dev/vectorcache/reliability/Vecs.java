package dev.vectorcache.reliability;

import java.util.SplittableRandom;

/** Seeded random vectors: unit length, far apart in 16 or more dimensions. */
final class Vecs {
  private Vecs() {}

  /** A random unit vector. */
  static float[] unit(SplittableRandom rnd, int dim) {
    float[] v = new float[dim];
    double norm = 0;
    for (int i = 0; i < dim; i++) {
      v[i] = (float) (rnd.nextDouble() * 2 - 1);
      norm += (double) v[i] * v[i];
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dim; i++) {
      v[i] *= inv;
    }
    return v;
  }

  /** The unit vector of (seed, n): the same in every run and thread. */
  static float[] of(long seed, long n, int dim) {
    return unit(new SplittableRandom(seed * 1_000_003L + n), dim);
  }
}
