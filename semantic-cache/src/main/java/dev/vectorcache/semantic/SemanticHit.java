package dev.vectorcache.semantic;

import java.time.Duration;
import java.util.Objects;

/**
 * An answer found by {@link SemanticCache#lookup(Scope, String)}.
 *
 * @param response the cached answer
 * @param score the hit's score in the collection's own terms: a similarity for Cosine and Dot
 *     (larger is closer), a distance for Euclid and Manhattan (smaller is closer). For an {@link
 *     Tier#EXACT exact} hit, the best score of the metric: 1 for Cosine and Dot (the similarity of
 *     a unit vector with itself; for Dot over vectors of other lengths, a marker rather than a dot
 *     product), 0 for Euclid and Manhattan
 * @param tier which tier answered
 * @param age how long ago the answer was stored, by the cache's clock
 * @param prompt the stored prompt, normalised (Unicode NFC, trimmed, whitespace runs collapsed to
 *     one space, case kept)
 * @param key the entry's key in the vector cache (hex SHA-256 of scope, model id and normalised
 *     prompt)
 */
public record SemanticHit(
    CachedResponse response, double score, Tier tier, Duration age, String prompt, String key) {
  /** Checks that no component is null. */
  public SemanticHit {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(age, "age");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(key, "key");
  }
}
