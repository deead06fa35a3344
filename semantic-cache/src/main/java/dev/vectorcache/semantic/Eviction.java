package dev.vectorcache.semantic;

/**
 * Which entries a size-bounded {@code SemanticCache} evicts first when a bound is exceeded.
 *
 * <p>Uses are recorded in the metadata store (Redis sorted sets, one per cache and one per scope),
 * asynchronously and never on the lookup's path, so the order is shared by every application
 * instance that uses the same collection. A use is a put or a hit; a miss is not a use of any
 * entry. Entries with equal scores are evicted in the order of their keys.
 */
public enum Eviction {
  /**
   * Least recently used: the entry whose last put or hit is the oldest goes first. A hit protects
   * an entry; replacing an answer counts as a use.
   */
  LRU,

  /**
   * Least frequently used: the entry with the fewest uses goes first. A put counts as one use and a
   * hit adds one; replacing an entry's answer starts its count again at one, since the uses counted
   * were those of the previous answer. A new entry therefore ranks with the entries never hit:
   * among equals the order of their keys decides, so a new entry may go before an older one that
   * was never hit either.
   */
  LFU
}
