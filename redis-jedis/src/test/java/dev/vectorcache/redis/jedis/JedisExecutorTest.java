package dev.vectorcache.redis.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The executor of the Jedis async form, without a server. */
class JedisExecutorTest {
  private static Throwable failure(CompletableFuture<?> f) {
    Throwable t = catchThrowable(f::join);
    assertThat(t).isInstanceOf(CompletionException.class);
    return t.getCause();
  }

  @Test
  void aFullQueueFailsAtOnceAndWaitingTooLongFailsWithoutRunning() throws Exception {
    JedisExecutor executor = new JedisExecutor("test-jedis-", 1, 2, Duration.ofMillis(50), "h:1/0");
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    try {
      CompletableFuture<Integer> busy =
          executor.submit(
              "busy",
              () -> {
                await(release);
                return 1;
              });
      List<CompletableFuture<Integer>> queued = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        queued.add(executor.submit("queued", ran::incrementAndGet));
      }
      CompletableFuture<Integer> refused = executor.submit("refused", ran::incrementAndGet);
      assertThat(refused).isCompletedExceptionally();
      assertThat(failure(refused))
          .isInstanceOf(BackendUnavailableException.class)
          .hasMessageContaining("executorQueueSize")
          .hasMessageContaining("refused on h:1/0");
      Thread.sleep(120); // longer than maxWait
      release.countDown();
      assertThat(busy.join()).isEqualTo(1);
      for (CompletableFuture<Integer> f : queued) {
        assertThat(failure(f))
            .isInstanceOf(BackendTimeoutException.class)
            .hasMessageContaining("was not sent");
      }
      assertThat(ran).hasValue(0);
      assertThat(executor.submit("later", ran::incrementAndGet).join()).isEqualTo(1);
    } finally {
      release.countDown();
      executor.close();
    }
  }

  @Test
  void closeFailsWhatWaitsAndRefusesWhatComes() throws Exception {
    JedisExecutor executor =
        new JedisExecutor("test-jedis-", 1, 8, Duration.ofSeconds(30), "h:1/0");
    CountDownLatch release = new CountDownLatch(1);
    try {
      CompletableFuture<Integer> busy =
          executor.submit(
              "busy",
              () -> {
                await(release);
                return 1;
              });
      CompletableFuture<Integer> waiting = executor.submit("waiting", () -> 2);
      executor.close();
      assertThat(failure(waiting))
          .isInstanceOf(BackendUnavailableException.class)
          .hasMessageContaining("closed");
      assertThat(failure(executor.submit("after", () -> 3))).hasMessageContaining("closed");
      release.countDown();
      executor.awaitTermination(Duration.ofSeconds(5));
      assertThat(executor.liveThreads()).isZero();
      assertThat(busy).isDone();
    } finally {
      release.countDown();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
