package dev.vectorcache.redis.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.redis.common.RedisErrors;
import dev.vectorcache.testkit.redis.RedisCluster;
import dev.vectorcache.testkit.redis.RedisProcess;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A cluster that lost a primary without a replica: every node answers {@code CLUSTERDOWN}, which
 * the store reports as unavailable (the breaker counts it), never as a rejected command.
 */
class JedisClusterDownIT {
  @Test
  void clusterDownIsUnavailable() {
    try (RedisCluster cluster =
        RedisCluster.startOrSkip(RedisCluster.options().replicasPerPrimary(0))) {
      try (JedisMetadataStore store =
          JedisMetadataStore.open(
              cluster
                  .configBuilder()
                  .keyPrefix("vc-down:")
                  .commandTimeout(Duration.ofMillis(500))
                  .build())) {
        assertThat(store.get("k")).isEmpty();
        RedisProcess dead = cluster.primaries().get(0);
        // a key served by a live primary: once the cluster state is fail, it answers CLUSTERDOWN
        String live = liveKey(cluster, dead);
        dead.kill();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  Throwable t = catchThrowable(() -> store.get(live));
                  seen.set(t);
                  return t != null
                      && RedisErrors.has(
                          t, c -> String.valueOf(c.getMessage()).startsWith("CLUSTERDOWN"));
                });
        assertThat(seen.get())
            .isInstanceOf(BackendUnavailableException.class)
            .hasMessageStartingWith("get on cluster 127.0.0.1:")
            .hasMessageContaining("CLUSTERDOWN");
      }
    }
  }

  private static String liveKey(RedisCluster cluster, RedisProcess dead) {
    for (int i = 0; ; i++) {
      if (!cluster.primaryFor("vc-down:k" + i).equals(dead)) {
        return "k" + i;
      }
    }
  }
}
