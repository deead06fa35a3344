package dev.vectorcache.inmemory;

/**
 * Capacity growth of the engine's arrays and mapped files: by a quarter (at least 16), not by
 * doubling. Appends stay amortised O(1), and at most a fifth of an array is unused, which keeps the
 * bytes per vector close to what the vectors and codes need (doubling left up to half unused).
 */
final class Growth {
  private Growth() {}

  /** The next capacity after {@code current}, saturating at {@link Integer#MAX_VALUE} - 8. */
  static int next(int current) {
    long n = Math.max(16L, current + (current >> 2) + 1L);
    return (int) Math.min(n, Integer.MAX_VALUE - 8);
  }
}
