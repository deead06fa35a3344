package dev.vectorcache.semantic;

/**
 * A last check of a semantic hit before it is served: similar vectors are not always the same
 * question ("how do I enable X" and "how do I disable X", or two prompts that differ in a number).
 * Register one with {@link SemanticCacheBuilder#validator(HitValidator)}.
 *
 * <p>Called only for {@link Tier#SEMANTIC semantic} candidates over the threshold, best first; the
 * first one accepted is served, and each rejection is reported to {@link
 * SemanticCacheListener#onRejected()}. An exact hit (the same normalised prompt) is not validated.
 * It runs on the thread that completes the search: keep it quick and free of I/O. An exception it
 * throws fails the lookup.
 */
@FunctionalInterface
public interface HitValidator {

  /**
   * Whether {@code candidate} answers {@code prompt}.
   *
   * @param prompt the lookup's prompt, normalised as the cache stores prompts
   * @param candidate the candidate, with its stored prompt and score
   * @return true to serve it, false to try the next candidate
   */
  boolean accept(String prompt, SemanticHit candidate);
}
