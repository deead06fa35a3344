package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ReadConsistency;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.ShardingMethod;
import dev.vectorcache.core.model.TenantIndex;
import dev.vectorcache.core.model.WriteOptions;
import dev.vectorcache.core.model.WriteOrdering;
import dev.vectorcache.core.port.ClusterRequests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Custom sharding in the embedded engine: shard keys isolate points, as in Qdrant. */
class CustomShardingTest {
  private static final ShardKey A = ShardKey.of("tenant-a");
  private static final ShardKey B = ShardKey.of("tenant-b");
  private static final ShardKey N = ShardKey.of(7);

  private final InMemoryVectorStore store = new InMemoryVectorStore();
  private final ClusterRequests cluster = store.extension(ClusterRequests.class).orElseThrow();

  @AfterEach
  void close() {
    store.close();
  }

  private void create(ShardKey... keys) {
    store.createCollection(
        "c", CollectionConfig.builder(2, Distance.EUCLID).customSharding(keys).build());
  }

  private static WriteOptions to(ShardKey... keys) {
    return WriteOptions.builder().shardKeys(keys).build();
  }

  private static ReadOptions in(ShardKey... keys) {
    return ReadOptions.builder().shardKeys(keys).build();
  }

  private static PointStruct point(long id, float x) {
    return PointStruct.of(PointId.of(id), new float[] {x, 0}, Map.of("id", id));
  }

  private static List<Long> ids(List<? extends Object> points) {
    List<Long> out = new ArrayList<>();
    for (Object p : points) {
      out.add((p instanceof ScoredPoint s ? s.id() : ((RetrievedPoint) p).id()).num());
    }
    return out;
  }

  @Test
  void advertisedAndOfferedThroughBothForms() {
    assertThat(store.isSupported(Capability.CLUSTER_REQUESTS)).isTrue();
    assertThat(store.async().extension(ClusterRequests.class)).containsSame(cluster);
    assertThat(store.extension(String.class)).isEmpty();
  }

  @Test
  void pointsOfOneKeyAreFoundOnlyThroughThatKeyOrThroughAll() {
    create(A, B);
    cluster.upsert("c", List.of(point(1, 1), point(2, 2)), to(A)).join();
    cluster.upsert("c", List.of(point(3, 3)), to(B)).join();
    SearchRequest q = SearchRequest.builder(new float[] {0, 0}, 10).build();

    assertThat(ids(cluster.search("c", q, in(A)).join())).containsExactly(1L, 2L);
    assertThat(ids(cluster.search("c", q, in(B)).join())).containsExactly(3L);
    // no selector: every key, merged best first (Euclid: smallest distance first)
    assertThat(ids(store.search("c", q))).containsExactly(1L, 2L, 3L);
    assertThat(ids(store.search("c", SearchRequest.builder(new float[] {3, 0}, 1).build())))
        .containsExactly(3L);
    assertThat(ids(cluster.search("c", q, in(A, B)).join())).containsExactly(1L, 2L, 3L);
    assertThat(cluster.count("c", null, in(A)).join()).isEqualTo(2);
    assertThat(store.count("c", null)).isEqualTo(3);

    List<PointId> all = List.of(PointId.of(3), PointId.of(1), PointId.of(2));
    assertThat(ids(cluster.retrieve("c", all, PayloadSelector.ALL, false, in(B)).join()))
        .containsExactly(3L);
    assertThat(ids(store.retrieve("c", all, PayloadSelector.ALL, false)))
        .containsExactly(3L, 1L, 2L);
  }

  @Test
  void theSameIdUnderTwoKeysIsTwoPoints() {
    create(A, B);
    cluster.upsert("c", List.of(point(1, 1)), to(A)).join();
    cluster.upsert("c", List.of(point(1, 5)), to(B)).join();
    assertThat(store.count("c", null)).isEqualTo(2);
    RetrievedPoint inB =
        cluster
            .retrieve("c", List.of(PointId.of(1)), PayloadSelector.ALL, true, in(B))
            .join()
            .get(0);
    assertThat(inB.vector()).containsExactly(5f, 0f);
    // reads over every key return each id once, as Qdrant does
    assertThat(store.retrieve("c", List.of(PointId.of(1)), PayloadSelector.NONE, false)).hasSize(1);
    assertThat(store.scroll("c", ScrollRequest.firstPage(10)).points()).hasSize(1);
    cluster.delete("c", List.of(PointId.of(1)), to(A)).join();
    assertThat(cluster.count("c", null, in(A)).join()).isZero();
    assertThat(cluster.count("c", null, in(B)).join()).isEqualTo(1);
  }

  @Test
  void anUpsertNamingSeveralKeysStoresThePointsUnderEach() {
    create(A, B, N);
    cluster.upsert("c", List.of(point(1, 1)), to(A, N)).join();
    assertThat(cluster.count("c", null, in(A)).join()).isEqualTo(1);
    assertThat(cluster.count("c", null, in(B)).join()).isZero();
    assertThat(cluster.count("c", null, in(N)).join()).isEqualTo(1);
  }

  @Test
  void writesMustNameAKeyAndKeysMustExist() {
    create(A);
    assertThatThrownBy(() -> store.upsert("c", List.of(point(1, 1))))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo("shardKeys");
              assertThat(e.getMessage()).contains("custom sharding");
            });
    assertThatThrownBy(() -> cluster.upsert("c", List.of(point(1, 1)), to(B)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("tenant-b");
    assertThatThrownBy(() -> cluster.count("c", null, in(B)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> store.delete("c", List.of(PointId.of(1))))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> store.setPayload("c", List.of(PointId.of(1)), Map.of("a", 1)))
        .isInstanceOf(InvalidInputException.class);
    assertThat(store.count("c", null)).isZero();
  }

  @Test
  void automaticShardingRefusesShardKeys() {
    store.createCollection("auto", CollectionConfig.builder(2, Distance.DOT).build());
    assertThatThrownBy(() -> cluster.upsert("auto", List.of(point(1, 1)), to(A)))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.expected()).contains("automatic sharding"));
    assertThatThrownBy(() -> cluster.createShardKey("auto", A))
        .isInstanceOf(InvalidInputException.class);
    assertThat(cluster.listShardKeys("auto").join()).isEmpty();
  }

  @Test
  void keysAreCreatedListedAndDeletedWithTheirPoints() {
    create(A);
    cluster.createShardKey("c", N).join();
    cluster.createShardKey("c", B).join();
    assertThat(cluster.listShardKeys("c").join()).containsExactly(N, A, B);
    assertThatThrownBy(() -> cluster.createShardKey("c", A))
        .isInstanceOf(InvalidInputException.class);
    cluster.upsert("c", List.of(point(1, 1)), to(B)).join();
    cluster.deleteShardKey("c", B).join();
    assertThat(store.count("c", null)).isZero();
    assertThat(cluster.listShardKeys("c").join()).containsExactly(N, A);
    assertThatThrownBy(() -> cluster.deleteShardKey("c", B))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void payloadWritesAndDeletesApplyInTheNamedKeysOnly() {
    create(A, B);
    cluster.upsert("c", List.of(point(1, 1)), to(A, B)).join();
    cluster.setPayload("c", List.of(PointId.of(1)), Map.of("x", 1), to(A)).join();
    cluster.overwritePayload("c", List.of(PointId.of(1)), Map.of("y", 2), to(B)).join();
    assertThat(payload(A)).containsEntry("x", 1L).containsEntry("id", 1L);
    assertThat(payload(B)).containsOnlyKeys("y");
    cluster.deletePayloadKeys("c", List.of(PointId.of(1)), List.of("x"), to(A)).join();
    assertThat(payload(A)).doesNotContainKey("x");
    cluster.clearPayload("c", List.of(PointId.of(1)), to(B)).join();
    assertThat(payload(B)).isEmpty();
    cluster
        .deleteByFilter(
            "c",
            dev.vectorcache.core.filter.Filter.must(
                dev.vectorcache.core.filter.Condition.hasId(PointId.of(1))),
            to(A))
        .join();
    assertThat(cluster.count("c", null, in(A)).join()).isZero();
    assertThat(cluster.count("c", null, in(B)).join()).isEqualTo(1);
  }

  private Map<String, Object> payload(ShardKey key) {
    return cluster
        .retrieve("c", List.of(PointId.of(1)), PayloadSelector.ALL, false, in(key))
        .join()
        .get(0)
        .payload();
  }

  @Test
  void scrollingEveryKeyPagesInIdOrder() {
    create(A, B);
    List<PointStruct> evens = new ArrayList<>();
    List<PointStruct> odds = new ArrayList<>();
    for (long i = 1; i <= 9; i++) {
      (i % 2 == 0 ? evens : odds).add(point(i, (float) i));
    }
    cluster.upsert("c", evens, to(A)).join();
    cluster.upsert("c", odds, to(B)).join();
    List<Long> seen = new ArrayList<>();
    PointId offset = null;
    do {
      ScrollPage page = store.scroll("c", ScrollRequest.firstPage(4).withOffset(offset));
      seen.addAll(ids(page.points()));
      offset = page.nextOffset();
    } while (offset != null);
    assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(ids(cluster.scroll("c", ScrollRequest.firstPage(10), in(A)).join().points()))
        .containsExactly(2L, 4L, 6L, 8L);
    // offset and limit over the merged hits
    SearchRequest q = SearchRequest.builder(new float[] {0, 0}, 3).offset(2).build();
    assertThat(ids(store.search("c", q))).containsExactly(3L, 4L, 5L);
  }

  @Test
  void consistencyAndOrderingAreAcceptedOnOneNode() {
    create(A);
    WriteOptions strong = to(A).mutate().ordering(WriteOrdering.STRONG).build();
    cluster.upsert("c", List.of(point(1, 1)), strong).join();
    ReadOptions all = ReadOptions.builder().consistency(ReadConsistency.all()).build();
    assertThat(cluster.count("c", null, all).join()).isEqualTo(1);
    assertThat(
            cluster
                .count("c", null, all.mutate().consistency(ReadConsistency.factor(3)).build())
                .join())
        .isEqualTo(1);
  }

  @Test
  void infoEchoesTheSettingsWithTheKeysItHasAndTheTenantIndex() {
    store.createCollection(
        "c",
        CollectionConfig.builder(2, Distance.COSINE)
            .customSharding(A)
            .shardNumber(2)
            .replicationFactor(3)
            .writeConsistencyFactor(2)
            .tenantIndex(TenantIndex.keyword("tenant"))
            .build());
    cluster.createShardKey("c", B).join();
    cluster.upsert("c", List.of(point(1, 1)), to(B)).join();
    CollectionInfo info = store.collectionInfo("c");
    assertThat(info.config().shardingMethod()).isEqualTo(ShardingMethod.CUSTOM);
    assertThat(info.config().shardKeys()).containsExactly(A, B);
    assertThat(info.config().shardNumber()).isEqualTo(2);
    assertThat(info.config().replicationFactor()).isEqualTo(3);
    assertThat(info.config().writeConsistencyFactor()).isEqualTo(2);
    assertThat(info.config().tenantIndex()).isEqualTo(TenantIndex.keyword("tenant"));
    assertThat(info.pointsCount()).isEqualTo(1);
    assertThat(info.memory().heapBytes()).isPositive();
    // the tenant index is a real index, on every shard, those created later too
    assertThat(store.payloadIndexes("c")).containsEntry("tenant", PayloadSchemaType.KEYWORD);
  }
}
