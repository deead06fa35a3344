package dev.vectorcache.inmemory;

import dev.vectorcache.core.model.HnswConfig;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The HNSW index of one collection's vector: when the graph exists, which points wait to be linked,
 * which deleted points wait for repair. It is what {@link MemCollection} talks to; the graph
 * algorithm is {@link HnswGraph}.
 *
 * <p><b>Life of a write.</b> (1) Under the collection's write lock the writer stores the points and
 * calls {@link #commit}: the new slots get their levels and become a pending {@link Batch}, which
 * every search scans exactly, so a search sees the whole batch at once. (2) Without the collection
 * lock, holding only this index's linking lock, {@link #link} inserts the batch into the graph, on
 * up to {@code max_indexing_threads} threads, while searches go on; each linked slot leaves the
 * pending scan. (3) When deleted points pass a tenth of the graph, {@link #link} also repairs the
 * graph and returns the slots it freed, which the writer releases under the write lock.
 *
 * <p><b>When the graph exists.</b> Like Qdrant, which builds no index for a small segment, the
 * graph is built once the collection first holds {@code full_scan_threshold} points (in vectors);
 * below that every search scans anyway. The first build links every point on the configured
 * threads.
 *
 * <p>Lock order: the linking lock, then the collection's lock. Linking never takes the collection
 * lock; it reads vectors through storages whose arrays are published safely (see {@link
 * HeapVectorStorage}).
 */
final class HnswIndex implements AutoCloseable {
  /** A repair runs when deleted points reach this share of the graph's points. */
  static final double REPAIR_SHARE = 0.1;

  private final HnswConfig config;
  private final long thresholdVectors;
  private final int threads;
  private final Supplier<GraphStore> storeFactory;
  private final SplittableRandom levels;
  private final ReentrantLock linking = new ReentrantLock();
  private final List<Batch> pending = new CopyOnWriteArrayList<>();
  private volatile @Nullable HnswGraph graph; // null until the threshold is first reached
  private volatile boolean closed;
  private int[] zombies = new int[16]; // deleted slots still in the graph (write lock)
  private int zombieCount;
  private int graphPoints; // slots in the graph and not deleted (write lock)
  private boolean repairScheduled; // a snapshot of tombstones is out (write lock)
  private boolean imageInstalled;
  private boolean awaitingImage; // a restore will install a graph image: commit builds nothing

  /**
   * @param storeFactory makes the graph's store on first use (the mapped one creates its files)
   * @param seed seeds the level draws, so a single-threaded build is reproducible
   */
  HnswIndex(HnswConfig config, int dimension, Supplier<GraphStore> storeFactory, long seed) {
    this.config = config;
    this.thresholdVectors = config.fullScanThresholdVectors(dimension);
    this.threads = IndexingPool.threads(config.maxIndexingThreads());
    this.storeFactory = storeFactory;
    this.levels = new SplittableRandom(seed);
  }

  /** Points waiting to be linked, scanned exactly by searches meanwhile. */
  static final class Batch {
    final int[] slots;
    final int size;
    final byte[] linked;

    Batch(int[] slots, int size) {
      this.slots = slots;
      this.size = size;
      this.linked = new byte[size];
    }
  }

  /** The full-scan threshold in vectors. */
  long thresholdVectors() {
    return thresholdVectors;
  }

  boolean isClosed() {
    return closed;
  }

  /** Whether the graph exists (the collection once reached the threshold). */
  boolean active() {
    return graph != null;
  }

  @Nullable HnswGraph graph() {
    return graph;
  }

  int threads() {
    return threads;
  }

  int zombieCount() {
    return zombieCount;
  }

  /** Makes the graph address slots {@code [0, slots)} (write lock held). */
  void ensureCapacity(int slots) {
    if (graph != null) {
      graph.store().ensureNodes(slots);
    }
  }

  /**
   * After a write batch (write lock held): puts the new slots in the graph, or builds the graph
   * over every live slot when the collection has just reached the threshold; returns the batch to
   * {@link #link}, or null when there is nothing to link.
   *
   * @param added the slots this write filled, {@code [0, addedCount)}
   * @param live the live points now
   * @param isLive whether a slot below {@code slotLimit} holds a live point
   */
  @Nullable Batch commit(
      int[] added, int addedCount, int live, int slotLimit, IntPredicate isLive) {
    if (closed || config.m() == 0 || awaitingImage) {
      return null;
    }
    int[] slots;
    int n;
    if (graph == null) {
      if (live < Math.max(1, thresholdVectors)) {
        return null;
      }
      GraphStore store = storeFactory.get();
      store.ensureNodes(slotLimit);
      graph = new HnswGraph(store, config.efConstruct());
      slots = new int[live];
      n = 0;
      for (int s = 0; s < slotLimit && n < live; s++) {
        if (isLive.test(s)) {
          slots[n++] = s;
        }
      }
    } else {
      slots = Arrays.copyOf(added, addedCount);
      n = addedCount;
    }
    if (n == 0) {
      return null;
    }
    HnswGraph g = graph;
    for (int i = 0; i < n; i++) {
      g.initNode(slots[i], g.levelFor(1.0 - levels.nextDouble()));
    }
    graphPoints += n;
    Batch b = new Batch(slots, n);
    pending.add(b);
    return b;
  }

  /**
   * A point left (deleted, or replaced by an upsert), write lock held: true when its slot stays in
   * the graph as a tombstone until a repair frees it, false when the caller may free it now.
   */
  boolean retire(int slot) {
    HnswGraph g = graph;
    if (g == null || !g.inGraph(slot)) {
      return false;
    }
    g.markDeleted(slot);
    if (zombieCount == zombies.length) {
      zombies = Arrays.copyOf(zombies, zombieCount * 2);
    }
    zombies[zombieCount++] = slot;
    graphPoints--;
    return true;
  }

  /**
   * After a write (write lock held): when deleted points have reached a tenth of the graph's points
   * and no repair is under way, the tombstones a repair should free, else null.
   */
  int @Nullable [] scheduleRepair() {
    if (graph == null
        || repairScheduled
        || zombieCount == 0
        || zombieCount < REPAIR_SHARE * (graphPoints + zombieCount)) {
      return null;
    }
    repairScheduled = true;
    return Arrays.copyOf(zombies, zombieCount);
  }

  /**
   * Without the collection lock: links every pending batch (this writer's and any other one still
   * waiting), then, given the tombstones of {@link #scheduleRepair}, repairs the graph. When it
   * returns, every batch committed before the call is linked. The caller must then {@link #release}
   * {@code repair} (if given) under the write lock.
   */
  void link(NodeDistance.Source vectors, int @Nullable [] repair) {
    linking.lock();
    try {
      HnswGraph g = graph;
      for (Batch b : List.copyOf(pending)) {
        if (g != null && !closed) {
          IndexingPool.forEach(
              threads,
              b.size,
              i -> {
                if (b.linked[i] == 0 && !closed) {
                  g.insert(b.slots[i], vectors);
                }
                b.linked[i] = 1;
              });
        }
        pending.remove(b);
      }
      if (repair != null && g != null && !closed) {
        g.repair(vectors, threads);
      }
    } finally {
      linking.unlock();
    }
  }

  /**
   * Takes the repaired slots out of the graph (write lock held, after {@link #link}); they are the
   * first {@code freed.length} tombstones, since later ones were appended after the snapshot.
   */
  void release(int[] freed) {
    repairScheduled = false;
    HnswGraph g = graph;
    if (g == null || freed.length == 0) {
      return;
    }
    for (int s : freed) {
      g.releaseNode(s);
    }
    System.arraycopy(zombies, freed.length, zombies, 0, zombieCount - freed.length);
    zombieCount -= freed.length;
  }

  /**
   * Offers each slot of a pending batch that is not linked yet and that {@code accept} admits to
   * {@code s.results}, marking it visited so the graph search does not offer it again.
   */
  void scanPending(NodeDistance dq, IntPredicate accept, HnswGraph.Scratch s) {
    for (Batch b : pending) {
      for (int i = 0; i < b.size; i++) {
        if (b.linked[i] == 0) {
          int slot = b.slots[i];
          if (s.visited.visit(slot) && accept.test(slot)) {
            s.results.push(dq.distance(slot), slot);
          }
        }
      }
    }
  }

  /** Slots waiting to be linked, for tests. */
  int pendingSlots() {
    int n = 0;
    for (Batch b : pending) {
      for (int i = 0; i < b.size; i++) {
        n += b.linked[i] == 0 ? 1 : 0;
      }
    }
    return n;
  }

  // ---- graph images (snapshots and checkpoints) ----

  /** "VCHG": the first four bytes of a graph section. */
  static final int IMAGE_MAGIC = 0x56434847;

  /**
   * Whether the graph can be written as a snapshot's graph section: it exists, and once every
   * pending batch is linked (here), every live slot ({@code ordinal[slot] >= 0}) is a node of it.
   * The caller holds the collection's read lock from here to the end of {@link #writeImage}, so no
   * write commits or releases anything meanwhile.
   */
  boolean imageReady(int[] ordinal, NodeDistance.Source vectors) {
    if (graph == null || closed) {
      return false;
    }
    link(vectors, null);
    HnswGraph g = graph;
    if (g == null || closed) {
      return false;
    }
    GraphStore st = g.store();
    for (int s = 0; s < ordinal.length; s++) {
      if (ordinal[s] >= 0) {
        int w = s < st.nodeCapacity() ? st.word(s) : GraphStore.NO_LEVEL;
        if (w < 0 || GraphStore.isDeleted(w)) {
          return false; // never after link: the restore rebuilds instead
        }
      }
    }
    return true;
  }

  /**
   * Writes the graph as a snapshot's graph section (layout: {@code docs/snapshots.md}), node ids
   * renumbered to {@code ordinal[slot]}, the position of the slot's point in the points section (-1
   * for a slot without a live point). Tombstones are left out, and so is every link to one. Call
   * after {@link #imageReady} said yes, under the same read lock; the linking lock is held while
   * the graph is read, so a repair does not change it meanwhile.
   *
   * @param live the number of live points, the length of the points section
   */
  void writeImage(DataOutputStream out, int[] ordinal, int live) throws IOException {
    linking.lock();
    try {
      GraphStore st = Objects.requireNonNull(graph, "graph").store();
      int[] slotOf = new int[live];
      int entry = -1;
      int entryLevel = -1;
      for (int s = 0; s < ordinal.length; s++) {
        int o = ordinal[s];
        if (o >= 0) {
          slotOf[o] = s;
          int level = GraphStore.levelOf(st.word(s));
          if (level > entryLevel) {
            entryLevel = level;
            entry = o;
          }
        }
      }
      long e = st.entry();
      int es = (int) e;
      if (e >= 0 && es < ordinal.length && ordinal[es] >= 0) {
        entry = ordinal[es]; // the graph's own entry point, unless it is a tombstone
        entryLevel = (int) (e >>> 32);
      }
      out.writeInt(IMAGE_MAGIC);
      out.writeInt(st.m);
      out.writeInt(live);
      out.writeInt(entry);
      out.writeInt(entryLevel);
      int[] list = new int[st.m0 + 1];
      for (int o = 0; o < live; o++) {
        int s = slotOf[o];
        int level = GraphStore.levelOf(st.word(s));
        out.writeByte(level);
        for (int l = 0; l <= level; l++) {
          int n = st.readList(s, l, list);
          int kept = 0;
          for (int i = 0; i < n; i++) {
            int x = list[i];
            if (x >= 0 && x < ordinal.length && ordinal[x] >= 0) {
              list[kept++] = ordinal[x];
            }
          }
          out.writeShort(kept);
          EngineSnapshots.writeInts(out, list, kept);
        }
      }
    } finally {
      linking.unlock();
    }
  }

  /**
   * A restore will {@link #installImage install a graph image} once its points are in: until then
   * writes build and link nothing (collection write lock held, on a collection no one sees yet).
   */
  void awaitImage() {
    awaitingImage = true;
  }

  /**
   * Installs a graph section written by {@link #writeImage} as this index's graph, node {@code o}
   * becoming slot {@code o}: the caller loaded the points section into slots {@code [0, live)} in
   * its order (collection write lock held, on a collection no one sees yet, with no graph).
   * Everything read is checked before use; a section that does not fit is refused with an {@link
   * IllegalArgumentException} and leaves no graph.
   */
  void installImage(DataInputStream in, int live) throws IOException {
    awaitingImage = false;
    if (graph != null) {
      throw new IllegalStateException("the collection has a graph already");
    }
    if (in.readInt() != IMAGE_MAGIC) {
      throw new IllegalArgumentException("not a graph section");
    }
    int m = in.readInt();
    if (m != config.m()) {
      throw new IllegalArgumentException(
          "the graph's m is " + m + ", the collection's " + config.m());
    }
    int nodes = in.readInt();
    if (nodes != live) {
      throw new IllegalArgumentException(
          "the graph has " + nodes + " nodes, the points section " + live + " points");
    }
    int entry = in.readInt();
    int entryLevel = in.readInt();
    if (nodes > 0 && (entry < 0 || entry >= nodes)) {
      throw new IllegalArgumentException("the graph's entry point " + entry + " is not a node");
    }
    GraphStore store = storeFactory.get();
    HnswGraph g = new HnswGraph(store, config.efConstruct());
    boolean done = false;
    try {
      store.ensureNodes(Math.max(1, nodes));
      int[] list = new int[store.m0];
      int topLevel = -1;
      for (int o = 0; o < nodes; o++) {
        int level = in.readByte();
        if (level < 0 || level >= GraphStore.MAX_LEVEL) {
          throw new IllegalArgumentException("node " + o + " has the level " + level);
        }
        store.initNode(o, level);
        topLevel = o == entry ? level : topLevel;
        for (int l = 0; l <= level; l++) {
          int n = in.readUnsignedShort();
          if (n > store.maxDegree(l)) {
            throw new IllegalArgumentException(
                "node " + o + " has " + n + " neighbours at level " + l);
          }
          EngineSnapshots.readInts(in, list, n);
          for (int i = 0; i < n; i++) {
            int x = list[i];
            if (x < 0 || x >= nodes || x == o) {
              throw new IllegalArgumentException("node " + o + " links to " + x);
            }
          }
          store.writeList(o, l, list, n);
        }
      }
      if (nodes > 0) {
        if (entryLevel != topLevel) {
          throw new IllegalArgumentException(
              "the entry point's level is " + topLevel + ", the section says " + entryLevel);
        }
        store.setEntry(((long) entryLevel << 32) | entry);
      }
      graphPoints = nodes;
      graph = g;
      imageInstalled = true;
      done = true;
    } finally {
      if (!done) {
        g.close();
      }
    }
  }

  /** Whether the graph came from a snapshot's graph section rather than a build, for tests. */
  boolean imageInstalled() {
    return imageInstalled;
  }

  long heapBytes() {
    HnswGraph g = graph;
    return 96 + 16L + 4L * zombies.length + (g == null ? 0 : g.heapBytes());
  }

  long mappedBytes() {
    HnswGraph g = graph;
    return g == null ? 0 : g.mappedBytes();
  }

  /**
   * Stops linking, waits for a running link to finish, and drops the graph (deleting its files).
   */
  @Override
  public void close() {
    closed = true;
    linking.lock();
    try {
      HnswGraph g = graph;
      if (g != null) {
        g.close();
      }
      graph = null;
      pending.clear();
    } finally {
      linking.unlock();
    }
  }
}
