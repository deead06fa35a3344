package dev.vectorcache.semantic;

import dev.vectorcache.core.CacheEntry;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.adapter.Futures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sliding TTL's expiry moves, off the lookup's path: a bounded queue that coalesces by key (the
 * latest expiry wins), drained by one daemon thread that sends at most {@code maxInFlight} moves at
 * once through {@link VectorCache#extendExpiryAsync} (vector store first, then the metadata-store
 * copy, only over a copy of the same version). A full queue drops the move and counts it: the entry
 * then keeps its earlier expiry unless a later hit queues another move.
 */
final class ExpiryExtender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExpiryExtender.class);

  private record Move(CacheEntry entry, Instant expiresAt) {}

  private final VectorCache cache;
  private final Counters counters;
  private final int capacity;
  private final int maxInFlight;
  private final String threadName;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final LinkedHashMap<String, Move> queue = new LinkedHashMap<>();
  private final List<CompletableFuture<Void>> waiters = new ArrayList<>();
  private @Nullable Thread thread;
  private boolean sending;
  private boolean closed;

  ExpiryExtender(VectorCache cache, Counters counters, int capacity, int maxInFlight) {
    this.cache = cache;
    this.counters = counters;
    this.capacity = capacity;
    this.maxInFlight = maxInFlight;
    this.threadName = "vectorcache-semantic-ttl-" + cache.collection();
  }

  /** Queues a move of the entry, as read, to {@code expiresAt}; never blocks on I/O. */
  void offer(CacheEntry entry, Instant expiresAt) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      Move queued = queue.get(entry.key());
      if (queued != null) {
        if (expiresAt.isAfter(queued.expiresAt())) {
          queue.put(entry.key(), new Move(entry, expiresAt)); // coalesced: the latest wins
        }
        return;
      }
      if (queue.size() >= capacity) {
        counters.extensionDropped();
        return;
      }
      queue.put(entry.key(), new Move(entry, expiresAt));
      counters.extensionQueued();
      if (thread == null) {
        Thread t = new Thread(this::drain, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Completes the next time the queue is empty and no move is being sent. */
  CompletableFuture<Void> flush() {
    lock.lock();
    try {
      if (queue.isEmpty() && !sending) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> f = new CompletableFuture<>();
      waiters.add(f);
      return f;
    } finally {
      lock.unlock();
    }
  }

  int pending() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  private void drain() {
    while (true) {
      List<Move> batch = next();
      if (batch == null) {
        return;
      }
      send(batch);
    }
  }

  /** The next moves to send, waiting for some; null once closed. */
  private @Nullable List<Move> next() {
    lock.lock();
    try {
      sending = false;
      while (queue.isEmpty()) {
        waiters.forEach(w -> w.complete(null));
        waiters.clear();
        if (closed) {
          return null;
        }
        changed.awaitUninterruptibly();
      }
      if (closed) {
        return null;
      }
      List<Move> batch = new ArrayList<>(Math.min(maxInFlight, queue.size()));
      Iterator<Map.Entry<String, Move>> it = queue.entrySet().iterator();
      while (it.hasNext() && batch.size() < maxInFlight) {
        batch.add(it.next().getValue());
        it.remove();
      }
      sending = true;
      return batch;
    } finally {
      lock.unlock();
    }
  }

  private void send(List<Move> batch) {
    List<CompletableFuture<Boolean>> sent = new ArrayList<>(batch.size());
    Instant now = cache.clock().instant();
    for (Move m : batch) {
      if (!m.expiresAt().isAfter(now)) {
        continue; // the entry expired while the move waited: nothing to extend
      }
      try {
        sent.add(cache.extendExpiryAsync(m.entry(), m.expiresAt()));
      } catch (RuntimeException e) {
        // the cache was closed, or the expiry passed between the check and the call
        LOG.debug("an expiry move was not sent", e);
      }
    }
    int moved = 0;
    for (CompletableFuture<Boolean> f : sent) {
      try {
        if (Boolean.TRUE.equals(Futures.join(f))) {
          moved++;
        }
      } catch (RuntimeException e) {
        LOG.debug("an expiry move failed; the entry keeps its earlier expiry", e);
      }
    }
    if (moved > 0) {
      counters.extended(moved);
    }
  }

  /** Gives queued moves up to {@code flushMillis} to be sent, then stops the thread. */
  void close(long flushMillis) {
    try {
      flush().get(flushMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // what is left is dropped below
    }
    lock.lock();
    try {
      closed = true;
      int left = queue.size();
      for (int i = 0; i < left; i++) {
        counters.extensionDropped();
      }
      queue.clear();
      waiters.forEach(w -> w.complete(null));
      waiters.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    close(1_000);
  }
}
