package dev.vectorcache.inmemory;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.adapter.InlineAsyncVectorStore;
import dev.vectorcache.core.exception.AliasNotFoundException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.AliasAction;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionAlias;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.HybridQuery;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.Payloads;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationType;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.SparseSearch;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.model.VectorSearch;
import dev.vectorcache.core.model.WriteOptions;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.BatchSearch;
import dev.vectorcache.core.port.ClusterRequests;
import dev.vectorcache.core.port.CollectionAliases;
import dev.vectorcache.core.port.MultiVectors;
import dev.vectorcache.core.port.VectorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * An in-process {@link VectorStore} that answers as a Qdrant server would: the embedded default
 * behind a {@code memory:} URL, and the fake to test against without servers.
 *
 * <p>Search: a collection with {@link IndexType#HNSW} (the default) builds an HNSW graph honouring
 * its {@link HnswConfig} once it holds {@code full_scan_threshold} worth of vectors (Qdrant's
 * 10,000 KB by default: 40,000 vectors of 64 dimensions, 6,666 of 384); smaller collections, {@link
 * IndexType#FLAT}, {@code m = 0}, {@link SearchParams#exact()} and selective filters are answered
 * by an exact scan, so results there are exact. Graph searches honour {@code hnsw_ef} (default:
 * twice {@code ef_construct}) and test filters while they traverse. See {@code
 * docs/embedded-engine.md}.
 *
 * <p>Fidelity to Qdrant: Cosine vectors are normalised on insert and at query time (a retrieved
 * Cosine vector is the normalised one); Euclid and Manhattan return distances, smaller first; score
 * thresholds are strict; filters follow the server's type-strict rules; scroll pages in id order
 * (numeric ids before UUIDs).
 *
 * <p>Memory settings are honoured, not just echoed: {@link StorageMode#IN_MEMORY} packs vectors in
 * primitive arrays on the heap; {@link StorageMode#MMAP} and {@link StorageMode#ON_DISK} keep them
 * in memory-mapped files under a directory ({@link #InMemoryVectorStore(Path)}, {@link
 * EmbeddedOptions#mmapDirectory()}, or a temporary directory), deleted with the collection or the
 * store. {@link QuantizationType#SCALAR_INT8}, {@link QuantizationType#PRODUCT} and {@link
 * QuantizationType#BINARY} scan compressed codes and rescore the best {@code limit × oversampling}
 * candidates with the originals (defaults: 3 for int8, 4 for product, 10 for binary); product
 * quantization trains its codebooks (k-means) once a collection holds 1024 vectors and scores
 * exactly until then. {@link SearchParams#exact()} and {@link SearchParams#ignoreQuantization()}
 * scan the originals; {@code rescore=false} returns the approximate scores. {@link
 * CollectionInfo#memory()} reports the heap and mapped bytes held. Scans run on SIMD kernels
 * ({@code jdk.incubator.vector}) when the JVM has the module, else on plain Java.
 *
 * <p>Cluster settings ({@link ClusterRequests}): custom sharding keeps each shard key's points
 * apart ({@link MemShards}); shard number, replication and write consistency factors are echoed,
 * read consistency and write ordering accepted, as on a standalone Qdrant (one node, one copy).
 *
 * <p>Aliases ({@link CollectionAliases}): every method that reads a collection name takes an alias
 * too, resolved once when the call starts; alias changes and the creation and deletion of
 * collections are serialised, and readers see the aliases of one batch all at once.
 *
 * <p>Named and sparse vectors ({@link MultiVectors}): a collection made with a {@link
 * MultiVectorConfig} (or a single-vector collection given a new vector name, or written through
 * {@link MultiVectors}) is a {@link MultiVectorCollection}: one engine collection per dense name,
 * an inverted index per sparse name (IDF as Qdrant computes it), hybrid queries fused with {@link
 * dev.vectorcache.core.model.FusionScores}. The port's operations without vectors work on it; its
 * {@code upsert} and {@code search} use the dense vector {@code ""}. Shard keys and snapshots are
 * refused on it ({@link UnsupportedCapabilityException}).
 *
 * <p>Thread-safe: each collection has a read-write lock; a batch upsert is applied atomically. The
 * async form runs each call on the caller's thread (there is no I/O to wait for).
 *
 * <pre>{@code
 * try (VectorStore store = new InMemoryVectorStore()) {
 *   store.createCollection("docs", CollectionConfig.builder(384, Distance.COSINE).build());
 *   ...
 * }
 * }</pre>
 */
public final class InMemoryVectorStore implements VectorStore {
  /** Characters Qdrant refuses in a collection name (it becomes a directory name). */
  private static final String ILLEGAL = "<>:\"/\\|?*";

  private final String name;
  private final boolean shared;
  private final ConcurrentSkipListMap<String, MemShards> collections =
      new ConcurrentSkipListMap<>();
  private final InlineAsyncVectorStore async = new InlineAsyncVectorStore(this);
  private final EmbeddedClusterRequests cluster = new EmbeddedClusterRequests(this);
  private final BatchSearch batchSearch =
      (collection, requests, options) ->
          Futures.now(() -> searchBatch(collection, requests, options));
  private final EmbeddedAliases aliasing = new EmbeddedAliases(this);
  private final EmbeddedMultiVectors multiVectors = new EmbeddedMultiVectors(this);

  /** Collections with named or sparse vectors; their names are unique across both maps. */
  private final ConcurrentSkipListMap<String, MultiVectorCollection> multi =
      new ConcurrentSkipListMap<>();

  /** Guards the names: creating and deleting collections, and every change of the aliases. */
  private final Object names = new Object();

  /** Alias to collection; replaced whole under {@link #names}, so readers see whole batches. */
  private volatile Map<String, String> aliases = Map.of();

  private volatile boolean closed;
  private final @Nullable Path configuredDir; // null: a temporary directory, created on first use
  private @Nullable Path tempDir;

  /** A new, private, empty store; memory-mapped files go to a temporary directory. */
  public InMemoryVectorStore() {
    this("", false, null);
  }

  /**
   * A new, private, empty store that keeps the memory-mapped files of {@link StorageMode#MMAP} and
   * {@link StorageMode#ON_DISK} collections in {@code mmapDirectory} (created if missing). Files
   * are deleted with their collection and when the store is closed; the directory itself stays.
   */
  public InMemoryVectorStore(Path mmapDirectory) {
    this("", false, Objects.requireNonNull(mmapDirectory, "mmapDirectory"));
  }

  private InMemoryVectorStore(String name, boolean shared, @Nullable Path mmapDirectory) {
    this.name = name;
    this.shared = shared;
    this.configuredDir = mmapDirectory;
  }

  /** A store shared under {@code name}: its {@link #close()} does nothing. */
  static InMemoryVectorStore shared(String name) {
    return new InMemoryVectorStore(name, true, null);
  }

  // ---- collections ----

  @Override
  public void createCollection(String name, CollectionConfig config) {
    checkName(name);
    Objects.requireNonNull(config, "config");
    checkOpen();
    synchronized (names) {
      checkFree(name);
      MemShards c = newShards(name, config);
      if (collections.putIfAbsent(name, c) != null) {
        c.close();
        throw new CollectionAlreadyExistsException(name, null);
      }
    }
  }

  /** Called under {@link #names}: no collection or alias has {@code name}. */
  private void checkFree(String name) {
    if (collections.containsKey(name) || multi.containsKey(name)) {
      throw new CollectionAlreadyExistsException(name, null);
    }
    if (aliases.containsKey(name)) {
      // Qdrant: "Can't create collection with name X. Alias with the same name already exists"
      throw new CollectionAlreadyExistsException(
          name, "an alias has this name; delete or rename the alias first", null);
    }
  }

  private MemShards newShards(String name, CollectionConfig config) {
    return new MemShards(
        name,
        config,
        files -> new MemCollection(files, config, this::fileDirectory, Kernels.active()));
  }

  /** The directory for mapped files: the configured one, or a temporary one made on first use. */
  private synchronized Path fileDirectory() {
    try {
      if (configuredDir != null) {
        return Files.createDirectories(configuredDir);
      }
      if (tempDir == null) {
        tempDir = Files.createTempDirectory("vectorcache-mmap-");
        if (shared) {
          tempDir.toFile().deleteOnExit();
        }
      }
      return tempDir;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the directory for memory-mapped vectors"
              + (configuredDir == null ? "" : " " + configuredDir)
              + "; set EmbeddedOptions.mmapDirectory to a writable directory",
          e);
    }
  }

  @Override
  public boolean collectionExists(String name) {
    checkName(name);
    checkOpen();
    String target = resolve(name);
    return collections.containsKey(target) || multi.containsKey(target);
  }

  @Override
  public CollectionInfo collectionInfo(String name) {
    MultiVectorCollection m = multiOrNull(name, List.of());
    return m != null ? m.info() : shards(name).info();
  }

  @Override
  public boolean deleteCollection(String name) {
    checkName(name);
    checkOpen();
    MemShards c;
    MultiVectorCollection m;
    synchronized (names) {
      // as Qdrant: the name of a collection, never resolved (deleting an alias's name is false)
      c = collections.remove(name);
      m = c == null ? multi.remove(name) : null;
      if (c == null && m == null) {
        return false;
      }
      dropAliasesOf(name);
    }
    if (c != null) {
      c.close();
    }
    if (m != null) {
      m.close();
    }
    return true;
  }

  @Override
  public List<String> listCollections() {
    checkOpen();
    List<String> all = new ArrayList<>(collections.keySet());
    all.addAll(multi.keySet());
    Collections.sort(all);
    return List.copyOf(all);
  }

  /**
   * Payload indexes created on a collection. An index on a top-level field keeps its values in a
   * column that filters read instead of the payload, and counts them for the search planner;
   * results never change.
   */
  public Map<String, PayloadSchemaType> payloadIndexes(String collection) {
    MultiVectorCollection m = multiOrNull(collection, List.of());
    return m != null ? m.payloadIndexes() : shards(collection).payloadIndexes();
  }

  // ---- points: each the DEFAULT options of the cluster form, which routes by shard key ----

  @Override
  public void upsert(String collection, List<PointStruct> points) {
    upsert(collection, points, WriteOptions.DEFAULT);
  }

  void upsert(String collection, List<PointStruct> points, WriteOptions options) {
    Objects.requireNonNull(options, "options");
    MultiVectorCollection m = multiOrNull(collection, options.shardKeys());
    if (m != null) {
      m.upsertUnnamed(Objects.requireNonNull(points, "points"));
      return;
    }
    MemShards c = shards(collection);
    Objects.requireNonNull(points, "points");
    float[][] vectors = new float[points.size()][];
    for (int i = 0; i < vectors.length; i++) {
      PointStruct p = points.get(i);
      if (p == null) {
        throw new InvalidInputException("points[" + i + "]", "a point", null);
      }
      vectors[i] = c.prepare(p.vector(), "points[" + i + "].vector");
    }
    List<MemCollection> targets = c.forWrite(options);
    for (int t = 0; t < targets.size(); t++) {
      // each shard stores its own copy: prepare() normalised these once
      targets.get(t).upsert(points, t == 0 ? vectors : copy(vectors));
    }
  }

  private static float[][] copy(float[][] vectors) {
    float[][] out = new float[vectors.length][];
    for (int i = 0; i < out.length; i++) {
      out[i] = vectors[i].clone();
    }
    return out;
  }

  @Override
  public List<RetrievedPoint> retrieve(
      String collection,
      Collection<PointId> ids,
      PayloadSelector withPayload,
      boolean withVectors) {
    return retrieve(collection, ids, withPayload, withVectors, ReadOptions.DEFAULT);
  }

  List<RetrievedPoint> retrieve(
      String collection,
      Collection<PointId> ids,
      @Nullable PayloadSelector withPayload,
      boolean withVectors,
      ReadOptions options) {
    Objects.requireNonNull(options, "options");
    MultiVectorCollection m = multiOrNull(collection, options.shardKeys());
    if (m != null) {
      return m.retrieve(
          EngineInputs.checkIds(ids),
          withPayload == null ? PayloadSelector.ALL : withPayload,
          withVectors);
    }
    MemShards c = shards(collection);
    return c.retrieve(
        EngineInputs.checkIds(ids),
        withPayload == null ? PayloadSelector.ALL : withPayload,
        withVectors,
        Objects.requireNonNull(options, "options"));
  }

  @Override
  public void delete(String collection, Collection<PointId> ids) {
    delete(collection, ids, WriteOptions.DEFAULT);
  }

  void delete(String collection, Collection<PointId> ids, WriteOptions options) {
    Objects.requireNonNull(options, "options");
    MultiVectorCollection m = multiOrNull(collection, options.shardKeys());
    if (m != null) {
      m.delete(EngineInputs.checkIds(ids));
      return;
    }
    MemShards c = shards(collection);
    List<PointId> checked = EngineInputs.checkIds(ids);
    for (MemCollection shard : c.forWrite(options)) {
      shard.delete(checked);
    }
  }

  @Override
  public void deleteByFilter(String collection, Filter filter) {
    deleteByFilter(collection, filter, WriteOptions.DEFAULT);
  }

  void deleteByFilter(String collection, Filter filter, WriteOptions options) {
    Objects.requireNonNull(options, "options");
    MultiVectorCollection m = multiOrNull(collection, options.shardKeys());
    if (m != null) {
      m.deleteByFilter(Objects.requireNonNull(filter, "filter"));
      return;
    }
    MemShards c = shards(collection);
    Objects.requireNonNull(filter, "filter");
    for (MemCollection shard : c.forWrite(options)) {
      shard.deleteByFilter(filter);
    }
  }

  @Override
  public List<ScoredPoint> search(String collection, SearchRequest request) {
    return search(collection, request, ReadOptions.DEFAULT);
  }

  List<ScoredPoint> search(String collection, SearchRequest request, ReadOptions options) {
    Objects.requireNonNull(options, "options");
    MultiVectorCollection m = multiOrNull(collection, options.shardKeys());
    if (m != null) {
      return m.search("", "vector", Objects.requireNonNull(request, "request"));
    }
    MemShards c = shards(collection);
    Objects.requireNonNull(request, "request");
    return c.search(request, c.prepare(request.vector(), "query"), options);
  }

  /**
   * {@link BatchSearch}: every query is checked before the first search runs, then each request is
   * answered as {@link #search(String, SearchRequest, ReadOptions)} answers it, in order.
   */
  List<List<ScoredPoint>> searchBatch(
      String collection, List<SearchRequest> requests, ReadOptions options) {
    List<SearchRequest> batch = BatchSearch.checkRequests(requests);
    Objects.requireNonNull(options, "options");
    MultiVectorCollection m = multiOrNull(collection, options.shardKeys());
    if (m != null) {
      List<List<ScoredPoint>> out = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        out.add(m.search("", "requests[" + i + "]", batch.get(i)));
      }
      return Collections.unmodifiableList(out);
    }
    MemShards c = shards(collection);
    float[][] queries = new float[batch.size()][];
    for (int i = 0; i < queries.length; i++) {
      queries[i] = c.prepare(batch.get(i).vector(), "requests[" + i + "].vector");
    }
    List<List<ScoredPoint>> out = new ArrayList<>(batch.size());
    for (int i = 0; i < queries.length; i++) {
      out.add(c.search(batch.get(i), queries[i], options));
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public long count(String collection, @Nullable Filter filter) {
    return count(collection, filter, ReadOptions.DEFAULT);
  }

  long count(String collection, @Nullable Filter filter, ReadOptions options) {
    Objects.requireNonNull(options, "options");
    MultiVectorCollection m = multiOrNull(collection, options.shardKeys());
    return m != null ? m.count(filter) : shards(collection).count(filter, options);
  }

  @Override
  public ScrollPage scroll(String collection, ScrollRequest request) {
    return scroll(collection, request, ReadOptions.DEFAULT);
  }

  ScrollPage scroll(String collection, ScrollRequest request, ReadOptions options) {
    Objects.requireNonNull(options, "options");
    MultiVectorCollection m = multiOrNull(collection, options.shardKeys());
    if (m != null) {
      return m.scroll(Objects.requireNonNull(request, "request"));
    }
    MemShards c = shards(collection);
    Objects.requireNonNull(request, "request");
    return c.scroll(request, options);
  }

  @Override
  public void setPayload(String collection, Collection<PointId> ids, Map<String, ?> payload) {
    setPayload(collection, ids, payload, WriteOptions.DEFAULT);
  }

  void setPayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload, WriteOptions options) {
    PayloadTarget c = payloadTarget(collection, options);
    List<PointId> checked = EngineInputs.checkIds(ids);
    Map<String, Object> add = Payloads.copy(EngineInputs.requirePayload(payload), "payload");
    updatePayloads(
        c,
        checked,
        options,
        old -> {
          Map<String, Object> merged = new LinkedHashMap<>(old);
          merged.putAll(add);
          return Collections.unmodifiableMap(merged);
        });
  }

  @Override
  public void overwritePayload(String collection, Collection<PointId> ids, Map<String, ?> payload) {
    overwritePayload(collection, ids, payload, WriteOptions.DEFAULT);
  }

  void overwritePayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload, WriteOptions options) {
    PayloadTarget c = payloadTarget(collection, options);
    List<PointId> checked = EngineInputs.checkIds(ids);
    Map<String, Object> replacement =
        Payloads.copy(EngineInputs.requirePayload(payload), "payload");
    updatePayloads(c, checked, options, old -> replacement);
  }

  @Override
  public void deletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys) {
    deletePayloadKeys(collection, ids, keys, WriteOptions.DEFAULT);
  }

  void deletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys, WriteOptions options) {
    PayloadTarget c = payloadTarget(collection, options);
    List<PointId> checked = EngineInputs.checkIds(ids);
    Objects.requireNonNull(keys, "keys");
    List<String[]> paths = new ArrayList<>();
    for (String k : keys) {
      if (k == null || k.isBlank()) {
        throw new InvalidInputException("keys", "non-blank payload keys", k);
      }
      paths.add(k.split("\\.", -1));
    }
    updatePayloads(
        c,
        checked,
        options,
        old -> {
          Map<String, Object> p = old;
          for (String[] path : paths) {
            p = EngineInputs.without(p, path, 0);
          }
          return p;
        });
  }

  /** The collection a payload write changes: a multi-vector one, or the shards of another. */
  private record PayloadTarget(
      @Nullable MultiVectorCollection multiVector, @Nullable MemShards shards) {}

  private PayloadTarget payloadTarget(String collection, WriteOptions options) {
    Objects.requireNonNull(options, "options");
    MultiVectorCollection m = multiOrNull(collection, options.shardKeys());
    return new PayloadTarget(m, m == null ? shards(collection) : null);
  }

  private static void updatePayloads(
      PayloadTarget c,
      List<PointId> ids,
      WriteOptions options,
      UnaryOperator<Map<String, Object>> change) {
    MultiVectorCollection m = c.multiVector();
    MemShards shards = c.shards();
    if (m != null) {
      m.updatePayloads(ids, change);
    } else if (shards != null) {
      for (MemCollection shard : shards.forWrite(options)) {
        shard.updatePayloads(ids, change);
      }
    }
  }

  @Override
  public void clearPayload(String collection, Collection<PointId> ids) {
    clearPayload(collection, ids, WriteOptions.DEFAULT);
  }

  void clearPayload(String collection, Collection<PointId> ids, WriteOptions options) {
    PayloadTarget c = payloadTarget(collection, options);
    updatePayloads(c, EngineInputs.checkIds(ids), options, old -> Map.of());
  }

  // ---- shard keys ----

  void createShardKey(String collection, ShardKey key) {
    shards(collection).createKey(Objects.requireNonNull(key, "key"));
  }

  void deleteShardKey(String collection, ShardKey key) {
    shards(collection).deleteKey(Objects.requireNonNull(key, "key"));
  }

  List<ShardKey> listShardKeys(String collection) {
    return shards(collection).keys();
  }

  @Override
  public void createPayloadIndex(String collection, String field, PayloadSchemaType type) {
    MultiVectorCollection m = multiOrNull(collection, List.of());
    MemShards c = m == null ? shards(collection) : null;
    if (field == null || field.isBlank()) {
      throw new InvalidInputException("field", "a non-blank payload key path", field);
    }
    Objects.requireNonNull(type, "type");
    if (m != null) {
      m.createPayloadIndex(field, type);
    } else if (c != null) {
      c.createPayloadIndex(field, type);
    }
  }

  // ---- named and sparse vectors (MultiVectors) ----

  /**
   * The dense spaces of {@code collection}: a {@link MemCollection} each, files named after both.
   */
  private MultiVectorCollection.SpaceFactory spaces(String collection) {
    return (vectorName, config) ->
        new MemCollection(
            vectorName.isEmpty() ? collection : collection + "-" + vectorName,
            config,
            this::fileDirectory,
            Kernels.active());
  }

  void createCollection(String name, MultiVectorConfig config) {
    checkName(name);
    Objects.requireNonNull(config, "config");
    checkOpen();
    synchronized (names) {
      checkFree(name);
      multi.put(name, MultiVectorCollection.create(name, config, spaces(name)));
    }
  }

  /**
   * The multi-vector collection behind {@code name}; a single-vector collection is made one (its
   * vector becomes the dense space {@code ""}), unless it uses custom sharding.
   */
  private MultiVectorCollection multiFor(String name) {
    checkName(name);
    checkOpen();
    synchronized (names) {
      String target = resolve(name);
      MultiVectorCollection m = multi.get(target);
      if (m != null) {
        return m;
      }
      MemShards c = collections.get(target);
      if (c == null) {
        throw new CollectionNotFoundException(name);
      }
      if (c.custom()) {
        throw new UnsupportedCapabilityException(
            "collection '"
                + name
                + "' uses custom sharding: the embedded engine keeps named and sparse vectors"
                + " (MultiVectors) in collections with automatic sharding only");
      }
      m = MultiVectorCollection.convert(target, c.single(), c.payloadIndexes(), spaces(target));
      multi.put(target, m);
      collections.remove(target, c);
      return m;
    }
  }

  MultiVectorConfig vectorsConfig(String collection) {
    MultiVectorCollection m = multiOrNull(collection, List.of());
    return m != null ? m.vectorsConfig() : MultiVectorConfig.from(shards(collection).config());
  }

  void upsertPoints(String collection, List<MultiVectorPoint> points) {
    multiFor(collection).upsert(points);
  }

  void updateVectors(String collection, List<MultiVectorPoint> points) {
    multiFor(collection).updateVectors(points);
  }

  void deleteVectors(String collection, Collection<PointId> ids, Set<String> vectorNames) {
    List<PointId> checked = EngineInputs.checkIds(ids);
    multiFor(collection).deleteVectors(checked, vectorNames);
  }

  List<MultiVectorPoint> retrieveVectors(
      String collection,
      Collection<PointId> ids,
      @Nullable PayloadSelector payload,
      boolean withVectors) {
    List<PointId> checked = EngineInputs.checkIds(ids);
    PayloadSelector selector = payload == null ? PayloadSelector.ALL : payload;
    MultiVectorCollection m = multiOrNull(collection, List.of());
    if (m != null) {
      return m.retrieveAll(checked, selector, withVectors);
    }
    List<MultiVectorPoint> out = new ArrayList<>();
    for (RetrievedPoint p :
        shards(collection).retrieve(checked, selector, withVectors, ReadOptions.DEFAULT)) {
      float[] v = p.vector();
      out.add(
          MultiVectorPoint.of(p.id(), v == null ? Map.of() : Map.of("", v), Map.of(), p.payload()));
    }
    return out;
  }

  List<ScoredPoint> search(String collection, String using, SearchRequest request) {
    Objects.requireNonNull(using, "using");
    Objects.requireNonNull(request, "request");
    MultiVectorCollection m = multiOrNull(collection, List.of());
    if (m != null) {
      return m.search(using, "using", request);
    }
    shards(collection);
    if (!using.isEmpty()) {
      throw new InvalidInputException(
          "using", "a dense vector name of collection " + collection + ": [\"\"]", using);
    }
    return search(collection, request);
  }

  List<ScoredPoint> searchSparse(String collection, String using, SparseSearch request) {
    Objects.requireNonNull(using, "using");
    Objects.requireNonNull(request, "request");
    MultiVectorCollection m = multiOrNull(collection, List.of());
    if (m != null) {
      return m.searchSparse(using, request);
    }
    shards(collection);
    throw new InvalidInputException(
        "using", "a sparse vector name of collection " + collection + ": []", using);
  }

  /**
   * A hybrid query; on a single-vector collection (not made a multi-vector one by a read) only
   * searches of its unnamed vector can be fused.
   */
  List<ScoredPoint> query(String collection, HybridQuery query) {
    Objects.requireNonNull(query, "query");
    MultiVectorCollection m = multiOrNull(collection, List.of());
    if (m != null) {
      return m.query(query);
    }
    shards(collection);
    List<SearchRequest> requests = new ArrayList<>();
    for (int i = 0; i < query.searches().size(); i++) {
      VectorSearch s = query.searches().get(i);
      if (!(s instanceof VectorSearch.Dense d) || !d.using().isEmpty()) {
        throw new InvalidInputException(
            "searches[" + i + "].using",
            "a vector name of collection " + collection + ": [\"\"]",
            s.using());
      }
      requests.add(d.request());
    }
    List<List<ScoredPoint>> lists = new ArrayList<>();
    Set<PointId> ids = new LinkedHashSet<>();
    for (SearchRequest r : requests) {
      List<ScoredPoint> hits = search(collection, r);
      hits.forEach(h -> ids.add(h.id()));
      lists.add(hits);
    }
    Map<PointId, Map<String, Object>> payloads = new HashMap<>();
    for (RetrievedPoint p : retrieve(collection, ids, query.withPayload(), false)) {
      payloads.put(p.id(), p.payload());
    }
    return MultiVectorCollection.fuse(
        query,
        lists,
        id -> {
          Map<String, Object> p = payloads.get(id);
          return p != null ? p : Map.of();
        });
  }

  void createVectorName(String collection, String name, DenseVectorConfig config) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    multiFor(collection).createDense(name, config);
  }

  void createSparseVectorName(String collection, String name, SparseVectorParams params) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(params, "params");
    if (name.isEmpty()) {
      throw new InvalidInputException(
          "name", "a non-empty sparse vector name (\"\" is the unnamed dense vector)", name);
    }
    multiFor(collection).createSparse(name, params);
  }

  void deleteVectorName(String collection, String name) {
    Objects.requireNonNull(name, "name");
    multiFor(collection).deleteVectorName(name);
  }

  // ---- snapshots ----

  /**
   * Writes collection {@code collection} to the snapshot file {@code file} (replacing a file of
   * that name): its configuration, every point (id, vector as stored, payload), its payload indexes
   * and, with custom sharding, its shard keys and which key holds each point. The snapshot is one
   * point in time: writes to the collection wait while it is read. The HNSW graph and quantized
   * codes are not stored; {@link #restore(Path)} rebuilds them. Format: {@code docs/snapshots.md}.
   *
   * @throws dev.vectorcache.core.exception.CollectionNotFoundException when there is no such
   *     collection
   * @throws UncheckedIOException when the file cannot be written (nothing is left behind)
   */
  public SnapshotDescription snapshot(String collection, Path file) {
    return snapshot(collection, file, Map.of());
  }

  /**
   * {@link #snapshot(String, Path)} with {@code attachments}: opaque bytes stored beside the
   * collection, checksummed like the rest, and handed back by {@link #restore(Path)} (an
   * application keeps its own per-collection state there; the Qdrant test server keeps the original
   * CreateCollection request).
   *
   * @param attachments by name (non-blank); may be empty
   */
  public SnapshotDescription snapshot(
      String collection, Path file, Map<String, byte[]> attachments) {
    MemShards c = shards(collection);
    Objects.requireNonNull(file, "file");
    Map<String, byte[]> a = checkAttachments(attachments);
    return EngineSnapshots.write(
        file,
        SnapshotDescription.Kind.COLLECTION,
        List.of(new EngineSnapshots.Source(collection, c, a)),
        Instant.now());
  }

  /**
   * Writes every collection to one snapshot file (Qdrant's full snapshot); each collection is a
   * point in time of its own, as in {@link #snapshot(String, Path)}.
   */
  public SnapshotDescription snapshotAll(Path file) {
    return snapshotAll(file, name -> Map.of());
  }

  /**
   * {@link #snapshotAll(Path)} with each collection's attachments, asked of {@code attachments}
   * just before that collection is read.
   */
  public SnapshotDescription snapshotAll(
      Path file, Function<String, Map<String, byte[]>> attachments) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(attachments, "attachments");
    checkOpen();
    if (!multi.isEmpty()) {
      throw new UnsupportedCapabilityException(
          "the embedded engine's snapshots do not hold collections with named or sparse vectors"
              + " (MultiVectors): "
              + multi.keySet()
              + "; snapshot the other collections one by one");
    }
    List<EngineSnapshots.Source> sources = new ArrayList<>();
    for (Map.Entry<String, MemShards> e : collections.entrySet()) {
      sources.add(
          new EngineSnapshots.Source(
              e.getKey(), e.getValue(), checkAttachments(attachments.apply(e.getKey()))));
    }
    return EngineSnapshots.write(file, SnapshotDescription.Kind.FULL, sources, Instant.now());
  }

  private static Map<String, byte[]> checkAttachments(@Nullable Map<String, byte[]> attachments) {
    Objects.requireNonNull(attachments, "attachments");
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : attachments.entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank()) {
        throw new InvalidInputException("attachments", "non-blank names", e.getKey());
      }
      out.put(e.getKey(), Objects.requireNonNull(e.getValue(), "attachment " + e.getKey()));
    }
    return out;
  }

  /**
   * Restores every collection of a snapshot file under the name it had; none may exist yet.
   *
   * @see #restore(Path, String, boolean)
   */
  public RestoredSnapshot restore(Path file) {
    return restore(file, null, false);
  }

  /**
   * Restores a collection snapshot under the name {@code collectionName}, which must not exist yet.
   *
   * @see #restore(Path, String, boolean)
   */
  public RestoredSnapshot restore(Path file, String collectionName) {
    return restore(file, Objects.requireNonNull(collectionName, "collectionName"), false);
  }

  /**
   * Restores a snapshot file written by {@link #snapshot(String, Path)} or {@link
   * #snapshotAll(Path)}, of this format version or an older one. The whole file is read and checked
   * before any collection appears: a refused file leaves the store as it was, never a half-restored
   * collection. Points come back with their vectors, payloads and shard keys; payload indexes are
   * recreated and the HNSW graph is rebuilt as the points are inserted (an exact search answers as
   * before the snapshot; a graph search may differ within the graph's approximation).
   *
   * @param file the snapshot file
   * @param collectionName a new name for the collection of a collection snapshot; {@code null}
   *     keeps the names in the file
   * @param replaceExisting whether a collection of the same name is replaced (dropped once the new
   *     one is complete); otherwise it is an error
   * @throws SnapshotFormatException when the file is not a snapshot, has a newer format version, or
   *     is damaged
   * @throws CollectionAlreadyExistsException when a collection of that name exists and {@code
   *     replaceExisting} is false
   * @throws InvalidInputException for a new name with a full snapshot, or a file that does not
   *     exist
   */
  public RestoredSnapshot restore(
      Path file, @Nullable String collectionName, boolean replaceExisting) {
    Objects.requireNonNull(file, "file");
    if (collectionName != null) {
      checkName(collectionName);
    }
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("file", "an existing snapshot file", file);
    }
    checkOpen();
    try (EngineSnapshots.Reader reader = EngineSnapshots.open(file)) {
      if (collectionName != null && reader.kind() != SnapshotDescription.Kind.COLLECTION) {
        throw new InvalidInputException(
            "collectionName",
            "no new name for a full snapshot (its collections keep their names)",
            collectionName);
      }
      Map<String, EngineSnapshots.CollectionEntry> byName = new LinkedHashMap<>();
      for (EngineSnapshots.CollectionEntry c : reader.collections()) {
        byName.put(collectionName != null ? collectionName : c.name(), c);
      }
      if (!replaceExisting) {
        for (String n : byName.keySet()) {
          if (collections.containsKey(n) || multi.containsKey(n)) {
            throw new CollectionAlreadyExistsException(n, null);
          }
        }
      }
      Map<String, MemShards> built = new LinkedHashMap<>();
      Map<String, Map<String, byte[]>> attachments = new LinkedHashMap<>();
      boolean installed = false;
      try {
        for (Map.Entry<String, EngineSnapshots.CollectionEntry> e : byName.entrySet()) {
          EngineSnapshots.CollectionEntry c = e.getValue();
          MemShards shards = newShards(e.getKey(), c.config());
          built.put(e.getKey(), shards);
          c.payloadIndexes().forEach(shards::createPayloadIndex);
          reader.loadPoints(c, shards);
          attachments.put(e.getKey(), reader.attachments(c));
        }
        install(built, replaceExisting);
        installed = true;
      } finally {
        if (!installed) {
          built.values().forEach(MemShards::close);
        }
      }
      return new RestoredSnapshot(
          reader.kind(), reader.createdAt(), List.copyOf(built.keySet()), attachments);
    }
  }

  /** Makes the restored collections visible, all or none (unless replacing). */
  private void install(Map<String, MemShards> built, boolean replaceExisting) {
    checkOpen();
    List<String> added = new ArrayList<>();
    try {
      for (Map.Entry<String, MemShards> e : built.entrySet()) {
        if (replaceExisting) {
          MemShards old = collections.put(e.getKey(), e.getValue());
          if (old != null) {
            old.close();
          }
          MultiVectorCollection oldMulti = multi.remove(e.getKey());
          if (oldMulti != null) {
            oldMulti.close();
          }
        } else if (multi.containsKey(e.getKey())
            || collections.putIfAbsent(e.getKey(), e.getValue()) != null) {
          throw new CollectionAlreadyExistsException(e.getKey(), null);
        }
        added.add(e.getKey());
      }
    } catch (RuntimeException ex) {
      for (String n : added) {
        MemShards mine = built.get(n);
        if (mine != null) {
          collections.remove(n, mine);
        }
      }
      throw ex;
    }
  }

  // ---- aliases ----

  /**
   * Applies the actions in order under {@link #names}; readers see the aliases before the batch or
   * after it. As in Qdrant, the first failing action ends the batch: the ones before it stay.
   */
  void updateAliases(List<AliasAction> actions) {
    if (actions == null) {
      throw new InvalidInputException("actions", "a list of alias actions", null);
    }
    List<AliasAction> checked = new ArrayList<>(actions.size());
    for (int i = 0; i < actions.size(); i++) {
      AliasAction a = actions.get(i);
      if (a == null) {
        throw new InvalidInputException("actions[" + i + "]", "an alias action", null);
      }
      checked.add(a);
    }
    checkOpen();
    synchronized (names) {
      Map<String, String> next = new HashMap<>(aliases);
      try {
        for (AliasAction a : checked) {
          apply(next, a);
        }
      } finally {
        aliases = Map.copyOf(next);
      }
    }
  }

  /** One action on {@code next}, which it changes only when it succeeds. */
  private void apply(Map<String, String> next, AliasAction action) {
    if (action instanceof AliasAction.Create create) {
      if (!collections.containsKey(create.collection())
          && !multi.containsKey(create.collection())) {
        // a collection, not an alias: Qdrant checks the collections only
        throw new CollectionNotFoundException(create.collection());
      }
      if (collections.containsKey(create.alias()) || multi.containsKey(create.alias())) {
        throw new CollectionAlreadyExistsException(create.alias(), null);
      }
      next.put(create.alias(), create.collection());
    } else if (action instanceof AliasAction.Rename rename) {
      String collection = next.remove(rename.oldAlias());
      if (collection == null) {
        throw new AliasNotFoundException(rename.oldAlias());
      }
      next.put(rename.newAlias(), collection);
    } else if (action instanceof AliasAction.Delete delete) {
      next.remove(delete.alias());
    }
  }

  /** Called under {@link #names}. */
  private void dropAliasesOf(String collection) {
    if (aliases.containsValue(collection)) {
      Map<String, String> next = new HashMap<>(aliases);
      next.values().removeIf(collection::equals);
      aliases = Map.copyOf(next);
    }
  }

  List<CollectionAlias> listAliases() {
    checkOpen();
    List<CollectionAlias> out = new ArrayList<>();
    for (Map.Entry<String, String> e : aliases.entrySet()) {
      out.add(new CollectionAlias(e.getKey(), e.getValue()));
    }
    out.sort(
        Comparator.comparing(CollectionAlias::collection).thenComparing(CollectionAlias::alias));
    return out;
  }

  /** As Qdrant: the aliases naming exactly {@code collection}, which is not resolved or checked. */
  List<String> listAliases(String collection) {
    checkName(collection);
    checkOpen();
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : aliases.entrySet()) {
      if (e.getValue().equals(collection)) {
        out.add(e.getKey());
      }
    }
    Collections.sort(out);
    return out;
  }

  /** The collection an alias names, else the name itself (an alias wins, as in Qdrant). */
  private String resolve(String name) {
    String target = aliases.get(name);
    return target != null ? target : name;
  }

  // ---- store ----

  @Override
  public BackendInfo ping() {
    long start = System.nanoTime();
    checkOpen();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("collections", Integer.toString(collections.size() + multi.size()));
    details.put(
        "search",
        "HNSW graph above full_scan_threshold, else exact scan; quantized collections traverse"
            + " codes and rescore with the originals");
    details.put("kernels", Kernels.active().name());
    if (shared) {
      details.put("name", name);
    }
    return new BackendInfo(
        "memory", "in-memory", "embedded", Duration.ofNanos(System.nanoTime() - start), details);
  }

  @Override
  public boolean isSupported(Capability capability) {
    return switch (capability) {
      case MEMORY_USAGE_REPORT,
          SCALAR_QUANTIZATION,
          PRODUCT_QUANTIZATION,
          BINARY_QUANTIZATION,
          MMAP_STORAGE,
          CLUSTER_REQUESTS,
          BATCH_SEARCH,
          ALIASES,
          NAMED_VECTORS,
          SPARSE_VECTORS,
          FUSION_QUERIES ->
          true;
      case FULL_TEXT_INDEX, CROSS_PROCESS_PUBSUB, BATCH_METADATA_WRITES, SCORED_SETS -> false;
    };
  }

  @Override
  public AsyncVectorStore async() {
    return async;
  }

  /**
   * {@link ClusterRequests}: shard keys with real isolation ({@link MemShards}); read consistency
   * and write ordering are accepted, since one node holding one copy of every shard satisfies each
   * of them. {@link BatchSearch}: each search of a batch answered as {@code search} answers it, run
   * inline like the async form. {@link CollectionAliases}: Qdrant's aliases. {@link MultiVectors}:
   * named dense vectors, sparse vectors and hybrid queries.
   */
  @Override
  public <T> Optional<T> extension(Class<T> type) {
    Objects.requireNonNull(type, "type");
    if (type == ClusterRequests.class) {
      return Optional.of(type.cast(cluster));
    }
    if (type == BatchSearch.class) {
      return Optional.of(type.cast(batchSearch));
    }
    if (type == CollectionAliases.class) {
      return Optional.of(type.cast(aliasing));
    }
    if (type == MultiVectors.class) {
      return Optional.of(type.cast(multiVectors));
    }
    return Optional.empty();
  }

  /**
   * Drops every collection of a private store; later calls fail. A store shared by name ({@code
   * memory:NAME}) lives as long as the JVM, so closing one handle to it does nothing.
   */
  @Override
  public void close() {
    if (!shared) {
      closed = true;
      synchronized (names) {
        aliases = Map.of();
      }
      for (String c : List.copyOf(collections.keySet())) {
        MemShards removed = collections.remove(c);
        if (removed != null) {
          removed.close();
        }
      }
      for (String c : List.copyOf(multi.keySet())) {
        MultiVectorCollection removed = multi.remove(c);
        if (removed != null) {
          removed.close();
        }
      }
      synchronized (this) {
        if (tempDir != null) {
          try {
            Files.deleteIfExists(tempDir);
          } catch (IOException e) {
            // a file still open elsewhere; the OS temp cleaner will get it
          }
          tempDir = null;
        }
      }
    }
  }

  @Override
  public String toString() {
    return "InMemoryVectorStore["
        + (shared ? "name=" + name + ", " : "")
        + collections.keySet()
        + (multi.isEmpty() ? "" : ", multi-vector " + multi.keySet())
        + "]";
  }

  // ---- checks ----

  /** The engine collection behind {@code name}, for tests in this package. */
  MemCollection collectionFor(String name) {
    return shards(name).single();
  }

  private MemShards shards(String name) {
    checkName(name);
    checkOpen();
    String target = resolve(name);
    MemShards c = collections.get(target);
    if (c == null) {
      if (multi.containsKey(target)) {
        throw new UnsupportedCapabilityException(
            "collection '"
                + name
                + "' has named or sparse vectors (MultiVectors): the embedded engine offers no"
                + " shard keys or snapshots on such a collection");
      }
      throw new CollectionNotFoundException(name);
    }
    return c;
  }

  /**
   * The multi-vector collection behind {@code name}, or {@code null} when it is another (or no)
   * collection; shard keys are refused on it.
   */
  private @Nullable MultiVectorCollection multiOrNull(String name, List<ShardKey> shardKeys) {
    checkName(name);
    checkOpen();
    MultiVectorCollection m = multi.get(resolve(name));
    if (m != null && !shardKeys.isEmpty()) {
      throw new UnsupportedCapabilityException(
          "collection '"
              + name
              + "' has named or sparse vectors (MultiVectors): the embedded engine offers no"
              + " shard keys on such a collection (asked for "
              + shardKeys
              + ")");
    }
    return m;
  }

  private void checkOpen() {
    if (closed) {
      throw new BackendUnavailableException(
          "memory", "this in-memory vector store is closed", null);
    }
  }

  /** Qdrant's rule: 1 to 255 characters, none of {@code <>:"/\|?*}, NUL or control characters. */
  static void checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException(
          "collection name", "a non-blank name of 1 to 255 characters", name);
    }
    if (name.length() > 255) {
      throw new InvalidInputException(
          "collection name",
          "at most 255 characters",
          name.length() + " characters",
          "use a shorter name");
    }
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ILLEGAL.indexOf(ch) >= 0 || Character.isISOControl(ch)) {
        throw new InvalidInputException(
            "collection name",
            "no characters among <>:\"/\\|?* and no control characters",
            name,
            "character at index " + i + " is not allowed; use letters, digits, '-', '_' or '.'");
      }
    }
  }
}
