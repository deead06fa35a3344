package dev.vectorcache.benchmarks.ann;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.CollectionStatus;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.MemoryUsage;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The embedded engine ({@link InMemoryVectorStore}), Cosine, configured by a name of the form
 * {@code index-quantization-vectors[-graph]}:
 *
 * <ul>
 *   <li>index: {@code flat} ({@link IndexType#FLAT}, exact scan of the codes) or {@code hnsw};
 *   <li>quantization: {@code f32} (none), {@code int8} (scalar, quantile 0.99), {@code pq16}
 *       (product, compression X16) or {@code bin}; rescored with the originals at the engine's
 *       default oversampling;
 *   <li>vectors: {@code heap} ({@link StorageMode#IN_MEMORY}, codes in RAM) or {@code mmap} ({@link
 *       StorageMode#MMAP}, codes memory-mapped too: {@code always_ram = false});
 *   <li>graph (HNSW only): {@code graphheap} or {@code graphdisk} ({@code on_disk = true}).
 * </ul>
 *
 * HNSW graphs are built on {@code max_indexing_threads = threads}. The search breadth is {@code
 * hnsw_ef} (0: the engine's default, {@code ef_construct}).
 */
final class EngineIndex implements AnnIndex {
  private static final String COLLECTION = "ann";

  private final Path dir;
  private final InMemoryVectorStore store;
  private final Map<String, Object> figures = new LinkedHashMap<>();

  private EngineIndex(Path dir, InMemoryVectorStore store, Map<String, Object> build) {
    this.dir = dir;
    this.store = store;
    figures.putAll(build);
    figures.put("kernels", String.valueOf(store.ping().details().get("kernels")));
  }

  /** The collection settings a configuration name stands for. */
  static CollectionConfig collectionConfig(
      String config, int dim, int m, int efConstruct, int threads, @Nullable Integer fullScanKb) {
    String[] p = config.split("-", -1);
    boolean hnsw = p[0].equals("hnsw");
    if (!(hnsw || p[0].equals("flat")) || p.length != (hnsw ? 4 : 3)) {
      throw new IllegalArgumentException(
          "engine config: flat-QUANT-VECTORS or hnsw-QUANT-VECTORS-GRAPH, not " + config);
    }
    boolean mmap = vectors(p[2]);
    CollectionConfig.Builder b =
        CollectionConfig.builder(dim, Distance.COSINE)
            .indexType(hnsw ? IndexType.HNSW : IndexType.FLAT)
            .storageMode(mmap ? StorageMode.MMAP : StorageMode.IN_MEMORY)
            .quantization(quantization(p[1], !mmap));
    if (hnsw) {
      boolean onDisk = graph(p[3]);
      b.hnsw(new HnswConfig(m, efConstruct, fullScanKb, onDisk, threads));
    }
    return b.build();
  }

  private static @Nullable QuantizationConfig quantization(String name, boolean alwaysRam) {
    return switch (name) {
      case "f32" -> null;
      case "int8" -> QuantizationConfig.scalarInt8(0.99f, alwaysRam);
      case "pq16" -> QuantizationConfig.product(QuantizationConfig.Compression.X16, alwaysRam);
      case "bin" -> QuantizationConfig.binary(alwaysRam);
      default ->
          throw new IllegalArgumentException("quantization: f32, int8, pq16 or bin, not " + name);
    };
  }

  private static boolean vectors(String name) {
    return switch (name) {
      case "heap" -> false;
      case "mmap" -> true;
      default -> throw new IllegalArgumentException("vectors: heap or mmap, not " + name);
    };
  }

  private static boolean graph(String name) {
    return switch (name) {
      case "graphheap" -> false;
      case "graphdisk" -> true;
      default -> throw new IllegalArgumentException("graph: graphheap or graphdisk, not " + name);
    };
  }

  /** Builds the collection in a fresh store whose mapped files live in the cache directory. */
  static EngineIndex open(
      AnnData data,
      String config,
      int m,
      int efConstruct,
      int threads,
      @Nullable Integer fullScanKb) {
    CollectionConfig cc = collectionConfig(config, data.dim(), m, efConstruct, threads, fullScanKb);
    Built built = Built.of("engine", config + "-m" + m + "-ef" + efConstruct, data);
    Path dir = built.start();
    InMemoryVectorStore store = new InMemoryVectorStore(dir);
    AnnData.log("building engine " + config + " over " + data.key());
    long start = System.nanoTime();
    store.createCollection(COLLECTION, cc);
    try (MatrixFile.Floats points = data.openPoints()) {
      int batch = 1000;
      for (int from = 0; from < data.n(); from += batch) {
        float[][] block = points.read(from, Math.min(batch, data.n() - from));
        List<PointStruct> ps = new ArrayList<>(block.length);
        for (int i = 0; i < block.length; i++) {
          ps.add(new PointStruct(PointId.of(from + i), block[i], Map.of()));
        }
        store.upsert(COLLECTION, ps);
      }
    }
    awaitIndexed(store);
    Map<String, Object> info = built.finish(data.n(), threads, System.nanoTime() - start);
    return new EngineIndex(dir, store, info);
  }

  private static void awaitIndexed(InMemoryVectorStore store) {
    long deadline = System.nanoTime() + 3_600_000_000_000L;
    while (store.collectionInfo(COLLECTION).status() != CollectionStatus.GREEN) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the engine did not finish indexing within an hour");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the index", e);
      }
    }
  }

  @Override
  public int[] search(float[] query, int k, int breadth) {
    SearchParams params =
        breadth > 0 ? new SearchParams(breadth, false, false, null, null) : SearchParams.DEFAULT;
    List<ScoredPoint> hits =
        store.search(COLLECTION, SearchRequest.builder(query, k).params(params).build());
    int[] ids = new int[hits.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (int) hits.get(i).id().num();
    }
    return ids;
  }

  /** The engine's own accounting ({@code CollectionInfo.memory()}), bytes per vector. */
  @Override
  public Path dir() {
    return dir;
  }

  @Override
  public Map<String, Object> figures() {
    CollectionInfo info = store.collectionInfo(COLLECTION);
    MemoryUsage mem = info.memory();
    double n = Math.max(1, info.pointsCount());
    Map<String, Object> out = new LinkedHashMap<>(figures);
    out.put("engineHeapBytesPerVector", mem.heapBytes() / n);
    out.put("engineOffHeapBytesPerVector", mem.offHeapBytes() / n);
    out.put("engineMappedBytesPerVector", mem.mappedBytes() / n);
    return out;
  }

  @Override
  public void close() {
    store.close();
  }
}
