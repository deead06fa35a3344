package dev.vectorcache.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Lettuce's request queue is bounded by requestQueueSize: a stalled server cannot pile up work. */
@ExtendWith(RedisServerExtension.class)
class LettuceRequestQueueIT {
  private static final Duration TIMEOUT = Duration.ofMillis(800);

  @Test
  void commandsBeyondTheQueueBoundFailFastWhileTheServerIsPaused(RedisServer server) {
    MetadataStoreConfig config =
        MetadataStoreConfig.builder()
            .url(server.url())
            .keyPrefix("queue-it:")
            .commandTimeout(TIMEOUT)
            .adapterOptions(LettuceOptions.builder().requestQueueSize(8).build())
            .build();
    try (LettuceMetadataStore store = LettuceMetadataStore.open(config)) {
      store.put(
          new MetadataEntry("k", Map.of(), 1, Instant.now().plusSeconds(60)),
          Duration.ofMinutes(1));
      AsyncMetadataStore async = store.async();
      server.pause(TIMEOUT.multipliedBy(3));
      List<CompletableFuture<?>> calls = new ArrayList<>();
      IntStream.range(0, 50).forEach(i -> calls.add(async.get("k")));
      List<Throwable> failures = new ArrayList<>();
      assertTimeoutPreemptively(
          TIMEOUT.multipliedBy(2).plusMillis(700),
          () -> {
            for (CompletableFuture<?> f : calls) {
              try {
                f.join();
              } catch (RuntimeException e) {
                failures.add(Futures.unwrap(e));
              }
            }
          });
      // every call failed typed: the ones beyond the bound at once, the queued ones by timeout
      assertThat(failures).hasSize(50);
      assertThat(failures)
          .allSatisfy(
              t ->
                  assertThat(t)
                      .isInstanceOfAny(
                          BackendUnavailableException.class, BackendTimeoutException.class));
      assertThat(failures)
          .filteredOn(t -> t.getMessage().contains("request queue full"))
          .hasSizeGreaterThanOrEqualTo(50 - 8);
      assertThat(failures).filteredOn(BackendTimeoutException.class::isInstance).isNotEmpty();
      server.unpause();
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptionsInstanceOf(BackendException.class)
          .until(() -> store.get("k").isPresent());
    }
  }
}
