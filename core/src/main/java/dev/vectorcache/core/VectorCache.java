package dev.vectorcache.core;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.CollectionConfigMismatchException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.MigrationInProgressException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.CollectionAliases;
import dev.vectorcache.core.port.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A vector cache: embeddings with metadata and a time to live, searchable by similarity.
 *
 * <p>The vector store (Qdrant) is the source of truth: it holds the vectors and a durable copy of
 * the metadata in each point's payload. The metadata store (Redis) is a cache of that payload, read
 * in one round trip per search. The rules:
 *
 * <ul>
 *   <li><b>Write order.</b> The vector store is written first and the call waits until the write is
 *       applied; then the metadata store. A metadata-store failure is logged and counted, and the
 *       write still succeeds. A vector-store failure fails the call, and the key's metadata-store
 *       copy is invalidated, so nothing stale or half-written is left behind.
 *   <li><b>Absolute TTL.</b> The expiry instant is stored in the payload ({@value
 *       EntryPayload#EXPIRES_AT}) and as the metadata-store TTL. Every search filters out expired
 *       points in the vector store, and every read re-checks the expiry against the cache's {@link
 *       Clock}: an expired entry is never returned, whichever store expired first. {@link
 *       #sweepExpired()} deletes expired points. An entry stored with {@link Ttl#none()} has no
 *       expiry field and a metadata-store key without TTL: it is live until deleted, and the
 *       sweeper leaves it alone.
 *   <li><b>Hydration.</b> A search returns only the small bookkeeping fields of each hit's payload;
 *       the metadata of all hits is read from the metadata store in one call. A miss, or a copy
 *       whose version differs from the payload's, falls back to the payload (one more vector-store
 *       call for all such hits) and is written back with the remaining TTL.
 *   <li><b>Keys.</b> A string key maps to a name-based UUID (version 5) point id; the raw key is
 *       kept in the payload ({@value EntryPayload#KEY}). Metadata-store keys are {@code
 *       collection:key}.
 *   <li><b>Model migration.</b> {@link #migrate(MigrationPlan)} moves the cache to another
 *       embedding model without downtime: while it runs, every write also goes to the new
 *       collection with a vector the plan's {@link Reembedder} computes, searches read the old
 *       collection, and the switch to the new one is one step. The collection name is a plain
 *       collection until the first migration and an alias of {@code <name>__g<n>} after it (or from
 *       the start, with {@link VectorCacheBuilder#behindAlias(boolean)}).
 * </ul>
 *
 * <p>The work is shared out: {@link EntryPayload} is the payload schema, {@code InputChecks} the
 * checks of input, {@code EntryWriter} the preparation of writes, {@code MetadataCopies} the
 * metadata-store side, {@code Hydrator} the hydration of hits, {@code Sweeper} the deletion of
 * expired entries and {@code CacheCounters} the statistics and {@link CacheListener}s.
 *
 * <p>Every operation has a blocking and a non-blocking ({@code ...Async}) form; the blocking form
 * waits on the non-blocking one, so no thread is spent per call when the stores are asynchronous.
 * Bad input throws {@link InvalidInputException} before any I/O, in both forms.
 *
 * <pre>{@code
 * try (VectorCache cache = VectorCache.builder()
 *     .collection("docs")
 *     .collectionConfig(CollectionConfig.memoryOptimized(384, Distance.COSINE))
 *     .vectorStore(vectorStore)
 *     .metadataStore(metadataStore)
 *     .build()) {
 *   cache.initialize();
 *   cache.store("doc-1", embedding, Map.of("title", "Hello"), Duration.ofHours(1));
 *   List<CacheHit> hits = cache.searchSimilar(query, 5);
 * }
 * }</pre>
 */
public final class VectorCache implements AutoCloseable {
  private static final long CLOSE_FLUSH_MILLIS = 1_000;
  private final String collection;
  private final AsyncVectorStore vectors;
  private final AsyncMetadataStore metadata;
  private final Clock clock;
  private final SearchParams searchParams;
  private final boolean ownsStores;
  private final InputChecks checks;
  private volatile Route route;
  private final AtomicBoolean migrating = new AtomicBoolean();
  // set when a migration of this instance failed after moving to the new model (its switch): the
  // same plan may then be given again to finish it
  private volatile boolean switchUnfinished;
  private final EntryWriter writer;
  private final CacheCounters counters;
  private final MetadataCopies copies;
  private final Hydrator hydrator;
  private final Sweeper sweeper;
  private final EntryRemoval removal;
  private final DualWrites dualWrites;
  private final @Nullable CollectionAliases setupAliases; // with behindAlias(true)
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ThreadPoolExecutor background;

  /** The vector store's bookkeeping fields and the metadata-store copy of one key, read at once. */
  private record Lookup(List<RetrievedPoint> points, Map<String, MetadataEntry> copies) {}

  VectorCache(VectorCacheBuilder b) {
    this.collection = Objects.requireNonNull(b.collection, "collection");
    CollectionConfig collectionConfig =
        Objects.requireNonNull(b.collectionConfig, "collectionConfig");
    this.vectors = Objects.requireNonNull(b.vectors, "vectorStore");
    this.metadata = Objects.requireNonNull(b.metadata, "metadataStore");
    this.clock = b.clock;
    this.searchParams = b.searchParams;
    this.ownsStores = b.ownsStores;
    this.checks =
        new InputChecks(collectionConfig, b.defaultTtl, b.maxTtl, b.maxPayloadBytes, b.maxLimit);
    this.route = new Route(collection, collectionConfig, checks, b.modelId, null);
    this.writer = new EntryWriter(b.keyNamespace);
    this.counters = new CacheCounters(b.listeners);
    this.background = backgroundExecutor(collection);
    this.copies = new MetadataCopies(metadata, collection, b, counters, background);
    this.hydrator =
        new Hydrator(
            vectors,
            collection,
            copies,
            clock,
            counters,
            b.nearCacheEntries > 0 ? new NearCache(b.nearCacheEntries) : null);
    this.sweeper = new Sweeper(vectors, collection, copies, clock, counters);
    this.removal = new EntryRemoval(vectors, collection, writer, copies, counters, clock);
    this.dualWrites = new DualWrites(vectors);
    this.setupAliases =
        b.behindAlias ? VectorCacheBuilder.aliasesOf(vectors, "behindAlias(true)") : null;
    if (b.sweepInterval != null) {
      sweeper.startBackground(b.sweepInterval);
    }
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static VectorCacheBuilder builder() {
    return new VectorCacheBuilder();
  }

  /**
   * The collection this cache uses.
   *
   * @return its name
   */
  public String collection() {
    return collection;
  }

  /**
   * The collection's settings: the builder's, or those of the last {@link #migrate migration}'s
   * plan once it has switched.
   *
   * @return dimension, distance and memory settings
   */
  public CollectionConfig collectionConfig() {
    return route.config();
  }

  /**
   * The id of the embedding model whose vectors this cache stores and searches with: the builder's
   * {@code modelId}, or the model of the last {@link #migrate migration} once it has switched.
   * Until the switch, a running migration's callers keep giving vectors of this model.
   *
   * @return the model id, or {@code null} when none was set
   */
  public @Nullable String modelId() {
    return route.modelId();
  }

  /**
   * The point id a key maps to: a name-based UUID, the same in every process.
   *
   * @param key the application's key
   * @return the point id
   */
  public PointId pointId(String key) {
    InputChecks.key(key, "key");
    return writer.pointId(key);
  }

  // ------------------------------------------------------------------ initialize

  /**
   * Creates the collection with the configured memory settings and the payload indexes the cache
   * uses, or verifies an existing collection (or the collection an alias of the name points at).
   * With {@link VectorCacheBuilder#behindAlias(boolean)}, a new collection is created as {@code
   * <name>__g0} behind the alias {@code <name>}.
   *
   * @throws CollectionConfigMismatchException when an existing collection has another dimension or
   *     distance
   */
  public void initialize() {
    Futures.join(initializeAsync());
  }

  /** The non-blocking form of {@link #initialize()}. */
  public CompletableFuture<Void> initializeAsync() {
    checkOpen();
    return new CollectionSetup(vectors, collection, route.config(), setupAliases).run();
  }

  // ------------------------------------------------------------------ store

  /**
   * Stores an entry with the default TTL.
   *
   * @param key the application's key
   * @param vector the embedding
   * @param metadata JSON-like metadata, or {@code null} for none
   * @return the stored entry
   */
  public CacheEntry store(String key, float[] vector, @Nullable Map<String, ?> metadata) {
    return store(key, vector, metadata, (Ttl) null);
  }

  /**
   * Stores (or replaces) an entry. Returns once the vector store has applied the write.
   *
   * @param key the application's key
   * @param vector the embedding
   * @param metadata JSON-like metadata, or {@code null} for none
   * @param ttl time to live, or {@code null} for the default
   * @return the stored entry
   * @throws InvalidInputException before any I/O for a blank key, a bad vector, non-JSON or
   *     oversized metadata, or a TTL that is not positive or above the maximum
   */
  public CacheEntry store(
      String key, float[] vector, @Nullable Map<String, ?> metadata, @Nullable Duration ttl) {
    return Futures.join(storeAsync(key, vector, metadata, ttl));
  }

  /**
   * Stores (or replaces) an entry with a {@link Ttl}: {@code Ttl.of(duration)}, or {@link
   * Ttl#none()} for an entry that lives until it is deleted.
   *
   * @param key the application's key
   * @param vector the embedding
   * @param metadata JSON-like metadata, or {@code null} for none
   * @param ttl the time to live, or {@code null} for the default
   * @return the stored entry; its {@code expiresAt} is null for {@link Ttl#none()}
   * @throws InvalidInputException before any I/O, as {@link #store(String, float[], Map, Duration)}
   */
  public CacheEntry store(
      String key, float[] vector, @Nullable Map<String, ?> metadata, @Nullable Ttl ttl) {
    return Futures.join(storeAsync(key, vector, metadata, ttl));
  }

  /** The non-blocking form of {@link #store(String, float[], Map, Duration)}. */
  public CompletableFuture<CacheEntry> storeAsync(
      String key, float[] vector, @Nullable Map<String, ?> metadata, @Nullable Duration ttl) {
    return storeAsync(key, vector, metadata, ttl == null ? null : Ttl.of(ttl));
  }

  /** The non-blocking form of {@link #store(String, float[], Map, Ttl)}. */
  public CompletableFuture<CacheEntry> storeAsync(
      String key, float[] vector, @Nullable Map<String, ?> metadata, @Nullable Ttl ttl) {
    return storeAllAsync(List.of(new CacheWrite(key, vector, metadata, ttl)))
        .thenApply(list -> list.get(0));
  }

  /**
   * Stores a batch: one vector-store write for all entries, then the metadata. The whole batch is
   * validated before any I/O; one bad entry rejects the batch, naming its index.
   *
   * @param writes the entries
   * @return the stored entries, in order
   */
  public List<CacheEntry> storeAll(List<CacheWrite> writes) {
    return Futures.join(storeAllAsync(writes));
  }

  /** The non-blocking form of {@link #storeAll(List)}. */
  public CompletableFuture<List<CacheEntry>> storeAllAsync(List<CacheWrite> writes) {
    checkOpen();
    Objects.requireNonNull(writes, "writes");
    if (writes.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    Route r = route;
    EntryWriter.Batch batch = writer.prepare(writes, clock.instant(), r.checks(), r.modelId());
    List<CacheEntry> entries = batch.entries();
    Route.DualWrite dual = r.dual();
    // the new model's vectors are computed and checked before any I/O
    List<PointStruct> second = dual == null ? List.of() : DualWrites.points(dual, batch);
    long start = System.nanoTime();
    // old collection first, then the new one: the migration's backfill relies on this order
    CompletableFuture<Void> written =
        dualWrites.store(vectors.upsert(r.io(), batch.points()), dual, second);
    return timed(
        CacheListener.Operation.STORE,
        start,
        written
            // the upsert's failure, or null when it succeeded
            .handle((ok, error) -> error == null ? null : Futures.unwrap(error))
            .thenCompose(
                cause -> {
                  if (cause != null) {
                    // The write may have been applied before it failed (a timeout, say). Readers
                    // compare the copy's version with the payload's, so an old copy is never taken
                    // as
                    // current; dropping it as well is housekeeping, sent without waiting for it.
                    CompletableFuture<?> unused = copies.invalidate(entries); // tolerates failure
                    return CompletableFuture.<List<CacheEntry>>failedFuture(cause);
                  }
                  counters.stored(entries.size());
                  return copies.putAll(entries).thenApply(v -> List.copyOf(entries));
                }));
  }

  // ------------------------------------------------------------------ get / delete

  /**
   * The entry for {@code key}, or empty when missing or expired. Reads the metadata store and the
   * entry's version in the vector store concurrently; a stale or missing copy falls back to the
   * payload and is written back.
   *
   * @param key the application's key
   * @return the entry, or empty
   */
  public Optional<CacheEntry> get(String key) {
    return Futures.join(getAsync(key));
  }

  /** The non-blocking form of {@link #get(String)}. */
  public CompletableFuture<Optional<CacheEntry>> getAsync(String key) {
    checkOpen();
    InputChecks.key(key, "key");
    long start = System.nanoTime();
    CompletableFuture<List<RetrievedPoint>> truth =
        vectors.retrieve(route.io(), List.of(writer.pointId(key)), EntryPayload.BOOKKEEPING, false);
    CompletableFuture<Map<String, MetadataEntry>> cached =
        copies.readAll(List.of(copies.key(key)), false); // concurrently with the vector store
    return timed(
        CacheListener.Operation.GET,
        start,
        truth
            .thenCombine(cached, Lookup::new)
            .thenCompose(
                found -> {
                  if (found.points().isEmpty()) {
                    return CompletableFuture.completedFuture(Optional.<CacheEntry>empty());
                  }
                  RetrievedPoint p = found.points().get(0);
                  PayloadHit hit = EntryPayload.read(p.id(), 0f, p.payload());
                  return hydrator
                      .hydrate(List.of(hit), found.copies())
                      .thenApply(hits -> hits.stream().findFirst().map(CacheHit::entry));
                }));
  }

  /**
   * Deletes an entry from both stores (vector store first) and announces it.
   *
   * @param key the application's key
   * @return whether the key existed in the vector store
   */
  public boolean delete(String key) {
    return Futures.join(deleteAsync(key));
  }

  /** The non-blocking form of {@link #delete(String)}. */
  public CompletableFuture<Boolean> deleteAsync(String key) {
    checkOpen();
    InputChecks.key(key, "key");
    return deleteAllAsync(List.of(key)).thenApply(n -> n > 0);
  }

  /**
   * Deletes several entries from both stores (vector store first, in one call) and announces those
   * that existed.
   *
   * @param keys the application's keys; a key given twice is deleted and counted once
   * @return how many of them existed in the vector store
   * @throws InvalidInputException before any I/O for a bad key, naming its index ({@code keys[i]})
   */
  public long deleteAll(Collection<String> keys) {
    return Futures.join(deleteAllAsync(keys));
  }

  /** The non-blocking form of {@link #deleteAll(Collection)}. */
  public CompletableFuture<Long> deleteAllAsync(Collection<String> keys) {
    checkOpen();
    Objects.requireNonNull(keys, "keys");
    // checked in the caller's order, so that a bad key is named by its index in the caller's list
    LinkedHashSet<String> distinct = new LinkedHashSet<>();
    int i = 0;
    for (String key : keys) {
      InputChecks.key(key, "keys[" + i++ + "]");
      distinct.add(key);
    }
    if (distinct.isEmpty()) {
      return CompletableFuture.completedFuture(0L);
    }
    long start = System.nanoTime();
    List<String> doomed = List.copyOf(distinct);
    doomed.forEach(hydrator::forget); // frees the memory; a deleted point is no hit anyway
    // during a migration: old collection first, then the new one, as a store does
    CompletableFuture<Long> deleted =
        dualWrites.delete(removal.deleteAll(doomed), route.dual(), doomed, writer::pointId);
    return timed(CacheListener.Operation.DELETE, start, deleted);
  }

  /**
   * Deletes every entry whose metadata matches {@code filter}, from both stores in the write order:
   * page by page (256 points), each page's points from the vector store first, then their copies
   * from the metadata store, then a {@link MetadataEvent.Type#DELETED} event for each. Entries
   * stored while it runs may or may not be deleted.
   *
   * @param filter the metadata filter (as in {@link #searchSimilar(float[], int, Filter, Float)})
   * @return how many entries were deleted
   * @throws InvalidInputException for a null filter (use {@link #clear()} to delete everything)
   */
  public long deleteWhere(Filter filter) {
    return Futures.join(deleteWhereAsync(filter));
  }

  /** The non-blocking form of {@link #deleteWhere(Filter)}. */
  public CompletableFuture<Long> deleteWhereAsync(Filter filter) {
    checkOpen();
    if (filter == null) {
      throw new InvalidInputException("filter", "a filter (clear() deletes everything)", null);
    }
    long start = System.nanoTime();
    return timed(
        CacheListener.Operation.DELETE,
        start,
        dualWrites.deleteWhere(
            sweeper.deleteMatching(filter, MetadataEvent.Type.DELETED), route.dual(), filter));
  }

  /**
   * Deletes every entry of the collection from both stores, as {@link #deleteWhere(Filter)} does
   * for a filter that matches everything. The collection, its settings and its indexes stay.
   *
   * @return how many entries were deleted
   */
  public long clear() {
    return Futures.join(clearAsync());
  }

  /** The non-blocking form of {@link #clear()}. */
  public CompletableFuture<Long> clearAsync() {
    checkOpen();
    hydrator.forgetAll();
    long start = System.nanoTime();
    return timed(
        CacheListener.Operation.DELETE,
        start,
        dualWrites.deleteWhere(
            sweeper.deleteMatching(null, MetadataEvent.Type.DELETED), route.dual(), null));
  }

  // ------------------------------------------------------------------ expiry and copies

  /**
   * Moves the expiry of an entry, as read, to {@code expiresAt} in both stores (vector store
   * first): a sliding TTL. Nothing changes when the entry is gone, expired, stored without expiry,
   * or was stored again since it was read (another version). The metadata-store copy is rewritten
   * only over a copy of the same version, so a deleted or newer copy stays as it is; when that
   * rewrite is not applied, readers fall back to the payload, which holds the new expiry.
   *
   * <p>A store of the same key racing the move may get the moved expiry instead of its own.
   *
   * @param entry the entry as it was read (key, metadata and version)
   * @param expiresAt the new expiry: at least 1 ms after now, at most the builder's {@code maxTtl}
   *     from now
   * @return whether the vector store's point was moved
   * @throws InvalidInputException before any I/O when {@code expiresAt} is not at least 1 ms after
   *     now, or is further than {@code maxTtl} from now
   */
  public boolean extendExpiry(CacheEntry entry, Instant expiresAt) {
    return Futures.join(extendExpiryAsync(entry, expiresAt));
  }

  /** The non-blocking form of {@link #extendExpiry(CacheEntry, Instant)}. */
  public CompletableFuture<Boolean> extendExpiryAsync(CacheEntry entry, Instant expiresAt) {
    checkOpen();
    Objects.requireNonNull(entry, "entry");
    InputChecks.key(entry.key(), "entry.key");
    checks.expiresAt(expiresAt, clock.instant());
    // during a migration the new collection's point of the same version moves too
    return dualWrites.extendExpiry(
        removal.extendExpiry(entry, expiresAt),
        route.dual(),
        writer.pointId(entry.key()),
        entry.version(),
        expiresAt);
  }

  /**
   * The entry for {@code key} from the metadata store alone: one round trip, without the vector
   * store's version. For readers that accept that trade (the semantic cache's exact tier), with
   * these guards: empty while the breaker is open or an invalidation of this cache failed and has
   * not been retried successfully (a copy might then outlive its entry), on a miss, a failure, or a
   * copy expired at the cache's clock.
   *
   * <p>A delete racing a store of the same key from another thread or instance can leave the
   * store's copy behind the deleted point until its TTL ends; {@link #get(String)}, which reads the
   * vector store too, never returns it.
   *
   * @param key the application's key
   * @return the entry, or empty
   */
  public CompletableFuture<Optional<CacheEntry>> getCopyAsync(String key) {
    checkOpen();
    InputChecks.key(key, "key");
    return copies
        .readTrusted(key)
        .thenApply(
            found ->
                found
                    .filter(c -> !c.isExpiredAt(clock.instant()))
                    .map(c -> new CacheEntry(key, c.metadata(), c.version(), c.expiresAt())));
  }

  /**
   * Whether a copy read alone may be trusted now (see {@link #getCopyAsync(String)}): the breaker
   * is closed and no invalidation is pending.
   *
   * @return true when copies may be trusted
   */
  public boolean copiesTrusted() {
    return copies.trusted();
  }

  /**
   * The cache's clock, the one every expiry is measured with.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  // ------------------------------------------------------------------ search

  /**
   * The {@code limit} entries most similar to {@code query}, best first.
   *
   * @param query the query vector
   * @param limit how many hits at most
   * @return the hits, best first
   */
  public List<CacheHit> searchSimilar(float[] query, int limit) {
    return searchSimilar(query, limit, null, null);
  }

  /**
   * The entries most similar to {@code query}, best first. Entries without expiry are always live.
   * Every step runs on the calling thread when the stores allow it (see {@link
   * VectorCacheBuilder#metadataStore(dev.vectorcache.core.port.MetadataStore)}).
   *
   * @param query the query vector
   * @param limit how many hits at most
   * @param filter payload filter on the metadata fields, or {@code null}
   * @param scoreThreshold strict bound: a minimum similarity for Cosine/Dot, a maximum distance for
   *     Euclid/Manhattan; {@code null} for none
   * @return the hits, best first
   */
  public List<CacheHit> searchSimilar(
      float[] query, int limit, @Nullable Filter filter, @Nullable Float scoreThreshold) {
    return Futures.join(search(query, limit, filter, scoreThreshold, true));
  }

  /** The non-blocking form of {@link #searchSimilar(float[], int, Filter, Float)}. */
  public CompletableFuture<List<CacheHit>> searchSimilarAsync(
      float[] query, int limit, @Nullable Filter filter, @Nullable Float scoreThreshold) {
    return search(query, limit, filter, scoreThreshold, false);
  }

  /**
   * A search; {@code blocking} for the blocking form, whose caller waits anyway: the vector search
   * is awaited on the calling thread and what follows runs there, the metadata copies read through
   * the blocking metadata store when the builder was given one, so no step is handed to another
   * thread and back (on a small machine each hand-off costs about as much as a Redis round trip).
   */
  private CompletableFuture<List<CacheHit>> search(
      float[] query,
      int limit,
      @Nullable Filter filter,
      @Nullable Float scoreThreshold,
      boolean blocking) {
    checkOpen();
    Route r = route;
    r.checks().vector(query, "query");
    checks.limit(limit);
    checks.threshold(scoreThreshold);
    SearchRequest request =
        SearchRequest.builder(query, limit)
            .filter(EntryPayload.live(filter, clock.instant()))
            .scoreThreshold(scoreThreshold)
            .params(searchParams)
            .withPayload(EntryPayload.BOOKKEEPING)
            .build();
    long start = System.nanoTime();
    CompletableFuture<List<ScoredPoint>> searched = vectors.search(r.io(), request);
    if (blocking) {
      settle(searched); // the stages below then run on this thread
    }
    return timed(
        CacheListener.Operation.SEARCH,
        start,
        searched
            .thenCompose(
                found -> {
                  counters.searched();
                  List<PayloadHit> hits = new ArrayList<>(found.size());
                  for (ScoredPoint p : found) {
                    hits.add(EntryPayload.read(p.id(), p.score(), p.payload()));
                  }
                  return hydrator.hydrate(hits, blocking);
                })
            .thenApply(
                hits -> {
                  counters.hitScores(hits);
                  return hits;
                }));
  }

  /**
   * Waits until {@code future} is done, without throwing its failure (the caller's stages see it):
   * stages added afterwards run on the calling thread. An interrupt ends the wait with the flag
   * set, and the caller's join then reports it.
   */
  private static void settle(CompletableFuture<?> future) {
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | CancellationException e) {
      // done: the failure travels through the future
    }
  }

  // ------------------------------------------------------------------ model migration

  /**
   * Moves the cache to a new embedding model without downtime, or resumes such a move left
   * unfinished (by a crash, a failed {@link Reembedder} or a closed instance) with the same plan.
   * Blocks until the migration is done; run it on a thread of its own.
   *
   * <p>The steps: the state is recorded in the vector store ({@link #pendingMigration()}); the new
   * physical collection {@code <name>__g<n>} is created with the plan's settings; from then on
   * every write of this cache goes to both collections (the caller still gives the current model's
   * vectors, the plan's {@link Reembedder} computes the new ones before any I/O); the backfill
   * scrolls the old collection in batches of {@link MigrationPlan#batchSize()}, re-embeds each
   * entry and writes it with its version unchanged, never over a newer version, and checkpoints its
   * position after each batch; a last pass rechecks the entries written since the migration began;
   * then the name switches in one step: this cache's reads, writes and input checks move to the new
   * collection and model, and the name becomes an alias of the new collection (an existing alias is
   * re-pointed atomically; a plain collection of that name is first dropped, so other instances
   * reading by name see it missing for one round trip); finally the old collection and the state
   * are dropped. Searches see one collection at a time, never a mix. Metadata-store copies stay
   * valid: they are keyed by the name and versioned, and versions are kept.
   *
   * <p>While it runs, {@link #deleteWhere}, {@link #clear()}, deletes and sliding-expiry moves
   * apply to both collections; searches and reads use the old collection.
   *
   * @param plan the new model, settings, re-embedding function and batch size
   * @return the counts and duration
   * @throws InvalidInputException before any I/O for a null plan, or one with this cache's model
   *     id, dimension and distance
   * @throws UnsupportedCapabilityException before any I/O when the vector store has no aliases
   * @throws MigrationInProgressException when this cache is already migrating, or an unfinished
   *     migration with another model, dimension or distance is recorded
   */
  public MigrationResult migrate(MigrationPlan plan) {
    checkOpen();
    if (plan == null) {
      throw new InvalidInputException("plan", "a MigrationPlan", null);
    }
    if (!switchUnfinished) {
      Migrator.checkChangesModel(plan, route);
    }
    CollectionAliases aliases = VectorCacheBuilder.aliasesOf(vectors, "migrate");
    if (!migrating.compareAndSet(false, true)) {
      throw new MigrationInProgressException(
          "this cache is already migrating collection " + collection);
    }
    try {
      MigrationResult result = migrator(aliases).run(plan);
      switchUnfinished = false;
      return result;
    } catch (RuntimeException e) {
      // a failure after the switch began leaves this instance on the new model
      switchUnfinished = plan.modelId().equals(route.modelId());
      throw e;
    } finally {
      migrating.set(false);
    }
  }

  /**
   * The migration recorded as unfinished in the vector store, if any: a cache opened after a crash
   * finds it here and resumes it with {@link #migrate} and the same plan.
   *
   * @return the recorded state, or empty
   */
  public Optional<MigrationState> pendingMigration() {
    checkOpen();
    return Optional.ofNullable(new MigrationStateStore(vectors, collection).read());
  }

  private Migrator migrator(CollectionAliases aliases) {
    return new Migrator(vectors, aliases, collection, clock, () -> route, r -> route = r);
  }

  // ------------------------------------------------------------------ sweeping

  /**
   * Deletes expired points from the vector store (and their metadata-store copies) and announces
   * each as {@link MetadataEvent.Type#EXPIRED}. Entries stored without expiry are left alone.
   *
   * @return how many entries were deleted
   */
  public long sweepExpired() {
    return Futures.join(sweepExpiredAsync());
  }

  /** The non-blocking form of {@link #sweepExpired()}. */
  public CompletableFuture<Long> sweepExpiredAsync() {
    checkOpen();
    return sweeper.sweep();
  }

  // ------------------------------------------------------------------ events, stats, close

  /**
   * Subscribes to this collection's events (stored, deleted, expired), published by every cache
   * instance that shares the metadata store. Delivery is at most once.
   *
   * @param listener receives each event
   * @return the subscription; close it to stop
   */
  public Subscription subscribe(Consumer<MetadataEvent> listener) {
    checkOpen();
    Objects.requireNonNull(listener, "listener");
    return Futures.join(metadata.subscribe(collection, listener));
  }

  /**
   * Counters since the cache was built. To follow them as they change, register a {@link
   * CacheListener} on the builder.
   *
   * @return a snapshot of the counters
   */
  public CacheStats stats() {
    return counters.snapshot(
        copies.circuitState(),
        copies.writeBacksPending(),
        copies.invalidationsPending(),
        hydrator.nearCacheSize());
  }

  /**
   * The state of the circuit breaker in front of the metadata store.
   *
   * @return the state now
   */
  public CircuitState circuitState() {
    return copies.circuitState();
  }

  /**
   * Waits for the queued write-backs: completes the next time the queue is empty and no batch is
   * being sent (sent, failed or dropped alike). Useful before a shutdown or in a test; the cache
   * never needs it.
   *
   * @return completes when the write-back queue has drained
   */
  public CompletableFuture<Void> flushAsync() {
    return copies.flush();
  }

  /**
   * The vector store, in its non-blocking form.
   *
   * @return the store
   */
  public AsyncVectorStore vectorStore() {
    return vectors;
  }

  /**
   * The metadata store, in its non-blocking form.
   *
   * @return the store
   */
  public AsyncMetadataStore metadataStore() {
    return metadata;
  }

  /** Stops the sweeper and, unless built with {@code ownsStores(false)}, closes both stores. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    sweeper.close();
    try {
      // give queued write-backs a moment to reach a healthy store; a hung one does not hold close
      copies.flush().get(CLOSE_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // dropped below, and counted
    }
    copies.close();
    background.shutdown();
    if (ownsStores) {
      try {
        metadata.close();
      } finally {
        vectors.close();
      }
    }
  }

  /** The cache's one background thread (write-backs), started on first use, gone when idle. */
  private static ThreadPoolExecutor backgroundExecutor(String collection) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            1,
            1,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "vectorcache-writeback-" + collection);
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Reports the operation's time to the listeners when it completes. */
  private <T> CompletableFuture<T> timed(
      CacheListener.Operation operation, long start, CompletableFuture<T> f) {
    return f.whenComplete(
        (v, e) -> counters.timed(operation, System.nanoTime() - start, e != null));
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this VectorCache is closed");
    }
  }
}
