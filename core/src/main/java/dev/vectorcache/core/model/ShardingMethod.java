package dev.vectorcache.core.model;

/** How a Qdrant collection distributes its points over shards ({@code ShardingMethod}). */
public enum ShardingMethod {
  /** Qdrant's default: points are spread over {@code shard_number} shards by hashing their ids. */
  AUTO,
  /**
   * User-defined shard keys ({@link ShardKey}): each key owns its shards, every write names the key
   * its points go to, and a read searches the keys it selects (all of them when it selects none).
   * The Qdrant way to keep a large tenant on shards of its own.
   */
  CUSTOM
}
