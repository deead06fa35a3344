package dev.vectorcache.inmemory;

import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.QuantizationConfig;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The parts a {@link MemCollection} is made of, as its configuration asks: the original vectors'
 * storage, the quantized codes, the HNSW index. Files of one collection share a base name: {@code
 * <base>.f32} (vectors), {@code <base>.codes} (codes), {@code <base>.hnsw} and {@code <base>.hnswu}
 * (graph).
 */
final class CollectionParts {
  private CollectionParts() {}

  /** A file name from the collection name, made unique (a re-created collection gets new files). */
  static String fileBase(String name) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < name.length() && b.length() < 64; i++) {
      char c = name.charAt(i);
      b.append((Character.isLetterOrDigit(c) && c < 128) || c == '-' || c == '_' ? c : '_');
    }
    return b + "-" + UUID.randomUUID();
  }

  /** The originals: mapped under {@code dir} when given, else on the heap. */
  static VectorStorage storage(CollectionConfig config, @Nullable Path dir, String base) {
    return dir != null
        ? new MappedVectorStorage(
            dir.resolve(base + ".f32"), config.dimension(), MappedFile.DEFAULT_MAX_CHUNK_BYTES)
        : new HeapVectorStorage(config.dimension());
  }

  /**
   * The payloads: in a memory-mapped file under {@code fileDir} ({@code <base>.payload}) when
   * {@code onDisk}, else on the heap.
   */
  static PayloadStore payloads(boolean onDisk, Supplier<Path> fileDir, String base) {
    return onDisk ? new MappedPayloadStore(fileDir.get(), base) : new HeapPayloadStore();
  }

  /**
   * Qdrant's {@code memmap_threshold} in bytes (kilobytes of 1024 bytes); 0 when unset or 0, which
   * Qdrant reads as "never" ({@code optimizers_builder.rs}: None or 0 becomes {@code usize::MAX}).
   * Only {@link dev.vectorcache.core.model.StorageMode#IN_MEMORY} collections have vectors to move.
   */
  static long memmapThresholdBytes(CollectionConfig config) {
    Long kb = config.optimizers().memmapThresholdKb();
    if (kb == null
        || kb <= 0
        || config.storageMode() != dev.vectorcache.core.model.StorageMode.IN_MEMORY) {
      return 0;
    }
    return kb > Long.MAX_VALUE / 1024 ? Long.MAX_VALUE : kb * 1024;
  }

  /**
   * The codes, or null without quantization: mapped under {@code dir} when given and not {@code
   * alwaysRam}, else on the heap. Product quantization scores {@code originals} exactly until it
   * has trained its codebooks.
   */
  static @Nullable QuantizedIndex quantized(
      CollectionConfig config,
      @Nullable Path dir,
      String base,
      Kernels kernels,
      VectorStorage originals) {
    QuantizationConfig q = config.quantization();
    if (q == null) {
      return null;
    }
    Path codes = dir != null && !q.alwaysRam() ? dir.resolve(base + ".codes") : null;
    int dim = config.dimension();
    return switch (q.type()) {
      case SCALAR_INT8 ->
          new ScalarInt8Index(dim, config.distance(), q.effectiveQuantile(), kernels, codes);
      case BINARY -> new BinaryIndex(dim, config.distance(), codes);
      case PRODUCT ->
          new ProductQuantizedIndex(
              dim,
              config.distance(),
              Objects.requireNonNull(q.compression(), "quantization.compression"),
              kernels,
              originals,
              codes);
    };
  }

  /**
   * The HNSW index, or null for {@link IndexType#FLAT} or {@code m = 0}. Its graph (made when the
   * collection first reaches the full-scan threshold) is mapped under {@code fileDir} when {@code
   * on_disk}, else on the heap.
   */
  static @Nullable HnswIndex index(
      CollectionConfig config, Supplier<Path> fileDir, String base, long seed) {
    HnswConfig h = config.hnsw();
    if (config.indexType() == IndexType.FLAT || h.m() == 0) {
      return null;
    }
    int dim = config.dimension();
    Metric metric = Metric.of(config.distance());
    return new HnswIndex(
        h,
        dim,
        () ->
            h.onDisk()
                ? MappedGraphStore.create(fileDir.get().resolve(base + ".hnsw"), h.m(), dim, metric)
                : new HeapGraphStore(h.m()),
        seed);
  }
}
