package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.AliasAction;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.port.ClusterRequests;
import dev.vectorcache.core.port.CollectionAliases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded engine's aliases beyond the contract: readers never see half a batch, shard keys and
 * payload indexes through an alias, a closed store refuses alias calls.
 */
class AliasesTest {
  private final InMemoryVectorStore store = new InMemoryVectorStore();
  private final CollectionAliases aliases = store.extension(CollectionAliases.class).orElseThrow();

  @AfterEach
  void close() {
    store.close();
  }

  private void update(AliasAction... actions) {
    Futures.join(aliases.updateAliases(List.of(actions)));
  }

  private void collectionOf(String name, int points) {
    store.createCollection(name, CollectionConfig.builder(2, Distance.DOT).build());
    List<PointStruct> ps = new ArrayList<>();
    for (int i = 1; i <= points; i++) {
      ps.add(new PointStruct(PointId.of(i), new float[] {1f, i}, Map.of()));
    }
    store.upsert(name, ps);
  }

  @Test
  void readersThroughAnAliasNeverSeeHalfABatch() throws Exception {
    collectionOf("one", 1);
    collectionOf("two", 2);
    update(AliasAction.create("live", "one"));
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<Object> seen = new ConcurrentLinkedQueue<>();
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      Thread t =
          new Thread(
              () -> {
                while (!stop.get()) {
                  try {
                    seen.add(store.count("live", null));
                  } catch (RuntimeException e) {
                    seen.add(e);
                  }
                }
              });
      t.start();
      readers.add(t);
    }
    for (int i = 0; i < 2_000; i++) {
      String target = i % 2 == 0 ? "two" : "one";
      update(AliasAction.delete("live"), AliasAction.create("live", target));
    }
    stop.set(true);
    for (Thread t : readers) {
      t.join();
    }
    // between the delete and the create of one batch "live" names nothing: no reader saw that
    assertThat(seen).isNotEmpty().allSatisfy(v -> assertThat(v).isIn(1L, 2L));
  }

  @Test
  void shardKeysAndPayloadIndexesThroughAnAlias() {
    store.createCollection(
        "tenants",
        CollectionConfig.builder(2, Distance.DOT).customSharding(ShardKey.of("a")).build());
    update(AliasAction.create("t", "tenants"));
    ClusterRequests cluster = store.extension(ClusterRequests.class).orElseThrow();
    Futures.join(cluster.createShardKey("t", ShardKey.of("b")));
    assertThat(Futures.join(cluster.listShardKeys("t")))
        .containsExactlyInAnyOrder(ShardKey.of("a"), ShardKey.of("b"));
    store.createPayloadIndex("t", "tenant", PayloadSchemaType.KEYWORD);
    assertThat(store.payloadIndexes("tenants")).containsKey("tenant");
    assertThat(store.payloadIndexes("t")).isEqualTo(store.payloadIndexes("tenants"));
    assertThat(store.collectionInfo("t").config().shardKeys()).hasSize(2);
  }

  @Test
  void aClosedStoreRefusesAliasCalls() {
    collectionOf("c", 1);
    update(AliasAction.create("a", "c"));
    store.close();
    assertThatThrownBy(() -> Futures.join(aliases.listAliases()))
        .isInstanceOf(BackendUnavailableException.class);
    assertThatThrownBy(() -> update(AliasAction.delete("a")))
        .isInstanceOf(BackendUnavailableException.class);
  }
}
