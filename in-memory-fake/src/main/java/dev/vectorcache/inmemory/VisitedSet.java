package dev.vectorcache.inmemory;

/**
 * The nodes a graph search has reached, as generation stamps: starting a search bumps the
 * generation instead of clearing the array, so a search costs nothing per node it does not touch.
 * One per thread ({@link HnswGraph} keeps them in a thread-local scratch), grown to the largest
 * graph that thread searched.
 */
final class VisitedSet {
  private int[] stamps = new int[0];
  private int generation;

  /** Starts a new search over nodes {@code [0, nodes)}. */
  void begin(int nodes) {
    if (stamps.length < nodes) {
      stamps = new int[Math.max(nodes, Growth.next(stamps.length))];
      generation = 0;
    }
    if (++generation == Integer.MAX_VALUE) {
      java.util.Arrays.fill(stamps, 0);
      generation = 1;
    }
  }

  /** Marks {@code node}; true when it was not marked in this search. */
  boolean visit(int node) {
    if (node >= stamps.length) {
      // a node added after the search began: grow (rare; linking runs beside searches)
      stamps = java.util.Arrays.copyOf(stamps, Math.max(node + 1, Growth.next(stamps.length)));
    }
    if (stamps[node] == generation) {
      return false;
    }
    stamps[node] = generation;
    return true;
  }

  long heapBytes() {
    return 16L + 4L * stamps.length;
  }
}
