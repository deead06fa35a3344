package dev.vectorcache.inmemory;

import dev.vectorcache.core.model.HnswConfig;
import java.util.Arrays;
import java.util.List;
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
    if (closed || config.m() == 0) {
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
   * waiting), then, given the tombstones of {@link #scheduleRepair}, repairs the graph. Returns
   * when {@code mine} is linked. The caller must then {@link #release} {@code repair} (if given)
   * under the write lock.
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
