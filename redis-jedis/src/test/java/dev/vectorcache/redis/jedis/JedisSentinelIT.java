package dev.vectorcache.redis.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.MetadataStoreContract;
import dev.vectorcache.testkit.TimeControl;
import dev.vectorcache.testkit.VectorCacheContract;
import dev.vectorcache.testkit.redis.RedisProcess;
import dev.vectorcache.testkit.redis.RedisSentinelGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The Jedis adapter on a real Sentinel group (a primary, a replica, three sentinels; the same
 * password on data nodes and sentinels): both contracts unchanged, on database 2, and a failover
 * followed by writes, reads and events. One group for the whole class.
 */
class JedisSentinelIT {
  static final String PASSWORD = "sentinel-pw";

  static RedisSentinelGroup group;

  @BeforeAll
  static void startGroup() {
    group = RedisSentinelGroup.startOrSkip(RedisSentinelGroup.options().password(PASSWORD));
  }

  @AfterAll
  static void stopGroup() {
    if (group != null) {
      group.close();
    }
  }

  static MetadataStoreConfig.Builder config(String prefix) {
    return group
        .configBuilder()
        .database(2)
        .keyPrefix(prefix)
        .commandTimeout(Duration.ofSeconds(1))
        .connectTimeout(Duration.ofSeconds(1));
  }

  @Nested
  class MetadataContract extends MetadataStoreContract {
    @Override
    protected TimeControl timeControl() {
      return TimeControl.realTime(Duration.ofMillis(500));
    }

    @Override
    protected MetadataStore createStore() {
      return JedisMetadataStore.open(config("vc-contract:").build());
    }
  }

  @Nested
  class CacheContract extends VectorCacheContract {
    @Override
    protected VectorStore createVectorStore() {
      return new InMemoryVectorStore();
    }

    @Override
    protected MetadataStore createMetadataStore() {
      return JedisMetadataStore.open(config("vc-cache:").build());
    }
  }

  @Test
  void writesOnTheMasterInTheConfiguredDatabaseNamingTheMasterNeverThePassword() {
    try (JedisMetadataStore store = JedisMetadataStore.open(config("vc-db:").build())) {
      store.put(new MetadataEntry("k", Map.of(), 1, Instant.now().plusSeconds(60)), null);
      assertThat(String.valueOf(group.command(group.primary(), "INFO", "keyspace")))
          .contains("db2:keys=1");
      assertThat(store.ping().details().get("address"))
          .contains(group.masterName())
          .contains("/2")
          .doesNotContain(PASSWORD);
      assertThat(store.toString()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void aFailoverIsFollowedByWritesReadsAndEvents() {
    try (JedisMetadataStore writer = JedisMetadataStore.open(config("vc-fail:").build());
        JedisMetadataStore reader = JedisMetadataStore.open(config("vc-fail:").build())) {
      List<String> got = new CopyOnWriteArrayList<>();
      Subscription sub = reader.subscribe("col", e -> got.add(e.key()));
      writer.publish(event("before"));
      await().atMost(Duration.ofSeconds(5)).until(() -> got.contains("before"));
      MetadataEntry before =
          new MetadataEntry("k", Map.of("v", 1L), 1, Instant.now().plusSeconds(60));
      writer.put(before, Duration.ofMinutes(1));
      RedisProcess old = group.primary();

      Duration took = group.killPrimaryAndAwaitFailover(Duration.ofSeconds(30));
      assertThat(took).isPositive();
      assertThat(group.primary()).isNotEqualTo(old);

      // calls in between fail typed; within seconds the new master answers
      MetadataEntry after =
          new MetadataEntry("k", Map.of("v", 2L), 2, Instant.now().plusSeconds(60));
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                Throwable t = catchThrowable(() -> writer.put(after, Duration.ofMinutes(1)));
                if (t != null) {
                  assertThat(t).isInstanceOf(BackendException.class);
                }
                return t == null;
              });
      assertThat(reader.get("k")).contains(after);
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                String key = "after-" + System.nanoTime();
                writer.publish(event(key));
                await().atMost(Duration.ofSeconds(1)).until(() -> got.contains(key));
              });
      sub.close();
    } finally {
      group.restoreKilled();
    }
  }

  private static MetadataEvent event(String key) {
    return new MetadataEvent(MetadataEvent.Type.STORED, "col", key, 1, Instant.now());
  }
}
