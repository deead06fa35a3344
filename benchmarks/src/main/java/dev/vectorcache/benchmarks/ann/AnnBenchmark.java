package dev.vectorcache.benchmarks.ann;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * k = 10 nearest-neighbour search through one index ({@link Indexes}: the engine, jvector or
 * Lucene) on a cached dataset ({@link AnnData}), on 1 and 2 threads. Each invocation is one query,
 * the queries taken in turn; JMH's sample mode gives the latency distribution (p50, p99) and the
 * mean, from which queries per second follow ({@code threads / mean}). The trial's setup measures
 * recall@10 at this search breadth against the exact ground truth, and the first open of the index
 * its build rate and footprint; {@link AnnGroup} collects them with JMH's results.
 *
 * <p>Run through {@code benchmarks/run-ann.sh} (which runs each group in its own JVM and skips
 * groups already measured). Alone, for one configuration:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar AnnBenchmark \
 *   -p backend=engine -p config=hnsw-int8-mmap-graphdisk -p dataset=clustered -p n=100000
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx8g"})
@State(Scope.Benchmark)
public class AnnBenchmark {
  @Param({"engine"})
  public String backend = ""; // JMH sets every @Param before @Setup

  /** The engine's configuration name (see {@link EngineIndex}); ignored by the peers. */
  @Param({"hnsw-int8-mmap-graphdisk"})
  public String config = "";

  @Param({"clustered"})
  public String dataset = "";

  @Param({"100000"})
  public int n;

  /** Dimension of the clustered set (MiniLM is 384). */
  @Param({"384"})
  public int dim;

  @Param({"1000"})
  public int queries;

  /** Search breadth: hnsw_ef, jvector's rerankK, Lucene's k; 0 for the backend's default. */
  @Param({"0"})
  public int breadth;

  /** Threads that build the index. */
  @Param({"2"})
  public int buildThreads;

  /** The engine's full_scan_threshold in KB; negative for its default. */
  @Param({"-1"})
  public int fullScanKb;

  /** Recall and footprint of each trial, by {@link #trialKey}, for {@link AnnGroup}. */
  static final Map<String, Map<String, Object>> TRIALS = new ConcurrentHashMap<>();

  AnnIndex index;
  float[][] qs;

  @Setup(Level.Trial)
  public void setUp() {
    AnnData data = AnnData.load(dataset, n, dim, queries);
    Indexes.Opened opened =
        Indexes.open(backend, config, data, buildThreads, fullScanKb < 0 ? null : fullScanKb);
    index = opened.index();
    qs = data.queries();
    int[][] found = new int[qs.length][];
    for (int q = 0; q < qs.length; q++) {
      found[q] = index.search(qs[q], AnnData.K, breadth);
    }
    Map<String, Object> fig = new LinkedHashMap<>(opened.figures());
    fig.put("recallAt10", GroundTruth.recall(data.truth(), found, AnnData.K));
    TRIALS.put(trialKey(breadth), fig);
    AnnData.log("trial " + backend + " " + config + " breadth " + breadth + ": " + fig);
  }

  static String trialKey(int breadth) {
    return "breadth=" + breadth;
  }

  /** Each thread walks the query set from its own position. */
  @State(Scope.Thread)
  public static class Cursor {
    private static final java.util.concurrent.atomic.AtomicInteger STARTS =
        new java.util.concurrent.atomic.AtomicInteger();
    int next;

    @Setup(Level.Trial)
    public void start() {
      next = STARTS.getAndAdd(389); // threads start apart in the query set
    }
  }

  private int[] search(Cursor c) {
    float[] q = qs[Math.floorMod(c.next++, qs.length)];
    return index.search(q, AnnData.K, breadth);
  }

  @Benchmark
  @Threads(1)
  public int[] search1Thread(Cursor c) {
    return search(c);
  }

  @Benchmark
  @Threads(2)
  public int[] search2Threads(Cursor c) {
    return search(c);
  }
}
