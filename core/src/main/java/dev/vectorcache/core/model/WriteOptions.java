package dev.vectorcache.core.model;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Options of a write (upsert, delete, payload writes) for a distributed Qdrant, passed through
 * {@link dev.vectorcache.core.port.ClusterRequests}. Immutable; {@link #DEFAULT} sends nothing, so
 * the server's defaults apply: {@link WriteOrdering#WEAK} ordering and, on a collection with
 * automatic sharding, shards chosen by point id.
 */
public final class WriteOptions {
  /** Qdrant's defaults: nothing is sent. */
  public static final WriteOptions DEFAULT = new WriteOptions(null, List.of());

  private final @Nullable WriteOrdering ordering;
  private final List<ShardKey> shardKeys;

  private WriteOptions(@Nullable WriteOrdering ordering, List<ShardKey> shardKeys) {
    this.ordering = ordering;
    this.shardKeys = ShardKeys.copy("shardKeys", shardKeys);
  }

  /** The write ordering, or {@code null} for the server's default ({@link WriteOrdering#WEAK}). */
  public @Nullable WriteOrdering ordering() {
    return ordering;
  }

  /**
   * The shard keys the write goes to (Qdrant's {@code ShardKeySelector}): on an upsert, the key the
   * points are stored under (under each key when several are named); on a delete or payload write,
   * the keys whose points it changes. A collection with {@link ShardingMethod#CUSTOM} sharding
   * needs at least one (Qdrant answers "Shard key not specified" otherwise); on one with automatic
   * sharding, any key is an error.
   */
  public List<ShardKey> shardKeys() {
    return shardKeys;
  }

  /** A builder starting from {@link #DEFAULT}. */
  public static Builder builder() {
    return new Builder(DEFAULT);
  }

  /** A builder starting from these options. */
  public Builder mutate() {
    return new Builder(this);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof WriteOptions w && ordering == w.ordering && shardKeys.equals(w.shardKeys);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ordering, shardKeys);
  }

  @Override
  public String toString() {
    return "WriteOptions[ordering=" + ordering + ", shardKeys=" + shardKeys + "]";
  }

  /** Builder for {@link WriteOptions}. */
  public static final class Builder {
    private @Nullable WriteOrdering ordering;
    private List<ShardKey> shardKeys;

    private Builder(WriteOptions from) {
      this.ordering = from.ordering;
      this.shardKeys = from.shardKeys;
    }

    /** The write ordering, or {@code null} for the server's default. */
    public Builder ordering(@Nullable WriteOrdering ordering) {
      this.ordering = ordering;
      return this;
    }

    /** The shard keys the write goes to. */
    public Builder shardKeys(ShardKey... keys) {
      return shardKeys(keys == null ? null : java.util.Arrays.asList(keys));
    }

    /** The shard keys the write goes to; an empty list for none. */
    public Builder shardKeys(@Nullable List<ShardKey> keys) {
      this.shardKeys = ShardKeys.copy("shardKeys", keys);
      return this;
    }

    /** The options. */
    public WriteOptions build() {
      return new WriteOptions(ordering, shardKeys);
    }
  }
}
