package dev.vectorcache.benchmarks;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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
 * Peers of {@link SearchBenchmark} on identical data (same generator, seed and queries), k = 10:
 * LangChain4j 1.19.0's {@code InMemoryEmbeddingStore} (artifact {@code
 * dev.langchain4j:langchain4j}; brute force, Cosine recomputed in double per entry), and a plain
 * {@code float[][]} scalar dot loop with an insertion top-k, the baseline any Java program gets for
 * free.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar PeerSearchBenchmark \
 *   -rf json -rff benchmarks/results/peers.json
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms3g", "-Xmx3g"})
@State(Scope.Benchmark)
public class PeerSearchBenchmark {
  @Param({"langchain4j", "float-array"})
  public String backend = ""; // JMH sets every @Param before @Setup

  @Param({"clustered"})
  public String dataset = ""; // JMH sets every @Param before @Setup

  @Param({"100000"})
  public int n;

  @Param({"384"})
  public int dim;

  @Param({"10000"})
  public int corpus;

  static final int K = 10;

  float[][] points;
  float[][] queries;
  // only for the langchain4j backend
  @Nullable InMemoryEmbeddingStore<TextSegment> lc4j;
  @Nullable List<Embedding> lc4jQueries;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Datasets.Data data = Datasets.load(dataset, n, dim, corpus);
    points = data.points();
    queries = data.queries();
    long before = SearchBenchmark.usedHeapAfterGc();
    if (backend.equals("langchain4j")) {
      lc4j = new InMemoryEmbeddingStore<>();
      List<Embedding> all = new ArrayList<>(points.length);
      for (float[] p : points) {
        all.add(Embedding.from(p.clone()));
      }
      lc4j.addAll(all);
      lc4jQueries = new ArrayList<>();
      for (float[] q : queries) {
        lc4jQueries.add(Embedding.from(q));
      }
    }
    long after = SearchBenchmark.usedHeapAfterGc();
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("backend", backend);
    params.put("dataset", dataset);
    params.put("n", n);
    params.put("dim", dim);
    params.put("corpus", corpus);
    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put("points", points.length);
    fig.put(
        "measuredHeapGrowthPerVector",
        backend.equals("langchain4j") ? (after - before) / (double) points.length : Double.NaN);
    fig.put("float32BytesPerVector", 4.0 * points[0].length);
    SideReport.write("PeerSearchBenchmark", params, fig);
  }

  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  private Object search(Cursor c) {
    int qi = c.next++ % queries.length;
    if (lc4j != null && lc4jQueries != null) { // set together in setUp
      EmbeddingSearchResult<TextSegment> r =
          lc4j.search(
              EmbeddingSearchRequest.builder()
                  .queryEmbedding(lc4jQueries.get(qi))
                  .maxResults(K)
                  .minScore(0.0)
                  .build());
      return r.matches();
    }
    return scalarTopK(points, queries[qi], K);
  }

  /** The plain loop: scalar dot products, insertion into a sorted top-k array. */
  static int[] scalarTopK(float[][] points, float[] q, int k) {
    int[] best = new int[k];
    float[] bestScore = new float[k];
    java.util.Arrays.fill(bestScore, Float.NEGATIVE_INFINITY);
    for (int p = 0; p < points.length; p++) {
      float[] v = points[p];
      float s = 0;
      for (int i = 0; i < v.length; i++) {
        s += q[i] * v[i];
      }
      if (s > bestScore[k - 1]) {
        int j = k - 1;
        while (j > 0 && bestScore[j - 1] < s) {
          bestScore[j] = bestScore[j - 1];
          best[j] = best[j - 1];
          j--;
        }
        bestScore[j] = s;
        best[j] = p;
      }
    }
    return best;
  }

  @Benchmark
  @Threads(1)
  public Object search1Thread(Cursor c) {
    return search(c);
  }

  @Benchmark
  @Threads(2)
  public Object search2Threads(Cursor c) {
    return search(c);
  }
}
