package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.redis.common.RedisErrors;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The threads of a Jedis store's async form. Jedis blocks a thread for each call; here that thread
 * is one of the store's own, never the caller's (which may be a gRPC or Netty thread of the vector
 * store). A fixed number of daemon threads ({@code vectorcache-jedis-<store>-<n>}, started on
 * demand, ended after a minute idle) and a bounded queue:
 *
 * <ul>
 *   <li>a call that finds the queue full fails at once with a {@link BackendUnavailableException};
 *       submitting never blocks;
 *   <li>a call that waited in the queue longer than {@code maxWait} fails with a {@link
 *       BackendTimeoutException} without being sent: with a hung server the queue drains in one
 *       command timeout instead of one per queued call;
 *   <li>{@link #close()} fails what still waits.
 * </ul>
 */
final class JedisExecutor {
  private final ThreadPoolExecutor threads;
  private final long maxWaitNanos;
  private final Duration maxWait;
  private final int queueSize;
  private final String address;

  JedisExecutor(String namePrefix, int threads, int queueSize, Duration maxWait, String address) {
    AtomicInteger n = new AtomicInteger();
    this.threads =
        new ThreadPoolExecutor(
            threads,
            threads,
            1,
            TimeUnit.MINUTES,
            new ArrayBlockingQueue<>(queueSize),
            r -> {
              Thread t = new Thread(r, namePrefix + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    this.threads.allowCoreThreadTimeOut(true);
    this.maxWait = maxWait;
    this.maxWaitNanos = maxWait.toNanos();
    this.queueSize = queueSize;
    this.address = address;
  }

  /** Runs {@code work} on one of the threads; the future carries its result or its failure. */
  <T> CompletableFuture<T> submit(String op, Supplier<T> work) {
    Task<T> task = new Task<>(op, work, System.nanoTime());
    try {
      threads.execute(task);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          threads.isShutdown() ? RedisErrors.closed(op, address) : queueFull(op, e));
    }
    return task.future;
  }

  private BackendUnavailableException queueFull(String op, RejectedExecutionException e) {
    return new BackendUnavailableException(
        RedisErrors.BACKEND,
        op
            + " on "
            + address
            + " failed at once: "
            + queueSize
            + " calls already wait for a thread of the store (JedisOptions.executorQueueSize);"
            + " redis is slow or unreachable",
        e);
  }

  /** Stops the threads and fails every call still waiting for one. */
  void close() {
    List<Runnable> waiting = threads.shutdownNow();
    for (Runnable r : waiting) {
      if (r instanceof Task<?> t) {
        t.future.completeExceptionally(RedisErrors.closed(t.op, address));
      }
    }
  }

  /** Waits, bounded, for the threads to end after {@link #close()}. */
  void awaitTermination(Duration bound) {
    try {
      threads.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Threads alive now, for tests. */
  int liveThreads() {
    return threads.getPoolSize();
  }

  private final class Task<T> implements Runnable {
    private final String op;
    private final Supplier<T> work;
    private final long queuedAt;
    private final CompletableFuture<T> future = new CompletableFuture<>();

    Task(String op, Supplier<T> work, long queuedAt) {
      this.op = op;
      this.work = work;
      this.queuedAt = queuedAt;
    }

    @Override
    public void run() {
      if (System.nanoTime() - queuedAt > maxWaitNanos) {
        future.completeExceptionally(
            new BackendTimeoutException(
                RedisErrors.BACKEND,
                op
                    + " on "
                    + address
                    + " timed out: it waited more than "
                    + maxWait
                    + " for a thread of the store (JedisOptions executorThreads/maxWait) and was"
                    + " not sent",
                null));
        return;
      }
      try {
        future.complete(work.get());
      } catch (RuntimeException e) {
        future.completeExceptionally(e);
      }
    }
  }
}
