package dev.vectorcache.benchmarks.ann;

import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the ANN benchmarks keep datasets, built graphs and results; each a property or env. */
final class Settings {
  private Settings() {}

  /**
   * Datasets, ground truth and built graphs: {@code vectorcache.bench.cache} or {@code
   * VECTORCACHE_BENCH_CACHE}, default {@code ~/.cache/vectorcache-bench} (outside the repository).
   */
  static Path cacheDir() {
    return Paths.get(
        setting(
            "vectorcache.bench.cache",
            "VECTORCACHE_BENCH_CACHE",
            Paths.get(System.getProperty("user.home"), ".cache", "vectorcache-bench").toString()));
  }

  /** Built indexes, one directory each. */
  static Path graphDir() {
    return cacheDir().resolve("graphs");
  }

  static String setting(String property, String env, String fallback) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(env);
    }
    return v == null || v.isBlank() ? fallback : v;
  }
}
