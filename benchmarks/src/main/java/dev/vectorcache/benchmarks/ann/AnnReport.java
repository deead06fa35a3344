package dev.vectorcache.benchmarks.ann;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Markdown tables and PNG charts from the result files of a run directory: {@code report.md}, a
 * recall/queries-per-second chart per dataset, and {@code growth.png} (queries/s and build time
 * against n).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.vectorcache.benchmarks.ann.AnnReport DIR
 * </pre>
 */
public final class AnnReport {
  static final double[] RECALLS = {0.90, 0.95, 0.99};

  private AnnReport() {}

  public static void main(String[] args) {
    write(args.length > 0 ? Path.of(args[0]) : AnnSuite.defaultResults());
  }

  /** One result file. */
  record Result(
      Map<String, Object> group,
      Map<String, Object> env,
      Map<String, Object> index,
      List<Map<String, Object>> trials) {
    String dataset() {
      return group.get("dataset") + "-d" + group.get("dim") + "-n" + group.get("n");
    }

    String name() {
      return "engine".equals(group.get("backend"))
          ? "engine " + group.get("config")
          : String.valueOf(group.get("backend"));
    }

    int n() {
      return Integer.parseInt(String.valueOf(group.get("n")));
    }

    @Nullable Map<String, Object> trial(int threads, int breadth) {
      for (Map<String, Object> t : trials) {
        if (num(t, "threads") == threads && num(t, "breadth") == breadth) {
          return t;
        }
      }
      return null;
    }

    List<Integer> breadths() {
      return trials.stream().map(t -> (int) num(t, "breadth")).distinct().sorted().toList();
    }
  }

  /** Writes the report and charts into {@code dir}; returns the Markdown. */
  static String write(Path dir) {
    List<Result> results = read(dir);
    StringBuilder md = new StringBuilder();
    Map<String, List<Result>> byData = new TreeMap<>();
    for (Result r : results) {
      byData.computeIfAbsent(r.dataset(), k -> new ArrayList<>()).add(r);
    }
    if (!results.isEmpty()) {
      Map<String, Object> env = results.get(0).env();
      md.append(
          String.format(
              Locale.ROOT,
              "JDK: %s; CPU: %s × %s; vector module: %s; first result %s%n%n",
              env.get("jdk"),
              env.get("cpus"),
              env.get("cpu"),
              env.get("vectorModule"),
              results.stream()
                  .map(r -> String.valueOf(r.env().get("date")))
                  .min(Comparator.naturalOrder())
                  .orElse("")));
    }
    for (Map.Entry<String, List<Result>> e : byData.entrySet()) {
      md.append("### ").append(e.getKey()).append("\n\n");
      configurations(md, e.getValue());
      sweeps(md, e.getValue());
      equalRecall(md, e.getValue());
      recallChart(dir, e.getKey(), e.getValue());
      md.append("![recall and queries/s](recall-qps-").append(e.getKey()).append(".png)\n\n");
    }
    if (growthChart(dir, results)) {
      md.append("![growth with n](growth.png)\n\n");
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("report.md"), md.toString());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return md.toString();
  }

  @SuppressWarnings("unchecked")
  static List<Result> read(Path dir) {
    List<Result> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        Map<String, Object> m = Json.read(f);
        if (m != null && m.get("trials") instanceof List<?> trials) {
          out.add(
              new Result(
                  map(m, "group"),
                  map(m, "environment"),
                  map(m, "index"),
                  (List<Map<String, Object>>) trials));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> m, String key) {
    return m.get(key) instanceof Map<?, ?> v ? (Map<String, Object>) v : Map.of();
  }

  private static void configurations(StringBuilder md, List<Result> rs) {
    md.append(
        "| configuration | q/s 1 t | q/s 2 t | p50 µs | p99 µs | recall@10 | build vectors/s | heap B/vector | resident B/vector |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Result r : rs) {
      if (!"engine".equals(r.group().get("backend"))) {
        continue; // the peers have no default breadth: see the sweeps
      }
      Map<String, Object> t1 = r.trial(1, 0);
      Map<String, Object> t2 = r.trial(2, 0);
      if (t1 == null) {
        continue;
      }
      md.append("| ")
          .append(r.name())
          .append(" | ")
          .append(f(num(t1, "queriesPerSecond")))
          .append(" | ")
          .append(t2 == null ? "–" : f(num(t2, "queriesPerSecond")))
          .append(" | ")
          .append(f(num(t1, "p50Micros")))
          .append(" | ")
          .append(f(num(t1, "p99Micros")))
          .append(" | ")
          .append(r3(num(t1, "recallAt10")))
          .append(" | ")
          .append(f(num(r.index(), "vectorsPerSecond")))
          .append(" | ")
          .append(f(num(r.index(), "heapBytesPerVector")))
          .append(" | ")
          .append(f(num(r.index(), "residentBytesPerVector")))
          .append(" |\n");
    }
    md.append('\n');
  }

  private static void sweeps(StringBuilder md, List<Result> rs) {
    md.append(
        "| swept | breadth | recall@10 | q/s 1 t | q/s 2 t | p50 µs | p99 µs | build vectors/s |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Result r : rs) {
      if (r.breadths().size() < 2) {
        continue;
      }
      for (int b : r.breadths()) {
        Map<String, Object> t1 = r.trial(1, b);
        Map<String, Object> t2 = r.trial(2, b);
        if (t1 == null) {
          continue;
        }
        md.append("| ")
            .append(r.name())
            .append(" | ")
            .append(b == 0 ? "default" : String.valueOf(b))
            .append(" | ")
            .append(r3(num(t1, "recallAt10")))
            .append(" | ")
            .append(f(num(t1, "queriesPerSecond")))
            .append(" | ")
            .append(t2 == null ? "–" : f(num(t2, "queriesPerSecond")))
            .append(" | ")
            .append(f(num(t1, "p50Micros")))
            .append(" | ")
            .append(f(num(t1, "p99Micros")))
            .append(" | ")
            .append(f(num(r.index(), "vectorsPerSecond")))
            .append(" |\n");
      }
    }
    md.append('\n');
  }

  /** For each swept result: the fastest setting that reaches each recall, 1 and 2 threads. */
  private static void equalRecall(StringBuilder md, List<Result> rs) {
    md.append(
        "| queries/s at recall@10 ≥ | 0.90 (1 t / 2 t) | 0.95 (1 t / 2 t) | 0.99 (1 t / 2 t) |\n");
    md.append("|---|---:|---:|---:|\n");
    for (Result r : rs) {
      if (r.breadths().size() < 2) {
        continue;
      }
      md.append("| ").append(r.name());
      for (double target : RECALLS) {
        md.append(" | ")
            .append(atRecall(r, 1, target))
            .append(" / ")
            .append(atRecall(r, 2, target));
      }
      md.append(" |\n");
    }
    md.append('\n');
  }

  static String atRecall(Result r, int threads, double target) {
    double best = bestAtRecall(r, threads, target);
    return best < 0 ? "–" : f(best);
  }

  /** The highest queries/s among settings with recall ≥ target; −1 when none reaches it. */
  static double bestAtRecall(Result r, int threads, double target) {
    double best = -1;
    for (Map<String, Object> t : r.trials()) {
      if (num(t, "threads") == threads && num(t, "recallAt10") >= target) {
        best = Math.max(best, num(t, "queriesPerSecond"));
      }
    }
    return best;
  }

  private static void recallChart(Path dir, String dataset, List<Result> rs) {
    Map<String, List<double[]>> qps = new LinkedHashMap<>();
    Map<String, List<double[]>> p50 = new LinkedHashMap<>();
    for (Result r : rs) {
      if (r.breadths().size() < 2) {
        continue;
      }
      List<double[]> q = new ArrayList<>();
      List<double[]> l = new ArrayList<>();
      for (Map<String, Object> t : r.trials()) {
        if (num(t, "threads") == 1) {
          q.add(new double[] {num(t, "recallAt10"), num(t, "queriesPerSecond")});
          l.add(new double[] {num(t, "recallAt10"), num(t, "p50Micros")});
        }
      }
      q.sort(Comparator.comparingDouble(p -> p[0]));
      l.sort(Comparator.comparingDouble(p -> p[0]));
      qps.put(r.name(), q);
      p50.put(r.name(), l);
    }
    Chart.save(
        dir.resolve("recall-qps-" + dataset + ".png"),
        List.of(
            new Chart.Panel(dataset + ", 1 thread", "recall@10", "queries/s", false, true, qps),
            new Chart.Panel(
                dataset + ", 1 thread", "recall@10", "p50 latency (µs)", false, true, p50)));
  }

  /** Queries/s (engine default ef, 1 thread) and build seconds against n; false if one n only. */
  private static boolean growthChart(Path dir, List<Result> results) {
    Map<String, List<double[]>> qps = new LinkedHashMap<>();
    Map<String, List<double[]>> build = new LinkedHashMap<>();
    for (String c : AnnSuite.AT_SCALE) {
      List<double[]> q = new ArrayList<>();
      List<double[]> b = new ArrayList<>();
      for (Result r : results) {
        if ("clustered".equals(r.group().get("dataset")) && c.equals(r.group().get("config"))) {
          Map<String, Object> t = r.trial(1, 0);
          if (t != null) {
            q.add(new double[] {r.n(), num(t, "queriesPerSecond")});
            b.add(new double[] {r.n(), num(r.index(), "seconds")});
          }
        }
      }
      q.sort(Comparator.comparingDouble(p -> p[0]));
      b.sort(Comparator.comparingDouble(p -> p[0]));
      if (q.size() > 1) {
        qps.put(c, q);
        build.put(c, b);
      }
    }
    if (qps.isEmpty()) {
      return false;
    }
    Chart.save(
        dir.resolve("growth.png"),
        List.of(
            new Chart.Panel(
                "queries/s (1 thread, default ef) against n",
                "n (clustered, 384 d)",
                "queries/s",
                true,
                true,
                qps),
            new Chart.Panel(
                "build time against n (2 threads)",
                "n (clustered, 384 d)",
                "seconds",
                true,
                true,
                build)));
    return true;
  }

  static double num(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v instanceof Number x) {
      return x.doubleValue();
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  static String f(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String r3(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
  }
}
