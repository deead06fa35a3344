package dev.vectorcache.langchain4j;

import org.jspecify.annotations.Nullable;

/**
 * LangChain4j's relevance scores and the cache's cosine similarities. Relevance = (cos + 1) / 2
 * (LangChain4j's {@code RelevanceScore.fromCosineSimilarity}), so a minimum relevance {@code m} is
 * a cosine of {@code 2m - 1}. LangChain4j keeps a match whose relevance equals the minimum; the
 * cache's threshold is strict, so the bound handed to it is the next float below. A minimum of 0
 * (LangChain4j's default) sets no threshold.
 */
final class Scores {
  private Scores() {}

  /**
   * The cache's strict cosine threshold for a minimum relevance score.
   *
   * @param minScore LangChain4j's minimum relevance, in [0, 1]
   * @return the threshold, or null when every match qualifies ({@code minScore <= 0})
   * @throws IllegalArgumentException for a minimum outside [0, 1] or not a number
   */
  static @Nullable Float cosineThreshold(double minScore) {
    if (Double.isNaN(minScore) || minScore < 0 || minScore > 1) {
      throw new IllegalArgumentException("minScore must be in [0, 1], was " + minScore);
    }
    float cosine = (float) (2 * minScore - 1);
    if (cosine <= -1f) {
      return null; // every cosine is at least -1
    }
    return Math.nextDown(cosine);
  }
}
