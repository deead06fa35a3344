package dev.vectorcache.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.ScoredSets;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.redis.common.RedisInfo;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.MetadataStoreContract;
import dev.vectorcache.testkit.TimeControl;
import dev.vectorcache.testkit.VectorCacheContract;
import dev.vectorcache.testkit.redis.RedisCluster;
import dev.vectorcache.testkit.redis.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The Lettuce store on a real 3-primary Redis Cluster (one replica each), shared by every test of
 * the class: both contracts, unchanged; the contract again as a least-privilege ACL user; get-many
 * split per slot; sorted-set updates routed per set; pub/sub across nodes; and, last, a primary
 * killed under the store's subscription.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LettuceClusterIT {
  static final String ACL_USER = "vcapp";
  static final String ACL_PASSWORD = "vc app secret";

  /**
   * Exactly what the store sends on a cluster, as the ACL rules of its user: keys and channels
   * under its prefix only, and the commands of {@code docs/redis.md} ("ACL").
   */
  static final List<String> ACL_RULES =
      List.of(
          "on",
          "resetkeys",
          "~acl:*",
          "resetchannels",
          "&acl:*",
          "-@all",
          "+hello",
          "+auth",
          "+client|setname",
          "+ping",
          "+info",
          "+cluster|nodes",
          "+readonly",
          "+get",
          "+mget",
          "+set",
          "+del",
          "+pttl",
          "+pexpire",
          "+evalsha",
          "+eval",
          "+publish",
          "+zadd",
          "+zincrby",
          "+zcard",
          "+zrange",
          "+zrem",
          "+subscribe",
          "+unsubscribe");

  static RedisCluster cluster;

  @BeforeAll
  static void start() {
    cluster =
        RedisCluster.startOrSkip(RedisCluster.options().aclUser(ACL_USER, ACL_PASSWORD, ACL_RULES));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static MetadataStoreConfig.Builder config(String prefix) {
    return cluster
        .configBuilder()
        .keyPrefix(prefix)
        .commandTimeout(Duration.ofSeconds(2))
        .clientName("vc-cluster-it");
  }

  @Nested
  @DisplayName("MetadataStoreContract on the cluster")
  class Contract extends MetadataStoreContract {
    @Override
    protected TimeControl timeControl() {
      return TimeControl.realTime(Duration.ofMillis(500));
    }

    @Override
    protected MetadataStore createStore() {
      return LettuceMetadataStore.open(config("contract-cluster:").build());
    }
  }

  @Nested
  @DisplayName(
      "MetadataStoreContract on the cluster, as an ACL user with only the store's commands")
  class AclContract extends MetadataStoreContract {
    @Override
    protected TimeControl timeControl() {
      return TimeControl.realTime(Duration.ofMillis(500));
    }

    @Override
    protected MetadataStore createStore() {
      return LettuceMetadataStore.open(
          config("acl:").url(cluster.url(ACL_USER, ACL_PASSWORD)).build());
    }
  }

  @Nested
  @DisplayName("VectorCacheContract with metadata on the cluster")
  class CacheContract extends VectorCacheContract {
    @Override
    protected VectorStore createVectorStore() {
      return new InMemoryVectorStore();
    }

    @Override
    protected MetadataStore createMetadataStore() {
      return LettuceMetadataStore.open(config("cache-cluster:").build());
    }
  }

  @Test
  @DisplayName("getAll over keys of every node: one MGET per slot, no GET, no CROSSSLOT")
  void getAllSendsOneMgetPerSlot() {
    try (LettuceMetadataStore store = LettuceMetadataStore.open(config("mget:").build())) {
      List<String> keys = new ArrayList<>();
      Set<Integer> slots = new HashSet<>();
      Map<RedisProcess, Set<Integer>> slotsPerPrimary = new HashMap<>();
      for (int i = 0; i < 60; i++) {
        String key = "k" + i;
        keys.add(key);
        String full = "mget:" + key;
        slots.add(RedisCluster.slot(full));
        slotsPerPrimary
            .computeIfAbsent(cluster.primaryFor(full), p -> new HashSet<>())
            .add(RedisCluster.slot(full));
        if (i % 2 == 0) {
          store.put(entry(key, i), Duration.ofMinutes(5));
        }
      }
      assertThat(slotsPerPrimary).as("the keys are spread over every primary").hasSize(3);
      Map<RedisProcess, Long> mgetsBefore = calls("mget");
      Map<RedisProcess, Long> getsBefore = calls("get");

      Map<String, MetadataEntry> found = store.getAll(keys);

      assertThat(found).hasSize(30);
      assertThat(found.get("k4").version()).isEqualTo(4);
      Map<RedisProcess, Long> mgets = delta(mgetsBefore, calls("mget"));
      for (Map.Entry<RedisProcess, Set<Integer>> e : slotsPerPrimary.entrySet()) {
        assertThat(mgets.get(e.getKey()))
            .as("MGETs on %s, one per slot of its keys", e.getKey())
            .isEqualTo(e.getValue().size());
      }
      assertThat(mgets.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(slots.size());
      assertThat(delta(getsBefore, calls("get")).values()).allMatch(n -> n == 0);
    }
  }

  @Test
  @DisplayName("a sorted-set update reaches the node of each set, every command once, in one call")
  void scoredSetUpdatesGoToTheNodeOfEachSet() {
    List<String> keys = new ArrayList<>();
    Map<RedisProcess, Long> perPrimary = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      keys.add("set-" + i);
      perPrimary.merge(cluster.primaryFor("zset:set-" + i), 1L, Long::sum);
    }
    assertThat(perPrimary).as("the sets are spread over every primary").hasSize(3);
    try (LettuceAsyncMetadataStore store =
        LettuceAsyncMetadataStore.open(config("zset:").build())) {
      ScoredSets sets = store.extension(ScoredSets.class).orElseThrow();
      List<ScoredSets.Update> updates = new ArrayList<>();
      for (String k : keys) {
        updates.add(ScoredSets.Update.set(k, "a", 1));
        updates.add(ScoredSets.Update.set(k, "b", 2));
        updates.add(ScoredSets.Update.increment(k, "a", 5)); // after its ZADD: a at 6
      }
      Map<RedisProcess, Long> zaddsBefore = calls("zadd");
      Map<RedisProcess, Long> zincrbysBefore = calls("zincrby");

      sets.update(updates).join();

      Map<RedisProcess, Long> twice = new HashMap<>();
      perPrimary.forEach((p, n) -> twice.put(p, 2 * n));
      assertThat(delta(zaddsBefore, calls("zadd"))).isEqualTo(twice);
      assertThat(delta(zincrbysBefore, calls("zincrby"))).isEqualTo(perPrimary);
      for (String k : keys) {
        assertThat(sets.lowest(k, 5).join()).as(k).containsExactly("b", "a");
        assertThat(sets.remove(k, List.of("b", "c")).join()).as(k).isEqualTo(1);
        assertThat(sets.lowest(k, 1).join()).as(k).containsExactly("a");
        assertThat(sets.size(k).join()).as(k).isEqualTo(1);
        assertThat(sets.deleteSet(k).join()).as(k).isTrue();
      }
    }
  }

  @Test
  @DisplayName("an event published through one node reaches subscribers on every node")
  void eventsReachSubscribersOnEveryNode() throws Exception {
    MetadataStoreConfig cfg = config("events:").build();
    List<MetadataEvent> seenByStore = new CopyOnWriteArrayList<>();
    Map<Integer, List<String>> seenPerNode = new HashMap<>();
    List<StatefulRedisPubSubConnection<String, String>> raw = new ArrayList<>();
    RedisClient plain = RedisClient.create();
    try (LettuceAsyncMetadataStore subscriber = LettuceAsyncMetadataStore.open(cfg);
        LettuceAsyncMetadataStore publisher = LettuceAsyncMetadataStore.open(cfg)) {
      Subscription s = subscriber.subscribe("coll", seenByStore::add).join();
      // one plain subscriber on each node, primaries and replicas
      for (RedisProcess node : cluster.nodes()) {
        List<String> seen = new CopyOnWriteArrayList<>();
        seenPerNode.put(node.port(), seen);
        StatefulRedisPubSubConnection<String, String> ps =
            plain.connectPubSub(RedisURI.create(node.host(), node.port()));
        ps.addListener(
            new RedisPubSubAdapter<>() {
              @Override
              public void message(String channel, String message) {
                seen.add(message);
              }
            });
        ps.sync().subscribe("events:events:coll");
        raw.add(ps);
      }
      publisher
          .publish(new MetadataEvent(MetadataEvent.Type.STORED, "coll", "id-1", 1, Instant.now()))
          .join();

      await().atMost(Duration.ofSeconds(5)).until(() -> seenByStore.size() == 1);
      assertThat(seenByStore.get(0).key()).isEqualTo("id-1");
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> assertThat(seenPerNode.values()).allSatisfy(l -> assertThat(l).hasSize(1)));
      s.close();
    } finally {
      raw.forEach(StatefulRedisPubSubConnection::close);
      plain.shutdown();
    }
  }

  @Test
  @DisplayName("ping reports the topology")
  void pingReportsTheCluster() {
    try (LettuceMetadataStore store = LettuceMetadataStore.open(config("ping:").build())) {
      assertThat(store.ping().details()).containsEntry("topology", "cluster");
      assertThat(store.toString()).contains("(cluster)").doesNotContain("password");
    }
  }

  /**
   * Runs last of the class's own tests (the nested contracts run after it, on the changed cluster):
   * the primary under the store's subscription connection is SIGKILLed; a replica takes over; the
   * store's subscription comes back by itself on another node, and its writes and reads work again.
   * Calls in between fail typed.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  @DisplayName("after the primary under the subscription is killed: events and commands recover")
  void recoversAfterThePrimaryUnderTheSubscriptionIsKilled() {
    MetadataStoreConfig cfg = config("failover:").clientName("vc-failover-sub").build();
    List<MetadataEvent> seen = new CopyOnWriteArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    try (LettuceMetadataStore subscriber = LettuceMetadataStore.open(cfg);
        LettuceMetadataStore publisher =
            LettuceMetadataStore.open(cfg.mutate().clientName("vc-failover-pub").build())) {
      subscriber.subscribe("coll", seen::add);
      RedisProcess primary = primaryUnderSubscription("vc-failover-sub");
      // a key on that primary: its slot moves to the promoted replica
      String key = "failover-key";
      for (int i = 0; !cluster.primaryFor("failover:" + key).equals(primary); i++) {
        key = "failover-key-" + i;
      }
      subscriber.put(entry(key, 1), null);

      Duration failover = cluster.killPrimaryAndAwaitFailover(primary, Duration.ofSeconds(30));
      long afterFailover = System.nanoTime();

      String k = key;
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
                      new MetadataEvent(MetadataEvent.Type.STORED, "coll", k, 2, Instant.now()));
                  subscriber.put(entry(k, 2), null);
                  return subscriber.get(k).map(MetadataEntry::version).orElse(0L) == 2
                      && !seen.isEmpty();
                } catch (RuntimeException e) {
                  failures.add(e);
                  return false;
                }
              });
      System.out.printf(
          "cluster failover took %d ms, the store recovered %d ms later (%d typed failures)%n",
          failover.toMillis(),
          Duration.ofNanos(System.nanoTime() - afterFailover).toMillis(),
          failures.size());
      assertThat(failures).allSatisfy(e -> assertThat(e).isInstanceOf(BackendException.class));
      assertThat(primaryUnderSubscription("vc-failover-sub")).isNotEqualTo(primary);
    } finally {
      cluster.restoreKilled();
    }
  }

  /**
   * The primary that holds the store's pub/sub connection, found with {@code CLIENT LIST TYPE
   * pubsub} on every node; while it is on a replica, that connection is killed so that Lettuce
   * reconnects it to the next node.
   */
  static RedisProcess primaryUnderSubscription(String clientName) {
    for (int attempt = 0; attempt < 20; attempt++) {
      List<RedisProcess> primaries = cluster.primaries();
      for (RedisProcess node : cluster.nodes()) {
        if (!node.isAlive()) {
          continue;
        }
        String clients = String.valueOf(cluster.command(node, "CLIENT", "LIST", "TYPE", "pubsub"));
        if (clients.contains("name=" + clientName + " ")) {
          if (primaries.contains(node)) {
            return node;
          }
          cluster.command(node, "CLIENT", "KILL", "TYPE", "pubsub");
        }
      }
      sleep(Duration.ofMillis(300));
    }
    throw new AssertionError("the store's pub/sub connection never settled on a primary");
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static MetadataEntry entry(String key, long version) {
    return new MetadataEntry(key, Map.of("n", version), version, null);
  }

  static Map<RedisProcess, Long> calls(String command) {
    Map<RedisProcess, Long> out = new HashMap<>();
    for (RedisProcess p : cluster.primaries()) {
      String info = String.valueOf(cluster.command(p, "INFO", "commandstats"));
      String stat = RedisInfo.field(info, "cmdstat_" + command);
      long calls = 0;
      if (!stat.equals("unknown")) {
        calls = Long.parseLong(stat.substring("calls=".length(), stat.indexOf(',')));
      }
      out.put(p, calls);
    }
    return out;
  }

  static Map<RedisProcess, Long> delta(
      Map<RedisProcess, Long> before, Map<RedisProcess, Long> after) {
    Map<RedisProcess, Long> out = new HashMap<>();
    after.forEach((p, n) -> out.put(p, n - before.getOrDefault(p, 0L)));
    return out;
  }
}
