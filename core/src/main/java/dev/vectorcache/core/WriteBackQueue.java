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
  private final List<CompletableFuture<Void>> flushes = new ArrayList<>();

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

  /** Completes once every write-back queued before the call was sent (or failed) or dropped. */
  CompletableFuture<Void> flush() {
    synchronized (this) {
      if (pending.isEmpty() && !sending) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> f = new CompletableFuture<>();
      flushes.add(f);
      return f;
    }
  }

  /** Drops what is queued (on close), counting it, and completes the waiting flushes. */
  void clear() {
    int dropped;
    List<CompletableFuture<Void>> done;
    synchronized (this) {
      dropped = pending.size();
      pending.clear();
      done = sending ? List.of() : takeFlushes();
    }
    if (dropped > 0) {
      onDropped.accept(dropped);
    }
    done.forEach(f -> f.complete(null));
  }

  private void sendBatch() {
    List<CopyWrite> batch;
    List<CompletableFuture<Void>> done = List.of();
    synchronized (this) {
      batch = new ArrayList<>(Math.min(BATCH, pending.size()));
      var it = pending.entrySet().iterator();
      while (it.hasNext() && batch.size() < BATCH) {
        Map.Entry<String, CopyWrite> e = it.next();
        batch.add(e.getValue());
        it.remove();
      }
      if (batch.isEmpty()) {
        sending = false;
        done = takeFlushes();
      }
    }
    if (batch.isEmpty()) {
      done.forEach(f -> f.complete(null));
      return;
    }
    CompletableFuture<Void> sent;
    try {
      sent = sender.apply(batch);
    } catch (RuntimeException e) {
      sent = CompletableFuture.completedFuture(null); // the sender logs and counts its failures
    }
    // the next batch starts on the cache's executor, not on the store's I/O thread
    CompletableFuture<?> unused = sent.whenCompleteAsync((v, e) -> sendBatch(), executor);
  }

  private List<CompletableFuture<Void>> takeFlushes() {
    if (flushes.isEmpty()) {
      return List.of();
    }
    List<CompletableFuture<Void>> out = new ArrayList<>(flushes);
    flushes.clear();
    return out;
  }
}
