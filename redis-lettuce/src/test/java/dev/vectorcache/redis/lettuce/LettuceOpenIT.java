package dev.vectorcache.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.redis.common.RedisErrors;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisProcess;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the open-time savings of the Lettuce store must not break. */
@ExtendWith(RedisServerExtension.class)
class LettuceOpenIT {
  @Test
  @DisplayName(
      "the blocking and reactive facades, built lazily, still work on an unwrapped connection")
  void lazyFacadesWork(RedisServer redis) {
    try (LettuceMetadataStore store =
        LettuceMetadataStore.open(MetadataStoreConfig.builder().url(redis.url()).build())) {
      @SuppressWarnings("unchecked") // the store's connection uses String keys and values
      StatefulRedisConnection<String, String> connection =
          store.unwrap(StatefulRedisConnection.class);
      assertThat(connection.sync().ping()).isEqualTo("PONG");
      assertThat(connection.sync()).isSameAs(connection.sync());
      assertThat(connection.reactive().ping().block(Duration.ofSeconds(5))).isEqualTo("PONG");
    }
  }

  @Test
  @DisplayName(
      "opening is bounded by the connect plus the command timeout, and running out is a timeout")
  void handshakeUsesTheConnectPlusTheCommandTimeout(RedisServer redis) {
    assumeTrue(redis.process().isPresent(), "needs a private redis-server process to freeze");
    RedisProcess process = redis.process().orElseThrow();
    process.pause(); // the kernel still accepts the TCP connection; HELLO is never answered
    try {
      Throwable t =
          catchThrowable(
              () ->
                  LettuceMetadataStore.open(
                      MetadataStoreConfig.builder()
                          .url(redis.url())
                          .commandTimeout(Duration.ofMillis(200))
                          .connectTimeout(Duration.ofMillis(1500))
                          .build()));
      assertThat(t)
          .isInstanceOf(BackendTimeoutException.class)
          .hasMessageContaining("timed out while connecting");
      assertThat(RedisErrors.find(t, c -> String.valueOf(c.getMessage()).contains("1700 milli")))
          .as("the handshake timed out after the connect plus the command timeout")
          .isNotNull();
    } finally {
      process.resume();
    }
  }
}
