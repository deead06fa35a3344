package dev.vectorcache.benchmarks;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What product quantization costs when a collection is loaded: the same {@code n × dim} clustered
 * vectors are upserted (batches of 10,000, flat index, vectors on the heap) into a collection
 * without quantization, one with int8 and one with product quantization X16, one after the other in
 * this JVM; the difference to the unquantized load is what training the codebooks (k-means on a
 * sample, retrained as the collection doubles) and encoding every vector cost.
 *
 * <pre>
 * java -Xmx6g --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     dev.vectorcache.benchmarks.PqTraining [n] [dim]
 * </pre>
 *
 * Appends one JSON line per configuration to {@code benchmarks/results/pq-training.jsonl}.
 */
public final class PqTraining {
  private static final int BATCH = 10_000;

  private PqTraining() {}

  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int dim = args.length > 1 ? Integer.parseInt(args[1]) : 384;
    float[][] points = Datasets.clustered(42, n, dim).points();
    Map<String, @Nullable QuantizationConfig> configs = new java.util.LinkedHashMap<>();
    configs.put("f32", null);
    configs.put("int8", QuantizationConfig.scalarInt8(0.99f, true));
    configs.put("pq16", QuantizationConfig.product(QuantizationConfig.Compression.X16, true));
    Path out = Path.of("benchmarks", "results", "pq-training.jsonl");
    Files.createDirectories(out.getParent());
    double base = 0;
    for (Map.Entry<String, @Nullable QuantizationConfig> c : configs.entrySet()) {
      double seconds = load(points, dim, c.getValue());
      if (c.getKey().equals("f32")) {
        base = seconds;
      }
      String line =
          String.format(
              Locale.ROOT,
              "{\"config\":\"%s\",\"n\":%d,\"dim\":%d,\"loadSeconds\":%.2f,"
                  + "\"overF32Seconds\":%.2f,\"jdk\":\"%s\"}",
              c.getKey(),
              n,
              dim,
              seconds,
              seconds - base,
              Runtime.version());
      System.out.println(line);
      Files.writeString(out, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  private static double load(float[][] points, int dim, @Nullable QuantizationConfig q) {
    try (InMemoryVectorStore store = new InMemoryVectorStore()) {
      store.createCollection(
          "c",
          CollectionConfig.builder(dim, Distance.COSINE)
              .indexType(IndexType.FLAT)
              .quantization(q)
              .build());
      long start = System.nanoTime();
      List<PointStruct> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < points.length; i++) {
        batch.add(new PointStruct(PointId.of(i), points[i], Map.of()));
        if (batch.size() == BATCH || i == points.length - 1) {
          store.upsert("c", batch);
          batch.clear();
        }
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }
}
