package dev.vectorcache.redis.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisCluster;
import dev.vectorcache.testkit.redis.RedisSentinelGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** rediss:// on a TLS-only cluster and a TLS-only Sentinel group (sentinels included). */
class JedisTopologyTlsIT {
  @Test
  void aTlsClusterServesEveryCallOverTls() {
    try (RedisCluster cluster = RedisCluster.startOrSkip(RedisCluster.options().tls(true))) {
      MetadataStoreConfig config = cluster.configBuilder().keyPrefix("vc-tls:").build();
      assertThat(config.tlsEnabled()).isTrue();
      smoke(config);
    }
  }

  @Test
  void aTlsSentinelGroupServesEveryCallOverTls() {
    try (RedisSentinelGroup group =
        RedisSentinelGroup.startOrSkip(RedisSentinelGroup.options().tls(true))) {
      MetadataStoreConfig config = group.configBuilder().keyPrefix("vc-tls:").build();
      assertThat(config.tlsEnabled()).isTrue();
      smoke(config);
    }
  }

  private static void smoke(MetadataStoreConfig config) {
    try (JedisMetadataStore store = JedisMetadataStore.open(config)) {
      List<String> got = new CopyOnWriteArrayList<>();
      Subscription sub = store.subscribe("col", e -> got.add(e.key()));
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        MetadataEntry e =
            new MetadataEntry("k" + i, Map.of(), i + 1, Instant.now().plusSeconds(60));
        store.put(e, Duration.ofMinutes(1));
        keys.add(e.key());
      }
      assertThat(store.getAll(keys)).hasSize(20);
      store.publish(new MetadataEvent(MetadataEvent.Type.STORED, "col", "e", 1, Instant.now()));
      await().atMost(Duration.ofSeconds(5)).until(() -> got.contains("e"));
      assertThat(store.ping().details()).containsEntry("tls", "true");
      assertThat(store.deleteAll(keys)).isEqualTo(20);
      sub.close();
    }
  }
}
