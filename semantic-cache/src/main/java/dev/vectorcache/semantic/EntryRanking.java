package dev.vectorcache.semantic;

import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.adapter.OutageLog;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.ScoredSets;
import dev.vectorcache.core.port.ScoredSets.Update;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The size bounds of a semantic cache: records each entry's uses in sorted sets of the metadata
 * store ({@link ScoredSets}) and evicts the lowest-ranked entries when a set holds more than its
 * bound.
 *
 * <p><b>Sets.</b> {@code <collection>:sc:rank} ranks every entry of the cache (member {@code
 * <scopeHash>|<key>}; written only with a global bound), {@code <collection>:sc:rank:<scopeHash>}
 * the entries of one scope (member {@code <key>}; written with either bound, since {@link
 * #forgetScope} reads it to clean the global set), and {@code <collection>:sc:scopes} lists the
 * scopes that have a set, so that {@link #clear()} finds them without a scan. The score is the time
 * of the last use in epoch milliseconds from the cache's clock ({@link Eviction#LRU}) or the number
 * of uses ({@link Eviction#LFU}: a put sets 1, a hit adds 1). Every instance of the application
 * shares them.
 *
 * <p><b>Off the request path.</b> {@link #onPut} and {@link #onHit} only queue the use in a bounded
 * map (default {@value #DEFAULT_CAPACITY} members; uses of a member already queued are merged into
 * it) and return; a use that finds the map full is dropped and counted ({@link #dropped()}). One
 * daemon thread ({@code vectorcache-sc-rank-<collection>}, gone when idle) sends the queued uses in
 * batches of at most {@value #BATCH} members, all their set changes pipelined in one {@link
 * ScoredSets#update} call, one batch at a time. A failing metadata store never fails a put or a
 * lookup: the failure is counted ({@link #failures()}) and logged once as WARN, then summarised at
 * most every 10 s (see {@link OutageLog}), with one INFO line when the store answers again.
 *
 * <p><b>Eviction.</b> After a batch holding puts, the size of each touched scope set (with a
 * per-scope bound) and then of the global set (with a global bound) is read; a set over its bound
 * gives up its lowest members, at most {@value #BATCH} per round: their entries are deleted with
 * {@link VectorCache#deleteAllAsync} (vector store first, then the copies), then the members are
 * removed from the global and the scope set, and the listeners hear {@link
 * SemanticCacheListener#onEvicted}. Rounds repeat until the set is within its bound or a round
 * removed nothing. A member whose entry was already gone (expired, swept, invalidated) is removed
 * the same way but not counted as an eviction. Nothing is ever scanned.
 *
 * <p><b>Overshoot allowance.</b> A set is checked only after a batch of puts was recorded in it, so
 * it may hold its bound plus the puts of the batch being processed: at most {@value #BATCH} members
 * over the bound until that batch's eviction ends (per application instance sharing the sets: each
 * has its own batch in flight). Entries whose puts are still queued exist in the stores but are not
 * in any set yet (at most the queue's capacity); once {@link #flush()} completes with a healthy
 * store, every set is within its bound. Entries whose put was dropped (full queue) or not recorded
 * (failing store) are not in any set, never count and are never evicted by size: they live until
 * their TTL or an invalidation, unless a later hit records them. A set left over its bound by a
 * failed eviction is checked again after the next batch of puts.
 *
 * <p><b>After a Redis restart</b> (or a flush) the sets are empty: the bounds then count only the
 * entries put or hit since, and older entries live until their TTL or an invalidation. {@link
 * #rebuild()} adds every live entry of the collection again, page by page, from the vector store.
 * It reads the payload fields {@value #SCOPE_HASH_FIELD} (the scope hash, a string) and {@value
 * #CREATED_FIELD} (epoch milliseconds, an integer) that the semantic cache writes in each entry's
 * metadata; entries without a scope hash are not ranked.
 *
 * <p>Members of entries deleted by other means (invalidation by key or filter, expiry) stay in the
 * sets until they are the lowest: until then they count toward the bound, so a bounded cache may
 * hold fewer entries than its bound, never more (beyond the allowance above). The sets have no
 * expiry: the set of a scope that gets no more puts keeps its members (at most its bound plus one
 * batch when it has one) until {@link #forgetScope} or {@link #clear()}.
 */
final class EntryRanking implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EntryRanking.class);

  /** Most queued members per batch, and most members evicted per round. */
  static final int BATCH = 256;

  /** Default capacity of the queue of uses, in members. */
  static final int DEFAULT_CAPACITY = 10_000;

  /** Payload field (entry metadata) holding the entry's scope hash; read by {@link #rebuild()}. */
  static final String SCOPE_HASH_FIELD = "sc_scope_hash";

  /** Payload field (entry metadata) holding the entry's creation time in epoch milliseconds. */
  static final String CREATED_FIELD = "sc_created";

  private static final long CLOSE_FLUSH_MILLIS = 1_000;
  private static final int REBUILD_PAGE = BATCH / 2; // two set changes per entry
  private static final char SEPARATOR = '|';
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private static final EntryRanking DISABLED = new EntryRanking(null);

  private final @Nullable Engine engine;

  private EntryRanking(@Nullable Engine engine) {
    this.engine = engine;
  }

  /** No bounds: every method completes at once and nothing is sent. */
  static EntryRanking disabled() {
    return DISABLED;
  }

  /**
   * Size bounds over {@code cache}'s metadata store.
   *
   * @param collection names the sets and the thread
   * @param maxEntries the bound over the whole cache, 0 for none
   * @param maxPerScope the bound per scope, 0 for none
   * @return the ranking, or {@link #disabled()} when neither bound is set
   * @throws InvalidInputException for a negative bound
   * @throws UnsupportedCapabilityException when a bound is set and the metadata store has no {@link
   *     Capability#SCORED_SETS}
   */
  static EntryRanking create(
      VectorCache cache,
      String collection,
      Eviction eviction,
      long maxEntries,
      long maxPerScope,
      List<SemanticCacheListener> listeners) {
    return create(
        cache, collection, eviction, maxEntries, maxPerScope, listeners, DEFAULT_CAPACITY);
  }

  /** As {@link #create(VectorCache, String, Eviction, long, long, List)}, with a queue capacity. */
  static EntryRanking create(
      VectorCache cache,
      String collection,
      Eviction eviction,
      long maxEntries,
      long maxPerScope,
      List<SemanticCacheListener> listeners,
      int capacity) {
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(eviction, "eviction");
    List<SemanticCacheListener> told = List.copyOf(listeners);
    if (maxEntries < 0) {
      throw new InvalidInputException("maxEntries", "0 (no bound) or more", maxEntries);
    }
    if (maxPerScope < 0) {
      throw new InvalidInputException("maxEntriesPerScope", "0 (no bound) or more", maxPerScope);
    }
    if (capacity < 1) {
      throw new InvalidInputException("capacity", "1 or more", capacity);
    }
    if (maxEntries == 0 && maxPerScope == 0) {
      return DISABLED;
    }
    AsyncMetadataStore store = cache.metadataStore();
    Optional<ScoredSets> sets =
        store.isSupported(Capability.SCORED_SETS)
            ? store.extension(ScoredSets.class)
            : Optional.empty();
    if (sets.isEmpty()) {
      throw new UnsupportedCapabilityException(
          (maxEntries > 0 ? "maxEntries" : "maxEntriesPerScope")
              + " needs a metadata store with sorted sets (Capability.SCORED_SETS, as Redis"
              + " and the embedded store offer); "
              + store.getClass().getSimpleName()
              + " does not offer them");
    }
    return new EntryRanking(
        new Engine(
            cache, sets.get(), collection, eviction, maxEntries, maxPerScope, told, capacity));
  }

  /**
   * Records a put of {@code key} in scope {@code scopeHash} (hex: never empty, never holding {@code
   * |}; a use that breaks this is dropped and counted); never blocks, never throws.
   */
  void onPut(String scopeHash, String key) {
    if (engine != null) {
      engine.record(scopeHash, key, true);
    }
  }

  /** Records a hit of {@code key} in scope {@code scopeHash}; never blocks, never throws. */
  void onHit(String scopeHash, String key) {
    if (engine != null) {
      engine.record(scopeHash, key, false);
    }
  }

  /**
   * Forgets a scope (after its entries were invalidated): drops its queued uses, removes its
   * members from the global set, and deletes its set. Uses recorded after the call are kept. Never
   * completes exceptionally: a failure is logged and counted, and the members left behind are
   * removed when they are the lowest.
   */
  CompletableFuture<Void> forgetScope(String scopeHash) {
    Objects.requireNonNull(scopeHash, "scopeHash");
    return engine == null ? DONE : engine.forgetScope(scopeHash);
  }

  /**
   * Deletes every set of this cache (after the cache was cleared) and drops the queued uses. Never
   * completes exceptionally, as {@link #forgetScope}.
   */
  CompletableFuture<Void> clear() {
    return engine == null ? DONE : engine.clear();
  }

  /**
   * Adds every live entry of the collection to the sets again (after a Redis restart or flush),
   * page by page, with the score of its creation ({@link Eviction#LRU}: {@value #CREATED_FIELD}, 0
   * when missing) or 1 ({@link Eviction#LFU}); members already in the sets get that score too. Then
   * evicts what is over the bounds. Queued uses are sent between its pages.
   *
   * @return how many entries were added; fails when a store failed
   */
  CompletableFuture<Long> rebuild() {
    return engine == null ? CompletableFuture.completedFuture(0L) : engine.rebuild();
  }

  /**
   * Completes when every use, eviction, scope removal, clear and rebuild queued before the call is
   * done (or failed); later ones are not waited for.
   */
  CompletableFuture<Void> flush() {
    return engine == null ? DONE : engine.flush();
  }

  /** How many uses were dropped because the queue was full (or the ranking closed). */
  long dropped() {
    return engine == null ? 0 : engine.dropped.sum();
  }

  /** How many metadata-store calls of the ranking failed. */
  long failures() {
    return engine == null ? 0 : engine.failureCount.sum();
  }

  /** How many entries were evicted. */
  long evicted() {
    return engine == null ? 0 : engine.evicted.sum();
  }

  /**
   * Gives queued work one second, then drops the rest (counted) and stops the thread. Does not
   * close the cache.
   */
  @Override
  public void close() {
    if (engine != null) {
      engine.close();
    }
  }

  // ------------------------------------------------------------------ the engine

  /** The queued uses of one member, merged. Guarded by the engine. */
  private static final class Pending {
    final String scope;
    final String key;
    final long seq;
    boolean put;
    long hits;
    long lastUse;

    Pending(String scope, String key, long seq) {
      this.scope = scope;
      this.key = key;
      this.seq = seq;
    }
  }

  /**
   * Work other than sending uses. {@code body} completes with the job's continuation (a rebuild's
   * next page), which keeps the same sequence number; {@code abandon} completes its caller's future
   * when the ranking closes before the job finished.
   */
  private record Job(
      String name, long seq, Supplier<CompletableFuture<Optional<Job>>> body, Runnable abandon) {}

  /** A flush waiting until no work numbered {@code target} or lower is outstanding. */
  private record Flush(long target, CompletableFuture<Void> done) {}

  /** A member read from a set: the entry's scope and key. */
  private record Ref(String scope, String key) {}

  private static final class Engine {
    final VectorCache cache;
    final ScoredSets sets;
    final String collection;
    final Eviction eviction;
    final long maxEntries;
    final long maxPerScope;
    final List<SemanticCacheListener> listeners;
    final int capacity;
    final String globalKey;
    final String registryKey;
    final ThreadPoolExecutor executor;
    final LongAdder failureCount = new LongAdder();
    final OutageLog failures;
    final LongAdder dropped = new LongAdder();
    final LongAdder evicted = new LongAdder();

    // guarded by this
    final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    final ArrayDeque<Job> barriers = new ArrayDeque<>(); // before any later use: forget, clear
    final ArrayDeque<Job> background = new ArrayDeque<>(); // alternates with uses: rebuild pages
    final TreeSet<Long> outstanding = new TreeSet<>(); // numbers of queued or running work
    final List<Flush> flushes = new ArrayList<>();
    long nextSeq = 1;
    @Nullable Job current; // the job running, if any: abandoned too when the ranking closes
    boolean running;
    boolean lastWasBackground;
    boolean closed;

    Engine(
        VectorCache cache,
        ScoredSets sets,
        String collection,
        Eviction eviction,
        long maxEntries,
        long maxPerScope,
        List<SemanticCacheListener> listeners,
        int capacity) {
      this.cache = cache;
      this.sets = sets;
      this.collection = collection;
      this.eviction = eviction;
      this.maxEntries = maxEntries;
      this.maxPerScope = maxPerScope;
      this.listeners = listeners;
      this.capacity = capacity;
      this.globalKey = collection + ":sc:rank";
      this.registryKey = collection + ":sc:scopes";
      this.failures =
          new OutageLog(
              LOG,
              cache.clock(),
              "size bounds of semantic cache " + collection,
              "uses go unrecorded and evictions wait");
      this.executor =
          new ThreadPoolExecutor(
              1,
              1,
              30,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "vectorcache-sc-rank-" + collection);
                t.setDaemon(true);
                return t;
              });
      executor.allowCoreThreadTimeOut(true);
    }

    String scopeKey(String scope) {
      return globalKey + ":" + scope;
    }

    // -------------------------------------------------------------- callers' side

    void record(String scope, String key, boolean put) {
      if (scope.isEmpty() || key.isEmpty() || scope.indexOf(SEPARATOR) >= 0) {
        // a member must split back into scope and key: the semantic cache passes hex hashes
        dropped.increment();
        LOG.debug("a use with a scope hash that is empty or holds '|' was ignored");
        return;
      }
      try {
        long now = cache.clock().millis();
        String member = scope + SEPARATOR + key;
        synchronized (this) {
          if (closed) {
            dropped.increment();
            return;
          }
          Pending p = pending.get(member);
          if (p == null) {
            if (pending.size() >= capacity) {
              dropped.increment();
              return;
            }
            p = new Pending(scope, key, nextSeq++);
            outstanding.add(p.seq);
            pending.put(member, p);
          }
          if (put) {
            p.put = true;
            p.hits = 0; // a replaced answer starts again
          } else {
            p.hits++;
          }
          p.lastUse = Math.max(p.lastUse, now);
          kick();
        }
      } catch (RuntimeException e) {
        dropped.increment();
        LOG.debug("recording a use for collection {} failed", collection, e);
      }
    }

    CompletableFuture<Void> forgetScope(String scope) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      List<CompletableFuture<Void>> flushed;
      synchronized (this) {
        if (closed) {
          return DONE;
        }
        Iterator<Pending> it = pending.values().iterator();
        while (it.hasNext()) {
          Pending p = it.next();
          if (p.scope.equals(scope)) {
            it.remove();
            outstanding.remove(p.seq);
          }
        }
        long seq = nextSeq++;
        outstanding.add(seq);
        barriers.add(
            new Job(
                "forgetting a scope",
                seq,
                () -> quietly(removeScope(scope), done),
                () -> done.complete(null)));
        flushed = readyFlushes();
        kick();
      }
      flushed.forEach(f -> f.complete(null));
      return done;
    }

    CompletableFuture<Void> clear() {
      CompletableFuture<Void> done = new CompletableFuture<>();
      List<CompletableFuture<Void>> flushed;
      synchronized (this) {
        if (closed) {
          return DONE;
        }
        for (Pending p : pending.values()) {
          outstanding.remove(p.seq);
        }
        pending.clear();
        long seq = nextSeq++;
        outstanding.add(seq);
        barriers.add(
            new Job(
                "clearing the sets",
                seq,
                () -> quietly(deleteAllSets(), done),
                () -> done.complete(null)));
        flushed = readyFlushes();
        kick();
      }
      flushed.forEach(f -> f.complete(null));
      return done;
    }

    CompletableFuture<Long> rebuild() {
      CompletableFuture<Long> done = new CompletableFuture<>();
      synchronized (this) {
        if (closed) {
          return CompletableFuture.failedFuture(
              new IllegalStateException("the entry ranking is closed"));
        }
        long seq = nextSeq++;
        outstanding.add(seq);
        Filter live =
            Filter.builder()
                .must(
                    Condition.filter(
                        Filter.should(
                            Condition.isEmpty(EntryPayload.EXPIRES_AT),
                            Condition.range(
                                EntryPayload.EXPIRES_AT,
                                Range.gt((double) cache.clock().millis())))))
                .mustNot(Condition.isEmpty(SCOPE_HASH_FIELD))
                .build();
        ScrollRequest first =
            new ScrollRequest(
                live,
                REBUILD_PAGE,
                null,
                PayloadSelector.include(EntryPayload.KEY, SCOPE_HASH_FIELD, CREATED_FIELD),
                false);
        background.add(rebuildJob(seq, first, 0, new HashSet<>(), done));
        kick();
      }
      return done;
    }

    CompletableFuture<Void> flush() {
      synchronized (this) {
        if (outstanding.isEmpty()) {
          return DONE;
        }
        Flush f = new Flush(nextSeq - 1, new CompletableFuture<>());
        flushes.add(f);
        return f.done();
      }
    }

    void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      try {
        flush().get(CLOSE_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // what is left is dropped below, and counted
      }
      List<Job> abandoned;
      List<CompletableFuture<Void>> flushed;
      synchronized (this) {
        dropped.add(pending.size());
        pending.clear();
        abandoned = new ArrayList<>(barriers);
        abandoned.addAll(background);
        if (current != null) {
          abandoned.add(current); // its completion may never run on the stopped thread
        }
        barriers.clear();
        background.clear();
        outstanding.clear();
        flushed = readyFlushes();
      }
      executor.shutdown();
      abandoned.forEach(j -> j.abandon().run());
      flushed.forEach(f -> f.complete(null));
    }

    // -------------------------------------------------------------- the worker

    /** Starts the worker unless it runs. Called holding the lock. */
    private void kick() {
      if (running) {
        return;
      }
      running = true;
      try {
        executor.execute(this::step);
      } catch (RejectedExecutionException e) {
        running = false; // closing: nothing more is sent
      }
    }

    /** Runs one piece of work, then the next one when it completes, on the ranking's thread. */
    private void step() {
      Job job;
      List<Pending> batch = List.of();
      synchronized (this) {
        Job first = barriers.poll();
        Job later = background.peek();
        if (first != null) {
          job = first;
        } else if (later != null && !(lastWasBackground && !pending.isEmpty())) {
          job = background.remove();
          lastWasBackground = true;
        } else if (!pending.isEmpty()) {
          job = null;
          batch = takeBatch();
          lastWasBackground = false;
        } else {
          running = false;
          return;
        }
        current = job;
      }
      List<Long> seqs = new ArrayList<>();
      CompletableFuture<Optional<Job>> work;
      String name;
      try {
        if (job != null) {
          seqs.add(job.seq());
          name = job.name();
          work = job.body().get();
        } else {
          batch.forEach(p -> seqs.add(p.seq));
          name = "recording uses or evicting";
          work = send(batch).thenApply(v -> Optional.empty());
        }
      } catch (RuntimeException e) {
        name = job != null ? job.name() : "recording uses or evicting";
        work = CompletableFuture.failedFuture(e);
      }
      String operation = name;
      try {
        CompletableFuture<?> unused =
            work.whenCompleteAsync(
                (next, e) -> {
                  if (e == null) {
                    failures.success();
                  } else {
                    failureCount.increment();
                    failures.failure(operation, e);
                  }
                  finished(seqs, e == null && next != null ? next : Optional.empty());
                  step();
                },
                executor);
      } catch (RejectedExecutionException e) {
        synchronized (this) {
          running = false;
        }
      }
    }

    private List<Pending> takeBatch() {
      List<Pending> batch = new ArrayList<>(Math.min(BATCH, pending.size()));
      Iterator<Pending> it = pending.values().iterator();
      while (it.hasNext() && batch.size() < BATCH) {
        batch.add(it.next());
        it.remove();
      }
      return batch;
    }

    /** Work numbered {@code seqs} is done, or goes on with {@code next}. */
    private void finished(List<Long> seqs, Optional<Job> next) {
      List<CompletableFuture<Void>> flushed;
      boolean abandon;
      synchronized (this) {
        current = null;
        abandon = next.isPresent() && closed;
        if (next.isPresent() && !closed) {
          background.add(next.get());
        } else {
          outstanding.removeAll(seqs);
        }
        flushed = readyFlushes();
      }
      if (abandon) {
        next.get().abandon().run();
      }
      flushed.forEach(f -> f.complete(null));
    }

    /** Removes and returns the flushes with no outstanding work left. Called holding the lock. */
    private List<CompletableFuture<Void>> readyFlushes() {
      if (flushes.isEmpty()) {
        return List.of();
      }
      Long first = outstanding.isEmpty() ? null : outstanding.first();
      List<CompletableFuture<Void>> out = new ArrayList<>();
      flushes.removeIf(
          f -> {
            if (first == null || first > f.target()) {
              out.add(f.done());
              return true;
            }
            return false;
          });
      return out;
    }

    // -------------------------------------------------------------- recording uses

    /** Sends one batch of uses in one round trip, then enforces the bounds of the scopes put to. */
    private CompletableFuture<Void> send(List<Pending> batch) {
      Set<String> scopes = new LinkedHashSet<>();
      Set<String> putScopes = new LinkedHashSet<>();
      for (Pending p : batch) {
        scopes.add(p.scope);
        if (p.put) {
          putScopes.add(p.scope);
        }
      }
      List<Update> updates = new ArrayList<>(scopes.size() + 2 * batch.size());
      // the registry first, so that no scope set exists that clear() cannot find
      scopes.forEach(s -> updates.add(Update.set(registryKey, s, 0)));
      for (Pending p : batch) {
        // epoch milliseconds and use counts are far below 2^53: exact as doubles
        if (eviction == Eviction.LRU) {
          setScore(updates, p.scope, p.key, (double) p.lastUse, false);
        } else if (p.put) {
          setScore(updates, p.scope, p.key, (double) (1 + p.hits), false);
        } else {
          setScore(updates, p.scope, p.key, (double) p.hits, true);
        }
      }
      // hits alone never grow a set: only a batch with puts is checked
      return sets.update(updates).thenCompose(v -> putScopes.isEmpty() ? DONE : enforce(putScopes));
    }

    private void setScore(
        List<Update> updates, String scope, String key, double score, boolean increment) {
      updates.add(new Update(scopeKey(scope), key, score, increment));
      if (maxEntries > 0) {
        updates.add(new Update(globalKey, scope + SEPARATOR + key, score, increment));
      }
    }

    // -------------------------------------------------------------- eviction

    /** Brings the scope sets of {@code scopes}, then the global set, within their bounds. */
    private CompletableFuture<Void> enforce(Collection<String> scopes) {
      CompletableFuture<Void> scoped =
          maxPerScope > 0 && !scopes.isEmpty() ? enforceScopes(List.copyOf(scopes), 0) : DONE;
      return scoped.thenCompose(
          v ->
              maxEntries > 0
                  ? sets.size(globalKey).thenCompose(n -> evict(globalKey, null, n - maxEntries))
                  : DONE);
    }

    /** The scopes from {@code from}: sizes read together, {@value #BATCH} at a time. */
    private CompletableFuture<Void> enforceScopes(List<String> scopes, int from) {
      if (from >= scopes.size()) {
        return DONE;
      }
      List<String> chunk = scopes.subList(from, Math.min(scopes.size(), from + BATCH));
      List<CompletableFuture<Long>> sizes = new ArrayList<>(chunk.size());
      chunk.forEach(s -> sizes.add(sets.size(scopeKey(s))));
      return CompletableFuture.allOf(sizes.toArray(new CompletableFuture<?>[0]))
          .thenCompose(
              v -> {
                CompletableFuture<Void> f = DONE;
                for (int i = 0; i < chunk.size(); i++) {
                  String scope = chunk.get(i);
                  long excess = sizes.get(i).join() - maxPerScope;
                  if (excess > 0) {
                    f = f.thenCompose(x -> evict(scopeKey(scope), scope, excess));
                  }
                }
                return f;
              })
          .thenCompose(v -> enforceScopes(scopes, from + BATCH));
    }

    /**
     * Evicts the {@code excess} lowest members of {@code setKey}, a round of at most {@value
     * #BATCH} at a time. {@code scope} is the set's scope, or null for the global set.
     */
    private CompletableFuture<Void> evict(String setKey, @Nullable String scope, long excess) {
      if (excess <= 0) {
        return DONE;
      }
      return sets.lowest(setKey, (int) Math.min(excess, BATCH))
          .thenCompose(
              members -> {
                if (members.isEmpty()) {
                  return DONE;
                }
                return removeEntries(members, scope)
                    .thenCompose(
                        removed -> removed == 0 ? DONE : evict(setKey, scope, excess - removed));
              });
    }

    /**
     * Deletes the entries of {@code members} (of a scope set when {@code scope} is set, else of the
     * global set), then their members from both sets. Completes with how many members left the set
     * they were read from.
     */
    private CompletableFuture<Long> removeEntries(List<String> members, @Nullable String scope) {
      List<Ref> refs = new ArrayList<>(members.size());
      List<String> malformed = new ArrayList<>();
      for (String m : members) {
        Ref r = scope != null ? new Ref(scope, m) : parse(m);
        if (r == null) {
          malformed.add(m);
        } else {
          refs.add(r);
        }
      }
      List<String> keys = new ArrayList<>(refs.size());
      refs.forEach(r -> keys.add(r.key()));
      CompletableFuture<Long> deleted =
          keys.isEmpty() ? CompletableFuture.completedFuture(0L) : cache.deleteAllAsync(keys);
      return deleted.thenCompose(
          existed -> {
            Map<String, List<String>> byScope = new LinkedHashMap<>();
            List<String> globalMembers = new ArrayList<>(malformed);
            for (Ref r : refs) {
              byScope.computeIfAbsent(r.scope(), s -> new ArrayList<>()).add(r.key());
              globalMembers.add(r.scope() + SEPARATOR + r.key());
            }
            CompletableFuture<Long> fromGlobal =
                maxEntries > 0
                    ? sets.remove(globalKey, globalMembers)
                    : CompletableFuture.completedFuture(0L);
            List<CompletableFuture<Long>> fromScopes = new ArrayList<>();
            byScope.forEach((s, k) -> fromScopes.add(sets.remove(scopeKey(s), k)));
            return CompletableFuture.allOf(fromScopes.toArray(new CompletableFuture<?>[0]))
                .thenCombine(fromGlobal, (v, g) -> g)
                .thenApply(
                    g -> {
                      if (existed > 0) {
                        reportEvicted(existed);
                      }
                      return scope == null ? g : fromScopes.get(0).join();
                    });
          });
    }

    private static @Nullable Ref parse(String member) {
      int at = member.indexOf(SEPARATOR);
      if (at <= 0 || at == member.length() - 1) {
        return null;
      }
      return new Ref(member.substring(0, at), member.substring(at + 1));
    }

    private void reportEvicted(long count) {
      evicted.add(count);
      for (SemanticCacheListener l : listeners) {
        try {
          l.onEvicted(count);
        } catch (RuntimeException e) {
          LOG.warn("a SemanticCacheListener failed in onEvicted; ignored", e);
        }
      }
    }

    // -------------------------------------------------------------- scopes, clear, rebuild

    /** Completes {@code done} when {@code f} completes, either way; the worker logs failures. */
    private static CompletableFuture<Optional<Job>> quietly(
        CompletableFuture<Void> f, CompletableFuture<Void> done) {
      return f.whenComplete((v, e) -> done.complete(null)).thenApply(v -> Optional.empty());
    }

    /** Removes a scope's members from the global set, page by page, then deletes its set. */
    private CompletableFuture<Void> removeScope(String scope) {
      String key = scopeKey(scope);
      CompletableFuture<Void> members =
          maxEntries > 0
              ? sets.size(key).thenCompose(n -> removeScopePages(scope, n / BATCH + 1))
              : DONE;
      return members
          .thenCompose(v -> sets.deleteSet(key))
          .thenCompose(v -> sets.remove(registryKey, List.of(scope)))
          .thenApply(v -> null);
    }

    private CompletableFuture<Void> removeScopePages(String scope, long rounds) {
      if (rounds <= 0) {
        return DONE;
      }
      String key = scopeKey(scope);
      return sets.lowest(key, BATCH)
          .thenCompose(
              keys -> {
                if (keys.isEmpty()) {
                  return DONE;
                }
                List<String> members = new ArrayList<>(keys.size());
                keys.forEach(k -> members.add(scope + SEPARATOR + k));
                return sets.remove(globalKey, members)
                    .thenCompose(v -> sets.remove(key, keys))
                    .thenCompose(
                        removed -> removed == 0 ? DONE : removeScopePages(scope, rounds - 1));
              });
    }

    /** Deletes every scope set listed in the registry, page by page, then the global set. */
    private CompletableFuture<Void> deleteAllSets() {
      return sets.size(registryKey)
          .thenCompose(n -> deleteScopeSets(n / BATCH + 1))
          .thenCompose(v -> sets.deleteSet(globalKey))
          .thenCompose(v -> sets.deleteSet(registryKey))
          .thenApply(v -> null);
    }

    private CompletableFuture<Void> deleteScopeSets(long rounds) {
      if (rounds <= 0) {
        return DONE;
      }
      return sets.lowest(registryKey, BATCH)
          .thenCompose(
              scopes -> {
                if (scopes.isEmpty()) {
                  return DONE;
                }
                List<CompletableFuture<Boolean>> deletes = new ArrayList<>(scopes.size());
                scopes.forEach(s -> deletes.add(sets.deleteSet(scopeKey(s))));
                return CompletableFuture.allOf(deletes.toArray(new CompletableFuture<?>[0]))
                    .thenCompose(v -> sets.remove(registryKey, scopes))
                    .thenCompose(removed -> removed == 0 ? DONE : deleteScopeSets(rounds - 1));
              });
    }

    /** One page of a rebuild: its entries added, then the next page as a continuation. */
    private Job rebuildJob(
        long seq,
        ScrollRequest request,
        long added,
        Set<String> scopes,
        CompletableFuture<Long> done) {
      Supplier<CompletableFuture<Optional<Job>>> body =
          () ->
              cache
                  .vectorStore()
                  .scroll(cache.collection(), request)
                  .thenCompose(
                      (ScrollPage page) -> addPage(seq, page, request, added, scopes, done))
                  .whenComplete(
                      (next, e) -> {
                        if (e != null) {
                          done.completeExceptionally(e);
                        }
                      });
      return new Job(
          "rebuilding the sets",
          seq,
          body,
          () ->
              done.completeExceptionally(
                  new IllegalStateException("the entry ranking closed during a rebuild")));
    }

    private CompletableFuture<Optional<Job>> addPage(
        long seq,
        ScrollPage page,
        ScrollRequest request,
        long addedBefore,
        Set<String> scopes,
        CompletableFuture<Long> done) {
      Set<String> pageScopes = new LinkedHashSet<>();
      List<Update> entries = new ArrayList<>(2 * page.points().size());
      long added = addedBefore;
      for (RetrievedPoint p : page.points()) {
        Map<String, Object> payload = p.payload();
        if (payload.get(EntryPayload.KEY) instanceof String key
            && payload.get(SCOPE_HASH_FIELD) instanceof String scope
            && !scope.isEmpty()) {
          double score =
              eviction == Eviction.LFU
                  ? 1
                  : payload.get(CREATED_FIELD) instanceof Number n ? n.doubleValue() : 0;
          pageScopes.add(scope);
          setScore(entries, scope, key, score, false);
          added++;
        }
      }
      long total = added;
      List<Update> updates = new ArrayList<>(pageScopes.size() + entries.size());
      pageScopes.forEach(s -> updates.add(Update.set(registryKey, s, 0)));
      updates.addAll(entries);
      scopes.addAll(pageScopes);
      PointId next = page.nextOffset();
      return sets.update(updates)
          .thenCompose(
              v -> {
                if (next != null) {
                  return CompletableFuture.completedFuture(
                      Optional.of(rebuildJob(seq, request.withOffset(next), total, scopes, done)));
                }
                return enforce(scopes)
                    .thenApply(
                        x -> {
                          done.complete(total);
                          return Optional.empty();
                        });
              });
    }
  }
}
