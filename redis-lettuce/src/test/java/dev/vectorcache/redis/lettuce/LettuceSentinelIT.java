package dev.vectorcache.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.redis.common.RedisInfo;
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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Lettuce store on a real Sentinel group (a primary, a replica, three sentinels; the default
 * user has a password on all of them), shared by every test of the class: replica reads, a failover
 * followed, and then (nested classes run after the class's own tests) both contracts, unchanged, on
 * the promoted primary.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LettuceSentinelIT {
  static final String PASSWORD = "sentinel pw";
  static RedisSentinelGroup group;

  @BeforeAll
  static void start() {
    group = RedisSentinelGroup.startOrSkip(RedisSentinelGroup.options().password(PASSWORD));
  }

  @AfterAll
  static void stop() {
    if (group != null) {
      group.close();
    }
  }

  static MetadataStoreConfig.Builder config(String prefix) {
    return group.configBuilder().keyPrefix(prefix).commandTimeout(Duration.ofSeconds(2));
  }

  @Test
  @Order(1)
  @DisplayName("the URL form redis-sentinel:// is a Lettuce scheme; the store reaches the primary")
  void connectsToThePrimary() {
    try (LettuceMetadataStore store = LettuceMetadataStore.open(config("primary:").build())) {
      store.put(entry("k", 1), Duration.ofMinutes(1));
      assertThat(group.command(group.primary(), "GET", "primary:k")).isNotNull();
      assertThat(store.ping().details()).containsEntry("topology", "sentinel");
      assertThat(store.toString())
          .contains("-sentinel://", group.masterName())
          .doesNotContain(PASSWORD);
    }
  }

  @Test
  @Order(2)
  @DisplayName("with replica reads, getAll goes to the replica; get and writes stay on the primary")
  void replicaReadsSendTheGetManyToTheReplica() {
    MetadataStoreConfig cfg =
        config("replica:")
            .adapterOptions(
                LettuceOptions.builder()
                    .replicaReads(LettuceOptions.ReplicaReads.REPLICA_PREFERRED)
                    .build())
            .build();
    try (LettuceMetadataStore store = LettuceMetadataStore.open(cfg)) {
      RedisProcess primary = group.primary();
      RedisProcess replica = group.replicas().get(0);
      store.put(entry("k", 7), Duration.ofMinutes(1));
      long replicaMgets = calls(replica, "mget");
      long primaryMgets = calls(primary, "mget");
      long primaryGets = calls(primary, "get");
      // the replica may lag: it answers once replication caught up
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> store.getAll(List.of("k")).containsKey("k"));
      assertThat(store.get("k")).map(MetadataEntry::version).contains(7L);
      assertThat(calls(replica, "mget")).isGreaterThan(replicaMgets);
      assertThat(calls(primary, "mget")).isEqualTo(primaryMgets);
      assertThat(calls(primary, "get")).isEqualTo(primaryGets + 1);
    }
  }

  @Test
  @Order(3)
  @DisplayName("a killed primary: the store follows the failover, writes, reads and events resume")
  void followsAFailover() {
    MetadataStoreConfig cfg = config("failover:").build();
    List<MetadataEvent> seen = new CopyOnWriteArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    try (LettuceMetadataStore subscriber = LettuceMetadataStore.open(cfg);
        LettuceMetadataStore publisher = LettuceMetadataStore.open(cfg)) {
      var unused = subscriber.subscribe("coll", seen::add);
      RedisProcess old = group.primary();
      Duration failover = group.killPrimaryAndAwaitFailover(Duration.ofSeconds(30));
      long afterFailover = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .conditionEvaluationListener(
              c -> {
                if (c.getRemainingTimeInMS() < 150) {
                  System.out.printf(
                      "not recovered: %d events seen, last failure %s%n",
                      seen.size(), failures.isEmpty() ? "none" : failures.get(failures.size() - 1));
                }
              })
          .until(
              () -> {
                try {
                  publisher.publish(
                      new MetadataEvent(MetadataEvent.Type.STORED, "coll", "k", 2, Instant.now()));
                  subscriber.put(entry("k", 2), null);
                  return subscriber.get("k").map(MetadataEntry::version).orElse(0L) == 2
                      && !seen.isEmpty();
                } catch (RuntimeException e) {
                  failures.add(e);
                  return false;
                }
              });
      System.out.printf(
          "sentinel failover took %d ms, the store recovered %d ms later (%d typed failures)%n",
          failover.toMillis(),
          Duration.ofNanos(System.nanoTime() - afterFailover).toMillis(),
          failures.size());
      assertThat(group.primary()).isNotEqualTo(old);
      assertThat(group.command(group.primary(), "GET", "failover:k")).isNotNull();
      assertThat(failures).allSatisfy(e -> assertThat(e).isInstanceOf(BackendException.class));
    } finally {
      group.restoreKilled();
    }
  }

  @Nested
  @DisplayName("MetadataStoreContract through Sentinel")
  class Contract extends MetadataStoreContract {
    @Override
    protected TimeControl timeControl() {
      return TimeControl.realTime(Duration.ofMillis(500));
    }

    @Override
    protected MetadataStore createStore() {
      return LettuceMetadataStore.open(config("contract-sentinel:").build());
    }
  }

  @Nested
  @DisplayName("VectorCacheContract with metadata through Sentinel")
  class CacheContract extends VectorCacheContract {
    @Override
    protected VectorStore createVectorStore() {
      return new InMemoryVectorStore();
    }

    @Override
    protected MetadataStore createMetadataStore() {
      return LettuceMetadataStore.open(config("cache-sentinel:").build());
    }
  }

  static MetadataEntry entry(String key, long version) {
    return new MetadataEntry(key, Map.of("n", version), version, null);
  }

  static long calls(RedisProcess node, String command) {
    String info = String.valueOf(group.command(node, "INFO", "commandstats"));
    String stat = RedisInfo.field(info, "cmdstat_" + command);
    return stat.equals("unknown")
        ? 0
        : Long.parseLong(stat.substring("calls=".length(), stat.indexOf(',')));
  }
}
