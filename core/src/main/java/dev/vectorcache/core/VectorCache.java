package dev.vectorcache.core;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.internal.Futures;
import dev.vectorcache.core.internal.JsonSize;
import dev.vectorcache.core.internal.Uuids;
import dev.vectorcache.core.model.CacheStrategy;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.Payloads;
import dev.vectorcache.core.model.PointId;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.Vectors;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.core.port.VectorStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *   <li><b>Absolute TTL.</b> The expiry instant is stored in the payload ({@value #EXPIRES_AT}) and
 *       as the metadata-store TTL. Every search filters out expired points in the vector store, and
 *       every read re-checks the expiry against the cache's {@link Clock}: an expired entry is
 *       never returned, whichever store expired first. {@link #sweepExpired()} deletes expired
 *       points.
 *   <li><b>Hydration.</b> A search returns only the small bookkeeping fields of each hit's payload;
 *       the metadata of all hits is read from the metadata store in one call. A miss, or a copy
 *       whose version differs from the payload's, falls back to the payload (one more vector-store
 *       call for all such hits) and is written back with the remaining TTL.
 *   <li><b>Keys.</b> A string key maps to a name-based UUID (version 5) point id; the raw key is
 *       kept in the payload ({@value #KEY}). Metadata-store keys are {@code collection:key}.
 * </ul>
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
  /** Payload field holding the application's key. */
  public static final String KEY = "_vc_key";

  /** Payload field holding the expiry instant in epoch milliseconds (an integer). */
  public static final String EXPIRES_AT = "_vc_expires_at";

  /** Payload field holding the entry's version. */
  public static final String VERSION = "_vc_version";

  /** Prefix reserved for the cache's own payload fields; metadata keys may not start with it. */
  public static final String RESERVED_PREFIX = "_vc_";

  /** Namespace of the name-based point ids, fixed so that ids are stable across releases. */
  public static final UUID DEFAULT_KEY_NAMESPACE =
      UUID.fromString("6f1c2a8e-5b7d-4c3e-9a0f-2d4b8e6c1a93");

  private static final Logger LOG = LoggerFactory.getLogger(VectorCache.class);
  private static final Pattern COLLECTION_NAME = Pattern.compile("[A-Za-z0-9._-]{1,255}");
  private static final PayloadSelector BOOKKEEPING =
      PayloadSelector.include(KEY, EXPIRES_AT, VERSION);
  private static final int MAX_KEY_BYTES = 1024;

  private final String collection;
  private final CollectionConfig collectionConfig;
  private final AsyncVectorStore vectors;
  private final AsyncMetadataStore metadata;
  private final Clock clock;
  private final Duration defaultTtl;
  private final Duration maxTtl;
  private final long maxPayloadBytes;
  private final int maxLimit;
  private final CacheStrategy strategy;
  private final UUID keyNamespace;
  private final SearchParams searchParams;
  private final boolean publishEvents;
  private final boolean ownsStores;
  private final ScheduledExecutorService sweeper;

  private final AtomicLong lastVersion = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong stores = new AtomicLong();
  private final AtomicLong searches = new AtomicLong();
  private final AtomicLong metadataHits = new AtomicLong();
  private final AtomicLong metadataMisses = new AtomicLong();
  private final AtomicLong staleRejected = new AtomicLong();
  private final AtomicLong metadataFailures = new AtomicLong();
  private final AtomicLong expiredSwept = new AtomicLong();

  private VectorCache(Builder b) {
    this.collection = b.collection;
    this.collectionConfig = b.collectionConfig;
    this.vectors = b.vectors;
    this.metadata = b.metadata;
    this.clock = b.clock;
    this.defaultTtl = b.defaultTtl;
    this.maxTtl = b.maxTtl;
    this.maxPayloadBytes = b.maxPayloadBytes;
    this.maxLimit = b.maxLimit;
    this.strategy = b.strategy;
    this.keyNamespace = b.keyNamespace;
    this.searchParams = b.searchParams;
    this.publishEvents = b.publishEvents;
    this.ownsStores = b.ownsStores;
    if (b.sweepInterval != null) {
      this.sweeper =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "vectorcache-sweeper-" + collection);
                t.setDaemon(true);
                return t;
              });
      long ms = b.sweepInterval.toMillis();
      sweeper.scheduleWithFixedDelay(this::sweepQuietly, ms, ms, TimeUnit.MILLISECONDS);
    } else {
      this.sweeper = null;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The collection this cache uses. */
  public String collection() {
    return collection;
  }

  public CollectionConfig collectionConfig() {
    return collectionConfig;
  }

  /** The point id a key maps to: a name-based UUID, the same in every process. */
  public PointId pointId(String key) {
    checkKey(key, "key");
    return PointId.of(Uuids.v5(keyNamespace, key));
  }

  // ------------------------------------------------------------------ initialize

  /**
   * Creates the collection with the configured memory settings and the payload index the expiry
   * filter uses, or verifies an existing collection.
   *
   * @throws CollectionConfigMismatchException when an existing collection has another dimension or
   *     distance
   */
  public void initialize() {
    Futures.join(initializeAsync());
  }

  public CompletableFuture<Void> initializeAsync() {
    checkOpen();
    return vectors
        .collectionExists(collection)
        .thenCompose(exists -> exists ? verifyExisting() : create())
        .thenCompose(
            v -> vectors.createPayloadIndex(collection, EXPIRES_AT, PayloadSchemaType.INTEGER))
        .thenCompose(v -> vectors.createPayloadIndex(collection, KEY, PayloadSchemaType.KEYWORD));
  }

  private CompletableFuture<Void> create() {
    return vectors
        .createCollection(collection, collectionConfig)
        .exceptionallyCompose(
            e -> {
              // another instance created it first: verify it instead
              if (Futures.unwrap(e) instanceof CollectionAlreadyExistsException) {
                return verifyExisting();
              }
              return CompletableFuture.failedFuture(Futures.unwrap(e));
            });
  }

  private CompletableFuture<Void> verifyExisting() {
    return vectors.collectionInfo(collection).thenAccept(this::verify);
  }

  private void verify(CollectionInfo info) {
    CollectionConfig found = info.config();
    if (found.dimension() != collectionConfig.dimension()) {
      throw new CollectionConfigMismatchException(
          collection, "dimension", collectionConfig.dimension(), found.dimension());
    }
    if (found.distance() != collectionConfig.distance()) {
      throw new CollectionConfigMismatchException(
          collection, "distance", collectionConfig.distance(), found.distance());
    }
  }

  // ------------------------------------------------------------------ store

  /** Stores an entry with the default TTL. */
  public CacheEntry store(String key, float[] vector, Map<String, ?> metadata) {
    return store(key, vector, metadata, null);
  }

  /**
   * Stores (or replaces) an entry. Returns once the vector store has applied the write.
   *
   * @param ttl time to live, or {@code null} for the default
   * @throws InvalidInputException before any I/O for a blank key, a bad vector, non-JSON or
   *     oversized metadata, or a TTL that is not positive or above the maximum
   */
  public CacheEntry store(String key, float[] vector, Map<String, ?> metadata, Duration ttl) {
    return Futures.join(storeAsync(key, vector, metadata, ttl));
  }

  public CompletableFuture<CacheEntry> storeAsync(
      String key, float[] vector, Map<String, ?> metadata, Duration ttl) {
    return storeAllAsync(List.of(new CacheWrite(key, vector, metadata, ttl)))
        .thenApply(list -> list.get(0));
  }

  /**
   * Stores a batch: one vector-store write for all entries, then the metadata. The whole batch is
   * validated before any I/O; one bad entry rejects the batch, naming its index.
   */
  public List<CacheEntry> storeAll(List<CacheWrite> writes) {
    return Futures.join(storeAllAsync(writes));
  }

  public CompletableFuture<List<CacheEntry>> storeAllAsync(List<CacheWrite> writes) {
    checkOpen();
    Objects.requireNonNull(writes, "writes");
    if (writes.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    boolean single = writes.size() == 1;
    Instant now = clock.instant();
    List<PointStruct> points = new ArrayList<>(writes.size());
    List<CacheEntry> entries = new ArrayList<>(writes.size());
    List<Duration> ttls = new ArrayList<>(writes.size());
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < writes.size(); i++) {
      CacheWrite w = writes.get(i);
      String at = single ? "" : "writes[" + i + "].";
      if (w == null) {
        throw new InvalidInputException(
            at.isEmpty() ? "write" : "writes[" + i + "]", "a CacheWrite", null);
      }
      checkKey(w.key(), at + "key");
      Integer dup = seen.put(w.key(), i);
      if (dup != null) {
        throw new InvalidInputException(
            at + "key",
            "keys unique within a batch",
            "\"" + w.key() + "\" also at writes[" + dup + "]");
      }
      float[] vector = Vectors.check(w.vector(), at + "vector", collectionConfig.vectors());
      Map<String, Object> meta = checkMetadata(w.metadata(), at + "metadata");
      Duration ttl = checkTtl(w.ttl() == null ? defaultTtl : w.ttl(), at + "ttl");
      Instant expiresAt = now.plus(ttl);
      long version = nextVersion(now);
      Map<String, Object> payload = new LinkedHashMap<>(meta);
      payload.put(KEY, w.key());
      payload.put(EXPIRES_AT, expiresAt.toEpochMilli());
      payload.put(VERSION, version);
      points.add(new PointStruct(pointIdOf(w.key()), vector, payload));
      entries.add(new CacheEntry(w.key(), meta, expiresAt, version));
      ttls.add(ttl);
    }
    return vectors
        .upsert(collection, points)
        .handle(
            (ok, error) -> {
              if (error != null) {
                Throwable cause = Futures.unwrap(error);
                // The write may have been applied before it failed (a timeout, say): drop any
                // metadata-store copy so that no reader sees the old version as current.
                return invalidate(entries)
                    .<List<CacheEntry>>thenCompose(v -> CompletableFuture.failedFuture(cause));
              }
              stores.addAndGet(entries.size());
              return putMetadata(entries, ttls).thenApply(v -> List.copyOf(entries));
            })
        .thenCompose(f -> f);
  }

  private CompletableFuture<Void> putMetadata(List<CacheEntry> entries, List<Duration> ttls) {
    if (strategy == CacheStrategy.PAYLOAD_ONLY) {
      return publish(entries, MetadataEvent.Type.STORED);
    }
    List<CompletableFuture<Void>> puts = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      CacheEntry e = entries.get(i);
      Duration ttl = ttls.get(i);
      puts.add(
          tolerate(
              "put",
              () ->
                  metadata.put(
                      new MetadataEntry(
                          metadataKey(e.key()), e.metadata(), e.version(), e.expiresAt()),
                      ttl)));
    }
    return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new))
        .thenCompose(v -> publish(entries, MetadataEvent.Type.STORED));
  }

  private CompletableFuture<Void> invalidate(List<CacheEntry> entries) {
    if (strategy == CacheStrategy.PAYLOAD_ONLY) {
      return CompletableFuture.completedFuture(null);
    }
    List<String> keys = entries.stream().map(e -> metadataKey(e.key())).toList();
    return tolerate("deleteAll", () -> metadata.deleteAll(keys).thenApply(n -> null));
  }

  private CompletableFuture<Void> publish(List<CacheEntry> entries, MetadataEvent.Type type) {
    if (!publishEvents || entries.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Instant at = clock.instant();
    List<CompletableFuture<Void>> sent = new ArrayList<>(entries.size());
    for (CacheEntry e : entries) {
      sent.add(
          tolerate(
              "publish",
              () ->
                  metadata.publish(new MetadataEvent(type, collection, e.key(), e.version(), at))));
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }

  // ------------------------------------------------------------------ get / delete

  /**
   * The entry for {@code key}, or empty when missing or expired. Reads the metadata store and the
   * entry's version in the vector store concurrently; a stale or missing copy falls back to the
   * payload and is written back.
   */
  public Optional<CacheEntry> get(String key) {
    return Futures.join(getAsync(key));
  }

  public CompletableFuture<Optional<CacheEntry>> getAsync(String key) {
    checkOpen();
    checkKey(key, "key");
    PointId id = pointIdOf(key);
    CompletableFuture<List<RetrievedPoint>> truth =
        vectors.retrieve(collection, List.of(id), BOOKKEEPING, false);
    CompletableFuture<Map<String, MetadataEntry>> cached =
        strategy == CacheStrategy.PAYLOAD_ONLY
            ? CompletableFuture.completedFuture(Map.of())
            : readMetadata(List.of(metadataKey(key)));
    return truth
        .thenCombine(cached, (points, copies) -> new Object[] {points, copies})
        .thenCompose(
            pair -> {
              @SuppressWarnings("unchecked")
              List<RetrievedPoint> points = (List<RetrievedPoint>) pair[0];
              @SuppressWarnings("unchecked")
              Map<String, MetadataEntry> copies = (Map<String, MetadataEntry>) pair[1];
              if (points.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<CacheEntry>empty());
              }
              Hit hit = Hit.of(points.get(0).id(), 0f, points.get(0).payload());
              return hydrate(List.of(hit), copies)
                  .thenApply(hits -> hits.stream().findFirst().map(CacheHit::entry));
            });
  }

  /**
   * Deletes an entry from both stores (vector store first) and announces it.
   *
   * @return whether the key existed in the vector store
   */
  public boolean delete(String key) {
    return Futures.join(deleteAsync(key));
  }

  public CompletableFuture<Boolean> deleteAsync(String key) {
    checkOpen();
    checkKey(key, "key");
    PointId id = pointIdOf(key);
    return vectors
        .retrieve(collection, List.of(id), PayloadSelector.include(VERSION), false)
        .thenCompose(
            found ->
                vectors
                    .delete(collection, List.of(id))
                    .thenCompose(
                        v -> {
                          long version =
                              found.isEmpty() ? 0 : asLong(found.get(0).payload().get(VERSION), 0);
                          CacheEntry gone = new CacheEntry(key, Map.of(), clock.instant(), version);
                          return invalidate(List.of(gone))
                              .thenCompose(
                                  x ->
                                      found.isEmpty()
                                          ? CompletableFuture.completedFuture(null)
                                          : publish(List.of(gone), MetadataEvent.Type.DELETED))
                              .thenApply(x -> !found.isEmpty());
                        }));
  }

  // ------------------------------------------------------------------ search

  /** The {@code limit} entries most similar to {@code query}, best first. */
  public List<CacheHit> searchSimilar(float[] query, int limit) {
    return searchSimilar(query, limit, null, null);
  }

  /**
   * The entries most similar to {@code query}, best first.
   *
   * @param filter payload filter on the metadata fields, or {@code null}
   * @param scoreThreshold strict bound: a minimum similarity for Cosine/Dot, a maximum distance for
   *     Euclid/Manhattan; {@code null} for none
   */
  public List<CacheHit> searchSimilar(
      float[] query, int limit, Filter filter, Float scoreThreshold) {
    return Futures.join(searchSimilarAsync(query, limit, filter, scoreThreshold));
  }

  public CompletableFuture<List<CacheHit>> searchSimilarAsync(
      float[] query, int limit, Filter filter, Float scoreThreshold) {
    checkOpen();
    Vectors.check(query, "query", collectionConfig.vectors());
    if (limit < 1 || limit > maxLimit) {
      throw new InvalidInputException(
          "limit", "an integer from 1 to " + maxLimit, limit, "maxLimit is set on the builder");
    }
    checkThreshold(scoreThreshold);
    Instant now = clock.instant();
    Filter live = notExpired(filter, now);
    SearchRequest request =
        SearchRequest.builder(query, limit)
            .filter(live)
            .scoreThreshold(scoreThreshold)
            .params(searchParams)
            .withPayload(BOOKKEEPING)
            .build();
    return vectors
        .search(collection, request)
        .thenCompose(
            found -> {
              searches.incrementAndGet();
              List<Hit> hits = new ArrayList<>(found.size());
              for (ScoredPoint p : found) {
                hits.add(Hit.of(p.id(), p.score(), p.payload()));
              }
              if (hits.isEmpty() || strategy == CacheStrategy.PAYLOAD_ONLY) {
                return hydrate(hits, Map.of());
              }
              List<String> keys = new ArrayList<>(hits.size());
              for (Hit h : hits) {
                if (h.key != null) {
                  keys.add(metadataKey(h.key));
                }
              }
              return readMetadata(keys).thenCompose(copies -> hydrate(hits, copies));
            });
  }

  private static Filter notExpired(Filter filter, Instant now) {
    Condition live = Condition.range(EXPIRES_AT, Range.gt(now.toEpochMilli()));
    return filter == null ? Filter.must(live) : Filter.must(Condition.filter(filter), live);
  }

  /** The hits, with metadata from the copies where current, else from the payload. */
  private CompletableFuture<List<CacheHit>> hydrate(
      List<Hit> hits, Map<String, MetadataEntry> copies) {
    Instant now = clock.instant();
    CacheHit[] out = new CacheHit[hits.size()];
    List<Integer> misses = new ArrayList<>();
    for (int i = 0; i < hits.size(); i++) {
      Hit h = hits.get(i);
      if (h.key == null || h.expiresAt == null || !now.isBefore(h.expiresAt)) {
        continue; // expired since the search, or not a cache entry
      }
      MetadataEntry copy = copies.get(metadataKey(h.key));
      if (copy != null && copy.version() == h.version && now.isBefore(copy.expiresAt())) {
        metadataHits.incrementAndGet();
        out[i] =
            new CacheHit(
                new CacheEntry(h.key, copy.metadata(), h.expiresAt, h.version),
                h.score,
                CacheHit.Source.METADATA_STORE);
      } else {
        if (copy != null && copy.version() != h.version) {
          staleRejected.incrementAndGet();
        }
        misses.add(i);
      }
    }
    if (misses.isEmpty()) {
      return CompletableFuture.completedFuture(compact(out));
    }
    List<PointId> ids = new ArrayList<>(misses.size());
    for (int i : misses) {
      ids.add(hits.get(i).id);
    }
    return vectors
        .retrieve(collection, ids, PayloadSelector.ALL, false)
        .thenCompose(
            points -> {
              Map<PointId, RetrievedPoint> byId = new HashMap<>();
              for (RetrievedPoint p : points) {
                byId.put(p.id(), p);
              }
              Instant at = clock.instant();
              List<CompletableFuture<Void>> repopulate = new ArrayList<>();
              for (int i : misses) {
                Hit h = hits.get(i);
                RetrievedPoint p = byId.get(h.id);
                if (p == null) {
                  continue; // deleted since the search
                }
                Hit full = Hit.of(p.id(), h.score, p.payload());
                if (full.expiresAt == null || !at.isBefore(full.expiresAt) || full.key == null) {
                  continue;
                }
                metadataMisses.incrementAndGet();
                CacheEntry entry =
                    new CacheEntry(
                        full.key, userMetadata(p.payload()), full.expiresAt, full.version);
                out[i] = new CacheHit(entry, h.score, CacheHit.Source.VECTOR_STORE_PAYLOAD);
                if (strategy == CacheStrategy.CACHE_ASIDE) {
                  Duration remaining = Duration.between(at, full.expiresAt);
                  repopulate.add(
                      tolerate(
                          "put",
                          () ->
                              metadata.put(
                                  new MetadataEntry(
                                      metadataKey(entry.key()),
                                      entry.metadata(),
                                      entry.version(),
                                      entry.expiresAt()),
                                  remaining)));
                }
              }
              return CompletableFuture.allOf(repopulate.toArray(CompletableFuture[]::new))
                  .thenApply(v -> compact(out));
            });
  }

  private static List<CacheHit> compact(CacheHit[] hits) {
    List<CacheHit> out = new ArrayList<>(hits.length);
    for (CacheHit h : hits) {
      if (h != null) {
        out.add(h);
      }
    }
    return List.copyOf(out);
  }

  private CompletableFuture<Map<String, MetadataEntry>> readMetadata(List<String> keys) {
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    CompletableFuture<Map<String, MetadataEntry>> read;
    try {
      read = metadata.getAll(keys);
    } catch (RuntimeException e) {
      read = CompletableFuture.failedFuture(e);
    }
    return read.exceptionally(
        e -> {
          noteFailure("getAll", e);
          return Map.of();
        });
  }

  // ------------------------------------------------------------------ sweeping

  /**
   * Deletes expired points from the vector store (and their metadata-store copies) and announces
   * each as {@link MetadataEvent.Type#EXPIRED}.
   *
   * @return how many entries were deleted
   */
  public long sweepExpired() {
    return Futures.join(sweepExpiredAsync());
  }

  public CompletableFuture<Long> sweepExpiredAsync() {
    checkOpen();
    Instant now = clock.instant();
    Filter expired = Filter.must(Condition.range(EXPIRES_AT, Range.lte(now.toEpochMilli())));
    ScrollRequest page = new ScrollRequest(expired, 256, null, BOOKKEEPING, false);
    return sweepPage(page, 0L, null);
  }

  private CompletableFuture<Long> sweepPage(
      ScrollRequest request, long sweptSoFar, PointId previousFirst) {
    return vectors
        .scroll(collection, request)
        .thenCompose(
            (ScrollPage page) -> {
              if (page.points().isEmpty()) {
                return CompletableFuture.completedFuture(sweptSoFar);
              }
              if (page.points().get(0).id().equals(previousFirst)) {
                // the last delete removed nothing: stop instead of scrolling the same page forever
                return CompletableFuture.failedFuture(
                    new VectorCacheException(
                        "sweeping collection '"
                            + collection
                            + "' stopped: expired point "
                            + previousFirst
                            + " is still there after it was deleted"));
              }
              List<PointId> ids = new ArrayList<>();
              List<CacheEntry> gone = new ArrayList<>();
              Instant at = clock.instant();
              for (RetrievedPoint p : page.points()) {
                ids.add(p.id());
                Hit h = Hit.of(p.id(), 0f, p.payload());
                if (h.key != null) {
                  gone.add(new CacheEntry(h.key, Map.of(), at, h.version));
                }
              }
              return vectors
                  .delete(collection, ids)
                  .thenCompose(v -> invalidate(gone))
                  .thenCompose(v -> publish(gone, MetadataEvent.Type.EXPIRED))
                  .thenCompose(
                      v -> {
                        expiredSwept.addAndGet(ids.size());
                        long total = sweptSoFar + ids.size();
                        // the deleted points are gone, so the next page starts from the beginning
                        return page.nextOffset() == null
                            ? CompletableFuture.completedFuture(total)
                            : sweepPage(request, total, page.points().get(0).id());
                      });
            });
  }

  private void sweepQuietly() {
    try {
      long n = sweepExpired();
      if (n > 0) {
        LOG.debug("swept {} expired entries from collection {}", n, collection);
      }
    } catch (RuntimeException e) {
      LOG.warn("sweeping expired entries from collection {} failed: {}", collection, e.toString());
    }
  }

  // ------------------------------------------------------------------ events, stats, close

  /**
   * Subscribes to this collection's events (stored, deleted, expired), published by every cache
   * instance that shares the metadata store. Delivery is at most once.
   */
  public Subscription subscribe(Consumer<MetadataEvent> listener) {
    checkOpen();
    Objects.requireNonNull(listener, "listener");
    return Futures.join(metadata.subscribe(collection, listener));
  }

  public CacheStats stats() {
    return new CacheStats(
        stores.get(),
        searches.get(),
        metadataHits.get(),
        metadataMisses.get(),
        staleRejected.get(),
        metadataFailures.get(),
        expiredSwept.get());
  }

  /** The vector store, in its non-blocking form. */
  public AsyncVectorStore vectorStore() {
    return vectors;
  }

  /** The metadata store, in its non-blocking form. */
  public AsyncMetadataStore metadataStore() {
    return metadata;
  }

  /** Stops the sweeper and, unless built with {@code ownsStores(false)}, closes both stores. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
    if (ownsStores) {
      try {
        metadata.close();
      } finally {
        vectors.close();
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this VectorCache is closed");
    }
  }

  private PointId pointIdOf(String key) {
    return PointId.of(Uuids.v5(keyNamespace, key));
  }

  private String metadataKey(String key) {
    return collection + ":" + key;
  }

  private static void checkKey(String key, String field) {
    if (key == null || key.isBlank()) {
      throw new InvalidInputException(
          field, "a non-blank string", key, "every entry needs a key to be found again");
    }
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_KEY_BYTES) {
      throw new InvalidInputException(
          field,
          "at most " + MAX_KEY_BYTES + " bytes of UTF-8",
          bytes + " bytes",
          "use a hash of the long key");
    }
  }

  private Map<String, Object> checkMetadata(Map<String, ?> meta, String field) {
    Map<String, Object> copy = Payloads.copy(meta, field);
    for (String k : copy.keySet()) {
      if (k.startsWith(RESERVED_PREFIX)) {
        throw new InvalidMetadataException(
            field + "." + k,
            "a key that does not start with \"" + RESERVED_PREFIX + "\"",
            k,
            "that prefix is reserved for the cache's own fields; rename the key");
      }
    }
    long size = JsonSize.of(copy);
    if (size > maxPayloadBytes) {
      throw new PayloadTooLargeException(field, maxPayloadBytes, size);
    }
    return copy;
  }

  private Duration checkTtl(Duration ttl, String field) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new InvalidInputException(
          field,
          "a positive duration",
          ttl,
          "entries without expiry are not supported; use maxTtl");
    }
    if (ttl.compareTo(Duration.ofMillis(1)) < 0) {
      throw new InvalidInputException(
          field, "at least 1 ms (TTLs have millisecond precision)", ttl);
    }
    if (ttl.compareTo(maxTtl) > 0) {
      throw new InvalidInputException(
          field, "at most " + maxTtl, ttl, "raise maxTtl on the builder if this is intended");
    }
    return ttl;
  }

  private void checkThreshold(Float threshold) {
    if (threshold == null) {
      return;
    }
    if (!Float.isFinite(threshold)) {
      throw new InvalidInputException("scoreThreshold", "a finite number", threshold);
    }
    Distance d = collectionConfig.distance();
    if (d == Distance.COSINE && (threshold < -1f || threshold > 1f)) {
      throw new InvalidInputException(
          "scoreThreshold", "a Cosine similarity from -1 to 1", threshold);
    }
    if ((d == Distance.EUCLID || d == Distance.MANHATTAN) && threshold < 0f) {
      throw new InvalidInputException(
          "scoreThreshold",
          "a distance of 0 or more (for " + d + " the threshold is a maximum distance)",
          threshold);
    }
  }

  private long nextVersion(Instant now) {
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    return lastVersion.updateAndGet(last -> Math.max(last + 1, micros));
  }

  private CompletableFuture<Void> tolerate(
      String operation, java.util.function.Supplier<CompletableFuture<Void>> call) {
    CompletableFuture<Void> f;
    try {
      f = call.get();
    } catch (InvalidInputException e) {
      throw e;
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.exceptionally(
        e -> {
          noteFailure(operation, e);
          return null;
        });
  }

  private void noteFailure(String operation, Throwable e) {
    metadataFailures.incrementAndGet();
    Throwable c = Futures.unwrap(e);
    LOG.warn(
        "metadata store {} failed for collection {}; continuing with the vector store: {}",
        operation,
        collection,
        c.toString());
  }

  private static Map<String, Object> userMetadata(Map<String, Object> payload) {
    Map<String, Object> out = new LinkedHashMap<>();
    payload.forEach(
        (k, v) -> {
          if (!k.startsWith(RESERVED_PREFIX)) {
            out.put(k, v);
          }
        });
    return out;
  }

  private static long asLong(Object v, long fallback) {
    return v instanceof Long l ? l : v instanceof Number n ? n.longValue() : fallback;
  }

  /** The bookkeeping fields of a hit's payload. */
  private static final class Hit {
    final PointId id;
    final float score;
    final String key;
    final Instant expiresAt;
    final long version;

    private Hit(PointId id, float score, String key, Instant expiresAt, long version) {
      this.id = id;
      this.score = score;
      this.key = key;
      this.expiresAt = expiresAt;
      this.version = version;
    }

    static Hit of(PointId id, float score, Map<String, Object> payload) {
      Object k = payload.get(KEY);
      Object e = payload.get(EXPIRES_AT);
      return new Hit(
          id,
          score,
          k instanceof String s ? s : null,
          e instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : null,
          asLong(payload.get(VERSION), -1));
    }
  }

  /** Builder for {@link VectorCache}. */
  public static final class Builder {
    private String collection;
    private CollectionConfig collectionConfig;
    private AsyncVectorStore vectors;
    private AsyncMetadataStore metadata;
    private Clock clock = Clock.systemUTC();
    private Duration defaultTtl = Duration.ofHours(1);
    private Duration maxTtl = Duration.ofDays(365);
    private long maxPayloadBytes = 64 * 1024;
    private int maxLimit = 1000;
    private CacheStrategy strategy = CacheStrategy.CACHE_ASIDE;
    private UUID keyNamespace = DEFAULT_KEY_NAMESPACE;
    private SearchParams searchParams = SearchParams.DEFAULT;
    private boolean publishEvents = true;
    private boolean ownsStores = true;
    private Duration sweepInterval;

    private Builder() {}

    /** Collection name: 1 to 255 of {@code A-Z a-z 0-9 . _ -}. Required. */
    public Builder collection(String collection) {
      if (collection == null || !COLLECTION_NAME.matcher(collection).matches()) {
        throw new InvalidInputException(
            "collection", "1 to 255 characters of A-Z, a-z, 0-9, '.', '_' or '-'", collection);
      }
      this.collection = collection;
      return this;
    }

    /** Dimension, distance and memory settings of the collection. Required. */
    public Builder collectionConfig(CollectionConfig collectionConfig) {
      this.collectionConfig = Objects.requireNonNull(collectionConfig, "collectionConfig");
      return this;
    }

    public Builder vectorStore(VectorStore store) {
      this.vectors = Objects.requireNonNull(store, "vectorStore").async();
      return this;
    }

    public Builder vectorStore(AsyncVectorStore store) {
      this.vectors = Objects.requireNonNull(store, "vectorStore");
      return this;
    }

    public Builder metadataStore(MetadataStore store) {
      this.metadata = Objects.requireNonNull(store, "metadataStore").async();
      return this;
    }

    public Builder metadataStore(AsyncMetadataStore store) {
      this.metadata = Objects.requireNonNull(store, "metadataStore");
      return this;
    }

    /** Time source for TTLs and versions; inject a fixed or mutable clock in tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder defaultTtl(Duration defaultTtl) {
      Objects.requireNonNull(defaultTtl, "defaultTtl");
      if (defaultTtl.isNegative() || defaultTtl.isZero()) {
        throw new InvalidInputException("defaultTtl", "a positive duration", defaultTtl);
      }
      this.defaultTtl = defaultTtl;
      return this;
    }

    public Builder maxTtl(Duration maxTtl) {
      Objects.requireNonNull(maxTtl, "maxTtl");
      if (maxTtl.isNegative() || maxTtl.isZero()) {
        throw new InvalidInputException("maxTtl", "a positive duration", maxTtl);
      }
      this.maxTtl = maxTtl;
      return this;
    }

    /** Largest metadata, in bytes of compact JSON. Default 64 KiB. */
    public Builder maxPayloadBytes(long maxPayloadBytes) {
      if (maxPayloadBytes < 1) {
        throw new InvalidInputException("maxPayloadBytes", "1 or more", maxPayloadBytes);
      }
      this.maxPayloadBytes = maxPayloadBytes;
      return this;
    }

    /** Largest {@code limit} a search accepts. Default 1000. */
    public Builder maxLimit(int maxLimit) {
      if (maxLimit < 1) {
        throw new InvalidInputException("maxLimit", "1 or more", maxLimit);
      }
      this.maxLimit = maxLimit;
      return this;
    }

    public Builder strategy(CacheStrategy strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
      return this;
    }

    /** Namespace of the name-based point ids. Change it only for a new collection. */
    public Builder keyNamespace(UUID keyNamespace) {
      this.keyNamespace = Objects.requireNonNull(keyNamespace, "keyNamespace");
      return this;
    }

    /** Search parameters sent with every search (hnsw_ef, exact, rescoring, oversampling). */
    public Builder searchParams(SearchParams searchParams) {
      this.searchParams = Objects.requireNonNull(searchParams, "searchParams");
      return this;
    }

    /** Whether stores, deletes and expiries are published on the collection's channel. */
    public Builder publishEvents(boolean publishEvents) {
      this.publishEvents = publishEvents;
      return this;
    }

    /** Whether {@link VectorCache#close()} closes the stores. Default true. */
    public Builder ownsStores(boolean ownsStores) {
      this.ownsStores = ownsStores;
      return this;
    }

    /** Sweep expired entries in the background at this interval; default off. */
    public Builder sweepInterval(Duration sweepInterval) {
      if (sweepInterval != null && (sweepInterval.isNegative() || sweepInterval.isZero())) {
        throw new InvalidInputException("sweepInterval", "a positive duration", sweepInterval);
      }
      this.sweepInterval = sweepInterval;
      return this;
    }

    public VectorCache build() {
      if (collection == null) {
        throw new ConfigurationException("collection is required: call collection(\"name\")");
      }
      if (collectionConfig == null) {
        throw new ConfigurationException(
            "collectionConfig is required: call collectionConfig(CollectionConfig.builder(dim,"
                + " distance).build())");
      }
      if (vectors == null) {
        throw new ConfigurationException(
            "vectorStore is required: open one with Backends.discover().openVectorStore(...)");
      }
      if (metadata == null) {
        throw new ConfigurationException(
            "metadataStore is required: open one with Backends.discover().openMetadataStore(...)");
      }
      if (defaultTtl.compareTo(maxTtl) > 0) {
        throw new InvalidInputException(
            "defaultTtl", "at most maxTtl (" + maxTtl + ")", defaultTtl);
      }
      return new VectorCache(this);
    }
  }
}
