package dev.vectorcache.inmemory;

import dev.vectorcache.core.id.PointId;

/**
 * The best {@code k} (slot, score) pairs seen, in a bounded binary heap of primitives whose root is
 * the worst kept pair, so a scan costs O(n log k) with no boxing and no full sort. Ties on the
 * score are broken by point id (ascending) so that results are deterministic.
 */
final class TopK {
  private final int capacity;
  private final boolean largerIsBetter;
  private final PointId[] idBySlot;
  private final int[] slots;
  private final float[] scores;
  private int size;

  /** {@code capacity} is at least 1 and at most the number of live points. */
  TopK(int capacity, boolean largerIsBetter, PointId[] idBySlot) {
    this.capacity = capacity;
    this.largerIsBetter = largerIsBetter;
    this.idBySlot = idBySlot;
    this.slots = new int[capacity];
    this.scores = new float[capacity];
  }

  int size() {
    return size;
  }

  int capacity() {
    return capacity;
  }

  /** Whether (a, sa) ranks strictly better than (b, sb). */
  private boolean better(float sa, int a, float sb, int b) {
    int c = Float.compare(sa, sb);
    if (c != 0) {
      return largerIsBetter ? c > 0 : c < 0;
    }
    return idBySlot[a].compareTo(idBySlot[b]) < 0;
  }

  /**
   * Whether {@link #offer} would keep (slot, score) now. Scans test a payload filter only for
   * points that pass this, so a filter costs per candidate rather than per point.
   */
  boolean accepts(int slot, float score) {
    return size < capacity || better(score, slot, scores[0], slots[0]);
  }

  /**
   * Offers a scanned slot whose score passes the threshold (when {@code thresholded}, by {@code
   * distance}) and {@code filter} (when not null). The filter is pure, so testing it only for
   * would-be hits gives the same result and spares its cost for the rest.
   */
  void consider(
      int slot,
      float score,
      dev.vectorcache.core.model.Distance distance,
      boolean thresholded,
      float threshold,
      java.util.function.@org.jspecify.annotations.Nullable IntPredicate filter) {
    if (thresholded && !distance.passes(score, threshold)) {
      return;
    }
    if (filter != null && (!accepts(slot, score) || !filter.test(slot))) {
      return;
    }
    offer(slot, score);
  }

  void offer(int slot, float score) {
    if (size < capacity) {
      slots[size] = slot;
      scores[size] = score;
      siftUp(size++);
    } else if (better(score, slot, scores[0], slots[0])) {
      slots[0] = slot;
      scores[0] = score;
      siftDown(0);
    }
  }

  private void siftUp(int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      // the root is the worst: a child must not be worse than its parent
      if (better(scores[parent], slots[parent], scores[i], slots[i])) {
        swap(i, parent);
        i = parent;
      } else {
        return;
      }
    }
  }

  private void siftDown(int i) {
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        return;
      }
      int worst = l;
      int r = l + 1;
      if (r < size && better(scores[l], slots[l], scores[r], slots[r])) {
        worst = r;
      }
      if (better(scores[i], slots[i], scores[worst], slots[worst])) {
        swap(i, worst);
        i = worst;
      } else {
        return;
      }
    }
  }

  private void swap(int a, int b) {
    int s = slots[a];
    slots[a] = slots[b];
    slots[b] = s;
    float f = scores[a];
    scores[a] = scores[b];
    scores[b] = f;
  }

  /**
   * Empties the heap into {@code outSlots}/{@code outScores}, best first; returns how many.
   * Destroys the heap.
   */
  int drainBestFirst(int[] outSlots, float[] outScores) {
    int n = size;
    for (int i = n - 1; i >= 0; i--) {
      outSlots[i] = slots[0];
      outScores[i] = scores[0];
      size--;
      if (size > 0) {
        slots[0] = slots[size];
        scores[0] = scores[size];
        siftDown(0);
      }
    }
    return n;
  }
}
