package dev.vectorcache.core;

import dev.vectorcache.core.port.BatchMetadataWrites.CopyWrite;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * The bounded queue of write-backs: copies of payloads read after a metadata miss, sent to the
 * metadata store off the caller's path, in batches of at most {@link #BATCH} pipelined in one round
 * trip, one batch at a time.
 *
 * <p>Nothing blocks: {@link #offer} never waits, and a write-back that finds the queue full is
 * dropped and counted (it is only a cache fill; the next miss of the key queues it again). A key
 * queued twice is sent once, with the higher version. Sending starts on the cache's own executor,
 * never on the thread that offered, so a metadata store that blocks cannot hold up a caller.
 */
final class WriteBackQueue {
  /** Most write-backs pipelined in one round trip. */
  static final int BATCH = 256;

  private final int capacity;
  private final Executor executor;
  private final Function<List<CopyWrite>, CompletableFuture<Void>> sender;
  private final IntConsumer onDropped;

  // guarded by this: insertion order is sending order
  private final LinkedHashMap<String, CopyWrite> pending = new LinkedHashMap<>();
  private boolean sending;
  // FIFO accounting for flush(): entries leave `pending` in order (a replaced entry keeps its
  // place), so a flush waits until as many entries have been sent or dropped as had entered the
  // queue when it was called, and never for entries queued after it.
  private long taken; // entries removed from pending: put in a batch or dropped by clear()
  private long completed; // of those, the ones whose batch completed or that were dropped
  private final List<Flush> flushes = new ArrayList<>();

  /** A flush waiting until {@code completed} reaches {@code target}. */
  private record Flush(long target, CompletableFuture<Void> done) {}

  WriteBackQueue(
      int capacity,
      Executor executor,
      Function<List<CopyWrite>, CompletableFuture<Void>> sender,
      IntConsumer onDropped) {
    this.capacity = capacity;
    this.executor = executor;
    this.sender = sender;
    this.onDropped = onDropped;
  }

  /**
   * Queues a write-back; returns false when it was dropped because the queue is full.
   *
   * @param write a compare-and-set write ({@code ifNewer})
   */
  boolean offer(CopyWrite write) {
    String key = write.entry().key();
    synchronized (this) {
      CopyWrite queued = pending.get(key);
      if (queued != null) {
        if (write.entry().version() > queued.entry().version()) {
          pending.put(key, write); // keeps its place in the order
        }
        return true;
      }
      if (pending.size() < capacity) {
        pending.put(key, write);
        if (!sending) {
          sending = true;
          try {
            executor.execute(this::sendBatch);
          } catch (RejectedExecutionException e) {
            sending = false; // the cache is closing: nothing more is sent
            pending.remove(key);
            return false;
          }
        }
        return true;
      }
    }
    onDropped.accept(1);
    return false;
  }

  /** How many write-backs wait to be sent. */
  synchronized int size() {
    return pending.size();
  }

  /**
   * Completes once every write-back queued before the call was sent (or failed) or dropped; write-
   * backs queued after it are not waited for, so a flush ends even under a steady stream of misses.
   */
  CompletableFuture<Void> flush() {
    synchronized (this) {
      long target = taken + pending.size();
      if (completed >= target) {
        return CompletableFuture.completedFuture(null);
      }
      Flush f = new Flush(target, new CompletableFuture<>());
      flushes.add(f);
      return f.done();
    }
  }

  /** Drops what is queued (on close), counting it, and completes the waiting flushes. */
  void clear() {
    int dropped;
    List<CompletableFuture<Void>> done;
    synchronized (this) {
      dropped = pending.size();
      pending.clear();
      taken += dropped;
      completed += dropped;
      done = takeFlushes();
    }
    if (dropped > 0) {
      onDropped.accept(dropped);
    }
    done.forEach(f -> f.complete(null));
  }

  private void sendBatch() {
    List<CopyWrite> batch;
    List<CompletableFuture<Void>> done;
    synchronized (this) {
      batch = new ArrayList<>(Math.min(BATCH, pending.size()));
      var it = pending.entrySet().iterator();
      while (it.hasNext() && batch.size() < BATCH) {
        Map.Entry<String, CopyWrite> e = it.next();
        batch.add(e.getValue());
        it.remove();
      }
      taken += batch.size();
      if (batch.isEmpty()) {
        sending = false;
      }
      done = takeFlushes();
    }
    done.forEach(f -> f.complete(null));
    if (batch.isEmpty()) {
      return;
    }
    CompletableFuture<Void> sent;
    try {
      sent = sender.apply(batch);
    } catch (RuntimeException e) {
      sent = CompletableFuture.completedFuture(null); // the sender logs and counts its failures
    }
    int size = batch.size();
    // the next batch starts on the cache's executor, not on the store's I/O thread
    CompletableFuture<?> unused =
        sent.whenCompleteAsync(
            (v, e) -> {
              synchronized (this) {
                completed += size;
              }
              sendBatch();
            },
            executor);
  }

  /** Removes and returns the flushes that {@code completed} has reached. */
  private List<CompletableFuture<Void>> takeFlushes() {
    if (flushes.isEmpty()) {
      return List.of();
    }
    List<CompletableFuture<Void>> out = new ArrayList<>();
    flushes.removeIf(
        f -> {
          if (f.target() <= completed) {
            out.add(f.done());
            return true;
          }
          return false;
        });
    return out;
  }
}
