package dev.vectorcache.inmemory;

import java.util.Arrays;

/**
 * The HNSW graph's memory: neighbour lists in packed {@code int} records, no object per node.
 * Implementations keep the records on the heap ({@link HeapGraphStore}) or in memory-mapped files
 * ({@link MappedGraphStore}); this class owns the layout.
 *
 * <p><b>Node record</b> ({@code 2m + 3} ints, one per slot of the collection): {@code [0]} the
 * number of level-0 neighbours, {@code [1 .. 2m]} their ids, {@code [2m+1]} the node word (its top
 * level, {@link #DELETED} when the point was deleted, {@link #NO_LEVEL} for a slot not in the
 * graph), {@code [2m+2]} the first of its upper records. <b>Upper records</b> ({@code m + 1} ints)
 * hold one list each, count first; a node of level {@code L ≥ 1} owns {@code L} consecutive records
 * for levels {@code 1 .. L}. About one node in {@code m} has an upper level, so the upper levels
 * are sparse. Freed upper runs are reused (a free list per length).
 *
 * <p><b>Threads.</b> Growth ({@link #ensureNodes}, {@link #allocateUpper}) runs under the
 * collection's write lock; list reads and writes run concurrently with it and with each other, the
 * caller ({@link HnswGraph}) guarding each list with a striped lock. Implementations publish grown
 * page tables through volatile fields and never move a record, so a concurrent reader or writer of
 * an existing record is never lost.
 */
abstract class GraphStore implements AutoCloseable {
  /** Node word of a slot that is not in the graph. */
  static final int NO_LEVEL = -1;

  /** Bit of the node word set when the point was deleted (a tombstone until repair). */
  static final int DELETED = 1 << 30;

  static final int LEVEL_MASK = 0xFF;

  /** The highest level a node may get (the level of 1 node in m^32 — never reached). */
  static final int MAX_LEVEL = 32;

  final int m;
  final int m0;
  final int nodeInts;
  final int upperInts;
  private int upperUsed;
  private int[][] freeUpper = new int[MAX_LEVEL + 1][];
  private final int[] freeUpperCount = new int[MAX_LEVEL + 1];

  GraphStore(int m, int upperUsed) {
    this.m = m;
    this.m0 = 2 * m;
    this.nodeInts = m0 + 3;
    this.upperInts = m + 1;
    this.upperUsed = upperUsed;
  }

  // ---- primitive access, by implementation ----

  /** Nodes addressable now. */
  abstract int nodeCapacity();

  /** Makes nodes {@code [0, nodes)} addressable; new records read as not in the graph. */
  abstract void ensureNodes(int nodes);

  /** Makes upper records {@code [0, records)} addressable. */
  abstract void ensureUpperRecords(int records);

  /** Upper records addressable now (read without a lock: a volatile read). */
  abstract int upperCapacity();

  abstract int nodeInt(int node, int i);

  abstract void setNodeInt(int node, int i, int value);

  abstract int upperInt(int record, int i);

  abstract void setUpperInt(int record, int i, int value);

  /** Copies {@code n} ints of a node record from {@code i} into {@code out[0..n)}. */
  abstract void copyNode(int node, int i, int[] out, int n);

  /** Copies {@code n} ints of an upper record from {@code i} into {@code out[0..n)}. */
  abstract void copyUpper(int record, int i, int[] out, int n);

  /** The entry point as {@code (level << 32) | node}, or -1 when the graph is empty. */
  abstract long entry();

  abstract void setEntry(long entry);

  /** Slots ever given a node record (the high-water mark the graph spans). */
  abstract int nodeCount();

  abstract void setNodeCount(int count);

  abstract long heapBytes();

  abstract long mappedBytes();

  @Override
  public abstract void close();

  // ---- layout ----

  int upperUsed() {
    return upperUsed;
  }

  /** Records the upper high-water mark (persisted by the mapped store). */
  void upperUsedChanged(int used) {
    // the heap store keeps it in the field only
  }

  int maxDegree(int level) {
    return level == 0 ? m0 : m;
  }

  /** The node word: level, {@link #DELETED} bit; {@link #NO_LEVEL} when not in the graph. */
  final int word(int node) {
    return nodeInt(node, m0 + 1);
  }

  static int levelOf(int word) {
    return word < 0 ? NO_LEVEL : word & LEVEL_MASK;
  }

  static boolean isDeleted(int word) {
    return word >= 0 && (word & DELETED) != 0;
  }

  /**
   * Puts {@code node} in the graph at {@code level} with empty lists (collection write lock held).
   */
  final void initNode(int node, int level) {
    int start = level == 0 ? -1 : allocateUpper(level);
    setNodeInt(node, 0, 0);
    for (int l = 1; l <= level; l++) {
      setUpperInt(start + l - 1, 0, 0);
    }
    setNodeInt(node, m0 + 2, start);
    setNodeInt(node, m0 + 1, level);
    if (node >= nodeCount()) {
      setNodeCount(node + 1);
    }
  }

  /** Marks {@code node} deleted (collection write lock held). */
  final void markDeleted(int node) {
    int w = word(node);
    if (w >= 0) {
      setNodeInt(node, m0 + 1, w | DELETED);
    }
  }

  /** Takes {@code node} out of the graph and frees its upper records (write lock held). */
  final void releaseNode(int node) {
    int w = word(node);
    if (w < 0) {
      return;
    }
    int level = levelOf(w);
    setNodeInt(node, 0, 0);
    setNodeInt(node, m0 + 1, NO_LEVEL);
    if (level > 0) {
      freeUpper(nodeInt(node, m0 + 2), level);
    }
    setNodeInt(node, m0 + 2, -1);
  }

  private int allocateUpper(int levels) {
    int n = freeUpperCount[levels];
    if (n > 0) {
      freeUpperCount[levels] = n - 1;
      return freeUpper[levels][n - 1];
    }
    int start = upperUsed;
    ensureUpperRecords(start + levels);
    upperUsed = start + levels;
    upperUsedChanged(upperUsed);
    return start;
  }

  private void freeUpper(int start, int levels) {
    int[] stack = freeUpper[levels];
    int n = freeUpperCount[levels];
    if (stack == null) {
      stack = new int[8];
    } else if (n == stack.length) {
      stack = Arrays.copyOf(stack, n * 2);
    }
    stack[n] = start;
    freeUpper[levels] = stack;
    freeUpperCount[levels] = n + 1;
  }

  /** Heap bytes of the free lists of upper runs. */
  final long freeListBytes() {
    long b = 16L + 8L * freeUpper.length;
    for (int[] s : freeUpper) {
      b += s == null ? 0 : 16L + 4L * s.length;
    }
    return b;
  }

  /**
   * Copies the list of {@code node} at {@code level} into {@code out} and returns its length; 0
   * when the node is not in the graph at that level. A concurrent writer may make the copy
   * inconsistent: the caller validates it (see {@link HnswGraph}). Never reads past the record,
   * whatever it holds.
   */
  final int readList(int node, int level, int[] out) {
    int w = word(node);
    if (w < 0 || levelOf(w) < level) {
      return 0;
    }
    if (level == 0) {
      int n = clamp(nodeInt(node, 0), m0);
      copyNode(node, 1, out, n);
      return n;
    }
    int record = nodeInt(node, m0 + 2) + level - 1;
    if (record < 0 || record >= upperCapacity()) {
      return 0;
    }
    int n = clamp(upperInt(record, 0), m);
    copyUpper(record, 1, out, n);
    return n;
  }

  /** Replaces the list of {@code node} at {@code level} by {@code ids[0..n)}. */
  final void writeList(int node, int level, int[] ids, int n) {
    if (level == 0) {
      for (int i = 0; i < n; i++) {
        setNodeInt(node, 1 + i, ids[i]);
      }
      setNodeInt(node, 0, n);
      return;
    }
    int record = nodeInt(node, m0 + 2) + level - 1;
    for (int i = 0; i < n; i++) {
      setUpperInt(record, 1 + i, ids[i]);
    }
    setUpperInt(record, 0, n);
  }

  private static int clamp(int n, int max) {
    return n < 0 ? 0 : Math.min(n, max);
  }
}
