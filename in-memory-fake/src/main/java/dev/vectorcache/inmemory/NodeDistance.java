package dev.vectorcache.inmemory;

/**
 * The distance from one fixed vector (a query, or a point being linked into the graph) to the
 * vector of a slot, smaller = closer: the negated score for Cosine and Dot, the score itself for
 * Euclid and Manhattan. It may be computed on the original vectors or on quantized codes.
 */
@FunctionalInterface
interface NodeDistance {
  float distance(int node);

  /** Gives the distance from the stored vector of a slot, for linking and repairing the graph. */
  @FunctionalInterface
  interface Source {
    NodeDistance from(int node);
  }
}
