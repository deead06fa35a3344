package dev.vectorcache.redis.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.BatchMetadataWrites;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.ScoredSets;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.MetadataStoreContract;
import dev.vectorcache.testkit.TimeControl;
import dev.vectorcache.testkit.VectorCacheContract;
import dev.vectorcache.testkit.redis.RedisCluster;
import dev.vectorcache.testkit.redis.RedisProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Jedis adapter on a real 3-primary, 3-replica Redis Cluster: both contracts unchanged (also as
 * a least-privilege ACL user), get-many as one MGET per slot, sorted-set updates to the node of
 * each set, events across nodes and after the subscription's node was killed. One cluster for the
 * whole class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JedisClusterIT {
  static final String PASSWORD = "cluster-pw";
  static final String ACL_USER = "vcjedis";
  static final String ACL_PASSWORD = "vcjedis-pw";

  /**
   * Exactly what the Jedis adapter sends to cluster nodes: the store's commands, its script's inner
   * GET/SET, the connection set-up (CLIENT SETNAME/SETINFO; AUTH is always allowed), CLUSTER SLOTS
   * for the slot map, PING (Jedis pings a random primary before a command without a key), READONLY
   * only with readFromReplicas. Keys and channels under the store's prefix.
   */
  static final List<String> ACL_RULES =
      List.of(
          "on",
          "resetkeys",
          "~vc*",
          "resetchannels",
          "&vc*",
          "-@all",
          "+get",
          "+set",
          "+mget",
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
          "+unsubscribe",
          "+info",
          "+ping",
          "+cluster|slots",
          "+client|setname",
          "+readonly");

  static RedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster =
        RedisCluster.startOrSkip(
            RedisCluster.options().password(PASSWORD).aclUser(ACL_USER, ACL_PASSWORD, ACL_RULES));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static MetadataStoreConfig.Builder config(String prefix) {
    return cluster
        .configBuilder()
        .keyPrefix(prefix)
        .commandTimeout(Duration.ofSeconds(2))
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

  /** The contract as an ACL user that may run exactly {@link #ACL_RULES}. */
  @Nested
  class MetadataContractAsLeastPrivilegeUser extends MetadataStoreContract {
    @Override
    protected TimeControl timeControl() {
      return TimeControl.realTime(Duration.ofMillis(500));
    }

    @Override
    protected MetadataStore createStore() {
      return JedisMetadataStore.open(
          config("vc-acl:").url(cluster.url(ACL_USER, ACL_PASSWORD)).build());
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
  @Order(1)
  void getAllOverEverySlotIsOneMgetPerSlotAndNoGet() {
    String prefix = "vc-slots:";
    // one key per hash slot
    Map<Integer, String> bySlot = new HashMap<>();
    for (int i = 0; bySlot.size() < RedisCluster.SLOTS; i++) {
      bySlot.putIfAbsent(RedisCluster.slot(prefix + "k" + i), "k" + i);
    }
    List<String> keys = new ArrayList<>(bySlot.values());
    try (JedisMetadataStore store = JedisMetadataStore.open(config(prefix).build())) {
      Instant later = Instant.now().plusSeconds(600);
      Map<String, MetadataEntry> written = new LinkedHashMap<>();
      List<BatchMetadataWrites.CopyWrite> writes = new ArrayList<>();
      for (int i = 0; i < keys.size(); i += 41) {
        MetadataEntry e = new MetadataEntry(keys.get(i), Map.of("i", (long) i), i + 1, later);
        written.put(e.key(), e);
        writes.add(
            new BatchMetadataWrites.CopyWrite(
                e, Duration.ofMinutes(10), BatchMetadataWrites.CopyWrite.Condition.IF_NEWER));
      }
      BatchMetadataWrites batch = store.extension(BatchMetadataWrites.class).orElseThrow();
      assertThat(batch.writeAll(writes, List.of()).join()).isEqualTo(writes.size());

      Map<RedisProcess, Long> mgetsBefore = calls("mget");
      Map<RedisProcess, Long> getsBefore = calls("get");
      Map<String, MetadataEntry> found = store.getAll(keys);
      Map<RedisProcess, Long> mgets = delta(mgetsBefore, calls("mget"));
      Map<RedisProcess, Long> gets = delta(getsBefore, calls("get"));

      assertThat(found).isEqualTo(written);
      // each primary ran one MGET per slot it serves: all 16384 together, no GET at all
      Map<RedisProcess, Long> slotsPerPrimary = new HashMap<>();
      for (String k : keys) {
        slotsPerPrimary.merge(cluster.primaryFor(prefix + k), 1L, Long::sum);
      }
      assertThat(mgets).isEqualTo(slotsPerPrimary);
      assertThat(mgets.values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(RedisCluster.SLOTS);
      assertThat(gets.values()).allMatch(n -> n == 0);
      assertThat(store.deleteAll(keys)).isEqualTo(written.size());
    }
  }

  @Test
  @Order(1)
  void scoredSetUpdatesGoToTheNodeOfEachSetInOneCall() {
    String prefix = "vc-zset:";
    List<String> keys = new ArrayList<>();
    Map<RedisProcess, Long> perPrimary = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      keys.add("set-" + i);
      perPrimary.merge(cluster.primaryFor(prefix + "set-" + i), 1L, Long::sum);
    }
    assertThat(perPrimary).as("the sets are spread over every primary").hasSize(3);
    try (JedisMetadataStore store = JedisMetadataStore.open(config(prefix).build())) {
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

      // each set's commands ran on its own primary, once each: no command sent twice
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
  @Order(2)
  void eventsReachSubscribersOnEveryNodeAlsoAfterTheirNodeWasKilled() throws Exception {
    String prefix = "vc-events:";
    int stores = cluster.nodes().size();
    List<JedisMetadataStore> opened = new ArrayList<>();
    List<List<String>> received = new ArrayList<>();
    List<Subscription> subs = new ArrayList<>();
    try {
      for (int i = 0; i < stores; i++) {
        JedisMetadataStore s =
            JedisMetadataStore.open(config(prefix).clientName("vcsub" + i).build());
        opened.add(s);
        List<String> got = new CopyOnWriteArrayList<>();
        received.add(got);
        subs.add(s.subscribe("col", e -> got.add(e.key())));
      }
      // the subscription connections are spread over the nodes
      Map<String, RedisProcess> nodeOf = subscriptionNodes();
      assertThat(nodeOf).hasSize(stores);
      assertThat(new HashSet<>(nodeOf.values())).hasSizeGreaterThanOrEqualTo(2);

      opened.get(0).publish(event("before"));
      for (List<String> got : received) {
        await().atMost(Duration.ofSeconds(5)).until(() -> got.contains("before"));
      }

      // kill a primary that holds a subscription connection
      String victimStore =
          nodeOf.entrySet().stream()
              .filter(e -> cluster.primaries().contains(e.getValue()))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElseThrow();
      RedisProcess victim = nodeOf.get(victimStore);
      cluster.killPrimaryAndAwaitFailover(victim, Duration.ofSeconds(30));

      // the store whose subscription was on the dead node resubscribes elsewhere by itself
      int survivor = victimStore.equals("vcsub0") ? 1 : 0;
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                String key = "after-" + System.nanoTime();
                opened.get(survivor).publish(event(key));
                for (List<String> got : received) {
                  await().atMost(Duration.ofSeconds(1)).until(() -> got.contains(key));
                }
              });
      assertThat(subscriptionNodes().get(victimStore)).isNotEqualTo(victim);
      // and every store reads and writes again, also keys of the failed-over slots
      for (JedisMetadataStore s : opened) {
        MetadataEntry e =
            new MetadataEntry("k-" + s.hashCode(), Map.of(), 1, Instant.now().plusSeconds(60));
        s.put(e, Duration.ofMinutes(1));
        assertThat(s.get(e.key())).contains(e);
      }
    } finally {
      subs.forEach(Subscription::close);
      opened.forEach(JedisMetadataStore::close);
      cluster.restoreKilled();
    }
  }

  private static MetadataEvent event(String key) {
    return new MetadataEvent(MetadataEvent.Type.STORED, "col", key, 1, Instant.now());
  }

  /** Client name → node of every subscribed connection of the test's stores. */
  private static Map<String, RedisProcess> subscriptionNodes() {
    Map<String, RedisProcess> out = new HashMap<>();
    for (RedisProcess node : cluster.nodes()) {
      if (!node.isAlive()) {
        continue;
      }
      String list = String.valueOf(cluster.command(node, "CLIENT", "LIST"));
      for (String line : list.lines().toList()) {
        Map<String, String> f = fields(line);
        String name = f.getOrDefault("name", "");
        if (name.startsWith("vcsub") && !"0".equals(f.get("sub"))) {
          out.put(name, node);
        }
      }
    }
    return out;
  }

  private static Map<String, String> fields(String line) {
    Map<String, String> f = new HashMap<>();
    for (String part : line.trim().split(" ", -1)) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        f.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return f;
  }

  /** Calls of {@code command} so far on each live primary ({@code INFO commandstats}). */
  static Map<RedisProcess, Long> calls(String command) {
    Map<RedisProcess, Long> out = new HashMap<>();
    for (RedisProcess p : cluster.primaries()) {
      String info = String.valueOf(cluster.command(p, "INFO", "commandstats"));
      long n = 0;
      for (String line : info.lines().toList()) {
        if (line.startsWith("cmdstat_" + command + ":calls=")) {
          String rest = line.substring(("cmdstat_" + command + ":calls=").length());
          n = Long.parseLong(rest.substring(0, rest.indexOf(',')));
        }
      }
      out.put(p, n);
    }
    return out;
  }

  static Map<RedisProcess, Long> delta(
      Map<RedisProcess, Long> before, Map<RedisProcess, Long> after) {
    Map<RedisProcess, Long> d = new HashMap<>();
    Set<RedisProcess> nodes = new HashSet<>(after.keySet());
    for (RedisProcess p : nodes) {
      long n = after.get(p) - before.getOrDefault(p, 0L);
      if (n != 0 || !before.containsKey(p)) {
        d.put(p, n);
      }
    }
    return d;
  }
}
