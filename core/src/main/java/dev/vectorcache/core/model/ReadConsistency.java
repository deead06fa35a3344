package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * Qdrant's {@code ReadConsistency}: how many replicas of each shard a read asks, in a distributed
 * Qdrant, before it answers. Either a {@link Type} or a number of replicas ({@code factor});
 * Qdrant's default (when a request carries none) is a factor of 1: one replica answers.
 *
 * @param type ALL, MAJORITY or QUORUM, or {@code null} when {@code factor} is set
 * @param factor the number of replicas to ask (1 or more), or {@code null} when {@code type} is set
 */
public record ReadConsistency(@Nullable Type type, @Nullable Long factor) {

  /** Qdrant's {@code ReadConsistencyType}. */
  public enum Type {
    /** Ask every replica; return the points present on all of them. */
    ALL,
    /** Ask every replica; return the points present on a majority of them. */
    MAJORITY,
    /** Ask half the replicas plus one; return the points present on all of them. */
    QUORUM
  }

  /** Checks that exactly one of the two is set, and the factor is 1 or more. */
  public ReadConsistency {
    if ((type == null) == (factor == null)) {
      throw new InvalidInputException(
          "readConsistency", "either a type or a factor", type == null ? "neither" : "both");
    }
    if (factor != null && factor < 1) {
      throw new InvalidInputException("readConsistency.factor", "1 or more", factor);
    }
  }

  /** Every replica must have the point. */
  public static ReadConsistency all() {
    return new ReadConsistency(Type.ALL, null);
  }

  /** A majority of the replicas must have the point. */
  public static ReadConsistency majority() {
    return new ReadConsistency(Type.MAJORITY, null);
  }

  /** Half the replicas plus one are asked; all of them must have the point. */
  public static ReadConsistency quorum() {
    return new ReadConsistency(Type.QUORUM, null);
  }

  /** {@code replicas} replicas are asked; all of them must have the point. */
  public static ReadConsistency factor(long replicas) {
    return new ReadConsistency(null, replicas);
  }
}
