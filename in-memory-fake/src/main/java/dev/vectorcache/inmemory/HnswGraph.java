package dev.vectorcache.inmemory;

import java.util.Arrays;
import java.util.concurrent.locks.StampedLock;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * A hierarchical navigable small-world graph (Malkov and Yashunin) over the slots of a collection,
 * stored in a {@link GraphStore}. Node = slot; level-0 lists hold up to {@code 2m} neighbours,
 * upper lists {@code m}. A new node's neighbours are chosen with the diversity heuristic (a
 * candidate, closest first, is kept only when it is closer to the node than to every neighbour kept
 * before it) among the {@code ef_construct} closest found. Each chosen neighbour links back; a full
 * list then drops one neighbour, checking diversity against the newcomer only (as Lucene does),
 * which costs about {@code 4m} distances where re-running the heuristic costs up to {@code 2m²}.
 *
 * <p><b>Threads.</b> Links are added by several threads at once, while searches run. Each list is
 * guarded by one of {@value #STRIPES} striped {@link StampedLock}s (by node): a writer holds the
 * write lock for the whole read-modify-write of a list; a reader copies the list under an
 * optimistic stamp and validates it, falling back to the read lock, so a search never sees a torn
 * list and rarely waits. The entry point changes under a monitor. Deleted nodes stay in the graph
 * as tombstones (they route searches but are never results or new neighbours) until {@link #repair}
 * reconnects their neighbours.
 */
final class HnswGraph implements AutoCloseable {
  static final int STRIPES = 512;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private final GraphStore store;
  private final int efConstruct;
  private final double levelFactor;
  private final StampedLock[] locks = new StampedLock[STRIPES];
  private final Object entryLock = new Object();

  HnswGraph(GraphStore store, int efConstruct) {
    this.store = store;
    this.efConstruct = efConstruct;
    this.levelFactor = store.m > 1 ? 1.0 / Math.log(store.m) : 0.0;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new StampedLock();
    }
  }

  /** Buffers one thread reuses across searches and inserts. */
  static final class Scratch {
    final VisitedSet visited = new VisitedSet();
    final NodeQueue candidates = NodeQueue.closestFirst();
    final NodeQueue results = NodeQueue.keepClosest(16);
    int[] list = new int[0];
    int[] link = new int[0];
    float[] linkDist = new float[0];
    int[] linkOut = new int[0];
    float[] linkOutDist = new float[0];
    NodeDistance[] from = new NodeDistance[0];

    void fit(int m0, int ef) {
      if (list.length < m0 + 1) {
        list = new int[m0 + 1];
      }
      int n = Math.max(ef, m0 + 1);
      if (link.length < n) {
        link = new int[n];
        linkDist = new float[n];
        linkOut = new int[n];
        linkOutDist = new float[n];
        from = new NodeDistance[n];
      }
    }
  }

  /** This thread's buffers, sized for this graph and a search breadth of {@code ef}. */
  Scratch scratch(int ef) {
    Scratch s = SCRATCH.get();
    s.fit(store.m0, Math.max(ef, efConstruct));
    return s;
  }

  GraphStore store() {
    return store;
  }

  int efConstruct() {
    return efConstruct;
  }

  /** A level drawn from {@code u} in (0, 1]: {@code floor(-ln(u) / ln(m))}, as in the paper. */
  int levelFor(double u) {
    int level = (int) Math.floor(-Math.log(Math.max(u, Double.MIN_NORMAL)) * levelFactor);
    return Math.min(level, GraphStore.MAX_LEVEL - 1);
  }

  private StampedLock lock(int node) {
    return locks[node & (STRIPES - 1)];
  }

  // ---- node lifecycle (collection write lock held) ----

  void initNode(int node, int level) {
    StampedLock l = lock(node);
    long stamp = l.writeLock();
    try {
      store.initNode(node, level);
    } finally {
      l.unlockWrite(stamp);
    }
  }

  void markDeleted(int node) {
    StampedLock l = lock(node);
    long stamp = l.writeLock();
    try {
      store.markDeleted(node);
    } finally {
      l.unlockWrite(stamp);
    }
  }

  void releaseNode(int node) {
    StampedLock l = lock(node);
    long stamp = l.writeLock();
    try {
      store.releaseNode(node);
    } finally {
      l.unlockWrite(stamp);
    }
  }

  boolean inGraph(int node) {
    return store.word(node) >= 0;
  }

  boolean isDeleted(int node) {
    return GraphStore.isDeleted(store.word(node));
  }

  // ---- reading lists ----

  /** A consistent copy of the list of {@code node} at {@code level}; returns its length. */
  int read(int node, int level, int[] out) {
    StampedLock l = lock(node);
    long stamp = l.tryOptimisticRead();
    if (stamp != 0) {
      int n = store.readList(node, level, out);
      if (l.validate(stamp)) {
        return n;
      }
    }
    stamp = l.readLock();
    try {
      return store.readList(node, level, out);
    } finally {
      l.unlockRead(stamp);
    }
  }

  // ---- search ----

  /**
   * Searches level 0 for the {@code ef} closest nodes that {@code accept} admits (all when null),
   * after a greedy descent through the upper levels. Results go to {@code s.results} (not reset
   * here: the caller may have offered nodes already, marking them visited in {@code s.visited},
   * which the caller began). Returns the nodes visited, or -1 when more than {@code budget} were
   * visited before the search converged (the caller then scans exactly).
   */
  int search(NodeDistance dq, int ef, @Nullable IntPredicate accept, int budget, Scratch s) {
    long e = store.entry();
    if (e < 0) {
      return 0;
    }
    int ep = (int) e;
    float epDist = dq.distance(ep);
    for (int level = (int) (e >>> 32); level > 0; level--) {
      long best = greedy(dq, ep, epDist, level, s.list);
      ep = (int) best;
      epDist = Float.intBitsToFloat((int) (best >>> 32));
    }
    return searchLayer(dq, ep, epDist, 0, accept, budget, s);
  }

  /**
   * Greedy walk at {@code level}: returns {@code (distanceBits << 32) | node} of the local best.
   */
  private long greedy(NodeDistance dq, int ep, float epDist, int level, int[] buf) {
    boolean moved = true;
    while (moved) {
      moved = false;
      int n = read(ep, level, buf);
      for (int i = 0; i < n; i++) {
        int c = buf[i];
        float d = dq.distance(c);
        if (d < epDist) {
          epDist = d;
          ep = c;
          moved = true;
        }
      }
    }
    return ((long) Float.floatToRawIntBits(epDist) << 32) | (ep & 0xFFFFFFFFL);
  }

  /** Best-first search of one level into {@code s.results}; see {@link #search}. */
  private int searchLayer(
      NodeDistance dq,
      int ep,
      float epDist,
      int level,
      @Nullable IntPredicate accept,
      int budget,
      Scratch s) {
    NodeQueue candidates = s.candidates;
    NodeQueue results = s.results;
    VisitedSet visited = s.visited;
    int[] buf = s.list;
    candidates.reset(0);
    boolean fresh = visited.visit(ep);
    candidates.push(epDist, ep);
    if (fresh && (accept == null || accept.test(ep))) {
      results.push(epDist, ep);
    }
    int count = 1;
    while (!candidates.isEmpty()) {
      float d = candidates.topDistance();
      if (results.isFull() && d > results.topDistance()) {
        break;
      }
      int c = candidates.topNode();
      candidates.pop();
      int n = read(c, level, buf);
      for (int i = 0; i < n; i++) {
        int x = buf[i];
        if (!visited.visit(x)) {
          continue;
        }
        count++;
        float dx = dq.distance(x);
        if (!results.isFull() || dx < results.topDistance()) {
          candidates.push(dx, x);
          if (accept == null || accept.test(x)) {
            results.push(dx, x);
          }
        }
      }
      if (count > budget) {
        return -1;
      }
    }
    return count;
  }

  // ---- insert ----

  /**
   * Links {@code node} (already given its level by {@link #initNode}) into the graph, reading
   * vectors through {@code vectors}. Safe to call from several threads at once.
   */
  void insert(int node, NodeDistance.Source vectors) {
    int word = store.word(node);
    if (word < 0 || GraphStore.isDeleted(word)) {
      return; // released or deleted before it was linked
    }
    int level = GraphStore.levelOf(word);
    long e;
    synchronized (entryLock) {
      e = store.entry();
      if (e < 0) {
        store.setEntry(((long) level << 32) | node);
        return;
      }
    }
    Scratch s = scratch(efConstruct);
    NodeDistance dq = vectors.from(node);
    int ep = (int) e;
    int top = (int) (e >>> 32);
    float epDist = dq.distance(ep);
    for (int l = top; l > level; l--) {
      long best = greedy(dq, ep, epDist, l, s.list);
      ep = (int) best;
      epDist = Float.intBitsToFloat((int) (best >>> 32));
    }
    // search top-down, then publish bottom-up: when the node becomes reachable at a level (a
    // neighbour links back), its lists on every lower level are complete, so a search descending
    // through it never lands on an empty list
    int levels = Math.min(level, top) + 1;
    int[][] chosen = new int[levels][];
    float[][] chosenDist = new float[levels][];
    int[] count = new int[levels];
    int[] found = new int[efConstruct];
    float[] foundDist = new float[efConstruct];
    IntPredicate linkable = x -> x != node && !isDeleted(x);
    for (int l = levels - 1; l >= 0; l--) {
      s.visited.begin(store.nodeCapacity());
      s.results.reset(efConstruct);
      searchLayer(dq, ep, epDist, l, linkable, Integer.MAX_VALUE, s);
      int n = s.results.drainAscending(found, foundDist);
      chosen[l] = new int[store.maxDegree(l)];
      chosenDist[l] = new float[store.maxDegree(l)];
      count[l] =
          select(found, foundDist, n, store.maxDegree(l), vectors, chosen[l], chosenDist[l], s);
      if (n > 0) {
        ep = found[0];
        epDist = foundDist[0];
      }
    }
    for (int l = 0; l < levels; l++) {
      writeList(node, l, chosen[l], count[l]);
      for (int i = 0; i < count[l]; i++) {
        addLink(chosen[l][i], node, chosenDist[l][i], l, vectors, s);
      }
    }
    if (level > top) {
      synchronized (entryLock) {
        long cur = store.entry();
        if (cur < 0 || level > (int) (cur >>> 32)) {
          store.setEntry(((long) level << 32) | node);
        }
      }
    }
  }

  private void writeList(int node, int level, int[] ids, int n) {
    StampedLock l = lock(node);
    long stamp = l.writeLock();
    try {
      store.writeList(node, level, ids, n);
    } finally {
      l.unlockWrite(stamp);
    }
  }

  /**
   * The diversity heuristic: walks {@code cand} (ascending distance to the node) and keeps a
   * candidate when no kept neighbour is closer to it than the node is; at most {@code max}.
   */
  private static int select(
      int[] cand,
      float[] dist,
      int n,
      int max,
      NodeDistance.Source vectors,
      int[] out,
      float[] outDist,
      Scratch s) {
    NodeDistance[] from = s.from;
    int k = 0;
    for (int i = 0; i < n && k < max; i++) {
      int c = cand[i];
      float dc = dist[i];
      boolean keep = true;
      for (int j = 0; j < k; j++) {
        if (from[j].distance(c) < dc) {
          keep = false;
          break;
        }
      }
      if (keep) {
        out[k] = c;
        outDist[k] = dc;
        from[k] = vectors.from(c);
        k++;
      }
    }
    Arrays.fill(from, 0, k, null);
    return k;
  }

  /** Adds {@code node} to the list of {@code target}, pruning it with the heuristic when full. */
  private void addLink(
      int target, int node, float dist, int level, NodeDistance.Source vectors, Scratch s) {
    StampedLock l = lock(target);
    long stamp = l.writeLock();
    try {
      int[] ids = s.link;
      int n = store.readList(target, level, ids);
      for (int i = 0; i < n; i++) {
        if (ids[i] == node) {
          return;
        }
      }
      int max = store.maxDegree(level);
      if (n < max) {
        ids[n] = node;
        store.writeList(target, level, ids, n + 1);
        return;
      }
      if (replaceOne(node, dist, ids, n, vectors.from(target), vectors, s)) {
        store.writeList(target, level, ids, n);
      }
    } finally {
      l.unlockWrite(stamp);
    }
  }

  /**
   * Makes room for {@code node} (at distance {@code dist}) in the full list {@code ids[0..n)} of a
   * target whose distances {@code ft} gives, checking diversity against the newcomer only (the list
   * was diverse before): a deleted neighbour goes first; else the newcomer is dropped when a closer
   * neighbour is closer to it than the target is; else the farthest neighbour the newcomer shadows
   * goes; else the farthest of all. About {@code 2n} distances, where re-running the heuristic
   * costs up to {@code n²/2}. Returns whether the list changed.
   */
  private boolean replaceOne(
      int node,
      float dist,
      int[] ids,
      int n,
      NodeDistance ft,
      NodeDistance.Source vectors,
      Scratch s) {
    for (int i = 0; i < n; i++) {
      if (isDeleted(ids[i])) {
        ids[i] = node;
        return true;
      }
    }
    float[] d = s.linkDist;
    for (int i = 0; i < n; i++) {
      d[i] = ft.distance(ids[i]);
    }
    NodeDistance fq = vectors.from(node);
    int farthest = 0;
    int shadowed = -1;
    for (int i = 0; i < n; i++) {
      if (d[i] > d[farthest] || (d[i] == d[farthest] && ids[i] > ids[farthest])) {
        farthest = i;
      }
      float dq = fq.distance(ids[i]);
      if (d[i] < dist) {
        if (dq < dist) {
          return false; // a closer neighbour shadows the newcomer
        }
      } else if (dq < d[i] && (shadowed < 0 || d[i] > d[shadowed])) {
        shadowed = i;
      }
    }
    if (shadowed < 0 && (dist > d[farthest] || (dist == d[farthest] && node > ids[farthest]))) {
      return false; // the newcomer is the farthest
    }
    ids[shadowed >= 0 ? shadowed : farthest] = node;
    return true;
  }

  /** Sorts {@code ids[0..n)} and {@code d[0..n)} together by (distance, node). */
  static void sortAscending(int[] ids, float[] d, int n) {
    if (n <= 48) {
      for (int i = 1; i < n; i++) {
        int id = ids[i];
        float x = d[i];
        int j = i - 1;
        while (j >= 0 && (d[j] > x || (d[j] == x && ids[j] > id))) {
          ids[j + 1] = ids[j];
          d[j + 1] = d[j];
          j--;
        }
        ids[j + 1] = id;
        d[j + 1] = x;
      }
      return;
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      int bits = Float.floatToIntBits(d[i]);
      bits ^= (bits >> 31) & 0x7FFFFFFF; // order-preserving: negative floats reversed
      keys[i] = ((long) bits << 32) | (ids[i] & 0xFFFFFFFFL);
    }
    Arrays.sort(keys);
    for (int i = 0; i < n; i++) {
      int bits = (int) (keys[i] >> 32);
      bits ^= (bits >> 31) & 0x7FFFFFFF;
      d[i] = Float.intBitsToFloat(bits);
      ids[i] = (int) keys[i];
    }
  }

  // ---- repair ----

  /**
   * Reconnects every live node whose lists hold deleted nodes: its live neighbours plus the live
   * neighbours of its deleted neighbours are the candidates, and the heuristic picks the new list.
   * Then moves the entry point off a deleted node. Runs beside searches; the caller keeps other
   * linking out. Deleted nodes keep their lists until the caller releases them.
   */
  void repair(NodeDistance.Source vectors, int threads) {
    int nodes = store.nodeCount();
    IndexingPool.forEach(threads, nodes, u -> repairNode(u, vectors));
    long e = store.entry();
    if (e >= 0 && isDeleted((int) e)) {
      synchronized (entryLock) {
        store.setEntry(highestLiveNode(nodes));
      }
    }
  }

  private long highestLiveNode(int nodes) {
    long best = -1;
    for (int u = 0; u < nodes; u++) {
      int w = store.word(u);
      if (w >= 0 && !GraphStore.isDeleted(w)) {
        int level = GraphStore.levelOf(w);
        if (best < 0 || level > (int) (best >>> 32)) {
          best = ((long) level << 32) | u;
        }
      }
    }
    return best;
  }

  private void repairNode(int u, NodeDistance.Source vectors) {
    int w = store.word(u);
    if (w < 0 || GraphStore.isDeleted(w)) {
      return;
    }
    Scratch s = scratch(efConstruct);
    for (int level = GraphStore.levelOf(w); level >= 0; level--) {
      int n = read(u, level, s.list);
      boolean stale = false;
      for (int i = 0; i < n && !stale; i++) {
        stale = isDeleted(s.list[i]);
      }
      if (stale) {
        relink(u, level, Arrays.copyOf(s.list, n), vectors, s);
      }
    }
  }

  private void relink(int u, int level, int[] old, NodeDistance.Source vectors, Scratch s) {
    int max = store.maxDegree(level);
    int[] cand = new int[old.length * (max + 1)];
    int c = 0;
    int[] hop = new int[max + 1];
    for (int x : old) {
      if (!isDeleted(x)) {
        c = addUnique(cand, c, x, u);
      } else {
        int n = read(x, level, hop);
        for (int i = 0; i < n; i++) {
          if (!isDeleted(hop[i])) {
            c = addUnique(cand, c, hop[i], u);
          }
        }
      }
    }
    NodeDistance fu = vectors.from(u);
    float[] d = new float[c];
    for (int i = 0; i < c; i++) {
      d[i] = fu.distance(cand[i]);
    }
    sortAscending(cand, d, c);
    int[] out = new int[max];
    int k = select(cand, d, c, max, vectors, out, new float[max], s);
    writeList(u, level, out, k);
  }

  private static int addUnique(int[] a, int n, int x, int self) {
    if (x == self) {
      return n;
    }
    for (int i = 0; i < n; i++) {
      if (a[i] == x) {
        return n;
      }
    }
    a[n] = x;
    return n + 1;
  }

  long heapBytes() {
    return store.heapBytes() + 16L + STRIPES * 40L;
  }

  long mappedBytes() {
    return store.mappedBytes();
  }

  @Override
  public void close() {
    store.close();
  }
}
