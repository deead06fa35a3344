package dev.vectorcache.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Deterministic text vectors for tests that need an embedding model without loading one: the
 * character trigrams of the text (lower case, padded with a space on each side, over its UTF-8
 * bytes) are hashed into {@code dimension} non-negative counts, normalised to length 1. Equal texts
 * get equal vectors and texts sharing trigrams a positive cosine. The framework modules' test
 * embedding models (LangChain4j's, Spring AI's) wrap it.
 */
public final class TrigramVectors {
  private TrigramVectors() {}

  /**
   * The vector of a text.
   *
   * @param text the text
   * @param dimension the vector's length, at least 1
   * @return a unit vector (even for an empty text: the padding makes one trigram)
   */
  public static float[] of(String text, int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be at least 1, was " + dimension);
    }
    double[] counts = new double[dimension];
    byte[] bytes = (" " + text.toLowerCase(Locale.ROOT) + " ").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + 3 <= bytes.length; i++) {
      int h = 17;
      for (int j = i; j < i + 3; j++) {
        h = h * 31 + bytes[j];
      }
      counts[Math.floorMod(h * 0x9E3779B1, dimension)] += 1;
    }
    double norm = 0;
    for (double c : counts) {
      norm += c * c;
    }
    norm = Math.sqrt(norm);
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) (counts[i] / norm);
    }
    return v;
  }
}
