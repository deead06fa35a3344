package dev.vectorcache.benchmarks;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.MemoryUsage;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Flat search in the embedded engine, k = 10, Cosine: float32 vs SCALAR_INT8 vs BINARY (both
 * rescored with the originals, default oversampling), IN_MEMORY vs MMAP, on 1 and 2 threads. In
 * {@code @Setup} each trial also measures recall@10 against exact float search (with and without
 * rescoring) and the bytes held per vector (heap / off-heap / mapped from {@code
 * CollectionInfo.memory()}, and the heap growth measured after GC), written to the side file (see
 * {@link SideReport}).
 *
 * <p>Run (from the repository root, after {@code ./mvnw -q package -pl benchmarks -am
 * -DskipTests}):
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar SearchBenchmark \
 *   -rf json -rff benchmarks/results/jmh.json
 * </pre>
 *
 * 1M × 384: add {@code -p n=1000000} (needs about 6 GB of heap: {@code -jvmArgsAppend -Xmx8g}).
 * Real embeddings only: {@code -p dataset=minilm} ({@code corpus} sentences, embedded once and
 * cached in {@code .benchmarks-cache/}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms3g", "-Xmx3g"})
@State(Scope.Benchmark)
public class SearchBenchmark {
  @Param({"clustered", "minilm"})
  public String dataset = ""; // JMH sets every @Param before @Setup

  /** Points of the clustered dataset. */
  @Param({"100000"})
  public int n;

  /** Dimension of the clustered dataset (MiniLM is 384). */
  @Param({"384"})
  public int dim;

  /** Sentences of the MiniLM corpus. */
  @Param({"10000"})
  public int corpus;

  @Param({"IN_MEMORY", "MMAP"})
  public String storage = ""; // JMH sets every @Param before @Setup

  @Param({"FLOAT32", "SCALAR_INT8", "BINARY"})
  public String quantization = ""; // JMH sets every @Param before @Setup

  /**
   * {@code HNSW}: the engine's default index (a graph, built once the collection passes the
   * indexing threshold, in the background); {@code FLAT}: no graph, every search scans all vectors,
   * the like of LangChain4j's {@code InMemoryEmbeddingStore} ({@code -p index=FLAT}).
   */
  @Param({"HNSW"})
  public String index = ""; // JMH sets every @Param before @Setup

  static final int K = 10;

  InMemoryVectorStore store;
  Path mmapDir;
  float[][] queries;
  static final String COLLECTION = "bench";

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Datasets.Data data = Datasets.load(dataset, n, dim, corpus);
    queries = data.queries();
    int d = data.dimension();
    CollectionConfig.Builder config =
        CollectionConfig.builder(d, Distance.COSINE)
            .storageMode(StorageMode.valueOf(storage))
            .indexType(IndexType.valueOf(index));
    switch (quantization) {
      case "FLOAT32" -> {}
      case "SCALAR_INT8" -> config.quantization(QuantizationConfig.scalarInt8(0.99f, true));
      case "BINARY" -> config.quantization(QuantizationConfig.binary(true));
      default -> throw new IllegalArgumentException("quantization " + quantization);
    }
    long heapBefore = usedHeapAfterGc();
    mmapDir = Files.createTempDirectory("vectorcache-bench-");
    store = new InMemoryVectorStore(mmapDir);
    store.createCollection(COLLECTION, config.build());
    load(store, COLLECTION, data.points());
    long heapAfter = usedHeapAfterGc();
    MemoryUsage mem = store.collectionInfo(COLLECTION).memory();
    int points = data.points().length;

    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put("points", points);
    fig.put("dimension", d);
    fig.put("kernels", store.ping().details().get("kernels"));
    fig.put("heapBytesPerVector", mem.heapBytes() / (double) points);
    fig.put("offHeapBytesPerVector", mem.offHeapBytes() / (double) points);
    fig.put("mappedBytesPerVector", mem.mappedBytes() / (double) points);
    fig.put("measuredHeapGrowthPerVector", (heapAfter - heapBefore) / (double) points);
    fig.put("float32BytesPerVector", 4.0 * d);
    if (!quantization.equals("FLOAT32")) {
      fig.put("recallAt10", recall(SearchParams.DEFAULT));
      fig.put("recallAt10NoRescore", recall(SearchParams.DEFAULT.withRescore(false, null)));
    } else {
      fig.put("recallAt10", recall(SearchParams.DEFAULT));
    }
    SideReport.write("SearchBenchmark", params(), fig);
  }

  Map<String, Object> params() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("dataset", dataset);
    p.put("n", n);
    p.put("dim", dim);
    p.put("corpus", corpus);
    p.put("storage", storage);
    p.put("index", index);
    p.put("quantization", quantization);
    return p;
  }

  static void load(InMemoryVectorStore store, String collection, float[][] points) {
    List<PointStruct> batch = new ArrayList<>(1000);
    for (int i = 0; i < points.length; i++) {
      batch.add(new PointStruct(PointId.of(i), points[i], Map.of()));
      if (batch.size() == 1000 || i == points.length - 1) {
        store.upsert(collection, batch);
        batch.clear();
      }
    }
  }

  /** recall@10 of a search with {@code params} against exact search on the same collection. */
  private double recall(SearchParams params) {
    int found = 0;
    for (float[] q : queries) {
      Set<PointId> truth = new HashSet<>();
      for (ScoredPoint p :
          store.search(
              COLLECTION, SearchRequest.builder(q, K).params(SearchParams.exactSearch()).build())) {
        truth.add(p.id());
      }
      for (ScoredPoint p :
          store.search(COLLECTION, SearchRequest.builder(q, K).params(params).build())) {
        if (truth.contains(p.id())) {
          found++;
        }
      }
    }
    return found / (double) (K * queries.length);
  }

  static long usedHeapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    store.close();
    Files.deleteIfExists(mmapDir);
  }

  /** Each thread walks the query set from its own position. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    SearchRequest request(float[][] queries) {
      float[] q = queries[next++ % queries.length];
      return SearchRequest.builder(q, K).build();
    }
  }

  @Benchmark
  @Threads(1)
  public List<ScoredPoint> search1Thread(Cursor cursor) {
    return store.search(COLLECTION, cursor.request(queries));
  }

  @Benchmark
  @Threads(2)
  public List<ScoredPoint> search2Threads(Cursor cursor) {
    return store.search(COLLECTION, cursor.request(queries));
  }
}
