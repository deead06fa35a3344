package dev.vectorcache.redis.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.util.Pool;

/** With every pooled connection busy, a caller fails typed after maxWait instead of queueing. */
@ExtendWith(RedisServerExtension.class)
class JedisPoolExhaustionIT {
  @Test
  void exhaustedPoolGivesATimeoutAfterMaxWait(RedisServer server) throws Exception {
    Duration maxWait = Duration.ofMillis(300);
    MetadataStoreConfig config =
        MetadataStoreConfig.builder()
            .url(server.url())
            .keyPrefix("pool-it:")
            .adapterOptions(JedisOptions.builder().maxConnections(1).maxWait(maxWait).build())
            .commandTimeout(Duration.ofSeconds(2))
            .build();
    try (JedisMetadataStore store = JedisMetadataStore.open(config)) {
      store.put(
          new MetadataEntry("k", Map.of(), 1, Instant.now().plusSeconds(60)),
          Duration.ofMinutes(1));
      Pool<?> pool = store.unwrap(JedisPooled.class).getPool();
      server.pause(Duration.ofMillis(1500));
      // the only connection is held by a call stuck on the paused server
      CompletableFuture<Object> holder = CompletableFuture.supplyAsync(() -> store.get("k"));
      await().atMost(Duration.ofSeconds(5)).until(() -> pool.getNumActive() == 1);
      Throwable t =
          assertTimeoutPreemptively(
              maxWait.multipliedBy(2).plusMillis(700), () -> catchThrowable(() -> store.get("k")));
      assertThat(t).isInstanceOf(BackendTimeoutException.class).hasMessageContaining("pooled");
      server.unpause();
      holder.handle((v, e) -> null).get();
      await().atMost(Duration.ofSeconds(10)).until(() -> store.get("k").isPresent());
    }
  }
}
