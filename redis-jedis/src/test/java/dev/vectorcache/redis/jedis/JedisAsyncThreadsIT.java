package dev.vectorcache.redis.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisProcess;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The async form runs on the store's own bounded executor: with the server frozen (SIGSTOP), 400
 * concurrent calls neither block their callers nor start more threads than the pool size, and all
 * fail typed within a bound.
 */
@ExtendWith(RedisServerExtension.class)
class JedisAsyncThreadsIT {
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final int POOL = 8;
  private static final int CALLS = 400;

  private static MetadataEntry entry(int i) {
    return new MetadataEntry("k" + i, Map.of("i", (long) i), 1, Instant.now().plusSeconds(60));
  }

  /** Live executor threads of Jedis stores (the pub/sub thread is not one; none runs here). */
  private static long executorThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith(JedisMetadataStore.THREAD_PREFIX) && !n.contains("pubsub"))
        .count();
  }

  @Test
  void fourHundredCallsOnAFrozenServerStayOnPoolSizeThreadsAndFailTyped(RedisServer server) {
    assumeTrue(server.canKill(), "needs a private redis-server process to freeze");
    RedisProcess process = server.process().orElseThrow();
    MetadataStoreConfig config =
        MetadataStoreConfig.builder()
            .url(server.url())
            .keyPrefix("threads-it:")
            .commandTimeout(TIMEOUT)
            .connectTimeout(TIMEOUT)
            .adapterOptions(JedisOptions.builder().maxConnections(POOL).build())
            .build();
    try (JedisMetadataStore store = JedisMetadataStore.open(config)) {
      AsyncMetadataStore async = store.async();
      async.put(entry(0), Duration.ofMinutes(1)).join();
      List<CompletableFuture<Void>> calls = new ArrayList<>();
      int pendingAtReturn = 0;
      process.pause();
      try {
        for (int i = 0; i < CALLS; i++) {
          CompletableFuture<Void> f = async.put(entry(i), Duration.ofMinutes(1));
          pendingAtReturn += f.isDone() ? 0 : 1;
          calls.add(f);
        }
        // an inline call would have returned a completed future after one command timeout
        assertThat(pendingAtReturn).isEqualTo(CALLS);
        long mostThreads = awaitAll(calls);
        assertThat(mostThreads).isBetween(1L, (long) POOL);
        for (CompletableFuture<Void> f : calls) {
          Throwable t = Futures.unwrap(f.handle((v, e) -> e).join());
          assertThat(t)
              .isInstanceOfAny(BackendTimeoutException.class, BackendUnavailableException.class);
        }
      } finally {
        process.resume();
      }
      await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptionsInstanceOf(BackendException.class)
          .until(() -> Futures.join(async.get("k0")).isPresent());
    }
  }

  /**
   * Waits until every call is done, bounded by a queue wait plus two calls of one connect and one
   * command timeout each (see JedisExecutor) and slack; returns the most executor threads seen.
   */
  private static long awaitAll(List<CompletableFuture<Void>> calls) {
    CompletableFuture<Void> all = CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    Duration bound = TIMEOUT.plus(TIMEOUT.multipliedBy(2).multipliedBy(2)).plusSeconds(3);
    return assertTimeoutPreemptively(
        bound,
        () -> {
          long most = 0;
          while (!all.isDone()) {
            most = Math.max(most, executorThreads());
            Thread.sleep(5);
          }
          return most;
        });
  }
}
