package dev.vectorcache.benchmarks.ann;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole ANN run: a plan of {@link Group}s, each measured in its own JVM (after a separate build
 * JVM for backends that save their index, so the measuring JVM's footprint holds what searching
 * needs, not what building left), skipping every group whose result file exists, so an interrupted
 * run resumes where it stopped. Then the report and charts ({@link AnnReport}).
 *
 * <pre>
 * benchmarks/run-ann.sh [100k|growth|1m|all|jdk25|smoke] [--in-process] [--data-only] [--only TEXT] [--results DIR]
 * </pre>
 *
 * Scales: {@code 100k} is every engine configuration and both peers on both datasets (100k points);
 * {@code growth} adds the clustered set at 300k; {@code 1m} is the clustered set at 1M (HNSW
 * float32 and int8 with the graph on disk, flat int8); {@code all} is the three; {@code jdk25} is
 * the engine's two swept configurations and both peers at 100k (run it on JDK 25 with the {@code
 * jdk25} build); {@code pq} sets product quantization (X16) beside int8 and binary, flat and HNSW,
 * on both datasets at 100k, in a results directory of its own ({@code ann/pq-jdkNN}, so that the
 * three are measured in one sitting); {@code smoke} is everything at tiny sizes.
 */
public final class AnnSuite {
  static final List<Integer> SWEEP = List.of(10, 20, 40, 80, 160, 320);
  static final List<Integer> ENGINE_SWEEP = List.of(0, 10, 20, 40, 80, 160, 320);
  static final List<String> QUANT = List.of("f32", "int8", "bin");
  static final List<String> VECTORS = List.of("heap", "mmap");
  static final List<String> GRAPH = List.of("graphheap", "graphdisk");

  /** The two engine configurations swept over hnsw_ef, to compare with the peers. */
  static final List<String> SWEPT = List.of("hnsw-f32-heap-graphheap", "hnsw-int8-mmap-graphdisk");

  /** The configurations measured at every n of the growth chart. */
  static final List<String> AT_SCALE =
      List.of("hnsw-f32-mmap-graphdisk", "hnsw-int8-mmap-graphdisk", "flat-int8-heap");

  private AnnSuite() {}

  public static void main(String[] args) throws Exception {
    String scale = "100k";
    boolean inProcess = false;
    boolean dataOnly = false;
    String only = "";
    Path results = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--in-process" -> inProcess = true;
        case "--data-only" -> dataOnly = true;
        case "--only" -> only = args[++i];
        case "--results" -> results = Path.of(args[++i]);
        default -> scale = args[i];
      }
    }
    if (results == null) {
      results = defaultResults(scale);
    }
    AnnGroup.Timing timing =
        scale.equals("smoke") ? AnnGroup.Timing.SMOKE : AnnGroup.Timing.DEFAULT;
    String filter = only;
    List<Group> plan =
        plan(scale).stream()
            .filter(g -> g.resultFile(Path.of("")).toString().contains(filter))
            .toList();
    if (dataOnly) {
      for (Group g : plan) {
        g.data(); // builds and caches each dataset and its ground truth once
      }
    } else {
      run(plan, inProcess, timing, results);
      AnnReport.write(results);
    }
    System.exit(0);
  }

  /** {@code benchmarks/results/ann/jdkNN}: one directory per JDK feature version. */
  static Path defaultResults() {
    return Path.of("benchmarks", "results", "ann", "jdk" + Runtime.version().feature());
  }

  /** Where a scale's results go by default: {@code pq} in a directory of its own. */
  static Path defaultResults(String scale) {
    return scale.equals("pq")
        ? Path.of("benchmarks", "results", "ann", "pq-jdk" + Runtime.version().feature())
        : defaultResults();
  }

  static List<Group> plan(String scale) {
    List<Group> plan = new ArrayList<>();
    switch (scale) {
      case "100k" -> at100k(plan, 100_000, 384, 1000, SWEEP, ENGINE_SWEEP);
      case "growth" -> atScale(plan, 300_000, 384, 1000, ENGINE_SWEEP, -1);
      case "1m" -> atScale(plan, 1_000_000, 384, 1000, ENGINE_SWEEP, -1);
      case "all" -> {
        at100k(plan, 100_000, 384, 1000, SWEEP, ENGINE_SWEEP);
        atScale(plan, 300_000, 384, 1000, ENGINE_SWEEP, -1);
        atScale(plan, 1_000_000, 384, 1000, ENGINE_SWEEP, -1);
      }
      case "jdk25" -> versusPeers(plan, 100_000, 384, 1000, SWEEP, ENGINE_SWEEP);
      case "pq" -> quantizers(plan, 100_000, 384, 1000);
      case "jdk25-smoke" -> versusPeers(plan, 300, 32, 10, List.of(10, 40), List.of(0, 40));
      case "smoke" -> {
        at100k(plan, 300, 32, 10, List.of(10, 40), List.of(0, 40));
        atScale(plan, 600, 32, 10, List.of(0, 40), 0);
        // past the 1,024 vectors product quantization needs before it trains its codebooks
        plan.add(group("engine", "flat-pq16-heap", "clustered", 2000, 32, 10, List.of(0), -1));
        plan.add(
            group("engine", "hnsw-pq16-heap-graphheap", "clustered", 2000, 32, 10, List.of(0), 0));
      }
      default ->
          throw new IllegalArgumentException(
              "scale: 100k, growth, 1m, all, jdk25, pq, smoke or jdk25-smoke, not " + scale);
    }
    return plan;
  }

  /** Every engine configuration and both peers, on both datasets. */
  private static void at100k(
      List<Group> plan,
      int n,
      int dim,
      int queries,
      List<Integer> sweep,
      List<Integer> engineSweep) {
    // tiny runs still traverse the graph: a full-scan threshold of 0 KB
    int fullScanKb = n < 100_000 ? 0 : -1;
    for (String dataset : List.of("clustered", "minilm")) {
      boolean every = n >= 100_000 || dataset.equals("clustered"); // smoke: one dataset has all
      for (String q : QUANT) {
        for (String v : VECTORS) {
          if (every) {
            plan.add(
                group("engine", "flat-" + q + "-" + v, dataset, n, dim, queries, List.of(0), -1));
          }
          for (String gr : GRAPH) {
            String c = "hnsw-" + q + "-" + v + "-" + gr;
            if (!every && !SWEPT.contains(c)) {
              continue;
            }
            List<Integer> b = SWEPT.contains(c) ? engineSweep : List.of(0);
            plan.add(group("engine", c, dataset, n, dim, queries, b, fullScanKb));
          }
        }
      }
      plan.add(group("jvector", "hnsw", dataset, n, dim, queries, sweep, -1));
      plan.add(group("lucene", "hnsw", dataset, n, dim, queries, sweep, -1));
    }
  }

  /**
   * Product quantization (X16) beside int8 and binary, vectors and graph on the heap, flat and HNSW
   * at the engine's defaults, on both datasets: bytes per vector, recall and queries/s of the three
   * in one sitting.
   */
  private static void quantizers(List<Group> plan, int n, int dim, int queries) {
    for (String dataset : List.of("clustered", "minilm")) {
      for (String q : List.of("pq16", "int8", "bin")) {
        plan.add(group("engine", "flat-" + q + "-heap", dataset, n, dim, queries, List.of(0), -1));
        plan.add(
            group(
                "engine",
                "hnsw-" + q + "-heap-graphheap",
                dataset,
                n,
                dim,
                queries,
                List.of(0, 40, 80, 160),
                -1));
      }
    }
  }

  /** The engine's swept configurations and both peers, on both datasets. */
  private static void versusPeers(
      List<Group> plan,
      int n,
      int dim,
      int queries,
      List<Integer> sweep,
      List<Integer> engineSweep) {
    int fullScanKb = n < 100_000 ? 0 : -1;
    for (String dataset : List.of("clustered", "minilm")) {
      for (String c : SWEPT) {
        plan.add(group("engine", c, dataset, n, dim, queries, engineSweep, fullScanKb));
      }
      plan.add(group("jvector", "hnsw", dataset, n, dim, queries, sweep, -1));
      plan.add(group("lucene", "hnsw", dataset, n, dim, queries, sweep, -1));
    }
  }

  /** The growth configurations on the clustered set at {@code n}, HNSW swept over hnsw_ef. */
  private static void atScale(
      List<Group> plan, int n, int dim, int queries, List<Integer> sweep, int fullScanKb) {
    for (String c : AT_SCALE) {
      List<Integer> b = c.startsWith("hnsw") ? sweep : List.of(0);
      plan.add(group("engine", c, "clustered", n, dim, queries, b, fullScanKb));
    }
  }

  private static Group group(
      String backend,
      String config,
      String dataset,
      int n,
      int dim,
      int queries,
      List<Integer> breadths,
      int fullScanKb) {
    return new Group(backend, config, dataset, n, dim, queries, breadths, 2, fullScanKb);
  }

  /** Measures every group of {@code plan} that has no result file under {@code results}. */
  static void run(List<Group> plan, boolean inProcess, AnnGroup.Timing timing, Path results)
      throws Exception {
    int done = 0;
    for (Group g : plan) {
      Path file = g.resultFile(results);
      done++;
      if (Files.exists(file)) {
        AnnData.log("[" + done + "/" + plan.size() + "] skip (measured): " + file);
        continue;
      }
      AnnData.log("[" + done + "/" + plan.size() + "] " + file);
      if (inProcess) {
        AnnGroup.measure(g, timing, file);
        continue;
      }
      g.data(); // datasets and ground truth are built once, here, not in a timed JVM
      if (Indexes.saves(g.backend())) {
        spawn("build", g, timing, file);
      }
      spawn("measure", g, timing, file);
    }
  }

  private static void spawn(String mode, Group g, AnnGroup.Timing timing, Path file)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--add-modules=jdk.incubator.vector");
    cmd.add(g.heap());
    // a heap that gives memory back after a full GC, so the resident set follows live data
    cmd.add("-XX:+UseG1GC");
    cmd.add("-XX:MinHeapFreeRatio=5");
    cmd.add("-XX:MaxHeapFreeRatio=10");
    cmd.add("-Dvectorcache.bench.cache=" + Settings.cacheDir());
    if (Boolean.getBoolean("jmh.ignoreLock")) {
      cmd.add("-Djmh.ignoreLock=true"); // asked for on a shared machine: passed on
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(AnnGroup.class.getName());
    cmd.add(mode);
    cmd.add(file.toString());
    cmd.addAll(g.toArgs());
    cmd.addAll(timing.toArgs());
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException(mode + " of " + file + " exited with " + code);
    }
  }
}
