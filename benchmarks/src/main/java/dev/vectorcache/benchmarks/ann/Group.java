package dev.vectorcache.benchmarks.ann;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One unit of a run: a backend and configuration on one dataset, measured at each search breadth on
 * 1 and 2 threads in one JVM, with one result file.
 *
 * @param fullScanKb the engine's full_scan_threshold in KB, negative for its default
 */
record Group(
    String backend,
    String config,
    String dataset,
    int n,
    int dim,
    int queries,
    List<Integer> breadths,
    int buildThreads,
    int fullScanKb) {

  Group {
    breadths = List.copyOf(breadths);
    if (dataset.equals("minilm")) {
      dim = 384; // the model's
    }
  }

  /**
   * The result file under {@code results}: {@code
   * clustered-d384-n100000/engine-flat-f32-heap.json}.
   */
  Path resultFile(Path results) {
    String name = backend.equals("engine") ? "engine-" + config : backend;
    return results.resolve(dataset + "-d" + dim + "-n" + n).resolve(name + ".json");
  }

  /** Heap for the group's JVM: room for float32 vectors on the heap and a build. */
  String heap() {
    long mb = 1024 + (long) n * dim * 4 * 3 / (1 << 20);
    return "-Xmx" + Math.max(2048, mb) + "m";
  }

  List<String> toArgs() {
    List<String> a = new ArrayList<>();
    for (Map.Entry<String, String> e : asMap().entrySet()) {
      a.add("--" + e.getKey());
      a.add(e.getValue());
    }
    return a;
  }

  Map<String, String> asMap() {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("backend", backend);
    m.put("config", config);
    m.put("dataset", dataset);
    m.put("n", Integer.toString(n));
    m.put("dim", Integer.toString(dim));
    m.put("queries", Integer.toString(queries));
    m.put("breadths", String.join(",", breadths.stream().map(String::valueOf).toList()));
    m.put("buildThreads", Integer.toString(buildThreads));
    m.put("fullScanKb", Integer.toString(fullScanKb));
    return m;
  }

  static Group parse(Map<String, String> a) {
    return new Group(
        arg(a, "backend"),
        arg(a, "config"),
        arg(a, "dataset"),
        Integer.parseInt(arg(a, "n")),
        Integer.parseInt(arg(a, "dim")),
        Integer.parseInt(arg(a, "queries")),
        Arrays.stream(arg(a, "breadths").split(",", -1)).map(Integer::valueOf).toList(),
        Integer.parseInt(arg(a, "buildThreads")),
        Integer.parseInt(arg(a, "fullScanKb")));
  }

  static String arg(Map<String, String> a, String key) {
    String v = a.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + key);
    }
    return v;
  }

  /** {@code --key value} pairs. */
  static Map<String, String> options(String[] args, int from) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (int i = from; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option, found " + args[i]);
      }
      out.put(args[i].substring(2), args[i + 1]);
    }
    return out;
  }

  AnnData data() {
    return AnnData.load(dataset, n, dim, queries);
  }
}
