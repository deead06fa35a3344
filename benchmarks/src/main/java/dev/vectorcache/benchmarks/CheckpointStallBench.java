package dev.vectorcache.benchmarks;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.inmemory.EmbeddedOptions;
import dev.vectorcache.inmemory.FsyncPolicy;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * How long a durable store's writers wait while a checkpoint is taken ({@code docs/storage.md},
 * "Checkpoints"): {@code N} points of {@code DIM} clustered vectors are written in batches of 1,000
 * to a FLAT collection of a store whose {@code checkpointBytes} is set so that the last batch takes
 * the log past it, while another thread writes single 4-dimension points to a second collection,
 * one after the other. Reported: how long the batch that took the checkpoint took (the whole
 * checkpoint runs on its thread), and the longest wait of one of the other thread's writes (how
 * long the checkpoint held writes up). Fsync policy {@code never}, so the times are the
 * checkpoint's.
 *
 * <pre>
 * java -Xmx12g -cp benchmarks/target/benchmarks.jar \
 *     dev.vectorcache.benchmarks.CheckpointStallBench N DIM DIR
 * </pre>
 *
 * {@code DIR} is emptied first. Appends one JSON line to {@code
 * benchmarks/results/checkpoint-stall.jsonl}.
 */
public final class CheckpointStallBench {
  private static final int BATCH = 1_000;

  private CheckpointStallBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: CheckpointStallBench N DIM DIR");
      System.exit(2);
    }
    int n = Integer.parseInt(args[0]);
    int dim = Integer.parseInt(args[1]);
    Path dir = Path.of(args[2]);
    float[][] points = Datasets.clustered(7, n, dim).points();
    int batches = (n + BATCH - 1) / BATCH;
    if (batches < 2) {
      throw new IllegalArgumentException("N must be at least " + 2 * BATCH + ", found " + n);
    }

    // the log bytes of one batch, to set checkpointBytes between the last two batches
    Path probe = dir.resolve("probe");
    StorageDirs.clear(probe);
    long perBatch;
    try (InMemoryVectorStore store = open(probe, Long.MAX_VALUE)) {
      store.createCollection("c", config(dim));
      store.upsert("c", batch(points, 0));
      perBatch = StorageDirs.logBytes(probe);
    }
    StorageDirs.clear(probe);

    Path data = dir.resolve("data");
    StorageDirs.clear(data);
    long slowestBatch = 0;
    AtomicLong longestWait = new AtomicLong();
    AtomicLong otherWrites = new AtomicLong();
    AtomicBoolean loading = new AtomicBoolean(true);
    try (InMemoryVectorStore store = open(data, perBatch * batches - perBatch / 2)) {
      store.createCollection("c", config(dim));
      // small records, so that the loader's batch is almost surely the write that crosses the
      // trigger and runs the checkpoint
      store.createCollection("other", config(4));
      Thread other =
          new Thread(
              () -> {
                long i = 0;
                while (loading.get()) {
                  PointStruct p = PointStruct.of(i, new float[] {1, i % 7, 2, 3});
                  long t = System.nanoTime();
                  store.upsert("other", List.of(p));
                  longestWait.accumulateAndGet(System.nanoTime() - t, Math::max);
                  i++;
                }
                otherWrites.set(i);
              },
              "other-writer");
      other.start();
      for (int b = 0; b < batches; b++) {
        long t = System.nanoTime();
        store.upsert("c", batch(points, b * BATCH));
        slowestBatch = Math.max(slowestBatch, System.nanoTime() - t);
      }
      loading.set(false);
      other.join();
      if (store.count("c", null) != n) {
        throw new IllegalStateException("wrote " + store.count("c", null) + " of " + n);
      }
    }
    long checkpoints;
    try (Stream<Path> files = Files.list(data)) {
      checkpoints = files.filter(f -> f.getFileName().toString().startsWith("checkpoint-")).count();
    }
    String line =
        String.format(
            Locale.ROOT,
            "{\"n\":%d,\"dim\":%d,\"checkpointingBatchSeconds\":%.3f,"
                + "\"otherWriterLongestWaitSeconds\":%.3f,\"otherWrites\":%d,\"checkpoints\":%d,"
                + "\"jdk\":\"%s\",\"cores\":%d}",
            n,
            dim,
            slowestBatch / 1e9,
            longestWait.get() / 1e9,
            otherWrites.get(),
            checkpoints,
            Runtime.version(),
            Runtime.getRuntime().availableProcessors());
    System.out.println(line);
    Path out = Path.of("benchmarks", "results", "checkpoint-stall.jsonl");
    Files.createDirectories(out.getParent());
    Files.writeString(out, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static CollectionConfig config(int dim) {
    return CollectionConfig.builder(dim, Distance.COSINE).indexType(IndexType.FLAT).build();
  }

  private static List<PointStruct> batch(float[][] points, int from) {
    List<PointStruct> batch = new ArrayList<>(BATCH);
    for (int i = from; i < Math.min(points.length, from + BATCH); i++) {
      batch.add(PointStruct.of(PointId.of(i), points[i], Map.of("i", (long) i)));
    }
    return batch;
  }

  private static InMemoryVectorStore open(Path data, long checkpointBytes) {
    return new InMemoryVectorStore(
        EmbeddedOptions.builder()
            .storageDirectory(data)
            .fsyncPolicy(FsyncPolicy.NEVER)
            .checkpointBytes(checkpointBytes)
            .build());
  }
}
