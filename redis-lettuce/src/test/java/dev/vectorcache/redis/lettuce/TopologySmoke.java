package dev.vectorcache.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.BatchMetadataWrites;
import dev.vectorcache.core.port.ScoredSets;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.spi.MetadataStoreConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every kind of call once, for the TLS runs on a cluster and on Sentinel. */
final class TopologySmoke {
  private TopologySmoke() {}

  static void run(MetadataStoreConfig config) {
    List<MetadataEvent> seen = new CopyOnWriteArrayList<>();
    try (LettuceAsyncMetadataStore a = LettuceAsyncMetadataStore.open(config);
        LettuceAsyncMetadataStore b = LettuceAsyncMetadataStore.open(config)) {
      Subscription s = a.subscribe("coll", seen::add).join();
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        keys.add("k" + i);
        a.put(new MetadataEntry("k" + i, Map.of("i", (long) i), i, null), Duration.ofMinutes(1))
            .join();
      }
      assertThat(b.getAll(keys).join()).hasSize(20);
      assertThat(b.get("k3").join()).map(MetadataEntry::version).contains(3L);
      assertThat(b.ttl("k3").join()).isPresent();
      int written =
          b.extension(BatchMetadataWrites.class)
              .orElseThrow()
              .writeAll(
                  List.of(
                      new BatchMetadataWrites.CopyWrite(
                          new MetadataEntry("k3", Map.of(), 4, null),
                          Duration.ofMinutes(1),
                          BatchMetadataWrites.CopyWrite.Condition.IF_NEWER),
                      new BatchMetadataWrites.CopyWrite(
                          new MetadataEntry("k4", Map.of(), 1, null),
                          Duration.ofMinutes(1),
                          BatchMetadataWrites.CopyWrite.Condition.IF_NEWER)),
                  List.of(
                      new MetadataEvent(MetadataEvent.Type.STORED, "coll", "k3", 4, Instant.now())))
              .join();
      assertThat(written).as("k3 is newer, k4 is not").isEqualTo(1);
      ScoredSets sets = b.extension(ScoredSets.class).orElseThrow();
      sets.update(
              List.of(
                  ScoredSets.Update.set("z1", "a", 2),
                  ScoredSets.Update.set("z2", "a", 1),
                  ScoredSets.Update.increment("z1", "b", 1)))
          .join();
      assertThat(a.extension(ScoredSets.class).orElseThrow().lowest("z1", 5).join())
          .containsExactly("b", "a");
      assertThat(sets.remove("z2", List.of("a")).join()).isEqualTo(1);
      assertThat(sets.deleteSet("z1").join()).isTrue();
      assertThat(b.deleteAll(keys).join()).isEqualTo(20);
      await().atMost(Duration.ofSeconds(5)).until(() -> !seen.isEmpty());
      assertThat(seen.get(0).key()).isEqualTo("k3");
      s.close();
    }
  }
}
