package dev.vectorcache.benchmarks.ann;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs one {@link Group} in this JVM: {@code build} only builds and saves the index; {@code
 * measure} runs {@link AnnBenchmark} in process (JMH without forking: this JVM is the group's fork,
 * so its trials share the open index) at every breadth on 1 and 2 threads, and writes the result
 * file.
 *
 * <pre>
 * java -cp benchmarks.jar dev.vectorcache.benchmarks.ann.AnnGroup measure RESULT_FILE --backend ...
 * </pre>
 */
public final class AnnGroup {
  private AnnGroup() {}

  /** Warm-up and measurement of each trial. */
  record Timing(int warmups, int warmupMs, int iterations, int iterationMs) {
    static final Timing DEFAULT = new Timing(2, 1000, 3, 1000);
    static final Timing SMOKE = new Timing(0, 10, 1, 20);

    List<String> toArgs() {
      return List.of("--timing", warmups + "," + warmupMs + "," + iterations + "," + iterationMs);
    }

    static Timing parse(String s) {
      String[] p = s.split(",", -1);
      return new Timing(
          Integer.parseInt(p[0]),
          Integer.parseInt(p[1]),
          Integer.parseInt(p[2]),
          Integer.parseInt(p[3]));
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: AnnGroup build|measure RESULT_FILE --option value …");
    }
    Map<String, String> opts = Group.options(args, 2);
    Timing timing = Timing.parse(opts.getOrDefault("timing", "2,1000,3,1000"));
    opts.remove("timing");
    Group g = Group.parse(opts);
    switch (args[0]) {
      case "build" -> Indexes.build(g.backend(), g.config(), g.data(), g.buildThreads());
      case "measure" -> measure(g, timing, Path.of(args[1]));
      default -> throw new IllegalArgumentException("build or measure, not " + args[0]);
    }
    System.exit(0); // JMH and the peers may leave non-daemon threads
  }

  /** Measures {@code g} and writes its result file. */
  static Map<String, Object> measure(Group g, Timing timing, Path resultFile)
      throws RunnerException {
    AnnBenchmark.TRIALS.clear();
    ChainedOptionsBuilder o =
        new OptionsBuilder()
            .include(Pattern.quote(AnnBenchmark.class.getName()) + "\\.search(1Thread|2Threads)$")
            .forks(0)
            .warmupIterations(timing.warmups())
            .warmupTime(TimeValue.milliseconds(timing.warmupMs()))
            .measurementIterations(timing.iterations())
            .measurementTime(TimeValue.milliseconds(timing.iterationMs()))
            .shouldFailOnError(true);
    for (Map.Entry<String, String> e : g.asMap().entrySet()) {
      if (!e.getKey().equals("breadths")) {
        o.param(e.getKey(), e.getValue());
      }
    }
    o.param("breadth", g.breadths().stream().map(String::valueOf).toArray(String[]::new));
    Collection<RunResult> runs;
    try {
      runs = new Runner(o.build()).run();
    } finally {
      Indexes.closeAll();
    }
    Map<String, Object> result = result(g, runs);
    Json.write(resultFile, result);
    AnnData.log("wrote " + resultFile);
    return result;
  }

  private static Map<String, Object> result(Group g, Collection<RunResult> runs) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("group", new LinkedHashMap<>(g.asMap()));
    out.put("environment", environment());
    List<Map<String, Object>> trials = new ArrayList<>();
    Map<String, Object> figures = Map.of();
    for (RunResult r : runs) {
      int breadth = Integer.parseInt(r.getParams().getParam("breadth"));
      int threads = r.getParams().getThreads();
      Statistics st = r.getPrimaryResult().getStatistics();
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("threads", threads);
      t.put("breadth", breadth);
      t.put("queriesPerSecond", threads * 1e6 / st.getMean());
      t.put("meanMicros", st.getMean());
      t.put("p50Micros", st.getPercentile(50));
      t.put("p99Micros", st.getPercentile(99));
      t.put("samples", st.getN());
      Map<String, Object> fig =
          AnnBenchmark.TRIALS.getOrDefault(AnnBenchmark.trialKey(breadth), Map.of());
      t.put("recallAt10", fig.get("recallAt10"));
      trials.add(t);
      figures = fig;
    }
    Map<String, Object> index = new LinkedHashMap<>(figures);
    index.remove("recallAt10");
    out.put("index", index);
    out.put("trials", trials);
    return out;
  }

  static Map<String, Object> environment() {
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("date", Instant.now().toString());
    env.put("jdk", System.getProperty("java.vm.name") + " " + Runtime.version());
    env.put("cpus", Runtime.getRuntime().availableProcessors());
    env.put("cpu", cpuModel());
    env.put(
        "vectorModule",
        ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? "on" : "off");
    return env;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux: unknown
    }
    return "unknown";
  }
}
