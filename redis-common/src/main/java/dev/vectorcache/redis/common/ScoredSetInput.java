package dev.vectorcache.redis.common;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.port.ScoredSets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The arguments of {@link ScoredSets} calls, checked and turned into full keys before any I/O, the
 * same way for both Redis adapters. A set's key gets the store's key prefix, as a copy's does: sets
 * and copies share one key space.
 */
public final class ScoredSetInput {
  private ScoredSetInput() {}

  /**
   * One update, ready to send.
   *
   * @param key the full key (with the store's prefix)
   * @param member the member
   * @param score the score ({@code ZADD key score member}) or the increment ({@code ZINCRBY key
   *     increment member})
   * @param increment whether it is a {@code ZINCRBY}
   */
  public record Change(String key, String member, double score, boolean increment) {}

  /**
   * Checks updates and gives their full keys.
   *
   * @param names the store's key names
   * @param updates the updates, in order
   * @return one change per update, in order
   * @throws InvalidInputException for a null list ({@code updates}), a null element ({@code
   *     updates[i]}), a blank key ({@code updates[i].key}) or member ({@code updates[i].member})
   */
  public static List<Change> updates(RedisKeys names, List<ScoredSets.Update> updates) {
    if (updates == null) {
      throw new InvalidInputException("updates", "a list (empty for none)", null);
    }
    List<Change> out = new ArrayList<>(updates.size());
    for (int i = 0; i < updates.size(); i++) {
      ScoredSets.Update u = updates.get(i);
      if (u == null) {
        throw new InvalidInputException("updates[" + i + "]", "an update", null);
      }
      String key = nonBlank(u.key(), "updates[" + i + "].key");
      String member = nonBlank(u.member(), "updates[" + i + "].member");
      out.add(new Change(names.key(key), member, u.score(), u.increment()));
    }
    return out;
  }

  /**
   * The full key of a set.
   *
   * @param names the store's key names
   * @param key the set's key
   * @return the key with the store's prefix
   * @throws InvalidInputException for a null or blank key ({@code key})
   */
  public static String key(RedisKeys names, String key) {
    return names.key(nonBlank(key, "key"));
  }

  /**
   * Checks the count of a {@code lowest} call.
   *
   * @param count how many members at most
   * @return the last index for {@code ZRANGE key 0 last}
   * @throws InvalidInputException for a count below 1 ({@code count})
   */
  public static long lastIndex(int count) {
    if (count < 1) {
      throw new InvalidInputException("count", "at least 1", count);
    }
    return count - 1L;
  }

  /**
   * Checks the members of a {@code remove} call.
   *
   * @param members the members
   * @return them as an array, in order (empty for none)
   * @throws InvalidInputException for a null collection ({@code members}) or a null or blank member
   *     ({@code members[i]})
   */
  public static String[] members(Collection<String> members) {
    if (members == null) {
      throw new InvalidInputException("members", "a collection of members", null);
    }
    String[] out = new String[members.size()];
    int i = 0;
    for (String m : members) {
      out[i] = nonBlank(m, "members[" + i + "]");
      i++;
    }
    return out;
  }

  private static String nonBlank(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException(field, "a non-blank string", value);
    }
    return value;
  }
}
