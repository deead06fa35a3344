package dev.vectorcache.spring.ai;

import dev.vectorcache.core.exception.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * Spring AI's similarity scores and the cache's cosine similarities. Score = (cos + 1) / 2, in [0,
 * 1], so a similarity threshold {@code t} is a cosine of {@code 2t - 1}. Spring AI keeps a document
 * whose score equals the threshold; the cache's threshold is strict, so the bound handed to it is
 * the next float below. A threshold of 0 (Spring AI's "accept all") sets none.
 */
final class Scores {
  private Scores() {}

  /**
   * The cache's strict cosine threshold for a similarity threshold.
   *
   * @param threshold Spring AI's similarity threshold, in [0, 1]
   * @return the threshold, or null when every document qualifies
   * @throws InvalidInputException for a threshold outside [0, 1] or not a number
   */
  static @Nullable Float cosineThreshold(double threshold) {
    if (Double.isNaN(threshold) || threshold < 0 || threshold > 1) {
      throw new InvalidInputException("similarityThreshold", "a number in [0, 1]", threshold);
    }
    float cosine = (float) (2 * threshold - 1);
    if (cosine <= -1f) {
      return null;
    }
    return Math.nextDown(cosine);
  }

  /**
   * The score of a cosine similarity, clamped to [0, 1] against rounding.
   *
   * @param cosine the similarity
   * @return (cos + 1) / 2
   */
  static double fromCosine(float cosine) {
    double score = ((double) cosine + 1) / 2;
    return Math.max(0, Math.min(1, score));
  }
}
