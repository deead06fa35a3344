package dev.vectorcache.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A SUBSCRIBE that finds the store's pub/sub connection reconnecting (Lettuce rejects commands
 * then) waits for the reconnect, within the command timeout, instead of failing: a Sentinel
 * failover drops pub/sub connections ({@code CLIENT KILL TYPE pubsub}) while the server is up.
 */
@ExtendWith(RedisServerExtension.class)
class LettucePubSubReconnectIT {
  @Test
  @DisplayName("a subscribe while the pub/sub connection reconnects waits for it and then hears")
  void aSubscribeWhileThePubSubConnectionReconnectsWaitsForIt(RedisServer server) {
    MetadataStoreConfig config =
        MetadataStoreConfig.builder()
            .url(server.url())
            .keyPrefix("reconnect:" + UUID.randomUUID() + ":")
            .commandTimeout(Duration.ofSeconds(5))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    try (LettuceMetadataStore store = LettuceMetadataStore.open(config);
        LettuceMetadataStore publisher = LettuceMetadataStore.open(config)) {
      LettuceAsyncMetadataStore async = store.unwrap(LettuceAsyncMetadataStore.class);
      try (Subscription first = store.subscribe("first", e -> {})) {
        assertThat(first.channel()).isEqualTo("first");
        assertThat(async.pubSubConnected()).isTrue();
        // the pub/sub connection drops; the pause holds its reconnect handshake for 700 ms
        assertThat((Long) server.command("CLIENT", "KILL", "TYPE", "pubsub")).isPositive();
        server.command("CLIENT", "PAUSE", "700", "ALL");
        await().atMost(Duration.ofSeconds(2)).until(() -> !async.pubSubConnected());

        List<MetadataEvent> heard = new CopyOnWriteArrayList<>();
        try (Subscription second = store.subscribe("second", heard::add)) {
          assertThat(second.channel()).isEqualTo("second");
          MetadataEvent e =
              new MetadataEvent(MetadataEvent.Type.STORED, "second", "k", 1, Instant.now());
          await()
              .atMost(Duration.ofSeconds(5))
              .pollInterval(Duration.ofMillis(100))
              .until(
                  () -> {
                    publisher.publish(e);
                    return heard.contains(e);
                  });
        }
      }
    }
  }
}
