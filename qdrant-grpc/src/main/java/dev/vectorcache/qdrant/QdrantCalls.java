package dev.vectorcache.qdrant;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.vectorcache.core.exception.BackendTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
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
 *       is given what remains of it as its gRPC deadline. A step that needs two calls (reading a
 *       collection's parameters before the first write) shares one deadline through {@link
 *       #newDeadline()}.
 *   <li><b>Watchdog.</b> Should the transport not end an attempt at its deadline, the call fails
 *       anyway with a {@link BackendTimeoutException} half a timeout (at most {@value
 *       #MAX_GRACE_MILLIS} ms) after the deadline, and the attempt is cancelled: a typed failure
 *       always comes within twice the timeout, even from a server that never answers.
 *   <li><b>Retries.</b> Only for calls the store marks idempotent, only after {@code UNAVAILABLE}
 *       (the server was not reached or could not answer), at most {@code maxRetries} times. The
 *       wait before retry n is drawn between half and all of {@code backoff × 2^n} (at most 16
 *       times {@code backoff}; "equal jitter", so that clients that failed together do not retry
 *       together), and a retry starts only if its wait ends early enough to leave the attempt some
 *       of the deadline. A timed-out call is never retried: its outcome is unknown and the deadline
 *       is spent.
 *   <li><b>Errors.</b> Failures are translated by {@link QdrantErrors} with the server's address
 *       ({@code host:port}, never the API key) in the message and the gRPC error as the cause.
 *   <li><b>Cancellation.</b> Cancelling the returned future cancels the gRPC call in flight.
 * </ul>
 */
final class QdrantCalls {
  private static final Logger LOG = LoggerFactory.getLogger(QdrantCalls.class);
  private static final int MAX_BACKOFF_DOUBLINGS = 4;
  static final long MAX_GRACE_MILLIS = 2_000;
  private static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  /**
   * One daemon thread for every store of the JVM: it starts retries and fires watchdogs, and runs
   * nothing else (no user code, no I/O). Cancelled watchdogs leave its queue at once.
   */
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private final String address;
  private final Duration timeout;
  private final int maxRetries;
  private final long backoffNanos;
  private final long graceNanos;
  private final long minAttemptNanos;
  private final DoubleSupplier jitter;
  private volatile boolean closed;

  /**
   * @param address the server as {@code host:port}, for messages
   * @param timeout the deadline of one logical call
   * @param maxRetries retries of an idempotent call after {@code UNAVAILABLE}
   */
  QdrantCalls(String address, Duration timeout, int maxRetries, Duration backoff) {
    this(address, timeout, maxRetries, backoff, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** As above, with the source of jitter (values from 0 to 1) given, for tests. */
  QdrantCalls(
      String address, Duration timeout, int maxRetries, Duration backoff, DoubleSupplier jitter) {
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
    this.graceNanos =
        Math.min(timeout.toNanos() / 2, TimeUnit.MILLISECONDS.toNanos(MAX_GRACE_MILLIS));
    this.minAttemptNanos = Math.min(timeout.toNanos() / 10, MIN_ATTEMPT_NANOS);
    this.jitter = Objects.requireNonNull(jitter, "jitter");
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "vectorcache-qdrant-timer");
              thread.setDaemon(true);
              return thread;
            });
    t.setRemoveOnCancelPolicy(true);
    return t;
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

  /** The deadline ({@link System#nanoTime()} based) of a logical call starting now. */
  long newDeadline() {
    return System.nanoTime() + timeout.toNanos();
  }

  /**
   * Starts one logical call with a deadline of its own.
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
    return call(operation, collection, idempotent, rpc, newDeadline());
  }

  /** Starts one logical call that ends by {@code deadline}, from {@link #newDeadline()}. */
  <T> CompletableFuture<T> call(
      String operation,
      @Nullable String collection,
      boolean idempotent,
      Function<Duration, ListenableFuture<T>> rpc,
      long deadline) {
    if (closed) {
      throw new IllegalStateException("this QdrantVectorStore is closed");
    }
    Attempts<T> attempts = new Attempts<>(operation, collection, rpc, deadline);
    attempts.watch();
    attempts.start(idempotent ? maxRetries : 0, 0, null);
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
    volatile @Nullable Future<?> inFlight;

    Attempts(
        String operation,
        @Nullable String collection,
        Function<Duration, ListenableFuture<T>> rpc,
        long deadline) {
      this.operation = operation;
      this.collection = collection;
      this.rpc = rpc;
      this.deadline = deadline;
      // cancelling the result, or the watchdog, ends the attempt in flight; a side stage
      CompletableFuture<T> unused =
          result.whenComplete(
              (r, e) -> {
                Future<?> f = inFlight;
                if (e != null && f != null) {
                  f.cancel(true);
                }
              });
    }

    /** Fails the call typed if no attempt has ended it shortly after its deadline. */
    void watch() {
      long delay = deadline - System.nanoTime() + graceNanos;
      ScheduledFuture<?> watchdog =
          TIMER.schedule(
              () -> {
                result.completeExceptionally(
                    new BackendTimeoutException(
                        QdrantErrors.BACKEND,
                        "Qdrant at "
                            + address
                            + " did not answer "
                            + QdrantErrors.what(operation, collection)
                            + " in time (no answer "
                            + TimeUnit.NANOSECONDS.toMillis(graceNanos)
                            + " ms past the deadline; the call was cancelled)",
                        null));
              },
              delay,
              TimeUnit.NANOSECONDS);
      // a side stage: the watchdog leaves the timer's queue as soon as the call ends
      CompletableFuture<T> unused = result.whenComplete((r, e) -> watchdog.cancel(false));
    }

    void start(int retriesLeft, int attempt, @Nullable Throwable last) {
      if (result.isDone()) {
        return; // cancelled, or the watchdog fired, while a retry waited
      }
      if (closed && last != null) {
        result.completeExceptionally(translate(last));
        return;
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
      inFlight = future;
      if (result.isDone()) {
        future.cancel(true); // ended while the attempt was being started
        return;
      }
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
        return; // cancelled by the caller, or the watchdog fired
      }
      long wait = backoff(attempt);
      if (retriesLeft > 0
          && QdrantErrors.retryable(t)
          && !closed
          && System.nanoTime() + wait + minAttemptNanos < deadline) {
        LOG.debug(
            "Qdrant {} at {} failed with UNAVAILABLE; retrying in {} ms",
            operation,
            address,
            TimeUnit.NANOSECONDS.toMillis(wait));
        // nothing to wait for: the retry completes result itself
        ScheduledFuture<?> unused =
            TIMER.schedule(
                () -> start(retriesLeft - 1, attempt + 1, t), wait, TimeUnit.NANOSECONDS);
        return;
      }
      result.completeExceptionally(translate(t));
    }

    private RuntimeException translate(Throwable t) {
      return QdrantErrors.translate(t, operation, collection, address);
    }
  }

  /** The wait before retry {@code attempt + 1}: between half and all of the doubled backoff. */
  long backoff(int attempt) {
    long base = backoffNanos << Math.min(attempt, MAX_BACKOFF_DOUBLINGS);
    double j = Math.min(1.0, Math.max(0.0, jitter.getAsDouble()));
    long half = base / 2;
    return half + (long) (half * j);
  }
}
