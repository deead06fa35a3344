package dev.vectorcache.semantic;

/** Which tier of a {@code SemanticCache} answered a lookup. */
public enum Tier {
  /**
   * The exact tier: the same scope, model and normalised prompt, found with one metadata-store read
   * before any vector search.
   */
  EXACT,
  /** The semantic tier: a similar prompt over the threshold, found by a vector search. */
  SEMANTIC
}
