package dev.vectorcache.core;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.model.CacheStrategy;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.CollectionAliases;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Builder for {@link VectorCache}, from {@link VectorCache#builder()}. The collection, its
 * configuration and both stores are required; every other setting has a {@code DEFAULT_*}.
 */
public final class VectorCacheBuilder {
  /** Time to live of an entry stored without one: one hour. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);

  /** Largest time to live a store accepts: 365 days. */
  public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(365);

  /** Largest metadata, in bytes of compact JSON: 64 KiB. */
  public static final long DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

  /** Largest {@code limit} a search accepts: 1000. */
  public static final int DEFAULT_MAX_LIMIT = 1000;

  /** Namespace of the name-based point ids, fixed so that ids are stable across releases. */
  public static final UUID DEFAULT_KEY_NAMESPACE =
      UUID.fromString("6f1c2a8e-5b7d-4c3e-9a0f-2d4b8e6c1a93");

  /** Write-backs that may wait to be sent: 10,000. */
  public static final int DEFAULT_WRITE_BACK_QUEUE_CAPACITY = 10_000;

  private static final Pattern COLLECTION_NAME = Pattern.compile("[A-Za-z0-9._-]{1,255}");

  @Nullable String collection;
  @Nullable CollectionConfig collectionConfig;
  @Nullable AsyncVectorStore vectors;
  @Nullable AsyncMetadataStore metadata;
  @Nullable MetadataStore blockingMetadata; // the blocking form, when given: read on the caller
  Clock clock = Clock.systemUTC();
  Duration defaultTtl = DEFAULT_TTL;
  Duration maxTtl = DEFAULT_MAX_TTL;
  long maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
  int maxLimit = DEFAULT_MAX_LIMIT;
  CacheStrategy strategy = CacheStrategy.CACHE_ASIDE;
  UUID keyNamespace = DEFAULT_KEY_NAMESPACE;
  SearchParams searchParams = SearchParams.DEFAULT;
  boolean publishEvents = true;
  boolean ownsStores = true;
  @Nullable Duration sweepInterval;
  @Nullable String modelId;
  final List<CacheListener> listeners = new ArrayList<>();
  CircuitBreakerConfig circuitBreaker = CircuitBreakerConfig.defaults();
  int writeBackQueueCapacity = DEFAULT_WRITE_BACK_QUEUE_CAPACITY;
  int nearCacheEntries; // 0: none
  boolean behindAlias;

  VectorCacheBuilder() {}

  /**
   * Collection name: 1 to 255 of {@code A-Z a-z 0-9 . _ -}. Required.
   *
   * @param collection the name
   * @return this builder
   */
  public VectorCacheBuilder collection(String collection) {
    if (collection == null || !COLLECTION_NAME.matcher(collection).matches()) {
      throw new InvalidInputException(
          "collection", "1 to 255 characters of A-Z, a-z, 0-9, '.', '_' or '-'", collection);
    }
    this.collection = collection;
    return this;
  }

  /**
   * Dimension, distance and memory settings of the collection. Required.
   *
   * @param collectionConfig the settings
   * @return this builder
   */
  public VectorCacheBuilder collectionConfig(CollectionConfig collectionConfig) {
    this.collectionConfig = Objects.requireNonNull(collectionConfig, "collectionConfig");
    return this;
  }

  /**
   * The vector store, in its blocking form (the cache uses its non-blocking form). Required.
   *
   * @param store the store
   * @return this builder
   */
  public VectorCacheBuilder vectorStore(VectorStore store) {
    this.vectors = Objects.requireNonNull(store, "vectorStore").async();
    return this;
  }

  /**
   * The vector store, in its non-blocking form. Required.
   *
   * @param store the store
   * @return this builder
   */
  public VectorCacheBuilder vectorStore(AsyncVectorStore store) {
    this.vectors = Objects.requireNonNull(store, "vectorStore");
    return this;
  }

  /**
   * The metadata store, in its blocking form. Required. The cache uses its non-blocking form,
   * except that the blocking {@link VectorCache#searchSimilar} reads the copies through this form
   * on the caller's thread (no hand-off to the store's executor).
   *
   * @param store the store
   * @return this builder
   */
  public VectorCacheBuilder metadataStore(MetadataStore store) {
    this.metadata = Objects.requireNonNull(store, "metadataStore").async();
    this.blockingMetadata = store;
    return this;
  }

  /**
   * The metadata store, in its non-blocking form. Required.
   *
   * @param store the store
   * @return this builder
   */
  public VectorCacheBuilder metadataStore(AsyncMetadataStore store) {
    this.metadata = Objects.requireNonNull(store, "metadataStore");
    this.blockingMetadata = null;
    return this;
  }

  /**
   * Time source for TTLs and versions; inject a fixed or mutable clock in tests.
   *
   * @param clock the clock; default the system UTC clock
   * @return this builder
   */
  public VectorCacheBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Time to live of an entry stored without one. An entry meant to never expire is stored with
   * {@link Ttl#none()} instead.
   *
   * @param defaultTtl a positive duration, at most {@link #maxTtl}; default {@link #DEFAULT_TTL}
   * @return this builder
   */
  public VectorCacheBuilder defaultTtl(Duration defaultTtl) {
    Objects.requireNonNull(defaultTtl, "defaultTtl");
    this.defaultTtl =
        InputChecks.ttlDuration(
            defaultTtl, "defaultTtl", "store entries that never expire with Ttl.none()");
    return this;
  }

  /**
   * Largest time to live a store accepts ({@link Ttl#none()} is always accepted).
   *
   * @param maxTtl a positive duration; default {@link #DEFAULT_MAX_TTL}
   * @return this builder
   */
  public VectorCacheBuilder maxTtl(Duration maxTtl) {
    Objects.requireNonNull(maxTtl, "maxTtl");
    this.maxTtl = InputChecks.ttlDuration(maxTtl, "maxTtl", "give a positive duration");
    return this;
  }

  /**
   * Largest metadata, in bytes of compact JSON.
   *
   * @param maxPayloadBytes 1 or more; default {@link #DEFAULT_MAX_PAYLOAD_BYTES}
   * @return this builder
   */
  public VectorCacheBuilder maxPayloadBytes(long maxPayloadBytes) {
    if (maxPayloadBytes < 1) {
      throw new InvalidInputException("maxPayloadBytes", "1 or more", maxPayloadBytes);
    }
    this.maxPayloadBytes = maxPayloadBytes;
    return this;
  }

  /**
   * Largest {@code limit} a search accepts.
   *
   * @param maxLimit 1 or more; default {@link #DEFAULT_MAX_LIMIT}
   * @return this builder
   */
  public VectorCacheBuilder maxLimit(int maxLimit) {
    if (maxLimit < 1) {
      throw new InvalidInputException("maxLimit", "1 or more", maxLimit);
    }
    this.maxLimit = maxLimit;
    return this;
  }

  /**
   * How the metadata store is used.
   *
   * @param strategy the strategy; default {@link CacheStrategy#CACHE_ASIDE}
   * @return this builder
   */
  public VectorCacheBuilder strategy(CacheStrategy strategy) {
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    return this;
  }

  /**
   * Namespace of the name-based point ids. Change it only for a new collection.
   *
   * @param keyNamespace the namespace; default {@link #DEFAULT_KEY_NAMESPACE}
   * @return this builder
   */
  public VectorCacheBuilder keyNamespace(UUID keyNamespace) {
    this.keyNamespace = Objects.requireNonNull(keyNamespace, "keyNamespace");
    return this;
  }

  /**
   * Search parameters sent with every search (hnsw_ef, exact, rescoring, oversampling).
   *
   * @param searchParams the parameters; default {@link SearchParams#DEFAULT}
   * @return this builder
   */
  public VectorCacheBuilder searchParams(SearchParams searchParams) {
    this.searchParams = Objects.requireNonNull(searchParams, "searchParams");
    return this;
  }

  /**
   * Whether stores, deletes and expiries are published on the collection's channel.
   *
   * @param publishEvents default true
   * @return this builder
   */
  public VectorCacheBuilder publishEvents(boolean publishEvents) {
    this.publishEvents = publishEvents;
    return this;
  }

  /**
   * Whether {@link VectorCache#close()} closes the stores.
   *
   * @param ownsStores default true
   * @return this builder
   */
  public VectorCacheBuilder ownsStores(boolean ownsStores) {
    this.ownsStores = ownsStores;
    return this;
  }

  /**
   * The id of the embedding model the vectors are made with, recorded in each entry's payload
   * ({@link EntryPayload#MODEL}) and compared by {@link VectorCache#migrate}. Optional.
   *
   * @param modelId 1 to {@value MigrationPlan#MAX_MODEL_ID_LENGTH} characters, not blank; default
   *     none
   * @return this builder
   */
  public VectorCacheBuilder modelId(String modelId) {
    this.modelId = MigrationPlan.checkModelId(modelId, "modelId");
    return this;
  }

  /**
   * Sweep expired entries in the background at this interval.
   *
   * @param sweepInterval a positive duration, or {@code null} for none (the default)
   * @return this builder
   */
  public VectorCacheBuilder sweepInterval(@Nullable Duration sweepInterval) {
    if (sweepInterval != null && (sweepInterval.isNegative() || sweepInterval.isZero())) {
      throw new InvalidInputException("sweepInterval", "a positive duration", sweepInterval);
    }
    this.sweepInterval = sweepInterval;
    return this;
  }

  /**
   * Adds a listener for the cache's events (stores, searches, metadata hits and misses, failures,
   * sweeps), for example a metrics binder. Listeners are called in the order they were added.
   *
   * @param listener the listener
   * @return this builder
   */
  public VectorCacheBuilder listener(CacheListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * The circuit breaker in front of the metadata store; {@link CircuitBreakerConfig#defaults()}
   * unless set. {@link CircuitBreakerConfig#disabled()} sends every call, however often it fails.
   *
   * @param config the breaker's settings
   * @return this builder
   */
  public VectorCacheBuilder circuitBreaker(CircuitBreakerConfig config) {
    this.circuitBreaker = Objects.requireNonNull(config, "circuitBreaker");
    return this;
  }

  /**
   * How many write-backs (copies of payloads read after a metadata miss) may wait to be sent; one
   * that finds the queue full is dropped and counted in {@link CacheStats#writeBacksDropped()}.
   * Default {@value #DEFAULT_WRITE_BACK_QUEUE_CAPACITY}.
   *
   * @param capacity from 1 to 1,000,000
   * @return this builder
   */
  public VectorCacheBuilder writeBackQueueCapacity(int capacity) {
    if (capacity < 1 || capacity > 1_000_000) {
      throw new InvalidInputException("writeBackQueueCapacity", "from 1 to 1000000", capacity);
    }
    this.writeBackQueueCapacity = capacity;
    return this;
  }

  /**
   * Keeps the metadata of up to {@code maxEntries} recent hits in this JVM, so a search whose hits
   * were all hydrated before sends no metadata-store read at all ({@link
   * CacheHit.Source#NEAR_CACHE}). Off by default (0). It never serves stale metadata: each hit
   * carries its version from the vector store, and a remembered entry is used only for that exact
   * version (an entry's metadata never changes under one version; storing a key again gives it a
   * new one). Expiry is the hit's own. The bound counts entries, not bytes: plan for {@code
   * maxEntries} times the size of a typical entry's metadata on the heap. The least recently used
   * entries go first (within each of up to 16 stripes, one per 64 entries). {@link
   * CacheStats#nearCacheHits()} counts its hits.
   *
   * @param maxEntries from 0 (no near cache) to 10,000,000
   * @return this builder
   */
  public VectorCacheBuilder nearCache(int maxEntries) {
    if (maxEntries < 0 || maxEntries > 10_000_000) {
      throw new InvalidInputException("nearCache", "from 0 to 10000000 entries", maxEntries);
    }
    this.nearCacheEntries = maxEntries;
    return this;
  }

  /**
   * Whether {@link VectorCache#initialize()} creates a new collection behind an alias: the
   * collection {@code <name>__g0} and the alias {@code <name>} pointing at it, with the payload
   * indexes created before the alias, so the name never shows a half-set-up collection. Off by
   * default (the name is a plain collection until the first {@link VectorCache#migrate migration}).
   * With it, the first migration too re-points the alias in one atomic step, so other processes
   * reading by name never see it missing; without it, the first migration replaces the plain
   * collection by an alias (drop, then create), a moment in which they do. An existing collection
   * or alias of the name is used as it is, either way. Needs a vector store with collection aliases
   * ({@link dev.vectorcache.core.model.Capability#ALIASES}), checked by {@link #build()}.
   *
   * @param behindAlias true to create the collection behind an alias
   * @return this builder
   */
  public VectorCacheBuilder behindAlias(boolean behindAlias) {
    this.behindAlias = behindAlias;
    return this;
  }

  /**
   * Builds the cache; call {@link VectorCache#initialize()} before use.
   *
   * @return the cache
   * @throws ConfigurationException when a required setting is missing
   * @throws UnsupportedCapabilityException with {@link #behindAlias(boolean)} on a vector store
   *     without collection aliases
   */
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
      throw new InvalidInputException("defaultTtl", "at most maxTtl (" + maxTtl + ")", defaultTtl);
    }
    if (behindAlias) {
      aliasesOf(vectors, "behindAlias(true)");
    }
    return new VectorCache(this);
  }

  /**
   * The collection aliases of {@code vectors}, which {@code user} needs.
   *
   * @throws UnsupportedCapabilityException when the store has none
   */
  static CollectionAliases aliasesOf(AsyncVectorStore vectors, String user) {
    return vectors
        .extension(CollectionAliases.class)
        .orElseThrow(
            () ->
                new UnsupportedCapabilityException(
                    user
                        + " needs a vector store with collection aliases (Capability.ALIASES); "
                        + vectors.getClass().getName()
                        + " has none"));
  }
}
