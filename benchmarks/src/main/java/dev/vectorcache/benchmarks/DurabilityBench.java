package dev.vectorcache.benchmarks;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.inmemory.EmbeddedOptions;
import dev.vectorcache.inmemory.FsyncPolicy;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What durable embedded storage costs ({@code docs/storage.md}): for each fsync policy, {@code N}
 * acknowledged single-point upserts of {@code DIM} clustered vectors one after the other (latency
 * p50/p99 of each call, points per second); then {@code RECOVERY_N} points written in batches of
 * 1,000 to a FLAT collection (no graph: the time measured is the data's) and the time to open the
 * directory again, twice: after a clean close (loading the checkpoint) and from a copy taken while
 * the store was open (a crash image: replaying the write-ahead log alone). With {@code GRAPH_N},
 * also {@code GRAPH_N} points written to an HNSW collection (m 16, ef_construct 100, 2 indexing
 * threads; the time until the last upsert returns is the graph's build time, what opening it took
 * before checkpoints kept the graph), then the time to open it again after a clean close, its
 * checkpoint holding the graph.
 *
 * <pre>
 * java -Xmx4g -cp benchmarks/target/benchmarks.jar \
 *     dev.vectorcache.benchmarks.DurabilityBench N DIM RECOVERY_N DIR [GRAPH_N]
 * </pre>
 *
 * {@code DIR} is emptied first and left holding the last run's files. Appends one JSON line to
 * {@code benchmarks/results/durability.jsonl}.
 */
public final class DurabilityBench {
  private static final int BATCH = 1_000;

  private DurabilityBench() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4 && args.length != 5) {
      System.err.println("usage: DurabilityBench N DIM RECOVERY_N DIR [GRAPH_N]");
      System.exit(2);
    }
    int graphN = args.length == 5 ? Integer.parseInt(args[4]) : 0;
    int n = Integer.parseInt(args[0]);
    int dim = Integer.parseInt(args[1]);
    int recoveryN = Integer.parseInt(args[2]);
    Path dir = Path.of(args[3]);
    float[][] points =
        Datasets.clustered(7, Math.max(Math.max(n, recoveryN), graphN), dim).points();

    StringBuilder json = new StringBuilder();
    json.append(String.format(Locale.ROOT, "{\"n\":%d,\"dim\":%d", n, dim));
    for (FsyncPolicy policy : FsyncPolicy.values()) {
      Path data = dir.resolve("upserts-" + policy.name().toLowerCase(Locale.ROOT));
      StorageDirs.clear(data);
      long[] nanos = new long[n];
      long start = System.nanoTime();
      try (InMemoryVectorStore store = new InMemoryVectorStore(options(data, policy))) {
        store.createCollection("c", CollectionConfig.builder(dim, Distance.COSINE).build());
        for (int i = 0; i < n; i++) {
          PointStruct p = PointStruct.of(PointId.of(i), points[i], Map.of("i", (long) i));
          long t = System.nanoTime();
          store.upsert("c", List.of(p));
          nanos[i] = System.nanoTime() - t;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Arrays.sort(nanos);
      String key = policy.name().toLowerCase(Locale.ROOT);
      json.append(
          String.format(
              Locale.ROOT,
              ",\"%s\":{\"p50Micros\":%.1f,\"p99Micros\":%.1f,\"pointsPerSecond\":%.0f}",
              key,
              nanos[n / 2] / 1e3,
              nanos[Math.min(n - 1, (int) (n * 0.99))] / 1e3,
              n / seconds));
    }

    Path data = dir.resolve("recovery");
    Path crash = dir.resolve("recovery-crash-image");
    StorageDirs.clear(data);
    StorageDirs.clear(crash);
    // the log must hold every point for the crash image: no checkpoint until close
    EmbeddedOptions options =
        options(data, FsyncPolicy.NEVER).mutate().checkpointBytes(Long.MAX_VALUE).build();
    double checkpointWrite;
    InMemoryVectorStore store = new InMemoryVectorStore(options);
    try {
      // FLAT: the time measured is the data's; a collection with a graph is measured apart
      store.createCollection(
          "c", CollectionConfig.builder(dim, Distance.COSINE).indexType(IndexType.FLAT).build());
      load(store, "c", points, recoveryN);
      copy(data, crash); // every write has returned: a copy is what a crash would leave
    } finally {
      long closing = System.nanoTime();
      store.close(); // the checkpoint of every point, written while writes wait
      checkpointWrite = (System.nanoTime() - closing) / 1e9;
    }
    long walBytes = StorageDirs.logBytes(crash);
    double replay = reopen(crash, recoveryN);
    double checkpoint = reopen(data, recoveryN);
    json.append(
        String.format(
            Locale.ROOT,
            ",\"recoveryN\":%d,\"walBytes\":%d,\"checkpointWriteSeconds\":%.3f,"
                + "\"walReplaySeconds\":%.3f,\"checkpointLoadSeconds\":%.3f",
            recoveryN,
            walBytes,
            checkpointWrite,
            replay,
            checkpoint));
    if (graphN > 0) {
      graph(dir.resolve("graph"), points, graphN, dim, json);
    }
    json.append(
        String.format(
            Locale.ROOT,
            ",\"jdk\":\"%s\",\"cores\":%d}",
            Runtime.version(),
            Runtime.getRuntime().availableProcessors()));
    String line = json.toString();
    System.out.println(line);
    Path out = Path.of("benchmarks", "results", "durability.jsonl");
    Files.createDirectories(out.getParent());
    Files.writeString(out, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /**
   * Builds an HNSW collection of {@code n} points in a durable store, closes it (a checkpoint with
   * the graph) and opens it again; checks that the graph came back (a search for a stored vector
   * finds it).
   */
  private static void graph(Path data, float[][] points, int n, int dim, StringBuilder json)
      throws IOException {
    StorageDirs.clear(data);
    EmbeddedOptions options =
        options(data, FsyncPolicy.NEVER).mutate().checkpointBytes(Long.MAX_VALUE).build();
    double build;
    try (InMemoryVectorStore store = new InMemoryVectorStore(options)) {
      store.createCollection(
          "g",
          CollectionConfig.builder(dim, Distance.COSINE)
              .hnsw(new HnswConfig(16, 100, 0, false, 2))
              .build());
      long start = System.nanoTime();
      load(store, "g", points, n);
      build = (System.nanoTime() - start) / 1e9;
    }
    long checkpointBytes;
    try (Stream<Path> files = Files.walk(data)) {
      checkpointBytes =
          files
              .filter(f -> f.toString().endsWith(".snapshot"))
              .mapToLong(
                  f -> {
                    try {
                      return Files.size(f);
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .sum();
    }
    long start = System.nanoTime();
    try (InMemoryVectorStore store = new InMemoryVectorStore(options)) {
      double open = (System.nanoTime() - start) / 1e9;
      int probe = n / 2;
      List<ScoredPoint> hit =
          store.search(
              "g",
              SearchRequest.builder(points[probe], 1)
                  .params(new SearchParams(100, false, false, null, null))
                  .build());
      if (store.count("g", null) != n || hit.isEmpty() || hit.get(0).id().num() != probe) {
        throw new IllegalStateException("the graph collection did not come back whole");
      }
      json.append(
          String.format(
              Locale.ROOT,
              ",\"graphN\":%d,\"graphBuildSeconds\":%.3f,\"graphCheckpointBytes\":%d,"
                  + "\"graphCheckpointLoadSeconds\":%.3f",
              n,
              build,
              checkpointBytes,
              open));
    }
  }

  /** Upserts the first {@code n} points into {@code collection} in batches of {@value #BATCH}. */
  private static void load(InMemoryVectorStore store, String collection, float[][] points, int n) {
    List<PointStruct> batch = new ArrayList<>(BATCH);
    for (int i = 0; i < n; i++) {
      batch.add(PointStruct.of(PointId.of(i), points[i], Map.of("i", (long) i)));
      if (batch.size() == BATCH || i == n - 1) {
        store.upsert(collection, batch);
        batch = new ArrayList<>(BATCH);
      }
    }
  }

  private static EmbeddedOptions options(Path data, FsyncPolicy policy) {
    return EmbeddedOptions.builder().storageDirectory(data).fsyncPolicy(policy).build();
  }

  /** Seconds to open {@code data} (recovery included); checks every point came back. */
  private static double reopen(Path data, int expected) {
    long start = System.nanoTime();
    try (InMemoryVectorStore store = new InMemoryVectorStore(options(data, FsyncPolicy.NEVER))) {
      double seconds = (System.nanoTime() - start) / 1e9;
      long count = store.count("c", null);
      if (count != expected) {
        throw new IllegalStateException(data + " recovered " + count + " of " + expected);
      }
      return seconds;
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        if (Files.isRegularFile(f) && !f.getFileName().toString().equals("LOCK")) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
  }
}
