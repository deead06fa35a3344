package dev.vectorcache.core.model;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Options of a read (search, retrieve, count, scroll) for a distributed Qdrant, passed through
 * {@link dev.vectorcache.core.port.ClusterRequests}. Immutable; {@link #DEFAULT} sends nothing, so
 * the server's defaults apply: one replica answers, every shard key of a custom-sharded collection
 * is searched.
 */
public final class ReadOptions {
  /** Qdrant's defaults: nothing is sent. */
  public static final ReadOptions DEFAULT = new ReadOptions(null, List.of());

  private final @Nullable ReadConsistency consistency;
  private final List<ShardKey> shardKeys;

  private ReadOptions(@Nullable ReadConsistency consistency, List<ShardKey> shardKeys) {
    this.consistency = consistency;
    this.shardKeys = ShardKeys.copy("shardKeys", shardKeys);
  }

  /** The read consistency, or {@code null} for the server's default (a factor of 1). */
  public @Nullable ReadConsistency consistency() {
    return consistency;
  }

  /**
   * The shard keys to read (Qdrant's {@code ShardKeySelector}); empty for every key of a
   * custom-sharded collection. On a collection with automatic sharding, any key is an error.
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
    return o instanceof ReadOptions r
        && Objects.equals(consistency, r.consistency)
        && shardKeys.equals(r.shardKeys);
  }

  @Override
  public int hashCode() {
    return Objects.hash(consistency, shardKeys);
  }

  @Override
  public String toString() {
    return "ReadOptions[consistency=" + consistency + ", shardKeys=" + shardKeys + "]";
  }

  /** Builder for {@link ReadOptions}. */
  public static final class Builder {
    private @Nullable ReadConsistency consistency;
    private List<ShardKey> shardKeys;

    private Builder(ReadOptions from) {
      this.consistency = from.consistency;
      this.shardKeys = from.shardKeys;
    }

    /** The read consistency, or {@code null} for the server's default. */
    public Builder consistency(@Nullable ReadConsistency consistency) {
      this.consistency = consistency;
      return this;
    }

    /** The shard keys to read; none for all. */
    public Builder shardKeys(ShardKey... keys) {
      return shardKeys(keys == null ? null : java.util.Arrays.asList(keys));
    }

    /** The shard keys to read; an empty list for all. */
    public Builder shardKeys(@Nullable List<ShardKey> keys) {
      this.shardKeys = ShardKeys.copy("shardKeys", keys);
      return this;
    }

    /** The options. */
    public ReadOptions build() {
      return new ReadOptions(consistency, shardKeys);
    }
  }
}
