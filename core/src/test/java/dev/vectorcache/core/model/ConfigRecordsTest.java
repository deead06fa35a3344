package dev.vectorcache.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.InvalidInputException;
import org.junit.jupiter.api.Test;

class ConfigRecordsTest {

  @Test
  void memoryOptimizedIsTheOriginalDesignsFootprint() {
    CollectionConfig c = CollectionConfig.memoryOptimized(384, Distance.COSINE);
    assertThat(c.storageMode()).isEqualTo(StorageMode.MMAP);
    assertThat(c.quantization()).isEqualTo(QuantizationConfig.scalarInt8(0.99f, true));
    assertThat(c.onDiskPayload()).isTrue();
    assertThat(c.hnsw().onDisk()).isTrue();
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }

  @Test
  void onDiskStorageImpliesOnDiskGraphAndPayload() {
    CollectionConfig c =
        CollectionConfig.builder(8, Distance.DOT).storageMode(StorageMode.ON_DISK).build();
    assertThat(c.hnsw().onDisk()).isTrue();
    assertThat(c.onDiskPayload()).isTrue();
  }

  @Test
  void hnswFullScanThresholdIsKilobytesOfFloat32Vectors() {
    HnswConfig h = HnswConfig.DEFAULT;
    assertThat(h.maxIndexingThreads()).isZero();
    assertThat(h.effectiveFullScanThresholdKb()).isEqualTo(10_000);
    // 1 KB is one vector of 256 float32 components
    assertThat(h.fullScanThresholdVectors(256)).isEqualTo(10_000);
    assertThat(h.fullScanThresholdVectors(64)).isEqualTo(40_000);
    HnswConfig tuned = h.withFullScanThresholdKb(10).withMaxIndexingThreads(2).withOnDisk(true);
    assertThat(tuned.fullScanThresholdVectors(64)).isEqualTo(40);
    assertThat(tuned.maxIndexingThreads()).isEqualTo(2);
    assertThat(tuned.onDisk()).isTrue();
    assertThat(new HnswConfig(16, 100, null, false)).isEqualTo(HnswConfig.DEFAULT);
  }

  @Test
  void invalidSettingsNameTheFieldAndTheRange() {
    assertThatThrownBy(() -> VectorParams.of(0, Distance.DOT))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("dimension")
        .hasMessageContaining("1 to 65536");
    assertThatThrownBy(() -> QuantizationConfig.scalarInt8(0.4f, true))
        .hasMessageContaining("quantization.quantile")
        .hasMessageContaining("0.5 to 1.0");
    assertThatThrownBy(() -> new HnswConfig(16, 3, null, false))
        .hasMessageContaining("hnsw.efConstruct");
    assertThatThrownBy(() -> HnswConfig.DEFAULT.withMaxIndexingThreads(-1))
        .hasMessageContaining("hnsw.maxIndexingThreads");
    assertThatThrownBy(() -> new HnswConfig(-1, 100, null, false)).hasMessageContaining("hnsw.m");
    assertThatThrownBy(() -> HnswConfig.DEFAULT.withFullScanThresholdKb(-1))
        .hasMessageContaining("hnsw.fullScanThresholdKb");
    assertThatThrownBy(() -> new SearchParams(null, false, false, true, 0.5))
        .hasMessageContaining("params.oversampling");
    assertThatThrownBy(() -> CollectionConfig.builder(4, Distance.DOT).shardNumber(0).build())
        .hasMessageContaining("shardNumber");
    assertThatThrownBy(() -> new QuantizationConfig(QuantizationType.PRODUCT, null, null, false))
        .hasMessageContaining("quantization.compression");
  }

  @Test
  void recordsWithArraysCompareByValueAndCopyDefensively() {
    float[] v = {1, 2};
    PointStruct p = PointStruct.of(1, v);
    v[0] = 9;
    assertThat(p.vector()).containsExactly(1, 2);
    p.vector()[1] = 7;
    assertThat(p.vector()).containsExactly(1, 2);
    assertThat(p).isEqualTo(PointStruct.of(1, new float[] {1, 2}));
    assertThat(SearchRequest.builder(new float[] {1}, 3).build())
        .isEqualTo(SearchRequest.builder(new float[] {1}, 3).build());
  }
}
