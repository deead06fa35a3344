package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * A user-defined shard key of a collection with {@link ShardingMethod#CUSTOM} sharding: Qdrant's
 * {@code ShardKey}, a keyword or a non-negative number. With custom sharding each key owns its own
 * shards, so the points of one tenant (one key) live apart from the others; requests select keys
 * with {@link ReadOptions#shardKeys()} and {@link WriteOptions#shardKeys()}.
 *
 * @param keyword the keyword key, or {@code null} for a number key
 * @param number the number key (Qdrant's {@code uint64}, so 0 or more), or {@code null} for a
 *     keyword key
 */
public record ShardKey(@Nullable String keyword, @Nullable Long number) {

  /** Checks that exactly one of the two is set, a non-empty keyword or a number of 0 or more. */
  public ShardKey {
    if ((keyword == null) == (number == null)) {
      throw new InvalidInputException(
          "shardKey", "either a keyword or a number", keyword == null ? "neither" : "both");
    }
    if (keyword != null && keyword.isEmpty()) {
      throw new InvalidInputException("shardKey", "a non-empty keyword", keyword);
    }
    if (number != null && number < 0) {
      throw new InvalidInputException("shardKey", "a number of 0 or more (uint64)", number);
    }
  }

  /** A keyword key, for example a tenant id. */
  public static ShardKey of(String keyword) {
    if (keyword == null) {
      throw new InvalidInputException("shardKey", "a non-empty keyword", null);
    }
    return new ShardKey(keyword, null);
  }

  /** A number key. */
  public static ShardKey of(long number) {
    return new ShardKey(null, number);
  }

  /** Whether this is a number key. */
  public boolean isNumber() {
    return number != null;
  }

  @Override
  public String toString() {
    return keyword != null ? "\"" + keyword + "\"" : String.valueOf(number);
  }
}
