package dev.vectorcache.semantic;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.Payloads;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link SemanticCache}. Required: {@link #vectorCache(VectorCache)}, {@link
 * #modelId(String)} and {@link #threshold(double)}. Each setter checks its argument at once; {@link
 * #build()} checks what depends on several (the threshold against the collection's distance, the
 * size bounds against the metadata store), all before any I/O.
 */
public final class SemanticCacheBuilder {
  /** The TTL of an answer put without one: one day, absolute. */
  public static final TtlPolicy DEFAULT_TTL = TtlPolicy.absolute(Duration.ofDays(1));

  /** Candidates a semantic search asks for, so that the validator can skip some. */
  public static final int DEFAULT_SEMANTIC_CANDIDATES = 4;

  /** Largest number of semantic candidates. */
  public static final int MAX_SEMANTIC_CANDIDATES = 100;

  /** Sliding-TTL moves that can wait at once; more are dropped and counted. */
  public static final int DEFAULT_EXTENSION_QUEUE_CAPACITY = 10_000;

  /** Largest model id, in bytes of UTF-8. */
  public static final int MAX_MODEL_ID_BYTES = 256;

  @Nullable VectorCache vectorCache;
  boolean ownsCache = true;
  @Nullable String modelId;
  @Nullable EmbeddingFunction embeddingFunction;
  Executor embeddingExecutor = ForkJoinPool.commonPool();
  @Nullable Double threshold;
  @Nullable HitValidator validator;
  TtlPolicy defaultTtl = DEFAULT_TTL;
  long maxEntries;
  long maxEntriesPerScope;
  @Nullable Eviction eviction;
  final List<SemanticCacheListener> listeners = new ArrayList<>();
  int semanticCandidates = DEFAULT_SEMANTIC_CANDIDATES;
  int extensionQueueCapacity = DEFAULT_EXTENSION_QUEUE_CAPACITY;
  boolean sweepOtherModelsOnStart = true;

  SemanticCacheBuilder() {}

  /**
   * The vector cache that holds the entries. The semantic cache uses its collection alone: {@link
   * SemanticCache#invalidateAll()} clears it, and the start-up sweep deletes every entry not
   * written by this model. Required.
   *
   * @param vectorCache the cache, built (its {@code initialize()} is called by {@link
   *     SemanticCache#initialize()})
   * @return this builder
   */
  public SemanticCacheBuilder vectorCache(VectorCache vectorCache) {
    this.vectorCache = Objects.requireNonNull(vectorCache, "vectorCache");
    return this;
  }

  /**
   * Whether {@link SemanticCache#close()} closes the vector cache.
   *
   * @param ownsCache default true
   * @return this builder
   */
  public SemanticCacheBuilder ownsCache(boolean ownsCache) {
    this.ownsCache = ownsCache;
    return this;
  }

  /**
   * The id of the embedding model that makes the vectors ({@code all-MiniLM-L6-v2}, {@code
   * text-embedding-3-small@2024-01}, ...). Every entry records it; entries of another id are never
   * returned and are swept at start-up, so switching models (of the same dimension) needs no manual
   * cleanup. A model of another dimension needs another collection. Required.
   *
   * @param modelId a non-blank string of at most {@value #MAX_MODEL_ID_BYTES} bytes of UTF-8
   * @return this builder
   */
  public SemanticCacheBuilder modelId(String modelId) {
    Payloads.requireWellFormedText("modelId", modelId, "a non-blank string");
    int bytes = modelId.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_MODEL_ID_BYTES) {
      throw new InvalidInputException(
          "modelId", "at most " + MAX_MODEL_ID_BYTES + " bytes of UTF-8", bytes + " bytes");
    }
    this.modelId = modelId;
    return this;
  }

  /**
   * The function that embeds prompts (called with the normalised prompt). Without one, every put
   * and every lookup that is not exact-only must pass the vector in its options.
   *
   * @param embeddingFunction the function
   * @return this builder
   */
  public SemanticCacheBuilder embeddingFunction(EmbeddingFunction embeddingFunction) {
    this.embeddingFunction = Objects.requireNonNull(embeddingFunction, "embeddingFunction");
    return this;
  }

  /**
   * Where the {@code ...Async} forms call the embedding function (the blocking forms call it on the
   * caller's thread). The default is the common {@link ForkJoinPool}, as for {@code
   * CompletableFuture}'s own async methods; give an executor of your own when the function blocks
   * on a remote call.
   *
   * @param executor the executor
   * @return this builder
   */
  public SemanticCacheBuilder embeddingExecutor(Executor executor) {
    this.embeddingExecutor = Objects.requireNonNull(executor, "embeddingExecutor");
    return this;
  }

  /**
   * The threshold a semantic hit must pass, in the collection's own score terms and strict, as
   * every search of the library: a similarity {@code > threshold} for Cosine (from -1 to 1) and Dot
   * (any finite number), a distance {@code < threshold} for Euclid and Manhattan (0 or more).
   * Compared in float precision, as the scores are. Checked against the collection's distance by
   * {@link #build()}. Required; a lookup may override it.
   *
   * @param threshold the threshold
   * @return this builder
   */
  public SemanticCacheBuilder threshold(double threshold) {
    if (!Double.isFinite(threshold)) {
      throw new InvalidInputException("threshold", "a finite number", threshold);
    }
    this.threshold = threshold;
    return this;
  }

  /**
   * A last check of each semantic candidate (an exact hit is not checked).
   *
   * @param validator the validator; default none
   * @return this builder
   */
  public SemanticCacheBuilder validator(HitValidator validator) {
    this.validator = Objects.requireNonNull(validator, "validator");
    return this;
  }

  /**
   * The TTL policy of an answer put without one. The default, {@link #DEFAULT_TTL} (one day,
   * absolute), bounds how long a wrong or outdated answer can be served; pass {@link
   * TtlPolicy#none()} for answers that live until invalidated or evicted.
   *
   * @param defaultTtl the policy
   * @return this builder
   */
  public SemanticCacheBuilder defaultTtl(TtlPolicy defaultTtl) {
    this.defaultTtl = Objects.requireNonNull(defaultTtl, "defaultTtl");
    return this;
  }

  /**
   * Bounds the number of entries of the cache; beyond it, the least recently or least frequently
   * used entries ({@link #eviction(Eviction)}) are evicted from both stores, in the background.
   * Needs a metadata store with sorted sets ({@link Capability#SCORED_SETS}: Redis, either client).
   *
   * @param maxEntries 1 or more; default no bound
   * @return this builder
   */
  public SemanticCacheBuilder maxEntries(long maxEntries) {
    if (maxEntries < 1) {
      throw new InvalidInputException("maxEntries", "1 or more", maxEntries);
    }
    this.maxEntries = maxEntries;
    return this;
  }

  /**
   * Bounds the number of entries of each scope, as {@link #maxEntries(long)} does for the cache.
   *
   * @param maxEntriesPerScope 1 or more; default no bound
   * @return this builder
   */
  public SemanticCacheBuilder maxEntriesPerScope(long maxEntriesPerScope) {
    if (maxEntriesPerScope < 1) {
      throw new InvalidInputException("maxEntriesPerScope", "1 or more", maxEntriesPerScope);
    }
    this.maxEntriesPerScope = maxEntriesPerScope;
    return this;
  }

  /**
   * Which entries the size bounds evict first. Only with {@link #maxEntries(long)} or {@link
   * #maxEntriesPerScope(long)}.
   *
   * @param eviction default {@link Eviction#LRU}
   * @return this builder
   */
  public SemanticCacheBuilder eviction(Eviction eviction) {
    this.eviction = Objects.requireNonNull(eviction, "eviction");
    return this;
  }

  /**
   * Adds a listener (a metrics binder, say); any number may be added.
   *
   * @param listener the listener
   * @return this builder
   */
  public SemanticCacheBuilder listener(SemanticCacheListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * How many hits a semantic search asks for, so that the validator can reject some and a later one
   * still be served.
   *
   * @param candidates from 1 to {@value #MAX_SEMANTIC_CANDIDATES}; default {@value
   *     #DEFAULT_SEMANTIC_CANDIDATES}
   * @return this builder
   */
  public SemanticCacheBuilder semanticCandidates(int candidates) {
    if (candidates < 1 || candidates > MAX_SEMANTIC_CANDIDATES) {
      throw new InvalidInputException(
          "semanticCandidates", "from 1 to " + MAX_SEMANTIC_CANDIDATES, candidates);
    }
    this.semanticCandidates = candidates;
    return this;
  }

  /**
   * How many sliding-TTL moves may wait at once (coalesced by key); more are dropped and counted.
   *
   * @param capacity from 1 to 1,000,000; default {@value #DEFAULT_EXTENSION_QUEUE_CAPACITY}
   * @return this builder
   */
  public SemanticCacheBuilder extensionQueueCapacity(int capacity) {
    if (capacity < 1 || capacity > 1_000_000) {
      throw new InvalidInputException("extensionQueueCapacity", "from 1 to 1000000", capacity);
    }
    this.extensionQueueCapacity = capacity;
    return this;
  }

  /**
   * Whether {@link SemanticCache#initialize()} starts a background sweep of the entries written by
   * other model ids.
   *
   * @param sweep default true
   * @return this builder
   */
  public SemanticCacheBuilder sweepOtherModelsOnStart(boolean sweep) {
    this.sweepOtherModelsOnStart = sweep;
    return this;
  }

  /**
   * Builds the cache; call {@link SemanticCache#initialize()} before use.
   *
   * @return the cache
   * @throws ConfigurationException when a required setting is missing, or the eviction policy is
   *     set without a size bound
   * @throws InvalidInputException when the threshold is outside the range of the collection's
   *     distance
   * @throws UnsupportedCapabilityException naming {@code maxEntries} when a size bound is set and
   *     the metadata store has no sorted sets
   */
  public SemanticCache build() {
    if (vectorCache == null) {
      throw new ConfigurationException(
          "vectorCache is required: call vectorCache(VectorCache.builder()...build())");
    }
    if (modelId == null) {
      throw new ConfigurationException(
          "modelId is required: call modelId(\"the embedding model's name and version\")");
    }
    if (threshold == null) {
      throw new ConfigurationException(
          "threshold is required: call threshold(t) in the collection's score terms (for Cosine,"
              + " a similarity such as 0.9)");
    }
    if (eviction != null && maxEntries == 0 && maxEntriesPerScope == 0) {
      throw new ConfigurationException(
          "eviction is set but no size bound is: call maxEntries(n) or maxEntriesPerScope(n), or"
              + " drop eviction(...)");
    }
    Thresholds.check(threshold, vectorCache.collectionConfig().distance(), "threshold");
    return new SemanticCache(this);
  }
}
