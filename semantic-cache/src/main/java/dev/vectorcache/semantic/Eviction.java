package dev.vectorcache.semantic;

/**
 * Which entries a size-bounded {@link SemanticCache} evicts first (see {@link
 * SemanticCacheBuilder#maxEntries(long)}).
 */
public enum Eviction {
  /** Least recently used: the entry whose last put or hit is the oldest. */
  LRU,
  /** Least frequently used: the entry with the fewest hits since it was stored. */
  LFU
}
