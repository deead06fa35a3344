package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MemoryUsage;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.VectorStoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memory-mapped storage: files, chunking, and what {@code CollectionInfo.memory()} reports. */
class StorageModeTest {
  @TempDir Path dir;

  private static List<PointStruct> points(int n, int dim, long seed) {
    Random r = new Random(seed);
    List<PointStruct> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new PointStruct(PointId.of(i), KernelsTest.gaussian(r, dim), Map.of()));
    }
    return out;
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Test
  void mmapFilesLiveInTheConfiguredDirectoryAndGoWithTheCollection() throws IOException {
    InMemoryVectorStore store = new InMemoryVectorStore(dir);
    store.createCollection(
        "odd name é.v1",
        CollectionConfig.builder(16, Distance.DOT)
            .storageMode(StorageMode.MMAP)
            .quantization(QuantizationConfig.scalarInt8(0.99f, false))
            .build());
    store.createCollection(
        "plain",
        CollectionConfig.builder(16, Distance.DOT).storageMode(StorageMode.ON_DISK).build());
    // originals + mapped codes, and originals + payloads (ON_DISK implies on_disk_payload)
    assertThat(files(dir)).hasSize(4);
    assertThat(files(dir)).allMatch(f -> f.getFileName().toString().matches("[A-Za-z0-9_.-]+"));
    assertThat(store.deleteCollection("plain")).isTrue();
    assertThat(files(dir)).hasSize(2);
    store.close();
    assertThat(files(dir)).isEmpty();
    assertThat(dir).exists();
  }

  @Test
  void embeddedOptionsMmapDirectoryChoosesTheDirectory() throws IOException {
    try (VectorStore store =
        Backends.discover()
            .openVectorStore(
                VectorStoreConfig.builder()
                    .adapterOptions(EmbeddedOptions.builder().mmapDirectory(dir).build())
                    .build())) {
      store.createCollection(
          "c", CollectionConfig.builder(4, Distance.EUCLID).storageMode(StorageMode.MMAP).build());
      store.upsert("c", points(10, 4, 1));
      assertThat(files(dir)).hasSize(1);
      assertThat(files(dir).get(0).getFileName().toString()).startsWith("c-").endsWith(".f32");
    }
    assertThat(files(dir)).isEmpty();
  }

  @Test
  void aDefaultStoreUsesATemporaryDirectoryRemovedOnClose() {
    InMemoryVectorStore store = new InMemoryVectorStore();
    store.createCollection(
        "c", CollectionConfig.builder(4, Distance.DOT).storageMode(StorageMode.MMAP).build());
    store.upsert("c", points(10, 4, 2));
    Path file = ((MappedVectorStorage) store.collectionFor("c").storage()).file().path();
    assertThat(file).exists();
    Path tmp = file.getParent();
    store.close();
    assertThat(file).doesNotExist();
    assertThat(tmp).doesNotExist();
  }

  @Test
  void chunkedFilesHoldVectorsAcrossChunkBoundaries() {
    int dim = 5;
    // 3 vectors (60 bytes) per chunk, so 100 vectors need 34 chunks
    MappedVectorStorage mapped = new MappedVectorStorage(dir.resolve("v.f32"), dim, 70);
    HeapVectorStorage heap = new HeapVectorStorage(dim);
    List<PointStruct> pts = points(100, dim, 3);
    mapped.ensureCapacity(100);
    heap.ensureCapacity(100);
    for (int i = 0; i < 100; i++) {
      mapped.set(i, pts.get(i).vector());
      heap.set(i, pts.get(i).vector());
    }
    assertThat(mapped.file().recordsPerChunk()).isEqualTo(3);
    assertThat(mapped.file().chunkCount()).isEqualTo(34);
    float[] q = pts.get(50).vector();
    for (int i = 0; i < 100; i++) {
      assertThat(mapped.get(i)).containsExactly(pts.get(i).vector());
      for (Metric m : Metric.values()) {
        assertThat(mapped.score(Kernels.active(), m, q, i))
            .isCloseTo(heap.score(Kernels.active(), m, q, i), within(1e-4f));
      }
    }
    mapped.close();
    assertThat(dir.resolve("v.f32")).doesNotExist();
  }

  private static MemoryUsage load(InMemoryVectorStore store, String name, CollectionConfig c) {
    store.createCollection(name, c);
    store.upsert(name, points(2000, 128, 9));
    return store.collectionInfo(name).memory();
  }

  @Test
  void memoryReportsHeapAndMappedBytesTruthfully() {
    try (InMemoryVectorStore store = new InMemoryVectorStore(dir)) {
      long floats = 2000L * 128 * 4;
      MemoryUsage heap = load(store, "heap", CollectionConfig.builder(128, Distance.DOT).build());
      MemoryUsage mmap =
          load(
              store,
              "mmap",
              CollectionConfig.builder(128, Distance.DOT).storageMode(StorageMode.MMAP).build());
      MemoryUsage int8Ram =
          load(
              store,
              "int8ram",
              CollectionConfig.builder(128, Distance.DOT)
                  .storageMode(StorageMode.MMAP)
                  .quantization(QuantizationConfig.scalarInt8(0.99f, true))
                  .build());
      MemoryUsage int8Disk =
          load(
              store,
              "int8disk",
              CollectionConfig.builder(128, Distance.DOT)
                  .storageMode(StorageMode.ON_DISK)
                  .quantization(QuantizationConfig.scalarInt8(0.99f, false))
                  .build());
      assertThat(heap.heapBytes()).isGreaterThanOrEqualTo(floats);
      assertThat(heap.mappedBytes()).isZero();
      assertThat(mmap.mappedBytes()).isGreaterThanOrEqualTo(floats);
      assertThat(heap.offHeapBytes()).isZero();

      long heapVectors = store.collectionFor("heap").storage().heapBytes();
      long mmapVectors = store.collectionFor("mmap").storage().heapBytes();
      assertThat(mmapVectors).isLessThanOrEqualTo(heapVectors / 20); // ≤ 5%
      // what the collection holds beside vectors (ids, slot arrays) is the same in both modes
      assertThat(heap.heapBytes() - heapVectors).isEqualTo(mmap.heapBytes() - mmapVectors);

      // int8 codes in RAM: D + 4 bytes per vector, about a quarter of the floats
      long codes = store.collectionFor("int8ram").quantizedIndex().heapBytes();
      assertThat(codes).isBetween(2000L * 132, 2L * 2000 * 132 + 1024);
      assertThat(int8Ram.mappedBytes()).isEqualTo(mmap.mappedBytes());
      assertThat(int8Disk.mappedBytes()).isGreaterThanOrEqualTo(floats + 2000L * 128);
      assertThat(int8Disk.heapBytes()).isLessThan(int8Ram.heapBytes());
    }
  }

  @Test
  void deletedSlotsAreReusedInMappedStorage() {
    try (InMemoryVectorStore store = new InMemoryVectorStore(dir)) {
      store.createCollection(
          "c",
          CollectionConfig.builder(8, Distance.EUCLID)
              .storageMode(StorageMode.MMAP)
              .quantization(QuantizationConfig.binary(false))
              .build());
      store.upsert("c", points(100, 8, 4));
      long mapped = store.collectionInfo("c").memory().mappedBytes();
      List<PointId> ids = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        ids.add(PointId.of(i));
      }
      store.delete("c", ids);
      List<PointStruct> again = new ArrayList<>();
      for (PointStruct p : points(50, 8, 5)) {
        again.add(new PointStruct(PointId.of(p.id().num() + 1000), p.vector(), Map.of()));
      }
      store.upsert("c", again);
      assertThat(store.collectionInfo("c").memory().mappedBytes()).isEqualTo(mapped);
      float[] v = again.get(7).vector();
      var hit = store.search("c", SearchRequest.builder(v, 1).build()).get(0);
      assertThat(hit.id()).isEqualTo(PointId.of(1007));
      assertThat(hit.score()).isCloseTo(0f, within(1e-6f));
    }
  }
}
