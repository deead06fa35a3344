package dev.vectorcache.semantic;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.Payloads;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Builds an {@link EmbeddingCache}. Required: {@link #metadataStore}, {@link #embeddingFunction},
 * {@link #modelId} and {@link #dimension}. Each setter checks its value at once.
 */
public final class EmbeddingCacheBuilder {
  /** The default {@link #namespace}: {@value}. */
  public static final String DEFAULT_NAMESPACE = "emb";

  /** The default {@link #encoding}: exact float32 bytes. */
  public static final VectorEncoding DEFAULT_ENCODING = VectorEncoding.FLOAT32;

  /** The largest {@link #dimension} accepted (Qdrant's limit): {@value}. */
  public static final int MAX_DIMENSION = 65_536;

  /** The longest {@link #modelId} accepted, in characters: {@value}. */
  public static final int MAX_MODEL_ID_CHARS = 256;

  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

  @Nullable AsyncMetadataStore store;
  @Nullable EmbeddingFunction function;
  @Nullable String modelId;
  int dimension;
  String namespace = DEFAULT_NAMESPACE;
  @Nullable Duration ttl;
  VectorEncoding encoding = DEFAULT_ENCODING;
  final List<EmbeddingCacheListener> listeners = new ArrayList<>();
  boolean ownsStore = true;
  Clock clock = Clock.systemUTC();
  @Nullable Executor executor;

  EmbeddingCacheBuilder() {}

  /**
   * Where the vectors are cached, in its non-blocking form. Required. No vector store is needed.
   *
   * @param store the metadata store (Redis, or the embedded store)
   * @return this builder
   */
  public EmbeddingCacheBuilder metadataStore(AsyncMetadataStore store) {
    this.store = Objects.requireNonNull(store, "metadataStore");
    return this;
  }

  /**
   * Where the vectors are cached, in its blocking form (the cache uses its non-blocking form).
   *
   * @param store the metadata store
   * @return this builder
   */
  public EmbeddingCacheBuilder metadataStore(MetadataStore store) {
    this.store = Objects.requireNonNull(store, "metadataStore").async();
    return this;
  }

  /**
   * The model whose embeddings are cached. Required. It is called once per batch of misses, on the
   * cache's {@link #executor}, never on a store's I/O thread.
   *
   * @param function the embedding function
   * @return this builder
   */
  public EmbeddingCacheBuilder embeddingFunction(EmbeddingFunction function) {
    this.function = Objects.requireNonNull(function, "embeddingFunction");
    return this;
  }

  /**
   * The id of the embedding model (for example {@code "all-MiniLM-L6-v2"}), part of every key: the
   * embeddings of two models never mix, and a new model id starts an empty cache (entries of the
   * old one remain until their TTL, or forever without one). Required.
   *
   * @param modelId a non-blank id of at most {@value #MAX_MODEL_ID_CHARS} characters
   * @return this builder
   */
  public EmbeddingCacheBuilder modelId(String modelId) {
    Payloads.requireWellFormedText("modelId", modelId, "a non-blank model id");
    if (modelId.length() > MAX_MODEL_ID_CHARS) {
      throw new InvalidInputException(
          "modelId",
          "at most " + MAX_MODEL_ID_CHARS + " characters",
          modelId.length() + " characters");
    }
    this.modelId = modelId;
    return this;
  }

  /**
   * The model's dimension. Required. Every vector the function returns is checked against it
   * (count, dimension, finite components); a batch that fails is refused whole and nothing of it is
   * stored.
   *
   * @param dimension from 1 to {@value #MAX_DIMENSION}
   * @return this builder
   */
  public EmbeddingCacheBuilder dimension(int dimension) {
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new InvalidInputException("dimension", "from 1 to " + MAX_DIMENSION, dimension);
    }
    this.dimension = dimension;
    return this;
  }

  /**
   * The first part of every key, to keep caches sharing a store apart. Default {@value
   * #DEFAULT_NAMESPACE}.
   *
   * @param namespace 1 to 100 characters among {@code A-Z a-z 0-9 . _ : -}
   * @return this builder
   */
  public EmbeddingCacheBuilder namespace(String namespace) {
    if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
      throw new InvalidInputException(
          "namespace", "1 to 100 characters among A-Z a-z 0-9 . _ : -", namespace);
    }
    this.namespace = namespace;
    return this;
  }

  /**
   * How long a cached vector lives, enforced by the metadata store (Redis's key TTL). Default: no
   * expiry, as an embedding of a fixed model and text never changes.
   *
   * @param ttl at least 1 ms (TTLs have millisecond precision)
   * @return this builder
   */
  public EmbeddingCacheBuilder ttl(Duration ttl) {
    if (ttl == null || ttl.compareTo(Duration.ofMillis(1)) < 0) {
      throw new InvalidInputException(
          "ttl", "at least 1 ms", ttl, "leave ttl unset for vectors that never expire");
    }
    this.ttl = ttl;
    return this;
  }

  /**
   * How vectors are stored. Default {@link VectorEncoding#FLOAT32}, exact; {@link
   * VectorEncoding#FLOAT16} and {@link VectorEncoding#INT8} trade a documented error for size.
   * Every call returns vectors as stored, so a hit and a miss of the same text return the same
   * vector.
   *
   * @param encoding the encoding
   * @return this builder
   */
  public EmbeddingCacheBuilder encoding(VectorEncoding encoding) {
    this.encoding = Objects.requireNonNull(encoding, "encoding");
    return this;
  }

  /**
   * Adds a listener (a metrics binder, say); listeners are called in the order added.
   *
   * @param listener the listener
   * @return this builder
   */
  public EmbeddingCacheBuilder listener(EmbeddingCacheListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Whether {@link EmbeddingCache#close()} closes the metadata store. Default {@code true}; pass
   * {@code false} for a store shared with a {@code VectorCache} or another cache.
   *
   * @param ownsStore whether the cache owns its store
   * @return this builder
   */
  public EmbeddingCacheBuilder ownsStore(boolean ownsStore) {
    this.ownsStore = ownsStore;
    return this;
  }

  /**
   * The clock that dates entries ({@code expiresAt}) and decides when a read entry has expired.
   *
   * @param clock default the system UTC clock
   * @return this builder
   */
  public EmbeddingCacheBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Where the embedding function runs. Default: a pool the cache owns, of as many daemon threads as
   * processors (at least 2), idle threads ending after 30 s, shut down by {@link
   * EmbeddingCache#close()}. Give your own for a remote API called by many threads at once; the
   * cache never shuts it down.
   *
   * @param executor the executor
   * @return this builder
   */
  public EmbeddingCacheBuilder executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /**
   * Builds the cache.
   *
   * @return the cache, ready to use
   * @throws ConfigurationException when a required setting is missing
   */
  public EmbeddingCache build() {
    if (store == null) {
      throw new ConfigurationException(
          "metadataStore is required: open one with Backends.discover().openMetadataStore(...)");
    }
    if (function == null) {
      throw new ConfigurationException(
          "embeddingFunction is required: give the model whose embeddings are cached");
    }
    if (modelId == null) {
      throw new ConfigurationException(
          "modelId is required: name the embedding model, so two models' vectors never mix");
    }
    if (dimension == 0) {
      throw new ConfigurationException(
          "dimension is required: give the embedding model's dimension, checked on every vector");
    }
    return new EmbeddingCache(this);
  }
}
