package dev.vectorcache.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The cluster settings of the model: checked when built, before any I/O. */
@DisplayName("Cluster settings: shard keys, consistency, ordering, tenant index")
class ClusterSettingsTest {

  private static void refused(ThrowingCallable call, String field, String expected) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.expected()).contains(expected);
            });
  }

  @Test
  @DisplayName("a shard key is a non-empty keyword or a number of 0 or more")
  void shardKeys() {
    assertThat(ShardKey.of("tenant-1").keyword()).isEqualTo("tenant-1");
    assertThat(ShardKey.of(7).isNumber()).isTrue();
    assertThat(ShardKey.of("a")).hasToString("\"a\"");
    assertThat(ShardKey.of(7)).hasToString("7");
    refused(() -> ShardKey.of(""), "shardKey", "non-empty");
    refused(() -> ShardKey.of((String) null), "shardKey", "non-empty");
    refused(() -> ShardKey.of(-1), "shardKey", "0 or more");
    refused(() -> new ShardKey("a", 1L), "shardKey", "either");
    refused(() -> new ShardKey(null, null), "shardKey", "either");
  }

  @Test
  @DisplayName("read consistency is a type or a factor of 1 or more")
  void consistency() {
    assertThat(ReadConsistency.all().type()).isEqualTo(ReadConsistency.Type.ALL);
    assertThat(ReadConsistency.majority().type()).isEqualTo(ReadConsistency.Type.MAJORITY);
    assertThat(ReadConsistency.quorum().type()).isEqualTo(ReadConsistency.Type.QUORUM);
    assertThat(ReadConsistency.factor(2).factor()).isEqualTo(2L);
    refused(() -> ReadConsistency.factor(0), "readConsistency.factor", "1 or more");
    refused(() -> new ReadConsistency(ReadConsistency.Type.ALL, 2L), "readConsistency", "either");
    refused(() -> new ReadConsistency(null, null), "readConsistency", "either");
  }

  @Test
  @DisplayName("options default to Qdrant's defaults: nothing set")
  void defaults() {
    assertThat(ReadOptions.DEFAULT.consistency()).isNull();
    assertThat(ReadOptions.DEFAULT.shardKeys()).isEmpty();
    assertThat(WriteOptions.DEFAULT.ordering()).isNull();
    assertThat(WriteOptions.DEFAULT.shardKeys()).isEmpty();
    assertThat(ReadOptions.builder().build()).isEqualTo(ReadOptions.DEFAULT);
    assertThat(WriteOptions.builder().build()).isEqualTo(WriteOptions.DEFAULT);
  }

  @Test
  @DisplayName("options are immutable values, changed through mutate()")
  void options() {
    ReadOptions r =
        ReadOptions.builder()
            .consistency(ReadConsistency.quorum())
            .shardKeys(ShardKey.of("a"))
            .build();
    ReadOptions r2 = r.mutate().shardKeys(ShardKey.of("b"), ShardKey.of(3)).build();
    assertThat(r.shardKeys()).containsExactly(ShardKey.of("a"));
    assertThat(r2.shardKeys()).containsExactly(ShardKey.of("b"), ShardKey.of(3));
    assertThat(r2.consistency()).isEqualTo(ReadConsistency.quorum());
    assertThat(r).isNotEqualTo(r2).hasSameHashCodeAs(r.mutate().build());
    assertThat(r.toString()).contains("QUORUM").contains("\"a\"");

    WriteOptions w =
        WriteOptions.builder().ordering(WriteOrdering.STRONG).shardKeys(ShardKey.of(1)).build();
    assertThat(w.mutate().ordering(null).build().ordering()).isNull();
    assertThat(w.ordering()).isEqualTo(WriteOrdering.STRONG);
    assertThat(w).isEqualTo(w.mutate().build()).hasSameHashCodeAs(w.mutate().build());
    assertThat(w.toString()).contains("STRONG");
  }

  @Test
  @DisplayName("shard-key lists refuse nulls and duplicates, naming the position")
  void keyLists() {
    refused(
        () -> ReadOptions.builder().shardKeys(ShardKey.of("a"), ShardKey.of("a")),
        "shardKeys[1]",
        "once");
    refused(
        () -> WriteOptions.builder().shardKeys(Arrays.asList(ShardKey.of("a"), null)),
        "shardKeys[1]",
        "a shard key");
    refused(() -> WriteOptions.builder().shardKeys((List<ShardKey>) null), "shardKeys", "list");
  }

  @Test
  @DisplayName("a collection takes shard keys only with CUSTOM sharding")
  void collectionShardKeys() {
    CollectionConfig c =
        CollectionConfig.builder(4, Distance.DOT)
            .customSharding(ShardKey.of("a"), ShardKey.of(2))
            .tenantIndex(TenantIndex.keyword("tenant"))
            .build();
    assertThat(c.shardingMethod()).isEqualTo(ShardingMethod.CUSTOM);
    assertThat(c.shardKeys()).containsExactly(ShardKey.of("a"), ShardKey.of(2));
    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(CollectionConfig.builder(4, Distance.DOT).build().shardingMethod()).isNull();
    refused(
        () ->
            CollectionConfig.builder(4, Distance.DOT)
                .shardingMethod(ShardingMethod.AUTO)
                .shardKeys(List.of(ShardKey.of("a")))
                .build(),
        "shardKeys",
        "CUSTOM");
    refused(
        () -> CollectionConfig.builder(4, Distance.DOT).customSharding(ShardKey.of("a"), null),
        "shardKeys[1]",
        "a shard key");
  }

  @Test
  @DisplayName("a tenant index is a keyword or UUID index on a named field")
  void tenantIndex() {
    assertThat(new TenantIndex("t", PayloadSchemaType.UUID).type())
        .isEqualTo(PayloadSchemaType.UUID);
    refused(() -> new TenantIndex("t", PayloadSchemaType.INTEGER), "tenantIndex.type", "KEYWORD");
    refused(() -> TenantIndex.keyword(" "), "tenantIndex.field", "non-blank");
  }
}
