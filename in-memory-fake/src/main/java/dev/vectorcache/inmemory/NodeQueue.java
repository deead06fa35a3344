package dev.vectorcache.inmemory;

import java.util.Arrays;

/**
 * A binary heap of (distance, node) pairs in two primitive arrays, smaller distance = closer. As a
 * min-heap it orders the candidates of a graph search (closest first); as a max-heap bounded to a
 * capacity it keeps the {@code ef} closest results (farthest at the root, evicted first). Ties are
 * broken by node, so a single-threaded search is deterministic.
 */
final class NodeQueue {
  private final boolean min;
  private int capacity; // Integer.MAX_VALUE: unbounded
  private float[] dist;
  private int[] node;
  private int size;

  private NodeQueue(boolean min, int capacity, int initial) {
    this.min = min;
    this.capacity = capacity;
    this.dist = new float[initial];
    this.node = new int[initial];
  }

  /** An unbounded queue that pops the closest first. */
  static NodeQueue closestFirst() {
    return new NodeQueue(true, Integer.MAX_VALUE, 64);
  }

  /** A queue keeping at most {@code capacity} closest pairs, the farthest at the top. */
  static NodeQueue keepClosest(int capacity) {
    return new NodeQueue(false, capacity, Math.min(Math.max(capacity, 1), 1024));
  }

  /** Empties the queue; a bounded queue takes the new capacity. */
  void reset(int newCapacity) {
    size = 0;
    if (!min) {
      capacity = newCapacity;
    }
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  boolean isFull() {
    return size >= capacity;
  }

  float topDistance() {
    return dist[0];
  }

  int topNode() {
    return node[0];
  }

  /** Whether (d, n) would be kept now: room left, or closer than the farthest kept. */
  boolean wouldKeep(float d, int n) {
    // only a bounded (max-) queue is ever full
    return size < capacity || before(d, n, dist[0], node[0]);
  }

  /** Adds (d, n); a full bounded queue drops its farthest pair (possibly the new one). */
  void push(float d, int n) {
    if (size < capacity) {
      if (size == dist.length) {
        int grown = (int) Math.min((long) capacity, Math.max(16L, size * 2L));
        dist = Arrays.copyOf(dist, grown);
        node = Arrays.copyOf(node, grown);
      }
      dist[size] = d;
      node[size] = n;
      up(size++);
    } else if (wouldKeep(d, n)) {
      dist[0] = d;
      node[0] = n;
      down(0);
    }
  }

  /** Removes the top pair; read it first with {@link #topDistance()} and {@link #topNode()}. */
  void pop() {
    size--;
    if (size > 0) {
      dist[0] = dist[size];
      node[0] = node[size];
      down(0);
    }
  }

  /** Whether (da, a) comes strictly before (db, b) in ascending distance order. */
  private static boolean before(float da, int a, float db, int b) {
    return da < db || (da == db && a < b);
  }

  /** Whether the pair at i belongs above the pair at j. */
  private boolean above(int i, int j) {
    return min
        ? before(dist[i], node[i], dist[j], node[j])
        : before(dist[j], node[j], dist[i], node[i]);
  }

  private void up(int i) {
    while (i > 0) {
      int p = (i - 1) >>> 1;
      if (!above(i, p)) {
        return;
      }
      swap(i, p);
      i = p;
    }
  }

  private void down(int i) {
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        return;
      }
      int c = l + 1 < size && above(l + 1, l) ? l + 1 : l;
      if (!above(c, i)) {
        return;
      }
      swap(i, c);
      i = c;
    }
  }

  private void swap(int a, int b) {
    float d = dist[a];
    dist[a] = dist[b];
    dist[b] = d;
    int n = node[a];
    node[a] = node[b];
    node[b] = n;
  }

  /**
   * Empties the queue into {@code outNodes}/{@code outDist} in ascending distance order, closest
   * first, whatever the kind of queue; returns how many.
   */
  int drainAscending(int[] outNodes, float[] outDist) {
    int n = size;
    if (min) {
      for (int i = 0; i < n; i++) {
        outNodes[i] = node[0];
        outDist[i] = dist[0];
        pop();
      }
    } else {
      for (int i = n - 1; i >= 0; i--) {
        outNodes[i] = node[0];
        outDist[i] = dist[0];
        pop();
      }
    }
    return n;
  }
}
