package dev.vectorcache.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.testkit.redis.RedisCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** rediss:// on a real TLS Redis Cluster (clients, cluster bus and replication over TLS). */
class LettuceClusterTlsIT {
  @Test
  void everyCallWorksOverTlsOnTheCluster() {
    try (RedisCluster cluster =
        RedisCluster.startOrSkip(RedisCluster.options().tls(true).password("tls pw"))) {
      assertThat(cluster.url()).startsWith("rediss://");
      TopologySmoke.run(
          cluster
              .configBuilder()
              .keyPrefix("tls-cluster:")
              .commandTimeout(Duration.ofSeconds(2))
              .build());
    }
  }
}
