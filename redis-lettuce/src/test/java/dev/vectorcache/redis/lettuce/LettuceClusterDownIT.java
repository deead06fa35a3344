package dev.vectorcache.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.testkit.redis.RedisCluster;
import dev.vectorcache.testkit.redis.RedisProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A cluster that loses a primary with no replica stops serving ({@code CLUSTERDOWN}, or no node for
 * the slot in Lettuce's own view): the store fails typed, as an outage the breaker counts.
 */
class LettuceClusterDownIT {
  @Test
  void aPrimaryWithoutReplicaDyingIsATypedUnavailableError() {
    try (RedisCluster cluster =
            RedisCluster.startOrSkip(RedisCluster.options().replicasPerPrimary(0));
        LettuceMetadataStore store =
            LettuceMetadataStore.open(
                cluster
                    .configBuilder()
                    .keyPrefix("down:")
                    .commandTimeout(Duration.ofMillis(500))
                    .build())) {
      store.put(new MetadataEntry("k", Map.of(), 1, null), null);
      List<RedisProcess> primaries = cluster.primaries();
      RedisProcess victim = primaries.get(0);
      RedisProcess survivor = cluster.primaryFor("down:k");
      if (survivor.equals(victim)) {
        victim = primaries.get(1);
      }
      victim.kill();
      // a key on a live primary: the cluster reports itself down once the victim is marked failed
      AtomicReference<Throwable> failure = new AtomicReference<>();
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                try {
                  store.get("k");
                  return false;
                } catch (RuntimeException e) {
                  failure.set(e);
                  return String.valueOf(e.getMessage()).contains("CLUSTERDOWN");
                }
              });
      assertThat(failure.get())
          .isInstanceOf(BackendUnavailableException.class)
          .hasMessageContaining("get on cluster")
          .hasMessageContaining("topology changes");
    }
  }
}
