package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The graph below the collection: its stores, the file format, repair, and its helpers. */
class HnswGraphTest {
  static final int DIM = 16;
  static final int M = 8;

  @TempDir Path dir;

  /** Normalised Gaussian vectors in a heap storage. */
  static HeapVectorStorage vectors(long seed, int n) {
    HeapVectorStorage st = new HeapVectorStorage(DIM);
    st.ensureCapacity(n);
    Random r = new Random(seed);
    for (int i = 0; i < n; i++) {
      float[] v = new float[DIM];
      double norm = 0;
      for (int d = 0; d < DIM; d++) {
        v[d] = (float) r.nextGaussian();
        norm += v[d] * v[d];
      }
      for (int d = 0; d < DIM; d++) {
        v[d] /= (float) Math.sqrt(norm);
      }
      st.set(i, v);
    }
    return st;
  }

  static NodeDistance.Source source(VectorStorage st) {
    return node -> {
      float[] v = st.get(node);
      return other -> -st.score(Kernels.active(), Metric.DOT, v, other);
    };
  }

  static HnswGraph build(GraphStore store, VectorStorage st, int n) {
    HnswGraph g = new HnswGraph(store, 40);
    store.ensureNodes(n);
    SplittableRandom levels = new SplittableRandom(7);
    for (int i = 0; i < n; i++) {
      g.initNode(i, g.levelFor(1.0 - levels.nextDouble()));
    }
    NodeDistance.Source src = source(st);
    for (int i = 0; i < n; i++) {
      g.insert(i, src);
    }
    return g;
  }

  /** The 10 nodes closest to {@code q} the graph finds, closest first. */
  static int[] search(HnswGraph g, VectorStorage st, float[] q) {
    HnswGraph.Scratch s = g.scratch(40);
    s.visited.begin(g.store().nodeCapacity());
    s.results.reset(40);
    g.search(other -> -st.score(Kernels.active(), Metric.DOT, q, other), 40, null, 1 << 30, s);
    int[] nodes = new int[s.results.size()];
    s.results.drainAscending(nodes, new float[nodes.length]);
    return Arrays.copyOf(nodes, Math.min(10, nodes.length));
  }

  @Test
  void aMappedGraphClosedAndReopenedAnswersExactlyAsBefore() {
    HeapVectorStorage st = vectors(1, 2_000);
    Path file = dir.resolve("g.hnsw");
    MappedGraphStore store = MappedGraphStore.create(file, M, DIM, Metric.DOT);
    HnswGraph g = build(store, st, 2_000);
    HnswGraph onHeap = build(new HeapGraphStore(M), st, 2_000);
    int[][] before = new int[20][];
    for (int i = 0; i < 20; i++) {
      before[i] = search(g, st, st.get(i * 97));
      assertThat(before[i][0]).isEqualTo(i * 97);
      assertThat(search(onHeap, st, st.get(i * 97))).as("same graph on heap").isEqualTo(before[i]);
    }
    long entry = store.entry();
    store.closeKeepingFiles();

    MappedGraphStore reopened = MappedGraphStore.open(file, M, DIM, Metric.DOT);
    HnswGraph again = new HnswGraph(reopened, 40);
    assertThat(reopened.entry()).isEqualTo(entry);
    assertThat(reopened.nodeCount()).isEqualTo(2_000);
    for (int i = 0; i < 20; i++) {
      assertThat(search(again, st, st.get(i * 97))).isEqualTo(before[i]);
    }
    assertThat(reopened.mappedBytes()).isGreaterThan(2_000L * (2 * M + 3) * 4);
    reopened.close();
    assertThat(file).doesNotExist();
    assertThat(MappedGraphStore.upperPath(file)).doesNotExist();
  }

  @Test
  void theHeaderRefusesAnotherFormatVersionWithATypedError() {
    Path file = dir.resolve("v.hnsw");
    MappedGraphStore store = MappedGraphStore.create(file, M, DIM, Metric.DOT);
    store.overwriteVersionForTest(MappedGraphStore.VERSION + 1);
    store.closeKeepingFiles();
    assertThatThrownBy(() -> MappedGraphStore.open(file, M, DIM, Metric.DOT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("format version " + (MappedGraphStore.VERSION + 1))
        .hasMessageContaining("expected " + MappedGraphStore.VERSION);
    assertThat(file).as("a refused file is left alone").exists();
  }

  @Test
  void theHeaderRefusesAnotherConfigurationOrAForeignFile() throws Exception {
    Path file = dir.resolve("c.hnsw");
    MappedGraphStore.create(file, M, DIM, Metric.DOT).closeKeepingFiles();
    assertThatThrownBy(() -> MappedGraphStore.open(file, M + 1, DIM, Metric.DOT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("has m " + M + ", expected " + (M + 1));
    assertThatThrownBy(() -> MappedGraphStore.open(file, M, DIM * 2, Metric.DOT))
        .hasMessageContaining("dimension");
    assertThatThrownBy(() -> MappedGraphStore.open(file, M, DIM, Metric.L2))
        .hasMessageContaining("metric");
    Path foreign = dir.resolve("f.hnsw");
    Files.write(foreign, new byte[4096]);
    Files.write(MappedGraphStore.upperPath(foreign), new byte[4096]);
    assertThatThrownBy(() -> MappedGraphStore.open(foreign, M, DIM, Metric.DOT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("not an HNSW graph file");
    Path empty = dir.resolve("e.hnsw");
    Files.write(empty, new byte[0]);
    assertThatThrownBy(() -> MappedGraphStore.open(empty, M, DIM, Metric.DOT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("too short");
  }

  @Test
  void aRepairLeavesNoDeletedNodeInAnyLiveList() {
    HeapVectorStorage st = vectors(2, 1_000);
    HnswGraph g = build(new HeapGraphStore(M), st, 1_000);
    long entry = g.store().entry();
    g.markDeleted((int) entry);
    for (int i = 0; i < 1_000; i += 4) {
      g.markDeleted(i);
    }
    g.repair(source(st), 2);
    assertThat(g.isDeleted((int) g.store().entry())).isFalse();
    int[] list = new int[2 * M];
    for (int u = 0; u < 1_000; u++) {
      if (g.isDeleted(u)) {
        continue;
      }
      int level = GraphStore.levelOf(g.store().word(u));
      for (int l = 0; l <= level; l++) {
        int n = g.read(u, l, list);
        for (int i = 0; i < n; i++) {
          assertThat(g.isDeleted(list[i])).isFalse();
        }
        if (l == 0) {
          assertThat(n).as("node %d keeps neighbours", u).isPositive();
        }
      }
    }
    for (int i = 1; i < 1_000; i += 4) {
      assertThat(search(g, st, st.get(i))[0]).isEqualTo(i);
    }
    for (int i = 0; i < 1_000; i += 4) {
      g.releaseNode(i);
      assertThat(g.inGraph(i)).isFalse();
    }
    g.releaseNode(0); // twice: nothing
  }

  @Test
  void levelsFollowTheGeometricLaw() {
    HnswGraph g = new HnswGraph(new HeapGraphStore(16), 40);
    assertThat(g.levelFor(1.0)).isZero();
    assertThat(g.levelFor(1.0 / 17)).isEqualTo(1);
    assertThat(g.levelFor(1.0 / 256 / 1.01)).isEqualTo(2);
    assertThat(g.levelFor(0.0)).isEqualTo(GraphStore.MAX_LEVEL - 1);
    assertThat(new HnswGraph(new HeapGraphStore(1), 40).levelFor(0.001)).isZero();
  }

  @Test
  void upperRecordsAreReusedAfterRelease() {
    HeapGraphStore store = new HeapGraphStore(4);
    store.ensureNodes(4);
    store.initNode(0, 3);
    int used = store.upperUsed();
    store.releaseNode(0);
    store.initNode(1, 3);
    assertThat(store.upperUsed()).isEqualTo(used);
    store.initNode(2, 2);
    assertThat(store.upperUsed()).isEqualTo(used + 2);
    store.writeList(1, 3, new int[] {2, 0}, 2);
    int[] out = new int[4];
    assertThat(store.readList(1, 3, out)).isEqualTo(2);
    assertThat(store.readList(1, 4, out)).as("above its level").isZero();
    assertThat(store.readList(3, 0, out)).as("not in the graph").isZero();
    assertThat(store.heapBytes()).isPositive();
    store.close();
    assertThat(store.nodeCapacity()).isZero();
  }

  @Test
  void nodeQueuesOrderByDistanceThenNode() {
    NodeQueue closest = NodeQueue.keepClosest(3);
    float[] d = {5, 1, 4, 1, 9, 2};
    for (int i = 0; i < d.length; i++) {
      closest.push(d[i], i);
    }
    assertThat(closest.isFull()).isTrue();
    assertThat(closest.wouldKeep(3, 0)).isFalse();
    assertThat(closest.wouldKeep(1.5f, 0)).isTrue();
    int[] nodes = new int[3];
    float[] dist = new float[3];
    assertThat(closest.drainAscending(nodes, dist)).isEqualTo(3);
    assertThat(nodes).containsExactly(1, 3, 5);
    assertThat(dist).containsExactly(1, 1, 2);

    NodeQueue all = NodeQueue.closestFirst();
    for (int i = 0; i < 200; i++) {
      all.push((i * 37) % 101, i);
    }
    float last = Float.NEGATIVE_INFINITY;
    while (!all.isEmpty()) {
      assertThat(all.topDistance()).isGreaterThanOrEqualTo(last);
      last = all.topDistance();
      all.pop();
    }
  }

  @Test
  void sortingKeepsPairsTogether() {
    Random r = new Random(3);
    for (int n : new int[] {5, 200}) {
      int[] ids = new int[n];
      float[] d = new float[n];
      for (int i = 0; i < n; i++) {
        ids[i] = i;
        d[i] = r.nextInt(20) - 10.5f;
      }
      float[] original = d.clone();
      HnswGraph.sortAscending(ids, d, n);
      for (int i = 0; i < n; i++) {
        assertThat(d[i]).isEqualTo(original[ids[i]]);
        if (i > 0) {
          assertThat(d[i] > d[i - 1] || (d[i] == d[i - 1] && ids[i] > ids[i - 1])).isTrue();
        }
      }
    }
  }

  @Test
  void theIndexingPoolRunsEveryItemOnceAndReportsFailures() {
    AtomicIntegerArray seen = new AtomicIntegerArray(1_000);
    java.util.Set<String> threads = ConcurrentHashMap.newKeySet();
    IndexingPool.forEach(
        3,
        1_000,
        i -> {
          seen.incrementAndGet(i);
          threads.add(Thread.currentThread().getName());
        });
    for (int i = 0; i < 1_000; i++) {
      assertThat(seen.get(i)).isEqualTo(1);
    }
    assertThat(threads).isNotEmpty();
    assertThat(IndexingPool.threads(3)).isEqualTo(3);
    assertThat(IndexingPool.threads(0)).isBetween(1, 16);
    assertThatThrownBy(
            () ->
                IndexingPool.forEach(
                    2,
                    100,
                    i -> {
                      if (i == 50) {
                        throw new IllegalStateException("boom");
                      }
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("boom");
  }
}
