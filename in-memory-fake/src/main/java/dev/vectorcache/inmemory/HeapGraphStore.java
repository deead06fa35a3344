package dev.vectorcache.inmemory;

/**
 * A {@link GraphStore} on the heap: node records and upper records in pages of {@code int[]}. A
 * page never moves once allocated; growth copies only the page table (a few references), published
 * through a volatile field, so a reader or a writer racing with a growth always reaches the live
 * page. Pages of 1,024 nodes (143 KB at m = 16) keep the unused tail small.
 */
final class HeapGraphStore extends GraphStore {
  private static final int NODE_SHIFT = 10;
  private static final int UPPER_SHIFT = 10;

  private volatile int[][] nodePages = new int[0][];
  private volatile int[][] upperPages = new int[0][];
  private volatile long entry = -1;
  private int nodeCount;

  HeapGraphStore(int m) {
    super(m, 0);
  }

  @Override
  int nodeCapacity() {
    return nodePages.length << NODE_SHIFT;
  }

  @Override
  void ensureNodes(int nodes) {
    int[][] pages = nodePages;
    int needed = (nodes + (1 << NODE_SHIFT) - 1) >>> NODE_SHIFT;
    if (needed <= pages.length) {
      return;
    }
    int[][] grown = java.util.Arrays.copyOf(pages, Math.max(needed, Growth.next(pages.length)));
    for (int p = pages.length; p < grown.length; p++) {
      int[] page = new int[nodeInts << NODE_SHIFT];
      for (int n = 0; n < 1 << NODE_SHIFT; n++) {
        page[n * nodeInts + m0 + 1] = NO_LEVEL;
        page[n * nodeInts + m0 + 2] = -1;
      }
      grown[p] = page;
    }
    nodePages = grown;
  }

  @Override
  void ensureUpperRecords(int records) {
    int[][] pages = upperPages;
    int needed = (records + (1 << UPPER_SHIFT) - 1) >>> UPPER_SHIFT;
    if (needed <= pages.length) {
      return;
    }
    int[][] grown = java.util.Arrays.copyOf(pages, Math.max(needed, Growth.next(pages.length)));
    for (int p = pages.length; p < grown.length; p++) {
      grown[p] = new int[upperInts << UPPER_SHIFT];
    }
    upperPages = grown;
  }

  @Override
  int upperCapacity() {
    return upperPages.length << UPPER_SHIFT;
  }

  @Override
  int nodeInt(int node, int i) {
    return nodePages[node >>> NODE_SHIFT][(node & ((1 << NODE_SHIFT) - 1)) * nodeInts + i];
  }

  @Override
  void setNodeInt(int node, int i, int value) {
    nodePages[node >>> NODE_SHIFT][(node & ((1 << NODE_SHIFT) - 1)) * nodeInts + i] = value;
  }

  @Override
  int upperInt(int record, int i) {
    return upperPages[record >>> UPPER_SHIFT][(record & ((1 << UPPER_SHIFT) - 1)) * upperInts + i];
  }

  @Override
  void setUpperInt(int record, int i, int value) {
    upperPages[record >>> UPPER_SHIFT][(record & ((1 << UPPER_SHIFT) - 1)) * upperInts + i] = value;
  }

  @Override
  void copyNode(int node, int i, int[] out, int n) {
    System.arraycopy(
        nodePages[node >>> NODE_SHIFT], (node & ((1 << NODE_SHIFT) - 1)) * nodeInts + i, out, 0, n);
  }

  @Override
  void copyUpper(int record, int i, int[] out, int n) {
    System.arraycopy(
        upperPages[record >>> UPPER_SHIFT],
        (record & ((1 << UPPER_SHIFT) - 1)) * upperInts + i,
        out,
        0,
        n);
  }

  @Override
  long entry() {
    return entry;
  }

  @Override
  void setEntry(long entry) {
    this.entry = entry;
  }

  @Override
  int nodeCount() {
    return nodeCount;
  }

  @Override
  void setNodeCount(int count) {
    nodeCount = count;
  }

  @Override
  long heapBytes() {
    int[][] n = nodePages;
    int[][] u = upperPages;
    long bytes = 64 + 16L + 8L * n.length + 16L + 8L * u.length + freeListBytes();
    for (int[] p : n) {
      bytes += p == null ? 0 : 16L + 4L * p.length;
    }
    for (int[] p : u) {
      bytes += p == null ? 0 : 16L + 4L * p.length;
    }
    return bytes;
  }

  @Override
  long mappedBytes() {
    return 0;
  }

  @Override
  public void close() {
    nodePages = new int[0][];
    upperPages = new int[0][];
    entry = -1;
  }
}
