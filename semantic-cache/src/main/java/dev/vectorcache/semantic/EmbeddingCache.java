package dev.vectorcache.semantic;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.BatchMetadataWrites;
import dev.vectorcache.core.port.BatchMetadataWrites.CopyWrite;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Never pays twice to embed the same text: wraps an {@link EmbeddingFunction} and keeps its vectors
 * in a metadata store (Redis, or the embedded store), keyed by the model id and the text.
 *
 * <h2>One call</h2>
 *
 * {@link #embedAll(List)} (and {@link #embed(String)}, and their {@code ...Async} forms) answers a
 * batch of texts with:
 *
 * <ol>
 *   <li>one metadata-store read for all of them ({@code getAll}: one {@code MGET} in Redis);
 *   <li>one {@link EmbeddingFunction#embedAll} call for all the misses, deduplicated, in the order
 *       of their first appearance, run on the cache's executor (never on a store's I/O thread);
 *   <li>one write of all the new vectors: a pipelined batch through the {@link BatchMetadataWrites}
 *       extension when the store offers it (Redis, the embedded store), else one {@code put} per
 *       vector, sent together;
 * </ol>
 *
 * and returns one vector per text, in input order (a fresh array each, to modify at will). The
 * returned future completes once the write is done or has failed.
 *
 * <p><b>Single flight:</b> concurrent calls for the same text share one lookup and one embedding:
 * the first call resolves it, the others wait for its result (counted in {@link
 * EmbeddingCacheStats#singleFlightJoins()}).
 *
 * <p><b>Failures:</b> the metadata store is a cache, so a failed read is a miss and a failed write
 * is dropped; both are counted ({@link EmbeddingCacheStats#storeFailures()}), reported to {@link
 * EmbeddingCacheListener#onStoreFailure} and logged (one WARN line at most every 10 s, DEBUG
 * otherwise). A failed embedding call fails the call's future with its cause, and so does output
 * that does not fit: a wrong number of vectors, a wrong dimension or a non-finite component is an
 * {@link dev.vectorcache.core.exception.InvalidInputException} naming {@code embedding[i]} with the
 * expected and found values, and nothing of that batch is stored.
 *
 * <p><b>Bad input</b> (a null list; a null, blank or ill-formed text) throws {@link
 * dev.vectorcache.core.exception.InvalidInputException} naming {@code texts[i]} (or {@code text})
 * before any I/O, from the async forms too. Texts are used exactly as given (no trimming, case
 * folding or Unicode normalisation): a different text is a different key.
 *
 * <h2>Stored form</h2>
 *
 * Key: {@code <namespace>:<model>:<sha256>} ({@link EmbeddingCacheBuilder#namespace}, default
 * {@code emb}; the model id with characters outside {@code [A-Za-z0-9._-]} replaced by {@code _},
 * cut to 64; the lowercase hex SHA-256 of the model id and the text, each an 8-byte big-endian
 * length then its UTF-8 bytes). Redis adds its store's key prefix. Value: a metadata entry of
 * version 1 whose metadata is {@code {"encoding": "FLOAT32", "dimension": 384, "vector":
 * "<Base64>"}}, the vector's {@link VectorEncoding} bytes in standard Base64; the store's TTL is
 * the builder's {@link EmbeddingCacheBuilder#ttl} (none by default). An entry of another encoding
 * or dimension is a miss and is replaced.
 *
 * <p>Bytes per cached vector in Redis (the value's {@code STRLEN}, measured by {@code
 * EmbeddingCacheRedisIT}): the Base64 of {@link VectorEncoding#bytes(int)}, 4·⌈b/3⌉ characters,
 * plus an envelope of about 170 bytes (the JSON of the entry, which repeats the key). For dimension
 * 384: FLOAT32 2,048 + envelope, FLOAT16 1,024 + envelope, INT8 520 + envelope; docs/metrics.md and
 * the module's documentation give the measured totals.
 *
 * <pre>{@code
 * EmbeddingCache cache = EmbeddingCache.builder()
 *     .metadataStore(redis)
 *     .embeddingFunction(model::embedAll)
 *     .modelId("all-MiniLM-L6-v2")
 *     .dimension(384)
 *     .build();
 * List<float[]> vectors = cache.embedAll(List.of("first text", "second text"));
 * }</pre>
 */
public final class EmbeddingCache implements AutoCloseable {

  /** A text resolved by one call, shared with the calls that joined it. */
  private static final class Resolved {
    final float[] vector;
    final boolean hit;

    Resolved(float[] vector, boolean hit) {
      this.vector = vector;
      this.hit = hit;
    }
  }

  /** A text this call resolves itself: its key, the text, and the future others may wait on. */
  private record Led(String key, String text, CompletableFuture<Resolved> future) {}

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final AsyncMetadataStore store;
  private final Optional<BatchMetadataWrites> batchWrites;
  private final EmbeddingFunction function;
  private final String modelId;
  private final String namespace;
  private final int dimension;
  private final VectorEncoding encoding;
  private final @Nullable Duration ttl;
  private final Clock clock;
  private final boolean ownsStore;
  private final Executor executor;
  private final @Nullable ThreadPoolExecutor ownedExecutor;
  private final EmbeddingCacheKeys keys;
  private final EmbeddingCacheValues values;
  private final EmbeddingCacheEvents events;
  private final ConcurrentHashMap<String, CompletableFuture<Resolved>> inFlight =
      new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  EmbeddingCache(EmbeddingCacheBuilder b) {
    this.store = Objects.requireNonNull(b.store);
    this.batchWrites = store.extension(BatchMetadataWrites.class);
    this.function = Objects.requireNonNull(b.function);
    this.modelId = Objects.requireNonNull(b.modelId);
    this.namespace = b.namespace;
    this.dimension = b.dimension;
    this.encoding = b.encoding;
    this.ttl = b.ttl;
    this.clock = b.clock;
    this.ownsStore = b.ownsStore;
    this.keys = new EmbeddingCacheKeys(namespace, modelId);
    this.values = new EmbeddingCacheValues(encoding, dimension);
    this.events = new EmbeddingCacheEvents(b.listeners, clock, keys.prefix() + "*");
    if (b.executor != null) {
      this.executor = b.executor;
      this.ownedExecutor = null;
    } else {
      this.ownedExecutor = pool(namespace);
      this.executor = ownedExecutor;
    }
  }

  /**
   * A builder; {@code metadataStore}, {@code embeddingFunction}, {@code modelId} and {@code
   * dimension} are required.
   *
   * @return a new builder
   */
  public static EmbeddingCacheBuilder builder() {
    return new EmbeddingCacheBuilder();
  }

  /**
   * The vector of one text, from the cache or embedded and cached.
   *
   * @param text a non-blank text, used exactly as given
   * @return its vector
   * @throws dev.vectorcache.core.exception.InvalidInputException for a null, blank or ill-formed
   *     text, or output of the embedding function that does not fit
   */
  public float[] embed(String text) {
    return Futures.join(embedAsync(text));
  }

  /**
   * {@link #embed(String)}, non-blocking; bad input is thrown at once.
   *
   * @param text a non-blank text
   * @return completes with its vector
   */
  public CompletableFuture<float[]> embedAsync(String text) {
    EmbeddingCacheChecks.text(text, "text");
    return resolveAll(List.of(text)).thenApply(v -> v.get(0));
  }

  /**
   * The vectors of {@code texts}, in order: one lookup, one embedding call for the misses, one
   * write.
   *
   * @param texts non-blank texts, used exactly as given; duplicates are looked up and embedded once
   * @return one vector per text, in the same order
   */
  public List<float[]> embedAll(List<String> texts) {
    return Futures.join(embedAllAsync(texts));
  }

  /**
   * {@link #embedAll(List)}, non-blocking; bad input is thrown at once.
   *
   * @param texts non-blank texts
   * @return completes with one vector per text, in order, once the new vectors are written (or the
   *     write failed)
   */
  public CompletableFuture<List<float[]>> embedAllAsync(List<String> texts) {
    return resolveAll(List.copyOf(EmbeddingCacheChecks.texts(texts)));
  }

  /**
   * Removes the cached vector of {@code text}. A failure of the store is thrown (an invalidation
   * that did not happen must not look as if it did).
   *
   * @param text the text, exactly as it was embedded
   * @return whether a vector was removed
   */
  public boolean invalidate(String text) {
    return Futures.join(invalidateAsync(text));
  }

  /**
   * {@link #invalidate(String)}, non-blocking; bad input is thrown at once.
   *
   * @param text the text
   * @return completes with whether a vector was removed
   */
  public CompletableFuture<Boolean> invalidateAsync(String text) {
    EmbeddingCacheChecks.text(text, "text");
    checkOpen();
    return store.delete(keys.key(text));
  }

  /**
   * Counters since the cache was built.
   *
   * @return a snapshot
   */
  public EmbeddingCacheStats stats() {
    return events.snapshot();
  }

  /**
   * The model id the cache was built with.
   *
   * @return the id
   */
  public String modelId() {
    return modelId;
  }

  /**
   * The dimension every vector has.
   *
   * @return the dimension
   */
  public int dimension() {
    return dimension;
  }

  /**
   * How vectors are stored.
   *
   * @return the encoding
   */
  public VectorEncoding encoding() {
    return encoding;
  }

  /** The key under which {@code text}'s vector is stored (without the store's own prefix). */
  String key(String text) {
    return keys.key(EmbeddingCacheChecks.text(text, "text"));
  }

  /**
   * Stops the cache's own executor (calls under way finish) and, unless built with {@code
   * ownsStore(false)}, closes the metadata store. Later calls throw {@link IllegalStateException}.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
    if (ownsStore) {
      store.close();
    }
  }

  @Override
  public String toString() {
    return "EmbeddingCache[namespace="
        + namespace
        + ", modelId="
        + modelId
        + ", dimension="
        + dimension
        + ", encoding="
        + encoding
        + ", ttl="
        + (ttl == null ? "none" : ttl)
        + "]";
  }

  private CompletableFuture<List<float[]>> resolveAll(List<String> texts) {
    checkOpen();
    long start = System.nanoTime();
    if (texts.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    Map<String, CompletableFuture<Resolved>> distinct = new LinkedHashMap<>();
    List<CompletableFuture<Resolved>> byPosition = new ArrayList<>(texts.size());
    List<Led> led = new ArrayList<>();
    for (String text : texts) {
      String key = keys.key(text);
      CompletableFuture<Resolved> f = distinct.get(key);
      if (f == null) {
        CompletableFuture<Resolved> mine = new CompletableFuture<>();
        CompletableFuture<Resolved> running = inFlight.putIfAbsent(key, mine);
        if (running == null) {
          led.add(new Led(key, text, mine));
          f = mine;
        } else {
          f = running;
        }
        distinct.put(key, f);
      }
      byPosition.add(f);
    }
    events.joined(distinct.size() - led.size());
    CompletableFuture<Void> work =
        led.isEmpty() ? CompletableFuture.completedFuture(null) : lead(led);
    List<CompletableFuture<?>> waits = new ArrayList<>(distinct.values());
    waits.add(work);
    return CompletableFuture.allOf(waits.toArray(CompletableFuture<?>[]::new))
        .handle((v, e) -> null)
        .thenCompose(v -> collect(byPosition, distinct.values(), start));
  }

  /** Looks up the texts this call leads, embeds the misses, writes them; never fails. */
  private CompletableFuture<Void> lead(List<Led> led) {
    List<String> ledKeys = new ArrayList<>(led.size());
    for (Led l : led) {
      ledKeys.add(l.key());
    }
    CompletableFuture<Map<String, MetadataEntry>> lookup;
    try {
      lookup = store.getAll(ledKeys);
    } catch (RuntimeException e) {
      lookup = CompletableFuture.failedFuture(e);
    }
    return lookup
        .handle(
            (found, e) -> {
              if (e != null) {
                events.storeFailed("getAll", Futures.unwrap(e));
                return Map.<String, MetadataEntry>of();
              }
              return found;
            })
        .thenCompose(found -> embedMisses(led, found))
        .handle(
            (v, e) -> {
              // whatever happened, no waiter may hang and no key may stay in flight
              for (Led l : led) {
                if (!l.future().isDone()) {
                  l.future()
                      .completeExceptionally(
                          e != null
                              ? Futures.unwrap(e)
                              : new IllegalStateException("the embedding cache lost a text"));
                }
                inFlight.remove(l.key(), l.future());
              }
              return null;
            });
  }

  private CompletableFuture<Void> embedMisses(List<Led> led, Map<String, MetadataEntry> found) {
    Instant now = clock.instant();
    List<Led> misses = new ArrayList<>();
    for (Led l : led) {
      MetadataEntry entry = found.get(l.key());
      float[] vector = entry == null ? null : values.read(entry, now);
      if (vector == null) {
        misses.add(l);
      } else {
        l.future().complete(new Resolved(vector, true));
      }
    }
    if (misses.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<String> texts = new ArrayList<>(misses.size());
    for (Led l : misses) {
      texts.add(l.text());
    }
    CompletableFuture<List<float[]>> embedded;
    try {
      embedded = CompletableFuture.supplyAsync(() -> callFunction(texts), executor);
    } catch (RuntimeException e) { // a rejected task: the executor was shut down
      embedded = CompletableFuture.failedFuture(e);
    }
    return embedded
        .thenCompose(vectors -> store(misses, vectors))
        .exceptionally(
            e -> {
              Throwable cause = Futures.unwrap(e); // the embedding failed: so do its waiters
              for (Led l : misses) {
                l.future().completeExceptionally(cause);
              }
              return null;
            });
  }

  private List<float[]> callFunction(List<String> texts) {
    long start = System.nanoTime();
    boolean failed = true;
    try {
      List<float[]> vectors = function.embedAll(Collections.unmodifiableList(texts));
      EmbeddingCacheChecks.vectors(vectors, texts.size(), dimension, encoding);
      failed = false;
      return vectors;
    } finally {
      events.embedded(texts.size(), System.nanoTime() - start, failed);
    }
  }

  /** Completes the misses with their vectors as stored, then writes them in one round trip. */
  private CompletableFuture<Void> store(List<Led> misses, List<float[]> vectors) {
    Instant expiresAt = ttl == null ? null : clock.instant().plus(ttl);
    List<CopyWrite> writes = new ArrayList<>(misses.size());
    for (int i = 0; i < misses.size(); i++) {
      Led l = misses.get(i);
      byte[] bytes = encoding.encode(vectors.get(i));
      writes.add(
          new CopyWrite(values.entry(l.key(), bytes, expiresAt), ttl, CopyWrite.Condition.ALWAYS));
      // the vector as a later hit will read it, so a hit and a miss answer alike
      l.future().complete(new Resolved(encoding.decode(bytes, dimension), false));
    }
    if (batchWrites.isPresent()) {
      BatchMetadataWrites batch = batchWrites.get();
      return tolerate("writeAll", () -> batch.writeAll(writes, List.of()));
    }
    List<CompletableFuture<Void>> puts = new ArrayList<>(writes.size());
    for (CopyWrite w : writes) {
      puts.add(tolerate("put", () -> store.put(w.entry(), w.ttl())));
    }
    return CompletableFuture.allOf(puts.toArray(CompletableFuture<?>[]::new));
  }

  /** Runs a write whose failure is reported and dropped. */
  private CompletableFuture<Void> tolerate(String operation, Supplier<CompletableFuture<?>> call) {
    CompletableFuture<?> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.handle(
        (v, e) -> {
          if (e != null) {
            events.storeFailed(operation, Futures.unwrap(e));
          }
          return null;
        });
  }

  /** The vectors in input order, or the first failure; reports the call's hits and misses. */
  private CompletableFuture<List<float[]>> collect(
      List<CompletableFuture<Resolved>> byPosition,
      Collection<CompletableFuture<Resolved>> distinct,
      long start) {
    int hits = 0;
    int misses = 0;
    Throwable failure = null;
    for (CompletableFuture<Resolved> f : distinct) {
      Throwable e = f.handle((r, t) -> t).join();
      if (e != null) {
        misses++;
        if (failure == null) {
          failure = Futures.unwrap(e);
        }
      } else if (f.join().hit) {
        hits++;
      } else {
        misses++;
      }
    }
    events.lookedUp(hits, misses, System.nanoTime() - start);
    if (failure != null) {
      return CompletableFuture.failedFuture(failure);
    }
    List<float[]> out = new ArrayList<>(byPosition.size());
    for (CompletableFuture<Resolved> f : byPosition) {
      out.add(f.join().vector.clone());
    }
    return CompletableFuture.completedFuture(Collections.unmodifiableList(out));
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this EmbeddingCache is closed");
    }
  }

  private static ThreadPoolExecutor pool(String namespace) {
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    int id = POOLS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t =
                  new Thread(
                      r, "vectorcache-embed-" + namespace + "-" + id + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
