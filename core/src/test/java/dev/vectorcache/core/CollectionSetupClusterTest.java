package dev.vectorcache.core;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.CollectionConfigMismatchException;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.ShardingMethod;
import dev.vectorcache.core.model.TenantIndex;
import dev.vectorcache.core.testing.FakeMetadataStore;
import dev.vectorcache.core.testing.FakeVectorStore;
import dev.vectorcache.core.testing.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link CollectionSetup} verifying the cluster settings of an existing collection. */
@DisplayName("CollectionSetup: cluster settings of an existing collection")
class CollectionSetupClusterTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeVectorStore vectors = new FakeVectorStore();
  private final FakeMetadataStore metadata = new FakeMetadataStore(clock);
  private final List<VectorCache> opened = new ArrayList<>();

  @AfterEach
  void tearDown() {
    opened.forEach(VectorCache::close);
  }

  private void existing(CollectionConfig.Builder config) {
    vectors.createCollection("docs", config.build());
  }

  private VectorCache cache(CollectionConfig.Builder expected) {
    VectorCache c =
        VectorCache.builder()
            .collection("docs")
            .collectionConfig(expected.build())
            .vectorStore(vectors)
            .metadataStore(metadata)
            .clock(clock)
            .build();
    opened.add(c);
    return c;
  }

  private static CollectionConfig.Builder base() {
    return CollectionConfig.builder(3, Distance.COSINE);
  }

  @Test
  @DisplayName("accepts a collection whose cluster settings are the ones asked for")
  void same() {
    existing(
        base()
            .shardNumber(2)
            .replicationFactor(2)
            .writeConsistencyFactor(1)
            .customSharding(ShardKey.of("a"), ShardKey.of("b"))
            .tenantIndex(TenantIndex.keyword("tenant")));
    // the cache may ask for fewer keys than the collection has: tenants come and go
    assertThatCode(
            () ->
                cache(
                        base()
                            .shardNumber(2)
                            .replicationFactor(2)
                            .writeConsistencyFactor(1)
                            .customSharding(ShardKey.of("a"))
                            .tenantIndex(TenantIndex.keyword("tenant")))
                    .initialize())
        .doesNotThrowAnyException();
  }

  @Test
  @DisplayName("leaves unset settings to the server: nothing to compare")
  void unsetNotCompared() {
    existing(base().shardNumber(6).replicationFactor(1));
    assertThatCode(() -> cache(base()).initialize()).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("refuses another shard number, naming both values")
  void shardNumber() {
    existing(base().shardNumber(2));
    assertThatThrownBy(() -> cache(base().shardNumber(3)).initialize())
        .isInstanceOf(CollectionConfigMismatchException.class)
        .hasMessageContaining("shardNumber = 2")
        .hasMessageContaining("shardNumber = 3");
  }

  @Test
  @DisplayName("refuses another replication factor; an unreported one is Qdrant's default, 1")
  void replicationFactor() {
    existing(base());
    assertThatThrownBy(() -> cache(base().replicationFactor(2)).initialize())
        .isInstanceOf(CollectionConfigMismatchException.class)
        .hasMessageContaining("replicationFactor = 1")
        .hasMessageContaining("replicationFactor = 2");
  }

  @Test
  @DisplayName("refuses another write consistency factor")
  void writeConsistencyFactor() {
    existing(base().writeConsistencyFactor(2));
    assertThatThrownBy(() -> cache(base().writeConsistencyFactor(1)).initialize())
        .isInstanceOf(CollectionConfigMismatchException.class)
        .hasMessageContaining("writeConsistencyFactor = 2");
  }

  @Test
  @DisplayName("refuses another sharding method either way (unset is AUTO)")
  void shardingMethod() {
    existing(base());
    assertThatThrownBy(() -> cache(base().customSharding()).initialize())
        .isInstanceOf(CollectionConfigMismatchException.class)
        .hasMessageContaining("shardingMethod = AUTO")
        .hasMessageContaining("shardingMethod = CUSTOM");
    vectors.deleteCollection("docs");
    existing(base().shardingMethod(ShardingMethod.CUSTOM));
    assertThatThrownBy(() -> cache(base()).initialize())
        .isInstanceOf(CollectionConfigMismatchException.class)
        .hasMessageContaining("shardingMethod = CUSTOM");
  }

  @Test
  @DisplayName("refuses a collection missing a shard key the cache asks for")
  void shardKeys() {
    existing(base().customSharding(ShardKey.of("a")));
    assertThatThrownBy(() -> cache(base().customSharding(ShardKey.of("b"))).initialize())
        .isInstanceOf(CollectionConfigMismatchException.class)
        .hasMessageContaining("shardKeys");
  }

  @Test
  @DisplayName("refuses a collection without the tenant index, or with another one")
  void tenantIndex() {
    existing(base());
    assertThatThrownBy(() -> cache(base().tenantIndex(TenantIndex.keyword("tenant"))).initialize())
        .isInstanceOf(CollectionConfigMismatchException.class)
        .hasMessageContaining("tenantIndex = null");
  }
}
