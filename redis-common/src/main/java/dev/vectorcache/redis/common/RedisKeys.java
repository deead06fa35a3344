package dev.vectorcache.redis.common;

import dev.vectorcache.core.exception.InvalidInputException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Names in Redis: every key is {@code prefix + key} and a collection's channel is {@code prefix +
 * "events:" + collection}, so several caches can share one server (and an ACL can confine each to
 * {@code ~prefix*} and {@code &prefix*}). Also the key checks done before any I/O.
 */
public final class RedisKeys {
  private final String prefix;

  public RedisKeys(String prefix) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  public String key(String key) {
    return prefix + checkKey(key);
  }

  public String channel(String collection) {
    return prefix + "events:" + checkCollection(collection);
  }

  /** {@code key}, or an {@link InvalidInputException} when it is null or blank. */
  public static String checkKey(String key) {
    if (key == null || key.isBlank()) {
      throw new InvalidInputException("key", "a non-blank string", key);
    }
    return key;
  }

  /** {@code collection}, or an {@link InvalidInputException} when it is null or blank. */
  public static String checkCollection(String collection) {
    if (collection == null || collection.isBlank()) {
      throw new InvalidInputException("collection", "a non-blank collection name", collection);
    }
    return collection;
  }

  /** The keys without duplicates, in order; a null or blank one is rejected with its index. */
  public static List<String> distinct(Collection<String> keys) {
    Objects.requireNonNull(keys, "keys");
    LinkedHashSet<String> set = new LinkedHashSet<>();
    int i = 0;
    for (String k : keys) {
      if (k == null || k.isBlank()) {
        throw new InvalidInputException("keys[" + i + "]", "a non-blank string", k);
      }
      set.add(k);
      i++;
    }
    return new ArrayList<>(set);
  }
}
