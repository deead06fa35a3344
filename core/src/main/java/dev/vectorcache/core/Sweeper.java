package dev.vectorcache.core;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.VectorCacheException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.port.AsyncVectorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired points from the vector store, page by page, with their metadata-store copies, and
 * announces each as {@link MetadataEvent.Type#EXPIRED}. Entries without expiry never match the
 * expiry filter, so they are left alone. Optionally runs in the background on a daemon thread.
 */
final class Sweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
  static final int PAGE_SIZE = 256;

  private final AsyncVectorStore vectors;
  private final String collection;
  private final MetadataCopies copies;
  private final Clock clock;
  private final CacheCounters counters;
  private @Nullable ScheduledExecutorService background;

  Sweeper(
      AsyncVectorStore vectors,
      String collection,
      MetadataCopies copies,
      Clock clock,
      CacheCounters counters) {
    this.vectors = vectors;
    this.collection = collection;
    this.copies = copies;
    this.clock = clock;
    this.counters = counters;
  }

  /** Sweeps every {@code interval} on a daemon thread until {@link #close()}. */
  synchronized void startBackground(Duration interval) {
    if (background != null) {
      throw new IllegalStateException("the background sweeper is already running");
    }
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vectorcache-sweeper-" + collection);
              t.setDaemon(true);
              return t;
            });
    long ms = interval.toMillis();
    // sweepQuietly logs its own failures, and close() stops the task by shutting the executor down
    ScheduledFuture<?> unused =
        s.scheduleWithFixedDelay(this::sweepQuietly, ms, ms, TimeUnit.MILLISECONDS);
    background = s;
  }

  /** Deletes the entries expired now; completes with how many were deleted. */
  CompletableFuture<Long> sweep() {
    return deleteMatching(EntryPayload.expired(clock.instant()), MetadataEvent.Type.EXPIRED);
  }

  /**
   * Deletes every point matching {@code filter} ({@code null}: every point), page by page: the
   * page's points from the vector store first, then their copies, then their events of {@code
   * type}. Completes with how many points were deleted.
   */
  CompletableFuture<Long> deleteMatching(@Nullable Filter filter, MetadataEvent.Type type) {
    ScrollRequest page =
        new ScrollRequest(filter, PAGE_SIZE, null, EntryPayload.BOOKKEEPING, false);
    return sweepPage(page, type, 0L, null);
  }

  private CompletableFuture<Long> sweepPage(
      ScrollRequest request,
      MetadataEvent.Type type,
      long sweptSoFar,
      @Nullable PointId previousFirst) {
    return vectors
        .scroll(collection, request)
        .thenCompose(
            (ScrollPage page) -> {
              if (page.points().isEmpty()) {
                return CompletableFuture.completedFuture(sweptSoFar);
              }
              PointId first = page.points().get(0).id();
              if (first.equals(previousFirst)) {
                // the last delete removed nothing: stop instead of scrolling the same page forever
                return CompletableFuture.failedFuture(stuck(first));
              }
              return deletePage(page.points(), type)
                  .thenCompose(
                      n -> {
                        long total = sweptSoFar + n;
                        // the deleted points are gone, so the next page starts from the beginning
                        return page.nextOffset() == null
                            ? CompletableFuture.completedFuture(total)
                            : sweepPage(request, type, total, first);
                      });
            });
  }

  /** Deletes one page of points, their copies, and announces them. */
  private CompletableFuture<Integer> deletePage(
      List<RetrievedPoint> points, MetadataEvent.Type type) {
    List<PointId> ids = new ArrayList<>(points.size());
    List<CacheEntry> gone = new ArrayList<>();
    Instant at = clock.instant();
    for (RetrievedPoint p : points) {
      ids.add(p.id());
      PayloadHit h = EntryPayload.read(p.id(), 0f, p.payload());
      String key = h.key();
      if (key != null) {
        gone.add(new CacheEntry(key, Map.of(), h.version(), at));
      }
    }
    return vectors
        .delete(collection, ids)
        .thenCompose(v -> copies.invalidate(gone))
        .thenCompose(v -> copies.publish(gone, type))
        .thenApply(
            v -> {
              if (type == MetadataEvent.Type.EXPIRED) {
                counters.swept(ids.size());
              } else {
                counters.deleted(ids.size());
              }
              return ids.size();
            });
  }

  private VectorCacheException stuck(PointId id) {
    return new VectorCacheException(
        "deleting from collection '"
            + collection
            + "' stopped: point "
            + id
            + " is still there after it was deleted");
  }

  private void sweepQuietly() {
    try {
      long n = Futures.join(sweep());
      if (n > 0) {
        LOG.debug("swept {} expired entries from collection {}", n, collection);
      }
    } catch (RuntimeException e) {
      LOG.warn("sweeping expired entries from collection {} failed: {}", collection, e.toString());
    }
  }

  /** Stops the background sweeper, if any. */
  @Override
  public synchronized void close() {
    if (background != null) {
      background.shutdownNow();
      background = null;
    }
  }
}
