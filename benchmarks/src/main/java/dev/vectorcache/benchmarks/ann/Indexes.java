package dev.vectorcache.benchmarks.ann;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Opens indexes by backend and configuration name, once per JVM: JMH's trials of one group (every
 * search breadth, 1 and 2 threads) share the index. The footprint is measured around the first open
 * and a pass over every query, so it holds what searching touched.
 */
final class Indexes {
  /** HNSW {@code M} of every graph (Qdrant's default); jvector gets a max degree of 2M. */
  static final int M = 16;

  /** Construction breadth of every graph (Qdrant's {@code ef_construct} default). */
  static final int EF_CONSTRUCT = 100;

  private static final Map<String, Opened> OPEN = new ConcurrentHashMap<>();

  private Indexes() {}

  /** An open index and what was measured when it was opened. */
  record Opened(AnnIndex index, Map<String, Object> figures) {}

  static synchronized Opened open(
      String backend, String config, AnnData data, int threads, @Nullable Integer fullScanKb) {
    String key = backend + "/" + config + "/" + data.key() + "/" + threads + "/" + fullScanKb;
    Opened o = OPEN.get(key);
    if (o != null) {
      return o;
    }
    Footprint before = Footprint.now();
    AnnIndex index = create(backend, config, data, threads, fullScanKb);
    Footprint opened = Footprint.now();
    boolean cleared = Footprint.clearReferenced();
    for (float[] q : data.queries()) {
      index.search(q, AnnData.K, 0);
    }
    Footprint after = Footprint.now();
    long[] files = Footprint.mapped(index.dir());
    Map<String, Object> figures = new LinkedHashMap<>(index.figures());
    figures.putAll(after.perVectorSince(before, data.n()));
    double n = data.n();
    figures.put("indexFileResidentBytesPerVector", files[0] / n);
    if (cleared) {
      // what a process serving these queries keeps resident: its anonymous memory (heap and
      // off-heap, always resident) plus the pages of the index files the queries touched
      figures.put("searchTouchedFileBytesPerVector", files[1] / n);
      figures.put(
          "servingResidentBytesPerVector", (after.anonymous() - before.anonymous() + files[1]) / n);
    }
    figures.put("openedHeapBytesPerVector", (opened.heap() - before.heap()) / n);
    o = new Opened(index, figures);
    OPEN.put(key, o);
    return o;
  }

  /** Builds (or loads a saved build of) an index without searching it. */
  static void build(String backend, String config, AnnData data, int threads) {
    try (AnnIndex index = create(backend, config, data, threads, null)) {
      AnnData.log("built " + backend + " " + config + ": " + index.figures());
    }
  }

  /** Whether the backend saves its builds, so a separate JVM can build first. */
  static boolean saves(String backend) {
    return !backend.equals("engine");
  }

  private static AnnIndex create(
      String backend, String config, AnnData data, int threads, @Nullable Integer fullScanKb) {
    return switch (backend) {
      case "engine" -> EngineIndex.open(data, config, M, EF_CONSTRUCT, threads, fullScanKb);
      case "jvector" -> JVectorIndex.open(data, M, EF_CONSTRUCT, threads);
      case "lucene" -> LuceneIndex.open(data, M, EF_CONSTRUCT, threads);
      default ->
          throw new IllegalArgumentException("backend: engine, jvector or lucene, not " + backend);
    };
  }

  /** Closes every index this JVM opened. */
  static synchronized void closeAll() {
    for (Opened o : OPEN.values()) {
      o.index().close();
    }
    OPEN.clear();
  }
}
