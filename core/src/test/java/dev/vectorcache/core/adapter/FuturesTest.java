package dev.vectorcache.core.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.VectorCacheException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Futures")
class FuturesTest {
  private final BackendTimeoutException timeout =
      new BackendTimeoutException("redis", "no answer in 2 s", null);

  @Nested
  @DisplayName("join")
  class Join {
    @Test
    @DisplayName("returns the result")
    void result() {
      assertThat(Futures.join(CompletableFuture.completedFuture("ok"))).isEqualTo("ok");
    }

    @Test
    @DisplayName("rethrows a runtime failure itself, however deeply the future chain wrapped it")
    void runtimeFailure() {
      assertThatThrownBy(() -> Futures.join(CompletableFuture.failedFuture(timeout)))
          .isSameAs(timeout);
      CompletableFuture<String> chained =
          CompletableFuture.<String>failedFuture(timeout).thenApply(s -> s + "!");
      assertThatThrownBy(() -> Futures.join(chained)).isSameAs(timeout);
      CompletableFuture<String> async =
          CompletableFuture.supplyAsync(
              () -> {
                throw timeout;
              });
      assertThatThrownBy(() -> Futures.join(async)).isSameAs(timeout);
    }

    @Test
    @DisplayName("wraps a checked failure in a VectorCacheException that keeps it as the cause")
    void checkedFailure() {
      IOException io = new IOException("disk gone");
      assertThatThrownBy(() -> Futures.join(CompletableFuture.failedFuture(io)))
          .isExactlyInstanceOf(VectorCacheException.class)
          .hasMessage("disk gone")
          .hasCause(io);
    }

    @Test
    @DisplayName("rethrows an Error as it is")
    void error() {
      AssertionError err = new AssertionError("boom");
      assertThatThrownBy(() -> Futures.join(CompletableFuture.failedFuture(err))).isSameAs(err);
    }

    @Test
    @DisplayName("reports a cancelled operation")
    void cancelled() {
      CompletableFuture<String> f = new CompletableFuture<>();
      f.cancel(true);
      assertThatThrownBy(() -> Futures.join(f))
          .isExactlyInstanceOf(VectorCacheException.class)
          .hasMessage("the operation was cancelled");
    }

    @Test
    @DisplayName("stops waiting when interrupted and keeps the thread's interrupt flag")
    void interrupted() {
      Thread.currentThread().interrupt();
      try {
        assertThatThrownBy(() -> Futures.join(new CompletableFuture<>()))
            .isExactlyInstanceOf(VectorCacheException.class)
            .hasMessageContaining("interrupted")
            .hasCauseInstanceOf(InterruptedException.class);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
      }
    }
  }

  @Nested
  @DisplayName("unwrap")
  class Unwrap {
    @Test
    @DisplayName("peels CompletionException and ExecutionException layers")
    void layers() {
      Throwable wrapped = new CompletionException(new ExecutionException(timeout));
      assertThat(Futures.unwrap(wrapped)).isSameAs(timeout);
      assertThat(Futures.unwrap(timeout)).isSameAs(timeout);
    }

    @Test
    @DisplayName("keeps a wrapper that has no cause")
    void noCause() {
      CompletionException bare = new CompletionException("bare", null);
      assertThat(Futures.unwrap(bare)).isSameAs(bare);
    }
  }

  @Nested
  @DisplayName("now and run")
  class Now {
    @Test
    @DisplayName("return a completed future with the call's result")
    void completed() {
      CompletableFuture<Integer> f = Futures.now(() -> 42);
      assertThat(f).isCompletedWithValue(42);
      int[] ran = {0};
      assertThat(Futures.run(() -> ran[0]++)).isCompletedWithValue(null);
      assertThat(ran[0]).isEqualTo(1);
    }

    @Test
    @DisplayName("turn a backend failure into a failed future")
    void failed() {
      CompletableFuture<Object> f =
          Futures.now(
              () -> {
                throw timeout;
              });
      assertThat(f).isCompletedExceptionally();
      assertThatThrownBy(f::join).hasCause(timeout);
      assertThat(
              Futures.run(
                  () -> {
                    throw timeout;
                  }))
          .isCompletedExceptionally();
    }

    @Test
    @DisplayName("throw invalid input at once, as the async ports promise")
    void invalidInput() {
      InvalidInputException bad = new InvalidInputException("limit", "1 or more", 0);
      assertThatThrownBy(
              () ->
                  Futures.run(
                      () -> {
                        throw bad;
                      }))
          .isSameAs(bad);
    }
  }
}
