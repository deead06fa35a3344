package dev.vectorcache.inmemory;

import dev.vectorcache.core.id.PointId;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * A collection's map from point id to slot, in primitive arrays: the ids themselves are not copied
 * (the collection's {@code idBySlot} array holds them; this map reads them through {@code ids}), so
 * a point costs about 15 bytes here instead of a {@code TreeMap} entry and a boxed slot (about 56).
 *
 * <ul>
 *   <li>Lookups: an open-addressing hash table of slots ({@code int[]}, linear probing, at most 60%
 *       full), compared by {@link PointId#equals}; deletes shift the following entries back, so
 *       there are no tombstones.
 *   <li>Order: Qdrant's scroll order ({@link PointId#compareTo}: numbers, unsigned, then UUIDs) is
 *       kept in sorted leaves of at most {@value #LEAF} slots; an insert or delete moves at most a
 *       leaf's worth of ints, a full leaf splits in two, a leaf under a quarter full merges with a
 *       neighbour when they fit in three quarters of a leaf.
 * </ul>
 *
 * <p>The id of every slot held must be {@code ids.apply(slot)} for as long as it is held: the
 * collection sets {@code idBySlot[slot]} before {@link #put} and clears it after {@link #remove}.
 * Not thread-safe: guarded by the collection's lock; iterations must not overlap a write.
 */
final class IdSlotMap {
  static final int LEAF = 256;
  private static final int[] NO_LEAF = new int[0];

  private final IntFunction<PointId> ids;
  private int[] table = new int[16]; // slot + 1; 0 is empty
  private int size;
  private int[][] leaves = new int[][] {new int[LEAF]};
  private int[] leafSizes = new int[1];
  private int leafCount = 1;

  IdSlotMap(IntFunction<PointId> ids) {
    this.ids = ids;
  }

  int size() {
    return size;
  }

  /** The slot of {@code id}, or null (boxed, as a {@code Map} answers). */
  @Nullable Integer get(PointId id) {
    int slot = slotOf(id);
    return slot < 0 ? null : slot;
  }

  /** The slot of {@code id}, or -1. */
  int slotOf(PointId id) {
    int mask = table.length - 1;
    for (int i = home(id, mask); ; i = (i + 1) & mask) {
      int e = table[i];
      if (e == 0) {
        return -1;
      }
      if (id.equals(ids.apply(e - 1))) {
        return e - 1;
      }
    }
  }

  /** Maps {@code id}, which this map does not hold, to {@code slot}. */
  void put(PointId id, int slot) {
    if ((size + 1) * 10L > table.length * 6L) {
      rehash(table.length * 2);
    }
    insertHashed(id, slot);
    size++;
    addOrdered(id, slot);
  }

  /** Forgets {@code id}; returns its slot, or -1 when it was not held. */
  int remove(PointId id) {
    int mask = table.length - 1;
    int i = home(id, mask);
    while (true) {
      int e = table[i];
      if (e == 0) {
        return -1;
      }
      if (id.equals(ids.apply(e - 1))) {
        break;
      }
      i = (i + 1) & mask;
    }
    int slot = table[i] - 1;
    // backward-shift deletion: entries after i that may sit at i move back, the gap moves on
    int gap = i;
    for (int j = (gap + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
      int k = home(ids.apply(table[j] - 1), mask);
      boolean stays = gap <= j ? gap < k && k <= j : gap < k || k <= j;
      if (!stays) {
        table[gap] = table[j];
        gap = j;
      }
    }
    table[gap] = 0;
    size--;
    removeOrdered(id);
    return slot;
  }

  private static int home(PointId id, int mask) {
    int h = id.hashCode() * 0x9E3779B9;
    return (h ^ (h >>> 16)) & mask;
  }

  private void insertHashed(PointId id, int slot) {
    int mask = table.length - 1;
    int i = home(id, mask);
    while (table[i] != 0) {
      i = (i + 1) & mask;
    }
    table[i] = slot + 1;
  }

  private void rehash(int capacity) {
    int[] old = table;
    table = new int[capacity];
    for (int e : old) {
      if (e != 0) {
        insertHashed(ids.apply(e - 1), e - 1);
      }
    }
  }

  // ---- order ----

  private int compare(PointId id, int slot) {
    return id.compareTo(ids.apply(slot));
  }

  /** The last leaf whose first id is at most {@code id}, or 0. */
  private int leafOf(PointId id) {
    int lo = 0;
    int hi = leafCount - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (leafSizes[mid] > 0 && compare(id, leaves[mid][0]) >= 0) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** The first position in leaf {@code l} whose id is at least {@code id}. */
  private int lowerBound(int l, PointId id) {
    int[] leaf = leaves[l];
    int lo = 0;
    int hi = leafSizes[l];
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compare(id, leaf[mid]) > 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private void addOrdered(PointId id, int slot) {
    int l = leafOf(id);
    if (leafSizes[l] == LEAF && l == leafCount - 1 && compare(id, leaves[l][LEAF - 1]) > 0) {
      // appending past the last id (ascending ids): a new leaf, so full leaves stay full
      insertLeaf(l + 1, new int[LEAF], 0);
      l++;
    } else if (leafSizes[l] == LEAF) {
      split(l);
      if (compare(id, leaves[l + 1][0]) >= 0) {
        l++;
      }
    }
    int at = lowerBound(l, id);
    int[] leaf = leaves[l];
    System.arraycopy(leaf, at, leaf, at + 1, leafSizes[l] - at);
    leaf[at] = slot;
    leafSizes[l]++;
  }

  private void split(int l) {
    int half = LEAF / 2;
    int[] right = new int[LEAF];
    System.arraycopy(leaves[l], half, right, 0, LEAF - half);
    insertLeaf(l + 1, right, LEAF - half);
    leafSizes[l] = half;
  }

  private void insertLeaf(int at, int[] leaf, int n) {
    if (leafCount == leaves.length) {
      int grown = Growth.next(leafCount);
      leaves = Arrays.copyOf(leaves, grown);
      leafSizes = Arrays.copyOf(leafSizes, grown);
    }
    System.arraycopy(leaves, at, leaves, at + 1, leafCount - at);
    System.arraycopy(leafSizes, at, leafSizes, at + 1, leafCount - at);
    leaves[at] = leaf;
    leafSizes[at] = n;
    leafCount++;
  }

  private void removeLeaf(int at) {
    System.arraycopy(leaves, at + 1, leaves, at, leafCount - at - 1);
    System.arraycopy(leafSizes, at + 1, leafSizes, at, leafCount - at - 1);
    leafCount--;
    leaves[leafCount] = NO_LEAF;
    leafSizes[leafCount] = 0;
  }

  private void removeOrdered(PointId id) {
    int l = leafOf(id);
    int at = lowerBound(l, id);
    int n = leafSizes[l];
    if (at >= n || compare(id, leaves[l][at]) != 0) {
      throw new IllegalStateException("the id " + id + " is missing from the order of ids");
    }
    int[] leaf = leaves[l];
    System.arraycopy(leaf, at + 1, leaf, at, n - at - 1);
    leafSizes[l] = n - 1;
    if (leafSizes[l] == 0 && leafCount > 1) {
      removeLeaf(l);
    } else if (leafSizes[l] < LEAF / 4) {
      mergeWithNeighbour(l);
    }
  }

  private void mergeWithNeighbour(int l) {
    int left = l > 0 && leafSizes[l - 1] + leafSizes[l] <= LEAF * 3 / 4 ? l - 1 : -1;
    int right = l + 1 < leafCount && leafSizes[l] + leafSizes[l + 1] <= LEAF * 3 / 4 ? l : -1;
    int into = left >= 0 ? left : right;
    if (into < 0) {
      return;
    }
    int n = leafSizes[into];
    System.arraycopy(leaves[into + 1], 0, leaves[into], n, leafSizes[into + 1]);
    leafSizes[into] = n + leafSizes[into + 1];
    removeLeaf(into + 1);
  }

  /** Bytes of heap this map holds (the ids it points to are counted by their owner). */
  long heapBytes() {
    return 16
        + 4L * table.length
        + 16
        + 4L * leaves.length
        + 16
        + 4L * leafSizes.length
        + (long) leafCount * (16 + 4L * LEAF);
  }

  // ---- iteration ----

  /** Every (id, slot) in id order. */
  Iterable<Map.Entry<PointId, Integer>> entrySet() {
    return () -> new Entries(0, 0);
  }

  /** The (id, slot) pairs from {@code from} on (inclusive), in id order; all when null. */
  Iterable<Map.Entry<PointId, Integer>> from(@Nullable PointId from) {
    if (from == null) {
      return entrySet();
    }
    return () -> {
      int l = leafOf(from);
      return new Entries(l, lowerBound(l, from));
    };
  }

  private final class Entries implements Iterator<Map.Entry<PointId, Integer>> {
    private int leaf;
    private int at;

    Entries(int leaf, int at) {
      this.leaf = leaf;
      this.at = at;
      settle();
    }

    private void settle() {
      while (leaf < leafCount && at >= leafSizes[leaf]) {
        leaf++;
        at = 0;
      }
    }

    @Override
    public boolean hasNext() {
      return leaf < leafCount;
    }

    @Override
    public Map.Entry<PointId, Integer> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int slot = leaves[leaf][at++];
      settle();
      return new AbstractMap.SimpleImmutableEntry<>(ids.apply(slot), slot);
    }
  }
}
