package dev.vectorcache.inmemory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The threads that build HNSW graphs, shared by every collection of the JVM: daemon threads created
 * on demand and dropped after 30 idle seconds. A build runs on the calling thread plus up to {@code
 * threads - 1} of these, each claiming the next item until none is left.
 */
final class IndexingPool {
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final ThreadPoolExecutor POOL =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          30,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "vectorcache-hnsw-" + NAMES.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  private IndexingPool() {}

  /** Threads for {@code maxIndexingThreads} (0: one per processor, at most 16, as Qdrant). */
  static int threads(int maxIndexingThreads) {
    if (maxIndexingThreads > 0) {
      return maxIndexingThreads;
    }
    return Math.max(1, Math.min(16, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * Runs {@code task} for every index in {@code [0, n)} on up to {@code threads} threads (the
   * caller's among them) and returns when all are done; the first failure is rethrown.
   */
  static void forEach(int threads, int n, IntConsumer task) {
    int workers = Math.min(threads, n);
    if (workers <= 1) {
      for (int i = 0; i < n; i++) {
        task.accept(i);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    Runnable worker =
        () -> {
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            task.accept(i);
          }
        };
    List<Future<?>> helpers = new ArrayList<>(workers - 1);
    for (int w = 1; w < workers; w++) {
      helpers.add(POOL.submit(worker));
    }
    RuntimeException failure = null;
    try {
      worker.run();
    } catch (RuntimeException e) {
      failure = e;
      next.set(n); // stop the helpers early
    }
    for (Future<?> f : helpers) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure =
              e.getCause() instanceof RuntimeException r
                  ? r
                  : new IllegalStateException("an indexing thread failed", e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (failure == null) {
          failure = new IllegalStateException("interrupted while building the graph", e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
