package dev.vectorcache.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Small model records and enums")
class SmallRecordsTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  @DisplayName("MetadataEntry refuses a blank key, copies its metadata and expires at expiresAt")
  void metadataEntry() {
    Map<String, Object> meta = new HashMap<>(Map.of("n", 1));
    MetadataEntry e = new MetadataEntry("docs:a", meta, 3, T);
    meta.put("n", 2);
    assertThat(e.metadata()).containsExactly(Map.entry("n", 1L));
    assertThat(e.isExpiredAt(T.minusMillis(1))).isFalse();
    assertThat(e.isExpiredAt(T)).isTrue();
    assertThat(new MetadataEntry("k", null, 1, T).metadata()).isEmpty();
    assertThatThrownBy(() -> new MetadataEntry(" ", Map.of(), 1, T))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            ex -> {
              assertThat(ex.field()).isEqualTo("key");
              assertThat(ex.expected()).isEqualTo("a non-blank string");
            });
  }

  @Test
  @DisplayName("BackendInfo requires its names and copies its details")
  void backendInfo() {
    Map<String, String> details = new HashMap<>(Map.of("mode", "standalone"));
    BackendInfo info = new BackendInfo("redis", "lettuce", "7.2", Duration.ofMillis(3), details);
    details.put("password", "leaked?");
    assertThat(info.details()).containsExactly(Map.entry("mode", "standalone"));
    assertThat(new BackendInfo("redis", "jedis", "7.2", Duration.ZERO, null).details()).isEmpty();
    assertThatThrownBy(() -> new BackendInfo(null, "c", "v", Duration.ZERO, null))
        .hasMessage("backend");
    assertThatThrownBy(() -> new BackendInfo("b", null, "v", Duration.ZERO, null))
        .hasMessage("client");
    assertThatThrownBy(() -> new BackendInfo("b", "c", null, Duration.ZERO, null))
        .hasMessage("serverVersion");
    assertThatThrownBy(() -> new BackendInfo("b", "c", "v", null, null)).hasMessage("roundTrip");
  }

  @Test
  @DisplayName("MetadataEvent and CollectionInfo require every component")
  void requiredComponents() {
    assertThatThrownBy(() -> new MetadataEvent(null, "c", "k", 1, T)).hasMessage("type");
    assertThatThrownBy(() -> new MetadataEvent(MetadataEvent.Type.STORED, null, "k", 1, T))
        .hasMessage("collection");
    assertThatThrownBy(() -> new MetadataEvent(MetadataEvent.Type.STORED, "c", null, 1, T))
        .hasMessage("key");
    assertThatThrownBy(() -> new MetadataEvent(MetadataEvent.Type.STORED, "c", "k", 1, null))
        .hasMessage("at");
    CollectionConfig config = CollectionConfig.builder(2, Distance.DOT).build();
    CollectionInfo info =
        new CollectionInfo("c", config, 5, CollectionStatus.GREEN, MemoryUsage.UNKNOWN);
    assertThat(info.memory().isKnown()).isFalse();
    assertThat(new MemoryUsage(10, 0, 0).isKnown()).isTrue();
    assertThatThrownBy(
            () -> new CollectionInfo(null, config, 0, CollectionStatus.RED, MemoryUsage.UNKNOWN))
        .hasMessage("name");
    assertThatThrownBy(
            () -> new CollectionInfo("c", null, 0, CollectionStatus.RED, MemoryUsage.UNKNOWN))
        .hasMessage("config");
    assertThatThrownBy(() -> new CollectionInfo("c", config, 0, null, MemoryUsage.UNKNOWN))
        .hasMessage("status");
    assertThatThrownBy(() -> new CollectionInfo("c", config, 0, CollectionStatus.YELLOW, null))
        .hasMessage("memory");
  }

  @Test
  @DisplayName("product quantization offers Qdrant's compression ratios, and only it takes one")
  void quantization() {
    assertThat(List.of(QuantizationConfig.Compression.values()))
        .extracting(QuantizationConfig.Compression::ratio)
        .containsExactly(4, 8, 16, 32, 64);
    QuantizationConfig pq = QuantizationConfig.product(QuantizationConfig.Compression.X16, false);
    assertThat(pq.type()).isEqualTo(QuantizationType.PRODUCT);
    assertThat(pq.compression().ratio()).isEqualTo(16);
    assertThat(pq.effectiveQuantile()).isEqualTo(1.0f);
    assertThat(QuantizationConfig.binary(true).alwaysRam()).isTrue();
    assertThat(QuantizationConfig.scalarInt8().effectiveQuantile()).isEqualTo(0.99f);
    assertThatThrownBy(
            () ->
                new QuantizationConfig(
                    QuantizationType.SCALAR_INT8, null, QuantizationConfig.Compression.X4, false))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo("quantization.compression");
              assertThat(e.expected()).isEqualTo("no compression for SCALAR_INT8 quantization");
              assertThat(e.found()).isEqualTo("X4");
            });
    assertThatThrownBy(() -> new QuantizationConfig(QuantizationType.BINARY, 0.9f, null, false))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.expected()).isEqualTo("no quantile for BINARY quantization"));
    assertThatThrownBy(() -> new QuantizationConfig(null, null, null, false)).hasMessage("type");
  }

  @Test
  @DisplayName("the enums that adapters map by name keep their names")
  void enumNames() {
    assertThat(PayloadSchemaType.values())
        .extracting(Enum::name)
        .containsExactly("KEYWORD", "INTEGER", "FLOAT", "BOOL", "TEXT", "DATETIME", "UUID");
    assertThat(Capability.values())
        .extracting(Enum::name)
        .containsExactly(
            "SCALAR_QUANTIZATION",
            "PRODUCT_QUANTIZATION",
            "BINARY_QUANTIZATION",
            "MMAP_STORAGE",
            "MEMORY_USAGE_REPORT",
            "FULL_TEXT_INDEX",
            "CROSS_PROCESS_PUBSUB",
            "BATCH_METADATA_WRITES",
            "CLUSTER_REQUESTS",
            "SCORED_SETS",
            "BATCH_SEARCH",
            "ALIASES",
            "NAMED_VECTORS",
            "SPARSE_VECTORS",
            "FUSION_QUERIES");
    assertThat(CollectionStatus.valueOf("GREY")).isEqualTo(CollectionStatus.GREY);
    assertThat(CacheStrategy.values())
        .containsExactly(CacheStrategy.CACHE_ASIDE, CacheStrategy.PAYLOAD_ONLY);
  }

  @Test
  @DisplayName("PayloadSelector selects all, none or the listed keys")
  void payloadSelector() {
    assertThat(PayloadSelector.of(true)).isEqualTo(PayloadSelector.ALL);
    assertThat(PayloadSelector.of(false)).isEqualTo(PayloadSelector.NONE);
    assertThat(PayloadSelector.include("a", "b").include()).containsExactlyInAnyOrder("a", "b");
    assertThatThrownBy(() -> new PayloadSelector(true, null)).hasMessage("include");
  }

  @Test
  @DisplayName("Distance says which way is better and applies thresholds strictly")
  void distance() {
    assertThat(Distance.DOT.largerIsBetter()).isTrue();
    assertThat(Distance.MANHATTAN.largerIsBetter()).isFalse();
    assertThat(Distance.COSINE.passes(0.5f, 0.5f)).isFalse();
    assertThat(Distance.COSINE.passes(0.6f, 0.5f)).isTrue();
    assertThat(Distance.EUCLID.passes(0.4f, 0.5f)).isTrue();
    assertThat(Distance.EUCLID.compareBestFirst(1f, 2f)).isNegative();
    assertThat(Distance.DOT.compareBestFirst(1f, 2f)).isPositive();
  }

  @Test
  @DisplayName("CollectionConfig's builder sets every field and toBuilder() round-trips")
  void collectionConfigBuilder() {
    OptimizersConfig optimizers = OptimizersConfig.DEFAULT;
    CollectionConfig c =
        CollectionConfig.builder(8, Distance.MANHATTAN)
            .indexType(IndexType.FLAT)
            .optimizers(optimizers)
            .shardNumber(2)
            .replicationFactor(3)
            .writeConsistencyFactor(1)
            .quantization(QuantizationConfig.binary(false))
            .build();
    assertThat(c.indexType()).isEqualTo(IndexType.FLAT);
    assertThat(c.optimizers()).isEqualTo(optimizers);
    assertThat(c.shardNumber()).isEqualTo(2);
    assertThat(c.replicationFactor()).isEqualTo(3);
    assertThat(c.writeConsistencyFactor()).isEqualTo(1);
    assertThat(c.dimension()).isEqualTo(8);
    assertThat(c.distance()).isEqualTo(Distance.MANHATTAN);
    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThatThrownBy(() -> CollectionConfig.builder(8, Distance.DOT).indexType(null))
        .hasMessage("indexType");
    assertThatThrownBy(() -> CollectionConfig.builder(8, Distance.DOT).optimizers(null))
        .hasMessage("optimizers");
    assertThatThrownBy(() -> CollectionConfig.builder(8, Distance.DOT).replicationFactor(0).build())
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("replicationFactor"));
  }
}
