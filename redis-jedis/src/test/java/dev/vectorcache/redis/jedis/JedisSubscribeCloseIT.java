package dev.vectorcache.redis.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A subscribe waiting for its confirmation when the store closes fails typed, not cancelled. */
@ExtendWith(RedisServerExtension.class)
class JedisSubscribeCloseIT {
  @Test
  void closingTheStoreFailsAPendingSubscribeAsClosed(RedisServer server) throws Exception {
    MetadataStoreConfig config =
        MetadataStoreConfig.builder()
            .url(server.url())
            .keyPrefix("subscribe-close-it:")
            .connectTimeout(Duration.ofSeconds(5))
            .commandTimeout(Duration.ofSeconds(5))
            .build();
    JedisMetadataStore store = JedisMetadataStore.open(config);
    server.pause(Duration.ofSeconds(8)); // SUBSCRIBE goes unanswered until unpaused
    try {
      CompletableFuture<Object> pending =
          CompletableFuture.supplyAsync(() -> store.subscribe("c", e -> {}));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  Thread.getAllStackTraces().keySet().stream()
                      .anyMatch(t -> t.getName().startsWith("vectorcache-jedis-pubsub")));
      store.close();
      Throwable t = pending.handle((v, e) -> e).get();
      assertThat(t).isInstanceOf(CompletionException.class);
      assertThat(t.getCause())
          .isInstanceOf(BackendUnavailableException.class)
          .hasMessageContaining("closed");
    } finally {
      server.unpause();
      store.close();
    }
  }
}
