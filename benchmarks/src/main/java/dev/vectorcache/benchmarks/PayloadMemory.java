package dev.vectorcache.benchmarks;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * What {@code on_disk_payload} saves on the heap: the same {@code n} points ({@code dim} random
 * floats, a payload of about 1 KB: ten short fields and a 900-character text) are loaded into a
 * flat collection with payloads in RAM, then (after dropping it) into one with payloads on disk.
 * For each: the retained heap per point beyond the vectors' own {@code n × dim × 4} bytes (used
 * heap after several full GCs, with the collection loaded minus before it, as {@link MemoryMXBean}
 * reports it), also beyond the capacity of the vectors' heap array (which grows by a quarter), the
 * median and p99 latency of a top-10 search without payloads, and of hydrating 10 payloads by id
 * (retrieve). The vectors are generated, not loaded from a data set.
 *
 * <pre>
 * java -Xmx6g --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     dev.vectorcache.benchmarks.PayloadMemory [n] [dim] [queries]
 * </pre>
 *
 * Appends one JSON line per configuration to {@code benchmarks/results/payload-memory.jsonl}.
 */
public final class PayloadMemory {
  private static final int BATCH = 5_000;

  private PayloadMemory() {}

  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int dim = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    int queries = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    Path out = Path.of("benchmarks", "results", "payload-memory.jsonl");
    Files.createDirectories(out.getParent());
    for (boolean onDisk : new boolean[] {false, true}) {
      String line = run(n, dim, queries, onDisk);
      System.out.println(line);
      Files.writeString(out, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  private static String run(int n, int dim, int queries, boolean onDisk) {
    long before = usedHeapAfterGc();
    try (InMemoryVectorStore store = new InMemoryVectorStore()) {
      store.createCollection(
          "c",
          CollectionConfig.builder(dim, Distance.COSINE)
              .indexType(IndexType.FLAT)
              .onDiskPayload(onDisk)
              .build());
      Random r = new Random(42);
      List<PointStruct> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < n; i++) {
        batch.add(new PointStruct(PointId.of(i), vector(r, dim), payload(r, i)));
        if (batch.size() == BATCH || i == n - 1) {
          store.upsert("c", batch);
          batch.clear();
        }
      }
      long after = usedHeapAfterGc();
      double perPoint = (after - before - (double) n * dim * Float.BYTES) / n;
      double perPointBeyondCapacity =
          (after - before - (double) vectorCapacityFloats(n, dim) * Float.BYTES) / n;
      long[] search = new long[queries];
      long[] hydrate = new long[queries];
      for (int q = 0; q < queries; q++) {
        float[] v = vector(r, dim);
        long t0 = System.nanoTime();
        store.search("c", SearchRequest.builder(v, 10).build());
        search[q] = System.nanoTime() - t0;
        List<PointId> ids = new ArrayList<>(10);
        for (int k = 0; k < 10; k++) {
          ids.add(PointId.of(r.nextInt(n)));
        }
        t0 = System.nanoTime();
        store.retrieve("c", ids, PayloadSelector.ALL, false);
        hydrate[q] = System.nanoTime() - t0;
      }
      var memory = store.collectionInfo("c").memory();
      return String.format(
          Locale.ROOT,
          "{\"payloads\":\"%s\",\"n\":%d,\"dim\":%d,\"queries\":%d,"
              + "\"heapBytesPerPointBeyondVectors\":%.1f,"
              + "\"heapBytesPerPointBeyondVectorCapacity\":%.1f,\"reportedHeapBytes\":%d,"
              + "\"reportedMappedBytes\":%d,\"searchP50Micros\":%.1f,\"searchP99Micros\":%.1f,"
              + "\"retrieve10P50Micros\":%.1f,\"retrieve10P99Micros\":%.1f,\"jdk\":\"%s\"}",
          onDisk ? "disk" : "ram",
          n,
          dim,
          queries,
          perPoint,
          perPointBeyondCapacity,
          memory.heapBytes(),
          memory.mappedBytes(),
          percentile(search, 0.5),
          percentile(search, 0.99),
          percentile(hydrate, 0.5),
          percentile(hydrate, 0.99),
          Runtime.version());
    }
  }

  /**
   * The floats the engine's heap vector array holds after {@code n} single-slot growths: 16
   * vectors, then a quarter more each time (its {@code Growth} policy), so that the unused tail of
   * the array (up to a fifth) is not charged to the payloads.
   */
  private static long vectorCapacityFloats(int n, int dim) {
    long c = 16L * dim;
    for (long slots = 1; slots <= n; slots++) {
      if (slots * dim > c) {
        c = Math.max(slots * dim, c + (c >> 2) + 1);
      }
    }
    return c;
  }

  private static float[] vector(Random r, int dim) {
    float[] v = new float[dim];
    for (int d = 0; d < dim; d++) {
      v[d] = (float) r.nextGaussian();
    }
    return v;
  }

  /** About 1 KB: ten small fields and a 900-character text, different for every point. */
  private static Map<String, Object> payload(Random r, int i) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("id", (long) i);
    p.put("tenant", "tenant-" + (i % 100));
    p.put("lang", i % 2 == 0 ? "en" : "de");
    p.put("score", r.nextDouble());
    p.put("views", (long) r.nextInt(1_000_000));
    p.put("public", r.nextBoolean());
    p.put("source", "https://example.org/docs/" + i);
    p.put("tags", List.of("a" + (i % 7), "b" + (i % 11)));
    p.put("created", 1_700_000_000_000L + i);
    p.put("model", "all-MiniLM-L6-v2");
    char[] text = new char[900];
    for (int c = 0; c < text.length; c++) {
      text[c] = (char) ('a' + r.nextInt(26));
    }
    p.put("text", new String(text));
    return p;
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      used = Math.min(used, mx.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static double percentile(long[] nanos, double p) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, (int) (p * s.length))] / 1_000.0;
  }
}
