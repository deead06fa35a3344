package dev.vectorcache.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.redis.jedis.JedisOptions;
import dev.vectorcache.redis.lettuce.LettuceOptions;
import dev.vectorcache.spi.AdapterOptions;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.testkit.redis.RedisCluster;
import dev.vectorcache.testkit.redis.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replica reads on a Redis Cluster, both clients: with the option on (Lettuce {@code
 * replicaReads(REPLICA_PREFERRED)}, Jedis {@code readFromReplicas(true)}) the get-many of the
 * cache's hydration is served mostly by the replicas (a shard whose replica the client does not
 * know yet is read from its primary), and returns what was written; with the default, the replicas
 * receive no read at all. Counted with {@code INFO commandstats} on every node.
 */
class ReplicaReadsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final int KEYS = 60;
  private static RedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.startOrSkip(RedisCluster.options().password(Canaries.REDIS_PASSWORD));
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void getManyGoesToTheReplicasOnlyWhenAsked(Client client) throws Exception {
    String prefix = "rr-" + client.providerName() + ":";
    List<String> keys = new ArrayList<>();
    try (AsyncMetadataStore writer = open(client, prefix, null)) {
      for (int i = 0; i < KEYS; i++) {
        String key = "k" + i;
        keys.add(key);
        writer
            .put(new MetadataEntry(key, Map.of("i", (long) i), i, null), null)
            .get(5, TimeUnit.SECONDS);
      }
      // the default reads the primaries only
      long replicaMgets = mgets(cluster.replicas());
      Map<String, MetadataEntry> fromPrimaries = writer.getAll(keys).get(5, TimeUnit.SECONDS);
      assertThat(fromPrimaries).hasSize(KEYS);
      assertThat(mgets(cluster.replicas())).as("replica MGETs by default").isEqualTo(replicaMgets);
    }
    try (AsyncMetadataStore reader = open(client, prefix, replicaOption(client))) {
      long replicaBefore = mgets(cluster.replicas());
      // replication is asynchronous: a replica may not have the last writes yet
      Awaitility.await()
          .atMost(15, TimeUnit.SECONDS)
          .untilAsserted(
              () -> {
                Map<String, MetadataEntry> got = reader.getAll(keys).get(5, TimeUnit.SECONDS);
                assertThat(got).hasSize(KEYS);
                assertThat(got.get("k7").version()).isEqualTo(7);
              });
      assertThat(mgets(cluster.replicas()) - replicaBefore)
          .as("MGETs served by the replicas")
          .isPositive();
      // preferred, not exclusive: a shard whose replica the client's slot map does not list yet
      // (Jedis reads CLUSTER SLOTS once a replica is known) is read from its primary, so the
      // primaries' count is not asserted
    }
  }

  private static @Nullable AdapterOptions replicaOption(Client client) {
    return switch (client) {
      case LETTUCE ->
          LettuceOptions.builder()
              .replicaReads(LettuceOptions.ReplicaReads.REPLICA_PREFERRED)
              .build();
      case JEDIS -> JedisOptions.builder().readFromReplicas(true).build();
    };
  }

  private static AsyncMetadataStore open(
      Client client, String prefix, @Nullable AdapterOptions options) {
    var b =
        cluster
            .configBuilder()
            .client(client.providerName())
            .password(Canaries.REDIS_PASSWORD)
            .keyPrefix(prefix)
            .commandTimeout(TIMEOUT);
    if (options != null) {
      b.adapterOptions(options);
    }
    return Backends.discover().openAsyncMetadataStore(b.build());
  }

  /** MGET calls counted by {@code nodes}, summed. */
  private static long mgets(List<RedisProcess> nodes) {
    long sum = 0;
    for (RedisProcess p : nodes) {
      String info = String.valueOf(cluster.command(p, "INFO", "commandstats"));
      int at = info.indexOf("cmdstat_mget:calls=");
      if (at >= 0) {
        int from = at + "cmdstat_mget:calls=".length();
        sum += Long.parseLong(info.substring(from, info.indexOf(',', from)));
      }
    }
    return sum;
  }
}
