package dev.vectorcache.core.model;

/**
 * Qdrant's {@code WriteOrderingType}: which replica orders a write in a distributed Qdrant. With
 * one node there is one copy, so every ordering is the same.
 */
public enum WriteOrdering {
  /** Qdrant's default: writes may be reordered between replicas; fastest. */
  WEAK,
  /**
   * Writes go through a dynamically elected leader; may be inconsistent briefly when it changes.
   */
  MEDIUM,
  /** Writes go through the permanent leader: consistent, unavailable while the leader is down. */
  STRONG
}
