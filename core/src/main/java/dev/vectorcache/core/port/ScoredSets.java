package dev.vectorcache.core.port;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Extension of the metadata-store port (reached with {@code extension(ScoredSets.class)},
 * advertised as {@link dev.vectorcache.core.model.Capability#SCORED_SETS}): sets of members ordered
 * by a score, as Redis sorted sets. Modules above the core keep bookkeeping in them, such as the
 * recency or frequency of a semantic cache's entries for eviction.
 *
 * <p>Every command touches one key, so it works on a Redis Cluster; a batch of updates to several
 * sets is pipelined in one round trip. Keys share the metadata store's key space: callers prefix
 * them with their collection. Members and keys are non-blank strings; scores are finite.
 */
public interface ScoredSets {

  /**
   * One change to a set.
   *
   * @param key the set's key
   * @param member the member
   * @param score the score to set, or the amount to add when {@code increment}
   * @param increment add {@code score} to the member's score (a new member starts at 0) instead of
   *     setting it
   */
  record Update(String key, String member, double score, boolean increment) {
    /** Checks the arguments. */
    public Update {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(member, "member");
      if (!Double.isFinite(score)) {
        throw new IllegalArgumentException("score must be finite, found " + score);
      }
    }

    /**
     * Sets a member's score, adding the member when missing ({@code ZADD}).
     *
     * @param key the set
     * @param member the member
     * @param score its score
     * @return the update
     */
    public static Update set(String key, String member, double score) {
      return new Update(key, member, score, false);
    }

    /**
     * Adds to a member's score, adding the member at 0 first when missing ({@code ZINCRBY}).
     *
     * @param key the set
     * @param member the member
     * @param by the amount
     * @return the update
     */
    public static Update increment(String key, String member, double by) {
      return new Update(key, member, by, true);
    }
  }

  /**
   * Applies the updates, in order, pipelined in one round trip.
   *
   * @param updates the changes; an empty list completes at once
   * @return completes when all were applied
   */
  CompletableFuture<Void> update(List<Update> updates);

  /**
   * How many members a set has ({@code ZCARD}); 0 for a missing key.
   *
   * @param key the set
   * @return the count
   */
  CompletableFuture<Long> size(String key);

  /**
   * The members with the lowest scores, lowest first; ties in member order ({@code ZRANGE key 0
   * count-1}).
   *
   * @param key the set
   * @param count how many at most, at least 1
   * @return the members
   */
  CompletableFuture<List<String>> lowest(String key, int count);

  /**
   * Removes members from a set ({@code ZREM}).
   *
   * @param key the set
   * @param members the members; missing ones are ignored
   * @return how many were removed
   */
  CompletableFuture<Long> remove(String key, Collection<String> members);

  /**
   * Deletes a whole set ({@code DEL} of a sorted-set key).
   *
   * @param key the set
   * @return whether it existed
   */
  CompletableFuture<Boolean> deleteSet(String key);
}
