package dev.vectorcache.semantic;

import dev.vectorcache.core.CacheEntry;
import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.Ttl;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.Vectors;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A semantic cache of LLM answers on a {@link VectorCache}: an answer is found again for the same
 * prompt (the exact tier, one metadata-store read) or for a similar one (the semantic tier, a
 * vector search), only ever within the scope it was stored in, and only for the embedding model
 * that wrote it. Works on every backend of the vector cache: plain Redis (core commands only) or
 * the embedded default.
 *
 * <pre>{@code
 * try (SemanticCache cache = SemanticCache.builder()
 *     .vectorCache(vectorCache)                   // its collection is the semantic cache's alone
 *     .modelId("all-MiniLM-L6-v2")
 *     .embeddingFunction(texts -> model.embedAll(texts))
 *     .threshold(0.92)                            // Cosine: a hit scores above it
 *     .build()) {
 *   cache.initialize();
 *   Scope scope = Scope.of("tenant", "acme").with("user", "u1");
 *   Optional<SemanticHit> hit = cache.lookup(scope, prompt);
 *   String answer = hit.map(h -> h.response().text()).orElseGet(() -> {
 *     String text = llm.answer(prompt);
 *     cache.put(scope, prompt, CachedResponse.of(text));
 *     return text;
 *   });
 * }
 * }</pre>
 *
 * <h2>Lookup</h2>
 *
 * <ol>
 *   <li><b>Exact tier.</b> The entry key of (scope, model id, normalised prompt) is read with one
 *       metadata-store GET ({@link VectorCache#getCopyAsync(String)}), before any embedding or
 *       search. The copy is trusted only while the metadata store's circuit breaker is closed and
 *       no invalidation is pending (otherwise the tier is skipped, never guessed), never past its
 *       expiry, and only when its stored scope, model and prompt equal the lookup's.
 *   <li><b>Semantic tier</b> (unless {@link LookupOptions.Builder#exactOnly(boolean) exact-only}):
 *       the prompt's vector (given, or from the embedding function) is searched for {@link
 *       SemanticCacheBuilder#semanticCandidates(int) a few} candidates over the threshold, with the
 *       scope and the model in the vector store's filter; each candidate's stored scope and model
 *       are checked again (fail closed), and the first one the {@link HitValidator} accepts is
 *       served.
 * </ol>
 *
 * <p>A hit reports to the listeners, is recorded for the size bounds and, for a sliding TTL, queues
 * a move of the expiry; all of this happens after the answer is known and never delays it.
 *
 * <h2>Stored fields</h2>
 *
 * <p>Each answer is one entry of the vector cache, its key the lowercase hex SHA-256 of the
 * length-prefixed (scope canonical form, model id, normalised prompt). The entry's metadata, in the
 * vector store's payload and in the metadata-store copy:
 *
 * <table>
 *   <caption>Fields of a semantic cache entry</caption>
 *   <tr><th>field</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>{@code sc_scope}</td><td>string (keyword index)</td>
 *       <td>the scope's {@linkplain Scope#canonical() canonical form}</td></tr>
 *   <tr><td>{@code sc_model}</td><td>string (keyword index)</td>
 *       <td>the embedding model id</td></tr>
 *   <tr><td>{@code sc_prompt}</td><td>string</td><td>the normalised prompt</td></tr>
 *   <tr><td>{@code sc_response}</td><td>string</td><td>the answer's text</td></tr>
 *   <tr><td>{@code sc_created}</td><td>integer</td>
 *       <td>when it was stored, epoch milliseconds of the cache's clock</td></tr>
 *   <tr><td>{@code sc_ttl}</td><td>object, or absent</td>
 *       <td>for a sliding TTL: {@code window_ms} (integer) and, with a maximum lifetime, {@code
 *       max_ms} (integer); absent for an absolute TTL or none</td></tr>
 *   <tr><td>any other name</td><td>JSON</td>
 *       <td>the {@linkplain CachedResponse#metadata() response's metadata}, one field each</td></tr>
 * </table>
 *
 * <p>The vector cache adds its own {@code _vc_} fields (key, version, expiry) as for every entry.
 * These fields count against the vector cache's {@code maxPayloadBytes} (64 KiB by default): a
 * longer answer is refused with a {@code PayloadTooLargeException} before any I/O; raise the limit
 * on the {@code VectorCacheBuilder} for long answers.
 *
 * <h2>TTL</h2>
 *
 * <p>{@link TtlPolicy}: absolute, sliding, or sliding within a maximum lifetime; the default is
 * {@link SemanticCacheBuilder#DEFAULT_TTL}. Expiry is held by both stores and re-checked on each
 * read: an answer is never served at or after its expiry.
 *
 * <h2>Model change</h2>
 *
 * <p>Entries of another model id are never returned (the filter and the exact key both hold the
 * model), and {@link #initialize()} sweeps them in the background: switching to a model of the same
 * dimension needs no manual cleanup. A model of another dimension needs a new collection (the
 * vector cache refuses a collection of another dimension).
 *
 * <p>Every operation has a blocking and a {@code ...Async} form. Bad input (a missing scope, a
 * blank prompt, a bad vector or threshold, metadata that is not JSON) throws {@link
 * InvalidInputException} naming the field before any I/O; an embedding function that returns the
 * wrong number of vectors, the wrong dimension or a non-finite component is refused the same way,
 * naming {@code embedding}, before the answer is stored or searched.
 */
public final class SemanticCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SemanticCache.class);
  private static final long CLOSE_FLUSH_MILLIS = 1_000;
  private static final int MAX_MOVES_IN_FLIGHT = 16;

  private final VectorCache cache;
  private final boolean ownsCache;
  private final String modelId;
  private final @Nullable EmbeddingFunction embedder;
  private final Executor embeddingExecutor;
  private final MissVectors missVectors = new MissVectors();
  private final Distance distance;
  private final float threshold;
  private final @Nullable HitValidator validator;
  private final TtlPolicy defaultTtl;
  private final int candidates;
  private final boolean sweepOtherModels;
  private final Counters counters;
  private final EntryRanking ranking;
  private final ExpiryExtender extender;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile CompletableFuture<?> modelSweep = CompletableFuture.completedFuture(null);

  /** One lookup's checked input. */
  private static final class Query {
    final Scope scope;
    final String prompt;
    final String key;
    final float threshold;
    final boolean exactOnly;
    final float @Nullable [] vector;
    final long start;

    Query(
        Scope scope,
        String prompt,
        String key,
        float threshold,
        boolean exactOnly,
        float @Nullable [] vector,
        long start) {
      this.scope = scope;
      this.prompt = prompt;
      this.key = key;
      this.threshold = threshold;
      this.exactOnly = exactOnly;
      this.vector = vector;
      this.start = start;
    }
  }

  /** A hit with the entry as read (for the sliding TTL's move). */
  private record Found(SemanticHit hit, CacheEntry entry, EntryFields.Decoded fields) {}

  SemanticCache(SemanticCacheBuilder b) {
    this.cache = Objects.requireNonNull(b.vectorCache, "vectorCache");
    this.ownsCache = b.ownsCache;
    this.modelId = Objects.requireNonNull(b.modelId, "modelId");
    this.embedder = b.embeddingFunction;
    this.embeddingExecutor = b.embeddingExecutor;
    this.distance = cache.collectionConfig().distance();
    this.threshold =
        Thresholds.check(Objects.requireNonNull(b.threshold, "threshold"), distance, "threshold");
    this.validator = b.validator;
    this.defaultTtl = b.defaultTtl;
    this.candidates = b.semanticCandidates;
    this.sweepOtherModels = b.sweepOtherModelsOnStart;
    this.counters = new Counters(b.listeners);
    this.ranking =
        b.maxEntries > 0 || b.maxEntriesPerScope > 0
            ? EntryRanking.create(
                cache,
                cache.collection(),
                b.eviction == null ? Eviction.LRU : b.eviction,
                b.maxEntries,
                b.maxEntriesPerScope,
                List.of(counters.asListener()))
            : EntryRanking.disabled();
    this.extender =
        new ExpiryExtender(cache, counters, b.extensionQueueCapacity, MAX_MOVES_IN_FLIGHT);
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static SemanticCacheBuilder builder() {
    return new SemanticCacheBuilder();
  }

  /**
   * The vector cache holding the entries.
   *
   * @return the vector cache
   */
  public VectorCache vectorCache() {
    return cache;
  }

  /**
   * The embedding model id every entry of this cache records.
   *
   * @return the model id
   */
  public String modelId() {
    return modelId;
  }

  // ------------------------------------------------------------------ initialize

  /**
   * Initialises the vector cache (its collection and indexes), adds keyword payload indexes on
   * {@code sc_scope} and {@code sc_model}, and, unless disabled on the builder, starts a background
   * sweep of the entries of other model ids (reported to {@link
   * SemanticCacheListener#onModelSwept(long)}).
   */
  public void initialize() {
    Futures.join(initializeAsync());
  }

  /** The non-blocking form of {@link #initialize()}. */
  public CompletableFuture<Void> initializeAsync() {
    checkOpen();
    return cache
        .initializeAsync()
        .thenCompose(
            v ->
                cache
                    .vectorStore()
                    .createPayloadIndex(
                        cache.collection(), EntryFields.SCOPE, PayloadSchemaType.KEYWORD))
        .thenCompose(
            v ->
                cache
                    .vectorStore()
                    .createPayloadIndex(
                        cache.collection(), EntryFields.MODEL, PayloadSchemaType.KEYWORD))
        .thenRun(
            () -> {
              if (sweepOtherModels) {
                modelSweep = sweepOtherModels();
              }
            });
  }

  private CompletableFuture<?> sweepOtherModels() {
    return cache
        .deleteWhereAsync(Filter.mustNot(Condition.match(EntryFields.MODEL, modelId)))
        .handle(
            (n, e) -> {
              if (e != null) {
                LOG.warn(
                    "the sweep of other models' entries failed; they are never served, and the"
                        + " next start sweeps them again",
                    Futures.unwrap(e));
              } else if (n > 0) {
                counters.modelSwept(n);
              }
              return null;
            });
  }

  // ------------------------------------------------------------------ put

  /**
   * Stores an answer with the default TTL, the vector from the embedding function.
   *
   * @param scope the scope it belongs to
   * @param prompt the prompt (normalised before it is hashed, embedded and stored)
   * @param response the answer
   * @throws InvalidInputException before any I/O for a missing scope, a blank prompt or a missing
   *     response; naming {@code embedding} when the embedding function's vector is unusable
   */
  public void put(Scope scope, String prompt, CachedResponse response) {
    put(scope, prompt, response, PutOptions.DEFAULT);
  }

  /**
   * Stores (or replaces) an answer. Returns once the vector store has applied the write.
   *
   * @param scope the scope it belongs to
   * @param prompt the prompt (normalised before it is hashed, embedded and stored)
   * @param response the answer
   * @param options the TTL policy and the vector, when not the defaults
   * @throws InvalidInputException before any I/O for a missing scope, a blank prompt, a missing
   *     response or a bad vector; naming {@code embedding} when the embedding function's vector is
   *     unusable (also before any I/O)
   */
  public void put(Scope scope, String prompt, CachedResponse response, PutOptions options) {
    Write w = prepare(scope, prompt, response, options);
    float[] vector = w.vector != null ? w.vector : missVectors.take(w.prompt);
    Futures.join(store(w, vector != null ? vector : embed(w.prompt)));
  }

  /** The non-blocking form of {@link #put(Scope, String, CachedResponse)}. */
  public CompletableFuture<Void> putAsync(Scope scope, String prompt, CachedResponse response) {
    return putAsync(scope, prompt, response, PutOptions.DEFAULT);
  }

  /**
   * The non-blocking form of {@link #put(Scope, String, CachedResponse, PutOptions)}: the input is
   * checked at once (and thrown); the embedding function, when needed, runs on the builder's
   * {@linkplain SemanticCacheBuilder#embeddingExecutor(java.util.concurrent.Executor) embedding
   * executor}, and its refusal fails the future.
   */
  public CompletableFuture<Void> putAsync(
      Scope scope, String prompt, CachedResponse response, PutOptions options) {
    Write w = prepare(scope, prompt, response, options);
    float[] known = w.vector != null ? w.vector : missVectors.take(w.prompt);
    if (known != null) {
      return store(w, known);
    }
    return CompletableFuture.supplyAsync(() -> embed(w.prompt), embeddingExecutor)
        .thenCompose(vector -> store(w, vector));
  }

  /** One put's checked input. */
  private static final class Write {
    final Scope scope;
    final String prompt;
    final String key;
    final CachedResponse response;
    final TtlPolicy ttl;
    final float @Nullable [] vector;
    final long start;

    Write(
        Scope scope,
        String prompt,
        String key,
        CachedResponse response,
        TtlPolicy ttl,
        float @Nullable [] vector,
        long start) {
      this.scope = scope;
      this.prompt = prompt;
      this.key = key;
      this.response = response;
      this.ttl = ttl;
      this.vector = vector;
      this.start = start;
    }
  }

  private Write prepare(
      @Nullable Scope scope,
      @Nullable String prompt,
      @Nullable CachedResponse response,
      @Nullable PutOptions options) {
    long start = System.nanoTime();
    checkOpen();
    Scope s = Scope.require(scope);
    String normalised = Prompts.normalise(prompt);
    if (response == null) {
      throw new InvalidInputException("response", "a CachedResponse", null);
    }
    PutOptions o = options == null ? PutOptions.DEFAULT : options;
    float[] vector = o.vectorUnsafe() == null ? null : checkVector(o.vectorUnsafe(), "vector");
    if (vector == null) {
      requireEmbedder();
    }
    TtlPolicy ttl = o.ttl() == null ? defaultTtl : o.ttl();
    return new Write(
        s, normalised, Prompts.key(s, modelId, normalised), response, ttl, vector, start);
  }

  private CompletableFuture<Void> store(Write w, float[] vector) {
    Instant now = cache.clock().instant();
    String scopeHash = Prompts.scopeHash(w.scope);
    var metadata =
        EntryFields.encode(w.scope, scopeHash, modelId, w.prompt, w.response, now, w.ttl);
    return cache
        .storeAsync(w.key, vector, metadata, ttlOf(w.ttl))
        .thenAccept(
            entry -> {
              afterwards(() -> ranking.onPut(scopeHash, w.key));
              counters.put(System.nanoTime() - w.start);
            });
  }

  /** The vector cache's TTL for a policy: sliding entries start with one window. */
  private static Ttl ttlOf(TtlPolicy policy) {
    return switch (policy.kind()) {
      case NONE -> Ttl.none();
      case ABSOLUTE, SLIDING -> Ttl.of(policy.duration().orElseThrow());
    };
  }

  // ------------------------------------------------------------------ lookup

  /**
   * The answer for {@code prompt} in {@code scope}: exact tier first, then the semantic tier.
   *
   * @param scope the lookup's scope; only entries of exactly this scope are returned
   * @param prompt the prompt
   * @return the hit, or empty
   * @throws InvalidInputException before any I/O for a missing scope or a blank prompt; naming
   *     {@code embedding} when the embedding function's vector is unusable (before the search)
   */
  public Optional<SemanticHit> lookup(Scope scope, String prompt) {
    return lookup(scope, prompt, LookupOptions.DEFAULT);
  }

  /**
   * The answer for {@code prompt} in {@code scope}, with per-call options (threshold, exact-only,
   * the vector).
   *
   * @param scope the lookup's scope; only entries of exactly this scope are returned
   * @param prompt the prompt
   * @param options the options
   * @return the hit, or empty
   * @throws InvalidInputException before any I/O for a missing scope, a blank prompt, a threshold
   *     outside the metric's range or a bad vector; naming {@code embedding} when the embedding
   *     function's vector is unusable (before the search)
   */
  public Optional<SemanticHit> lookup(Scope scope, String prompt, LookupOptions options) {
    Query q = prepare(scope, prompt, options);
    Optional<Found> exact = Futures.join(exactTier(q));
    if (exact.isPresent() || q.exactOnly) {
      return finish(q, exact);
    }
    if (q.vector != null) {
      return finish(q, Futures.join(semanticTier(q, q.vector)));
    }
    float[] vector = embed(q.prompt);
    return finish(q, rememberMiss(q, vector, Futures.join(semanticTier(q, vector))));
  }

  /** The non-blocking form of {@link #lookup(Scope, String)}. */
  public CompletableFuture<Optional<SemanticHit>> lookupAsync(Scope scope, String prompt) {
    return lookupAsync(scope, prompt, LookupOptions.DEFAULT);
  }

  /**
   * The non-blocking form of {@link #lookup(Scope, String, LookupOptions)}: the input is checked at
   * once (and thrown); the embedding function, when needed after an exact-tier miss, runs on the
   * builder's embedding executor, and its refusal fails the future.
   */
  public CompletableFuture<Optional<SemanticHit>> lookupAsync(
      Scope scope, String prompt, LookupOptions options) {
    Query q = prepare(scope, prompt, options);
    return exactTier(q)
        .thenCompose(
            exact -> {
              if (exact.isPresent() || q.exactOnly) {
                return CompletableFuture.completedFuture(exact);
              }
              if (q.vector != null) {
                return semanticTier(q, q.vector);
              }
              return CompletableFuture.supplyAsync(() -> embed(q.prompt), embeddingExecutor)
                  .thenCompose(
                      vector -> semanticTier(q, vector).thenApply(f -> rememberMiss(q, vector, f)));
            })
        .thenApply(found -> finish(q, found));
  }

  private Query prepare(
      @Nullable Scope scope, @Nullable String prompt, @Nullable LookupOptions options) {
    long start = System.nanoTime();
    checkOpen();
    Scope s = Scope.require(scope);
    String normalised = Prompts.normalise(prompt);
    LookupOptions o = options == null ? LookupOptions.DEFAULT : options;
    Double override = o.threshold();
    float t = override == null ? threshold : Thresholds.check(override, distance, "threshold");
    float[] vector = o.vectorUnsafe() == null ? null : checkVector(o.vectorUnsafe(), "vector");
    if (vector == null && !o.exactOnly()) {
      requireEmbedder();
    }
    return new Query(
        s, normalised, Prompts.key(s, modelId, normalised), t, o.exactOnly(), vector, start);
  }

  /** One metadata-store read of the exact key; served only when scope, model and prompt match. */
  private CompletableFuture<Optional<Found>> exactTier(Query q) {
    return cache
        .getCopyAsync(q.key)
        .thenApply(
            copy ->
                copy.flatMap(
                    entry -> {
                      EntryFields.Decoded f = EntryFields.decode(entry);
                      if (f == null || !ours(f, q) || !f.prompt().equals(q.prompt)) {
                        return Optional.empty();
                      }
                      double score = Thresholds.perfect(distance);
                      return Optional.of(new Found(hit(f, score, Tier.EXACT, entry), entry, f));
                    }));
  }

  /** The vector search, scope and model in its filter; the first validated candidate wins. */
  private CompletableFuture<Optional<Found>> semanticTier(Query q, float[] vector) {
    Filter filter =
        Filter.must(
            Condition.match(EntryFields.SCOPE, q.scope.canonical()),
            Condition.match(EntryFields.MODEL, modelId));
    return cache
        .searchSimilarAsync(vector, candidates, filter, q.threshold)
        .thenApply(
            hits -> {
              for (CacheHit h : hits) {
                EntryFields.Decoded f = EntryFields.decode(h.entry());
                if (f == null || !ours(f, q) || !distance.passes(h.score(), q.threshold)) {
                  continue; // fail closed: never serve what the filter should have kept out
                }
                SemanticHit candidate = hit(f, h.score(), Tier.SEMANTIC, h.entry());
                if (validator != null && !validator.accept(q.prompt, candidate)) {
                  counters.rejected();
                  continue;
                }
                return Optional.of(new Found(candidate, h.entry(), f));
              }
              return Optional.<Found>empty();
            });
  }

  private boolean ours(EntryFields.Decoded f, Query q) {
    return f.scope().equals(q.scope.canonical()) && f.model().equals(modelId);
  }

  private SemanticHit hit(EntryFields.Decoded f, double score, Tier tier, CacheEntry entry) {
    Duration age = Duration.between(f.created(), cache.clock().instant());
    return new SemanticHit(
        f.response(), score, tier, age.isNegative() ? Duration.ZERO : age, f.prompt(), entry.key());
  }

  /** Reports the outcome; for a hit, records it for the size bounds and slides its expiry. */
  private Optional<SemanticHit> finish(Query q, Optional<Found> found) {
    long nanos = System.nanoTime() - q.start;
    if (found.isEmpty()) {
      counters.miss(nanos);
      return Optional.empty();
    }
    Found f = found.get();
    counters.hit(f.hit().tier(), f.hit().score(), nanos);
    // the scope's hash (a SHA-256) only on a hit, after the answer is known
    afterwards(() -> ranking.onHit(Prompts.scopeHash(q.scope), f.hit().key()));
    afterwards(() -> slide(f));
    return Optional.of(f.hit());
  }

  /** Queues a sliding TTL's move when it gains enough (see {@link TtlPolicy}). */
  private void slide(Found f) {
    Duration window = f.fields().window();
    Instant expiresAt = f.entry().expiresAt();
    if (window == null || expiresAt == null) {
      return;
    }
    Instant now = cache.clock().instant();
    Instant target = now.plus(window);
    Duration max = f.fields().maxLifetime();
    if (max != null) {
      Instant cap = f.fields().created().plus(max);
      if (cap.isBefore(target)) {
        target = cap;
      }
    }
    if (Duration.between(expiresAt, target).compareTo(minimumMove(window)) >= 0) {
      extender.offer(f.entry(), target);
    }
  }

  /** The smallest move worth a write: {@code max(1 s, window / 100)}, or half a short window. */
  static Duration minimumMove(Duration window) {
    Duration hundredth = window.dividedBy(100);
    Duration floor = Duration.ofSeconds(1);
    if (window.compareTo(floor.multipliedBy(2)) < 0) {
      return window.dividedBy(2);
    }
    return hundredth.compareTo(floor) > 0 ? hundredth : floor;
  }

  // ------------------------------------------------------------------ invalidation

  /**
   * Invalidates the answer stored for {@code prompt} in {@code scope} by this cache's model.
   *
   * @param scope the scope
   * @param prompt the prompt, as given to put (normalised the same way)
   * @return whether it existed
   */
  public boolean invalidate(Scope scope, String prompt) {
    return Futures.join(invalidateAsync(scope, prompt));
  }

  /** The non-blocking form of {@link #invalidate(Scope, String)}. */
  public CompletableFuture<Boolean> invalidateAsync(Scope scope, String prompt) {
    checkOpen();
    Scope s = Scope.require(scope);
    String key = Prompts.key(s, modelId, Prompts.normalise(prompt));
    return cache
        .deleteAsync(key)
        .thenApply(
            existed -> {
              if (existed) {
                counters.invalidated(1);
              }
              return existed;
            });
  }

  /**
   * Invalidates every answer of {@code scope} (of every model), and forgets its ranking.
   *
   * @param scope the scope
   * @return how many entries were deleted
   */
  public long invalidateScope(Scope scope) {
    return Futures.join(invalidateScopeAsync(scope));
  }

  /** The non-blocking form of {@link #invalidateScope(Scope)}. */
  public CompletableFuture<Long> invalidateScopeAsync(Scope scope) {
    checkOpen();
    Scope s = Scope.require(scope);
    String scopeHash = Prompts.scopeHash(s);
    return cache
        .deleteWhereAsync(Filter.must(Condition.match(EntryFields.SCOPE, s.canonical())))
        .thenCompose(n -> ranking.forgetScope(scopeHash).thenApply(v -> counted(n)));
  }

  /**
   * Invalidates every answer whose response metadata matches {@code filter}, in every scope: for
   * example all answers that cite a document that changed, {@code
   * Filter.must(Condition.match("source", "handbook-v3"))}.
   *
   * @param filter a filter on response metadata fields
   * @return how many entries were deleted
   * @throws InvalidInputException before any I/O for a null filter or one that names a field of the
   *     caches ({@code sc_...} or {@code _vc_...})
   */
  public long invalidateWhere(Filter filter) {
    return Futures.join(invalidateWhereAsync(filter));
  }

  /** The non-blocking form of {@link #invalidateWhere(Filter)}. */
  public CompletableFuture<Long> invalidateWhereAsync(Filter filter) {
    checkOpen();
    if (filter == null || filter.isEmpty()) {
      throw new InvalidInputException(
          "filter",
          "a filter with one or more conditions on response metadata",
          filter == null ? null : "an empty filter",
          "invalidateAll() deletes everything; invalidateScope(scope) a scope");
    }
    FilterFields.refuseReserved(filter);
    return cache.deleteWhereAsync(filter).thenApply(this::counted);
  }

  /**
   * Invalidates every answer of the cache (the whole collection) and clears the ranking.
   *
   * @return how many entries were deleted
   */
  public long invalidateAll() {
    return Futures.join(invalidateAllAsync());
  }

  /** The non-blocking form of {@link #invalidateAll()}. */
  public CompletableFuture<Long> invalidateAllAsync() {
    checkOpen();
    return cache.clearAsync().thenCompose(n -> ranking.clear().thenApply(v -> counted(n)));
  }

  private long counted(long n) {
    if (n > 0) {
      counters.invalidated(n);
    }
    return n;
  }

  // ------------------------------------------------------------------ stats, flush, close

  /**
   * What the cache holds for one scope, counted in the vector store: live entries of this model.
   *
   * @param scope the scope
   * @return the scope's figures
   */
  public ScopeStats scopeStats(Scope scope) {
    return Futures.join(scopeStatsAsync(scope));
  }

  /** The non-blocking form of {@link #scopeStats(Scope)}. */
  public CompletableFuture<ScopeStats> scopeStatsAsync(Scope scope) {
    checkOpen();
    Scope s = Scope.require(scope);
    long now = cache.clock().millis();
    Filter live =
        Filter.must(
            Condition.match(EntryFields.SCOPE, s.canonical()),
            Condition.match(EntryFields.MODEL, modelId),
            Condition.filter(
                Filter.should(
                    Condition.isEmpty(EntryPayload.EXPIRES_AT),
                    Condition.range(EntryPayload.EXPIRES_AT, Range.gt((double) now)))));
    return cache.vectorStore().count(cache.collection(), live).thenApply(ScopeStats::new);
  }

  /**
   * Ranks every live answer again for the size bounds, from the vector store, page by page: after
   * the metadata store lost its sorted sets (a Redis restart without persistence, a flush), the
   * bounds otherwise count only the answers put or hit since. Scores restart from each answer's
   * creation (LRU) or from one use (LFU). Without size bounds it does nothing.
   *
   * @return how many answers were ranked
   */
  public long rebuildSizeIndex() {
    return Futures.join(rebuildSizeIndexAsync());
  }

  /** The non-blocking form of {@link #rebuildSizeIndex()}. */
  public CompletableFuture<Long> rebuildSizeIndexAsync() {
    checkOpen();
    return ranking.rebuild();
  }

  /**
   * The counters since the cache was built.
   *
   * @return a snapshot
   */
  public SemanticCacheStats stats() {
    return counters.snapshot();
  }

  /**
   * Waits for the background work queued so far: the start-up sweep of other models, the queued
   * expiry moves, and the size bounds' recording and evictions. Useful before a shutdown or in a
   * test; the cache never needs it.
   *
   * @return completes when that work is done (failed or not)
   */
  public CompletableFuture<Void> flushAsync() {
    CompletableFuture<?> sweep = modelSweep;
    return CompletableFuture.allOf(sweep, extender.flush(), ranking.flush()).handle((v, e) -> null);
  }

  /**
   * Stops the expiry mover (giving queued moves up to a second), the size bounds, and, unless built
   * with {@code ownsCache(false)}, closes the vector cache.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    missVectors.clear();
    try {
      extender.close(CLOSE_FLUSH_MILLIS);
      ranking.close();
    } finally {
      if (ownsCache) {
        cache.close();
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private float[] checkVector(float @Nullable [] vector, String field) {
    return Vectors.check(
        vector == null ? null : vector.clone(), field, cache.collectionConfig().vectors());
  }

  private void requireEmbedder() {
    if (embedder == null) {
      throw noEmbedder();
    }
  }

  private static InvalidInputException noEmbedder() {
    return new InvalidInputException(
        "vector",
        "a vector in the options",
        null,
        "this cache has no embedding function: pass the prompt's vector, or build the cache with"
            + " embeddingFunction(...)");
  }

  /**
   * Keeps the vector the lookup computed when it missed, for the {@code put} that usually follows
   * (see {@link MissVectors}).
   */
  private Optional<Found> rememberMiss(Query q, float[] vector, Optional<Found> found) {
    if (found.isEmpty()) {
      missVectors.remember(q.prompt, vector);
    }
    return found;
  }

  /** The embedding of a normalised prompt, checked: one vector, the right dimension, finite. */
  private float[] embed(String prompt) {
    EmbeddingFunction f = embedder;
    if (f == null) {
      throw noEmbedder();
    }
    List<float[]> out = f.embedAll(List.of(prompt));
    if (out == null || out.size() != 1) {
      throw new InvalidInputException(
          "embedding",
          "1 vector for 1 text",
          out == null ? null : out.size() + " vectors",
          "the embedding function must return one vector per text, in order");
    }
    return checkVector(out.get(0), "embedding");
  }

  /** Runs bookkeeping that must never fail or delay the caller's operation. */
  private static void afterwards(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("background bookkeeping of the semantic cache failed; the operation stands", e);
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this SemanticCache is closed");
    }
  }
}
