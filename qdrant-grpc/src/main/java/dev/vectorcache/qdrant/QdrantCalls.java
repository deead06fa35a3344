package dev.vectorcache.qdrant;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call engine of {@link QdrantVectorStore}: each logical call gets one deadline, is retried
 * boundedly when that is safe, and fails with the library's exceptions.
 *
 * <ul>
 *   <li><b>Deadline.</b> A logical call, retries included, has {@code timeout} in all: each attempt
 *       is given what remains of it as its gRPC deadline.
 *   <li><b>Retries.</b> Only for calls the store marks idempotent, only after {@code UNAVAILABLE}
 *       (the server was not reached or could not answer), at most {@code maxRetries} times, with a
 *       backoff that doubles from {@code backoff} (at most 16 times it), and only while the backoff
 *       still ends before the deadline. A timed-out call is never retried: its outcome is unknown
 *       and a retry would double the wait.
 *   <li><b>Errors.</b> Failures are translated by {@link QdrantErrors} with the server's address
 *       ({@code host:port}, never the API key) in the message and the gRPC error as the cause.
 *   <li><b>Cancellation.</b> Cancelling the returned future cancels the gRPC call in flight.
 * </ul>
 */
final class QdrantCalls {
  private static final Logger LOG = LoggerFactory.getLogger(QdrantCalls.class);
  private static final int MAX_BACKOFF_DOUBLINGS = 4;

  private final String address;
  private final Duration timeout;
  private final int maxRetries;
  private final long backoffNanos;
  private volatile boolean closed;

  /**
   * @param address the server as {@code host:port}, for messages
   * @param timeout the deadline of one logical call
   * @param maxRetries retries of an idempotent call after {@code UNAVAILABLE}
   */
  QdrantCalls(String address, Duration timeout, int maxRetries, Duration backoff) {
    this.address = Objects.requireNonNull(address, "address");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, not " + timeout);
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be 0 or more, not " + maxRetries);
    }
    this.maxRetries = maxRetries;
    this.backoffNanos = Objects.requireNonNull(backoff, "backoff").toNanos();
  }

  String address() {
    return address;
  }

  Duration timeout() {
    return timeout;
  }

  int maxRetries() {
    return maxRetries;
  }

  /** Stops further calls and retries; a retry already scheduled gives up with the last failure. */
  void close() {
    closed = true;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Starts one logical call.
   *
   * @param operation what the call does, for messages ({@code "upsert"})
   * @param collection the collection it works on, or {@code null}
   * @param idempotent whether sending it twice leaves the same state as once
   * @param rpc starts one attempt with the given gRPC deadline
   * @throws IllegalStateException when {@link #close()} was called
   */
  <T> CompletableFuture<T> call(
      String operation,
      @Nullable String collection,
      boolean idempotent,
      Function<Duration, ListenableFuture<T>> rpc) {
    if (closed) {
      throw new IllegalStateException("this QdrantVectorStore is closed");
    }
    Attempts<T> attempts =
        new Attempts<>(operation, collection, rpc, System.nanoTime() + timeout.toNanos());
    attempts.start(idempotent ? maxRetries : 0, 0);
    return attempts.result;
  }

  /**
   * Waits for a call started here; its deadline bounds the wait. Throws the library's exception the
   * call failed with, not a {@link CompletionException}.
   */
  <T> T await(CompletableFuture<T> call) {
    try {
      return call.join();
    } catch (CompletionException | CancellationException e) {
      Throwable cause = dev.vectorcache.core.adapter.Futures.unwrap(e);
      throw cause instanceof RuntimeException r ? r : e;
    }
  }

  /** The attempts of one logical call, sharing its deadline and its result. */
  private final class Attempts<T> {
    final String operation;
    final @Nullable String collection;
    final Function<Duration, ListenableFuture<T>> rpc;
    final long deadline;
    final CompletableFuture<T> result = new CompletableFuture<>();

    Attempts(
        String operation,
        @Nullable String collection,
        Function<Duration, ListenableFuture<T>> rpc,
        long deadline) {
      this.operation = operation;
      this.collection = collection;
      this.rpc = rpc;
      this.deadline = deadline;
    }

    void start(int retriesLeft, int attempt) {
      if (result.isDone()) {
        return; // cancelled while a retry waited
      }
      ListenableFuture<T> future;
      try {
        // at least a millisecond: a retry is only scheduled while time remains
        long remaining = Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadline - System.nanoTime());
        future = rpc.apply(Duration.ofNanos(remaining));
      } catch (RuntimeException e) {
        result.completeExceptionally(translate(e));
        return;
      }
      // the stage returned only mirrors result; cancelling the call is its whole job
      CompletableFuture<T> unused =
          result.whenComplete(
              (r, e) -> {
                if (result.isCancelled()) {
                  future.cancel(true);
                }
              });
      com.google.common.util.concurrent.Futures.addCallback(
          future,
          new FutureCallback<T>() {
            @Override
            public void onSuccess(@Nullable T value) {
              result.complete(value);
            }

            @Override
            public void onFailure(Throwable t) {
              failed(t, retriesLeft, attempt);
            }
          },
          MoreExecutors.directExecutor());
    }

    private void failed(Throwable t, int retriesLeft, int attempt) {
      if (result.isDone()) {
        return; // cancelled by the caller
      }
      long backoff = backoffNanos << Math.min(attempt, MAX_BACKOFF_DOUBLINGS);
      if (retriesLeft > 0
          && QdrantErrors.retryable(t)
          && !closed
          && System.nanoTime() + backoff < deadline) {
        LOG.debug(
            "Qdrant {} at {} failed with UNAVAILABLE; retrying in {} ms",
            operation,
            address,
            TimeUnit.NANOSECONDS.toMillis(backoff));
        CompletableFuture.delayedExecutor(backoff, TimeUnit.NANOSECONDS)
            .execute(() -> start(retriesLeft - 1, attempt + 1));
        return;
      }
      result.completeExceptionally(translate(t));
    }

    private RuntimeException translate(Throwable t) {
      return QdrantErrors.translate(t, operation, collection, address);
    }
  }
}
