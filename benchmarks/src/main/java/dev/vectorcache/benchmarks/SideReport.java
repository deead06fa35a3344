package dev.vectorcache.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Figures a benchmark measures beside its throughput (recall, bytes per vector, Redis round trips),
 * printed and appended as one JSON object per line to {@code vectorcache.bench.side} (or env {@code
 * VECTORCACHE_BENCH_SIDE}; default {@code benchmarks/results/side.jsonl}, relative to the working
 * directory, which is the repository root in every command of BENCHMARKS.md). {@code
 * benchmarks/scripts/report.py} joins them with JMH's JSON by benchmark and parameters.
 */
final class SideReport {
  /** Beside the recorded results, never in the repository root. */
  static final String DEFAULT_FILE = "benchmarks/results/side.jsonl";

  private SideReport() {}

  static Path file() {
    return Paths.get(
        Datasets.setting("vectorcache.bench.side", "VECTORCACHE_BENCH_SIDE", DEFAULT_FILE));
  }

  /** {@code params} identify the trial; {@code figures} are numbers or strings. */
  static synchronized void write(String benchmark, Map<String, ?> params, Map<String, ?> figures) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("benchmark", benchmark);
    row.put("params", params);
    row.put("figures", figures);
    String json = json(row);
    System.out.println("# side: " + json);
    try {
      Path f = file();
      if (f.getParent() != null) {
        Files.createDirectories(f.getParent());
      }
      Files.writeString(
          f,
          json + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String json(Object o) {
    if (o instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("{");
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (b.length() > 1) {
          b.append(", ");
        }
        b.append(json(String.valueOf(e.getKey()))).append(": ").append(json(e.getValue()));
      }
      return b.append('}').toString();
    }
    if (o instanceof Double d) {
      return Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "null";
    }
    if (o instanceof Float f) {
      return json(f.doubleValue());
    }
    if (o instanceof Number || o instanceof Boolean) {
      return o.toString();
    }
    String s = String.valueOf(o);
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
