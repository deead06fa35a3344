package dev.vectorcache.inmemory;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.adapter.InlineAsyncVectorStore;
import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.AliasAction;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.MultiVectorConfig;
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
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.model.WriteOptions;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.BatchSearch;
import dev.vectorcache.core.port.ClusterRequests;
import dev.vectorcache.core.port.CollectionAliases;
import dev.vectorcache.core.port.MultiVectors;
import dev.vectorcache.core.port.VectorStore;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
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
 * {@code upsert} and {@code search} use the dense vector {@code ""}. Shard keys are refused on it
 * ({@link UnsupportedCapabilityException}); snapshots hold it (format version 2).
 *
 * <p>Durable storage ({@link #InMemoryVectorStore(EmbeddedOptions)} with {@link
 * EmbeddedOptions#storageDirectory()}, or {@code memory:?path=DIR}): every write is logged to a
 * write-ahead log before it is acknowledged and replayed when the directory is opened again, with
 * checkpoints of every collection; writes are then serialised per store. See {@code
 * docs/storage.md}.
 *
 * <p>Thread-safe: each collection has a read-write lock; a batch upsert is applied atomically.
 * Making a single-vector collection a multi-vector one waits for the writes in flight on it, and
 * later writes go to the new form, so no acknowledged write is lost ({@link CollectionTable}). The
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
  private final CollectionMaker maker;
  private final CollectionTable table;
  private final InlineAsyncVectorStore async = new InlineAsyncVectorStore(this);
  private final EmbeddedClusterRequests cluster = new EmbeddedClusterRequests(this);
  private final BatchSearch batchSearch =
      (collection, requests, options) ->
          Futures.now(() -> searchBatch(collection, requests, options));
  private final EmbeddedAliases aliasing;
  private final EmbeddedMultiVectors multiVectors;
  private final EmbeddedSnapshots snapshots;

  /** The write-ahead log and checkpoints of a durable store; null while it recovers or if none. */
  private volatile @Nullable DurableStorage storage;

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

  /**
   * A new private store with {@code options}. With {@link EmbeddedOptions#storageDirectory()} it is
   * durable: it recovers what the directory holds (the newest checkpoint, then the write-ahead log
   * after it), and from then on every write is logged there before it is acknowledged, as {@link
   * EmbeddedOptions#fsyncPolicy()} says; {@link #close()} takes a checkpoint and releases the
   * directory. See {@code docs/storage.md}.
   *
   * @throws StorageLockedException when another store, in this process or another, has the
   *     directory open
   * @throws WalCorruptedException when the directory holds a damaged record that is not a torn last
   *     write, or a damaged checkpoint (nothing is loaded)
   * @throws UncheckedIOException when the directory cannot be read or written
   */
  public InMemoryVectorStore(EmbeddedOptions options) {
    this("", false, Objects.requireNonNull(options, "options").mmapDirectory().orElse(null));
    Optional<Path> dir = options.storageDirectory();
    if (dir.isPresent()) {
      try {
        this.storage = DurableStorage.open(this, options, dir.get());
      } catch (RuntimeException | Error e) {
        table.close();
        maker.deleteTemporaryDirectory();
        throw e;
      }
    }
  }

  private InMemoryVectorStore(String name, boolean shared, @Nullable Path mmapDirectory) {
    this.name = name;
    this.shared = shared;
    this.maker = new CollectionMaker(mmapDirectory, shared);
    this.table = new CollectionTable(maker::spaces);
    this.aliasing = new EmbeddedAliases(table, this::updateAliases);
    this.multiVectors = new EmbeddedMultiVectors(this, table);
    this.snapshots = new EmbeddedSnapshots(table, maker);
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
    logged(
        () -> table.add(name, () -> newShards(name, config)),
        () -> WalRecords.createCollection(name, config));
  }

  private MemShards newShards(String name, CollectionConfig config) {
    return maker.shards(name, config);
  }

  @Override
  public boolean collectionExists(String name) {
    checkName(name);
    checkOpen();
    return table.exists(name);
  }

  @Override
  public CollectionInfo collectionInfo(String name) {
    return table.read(name, List.of(), MultiVectorCollection::info, MemShards::info);
  }

  @Override
  public boolean deleteCollection(String name) {
    checkName(name);
    checkOpen();
    // as Qdrant: the name of a collection, never resolved (deleting an alias's name is false)
    DurableStorage s = storage;
    if (s == null) {
      return table.delete(name);
    }
    boolean[] deleted = new boolean[1];
    s.mutate(
        () -> {
          deleted[0] = table.delete(name);
          return deleted[0] ? WalRecords.deleteCollection(name) : null;
        });
    return deleted[0];
  }

  @Override
  public List<String> listCollections() {
    checkOpen();
    return table.names();
  }

  /**
   * Payload indexes created on a collection. An index on a top-level field keeps its values in a
   * column that filters read instead of the payload, and counts them for the search planner;
   * results never change.
   */
  public Map<String, PayloadSchemaType> payloadIndexes(String collection) {
    return table.read(
        collection, List.of(), MultiVectorCollection::payloadIndexes, MemShards::payloadIndexes);
  }

  // ---- points: each the DEFAULT options of the cluster form, which routes by shard key ----

  @Override
  public void upsert(String collection, List<PointStruct> points) {
    upsert(collection, points, WriteOptions.DEFAULT);
  }

  void upsert(String collection, List<PointStruct> points, WriteOptions options) {
    Objects.requireNonNull(options, "options");
    logged(
        () ->
            table.write(
                collection,
                options.shardKeys(),
                m -> m.upsertUnnamed(Objects.requireNonNull(points, "points")),
                c -> upsert(c, points, options)),
        () -> WalRecords.upsert(collection, options.shardKeys(), points));
  }

  private static void upsert(MemShards c, List<PointStruct> points, WriteOptions options) {
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
    PayloadSelector selector = withPayload == null ? PayloadSelector.ALL : withPayload;
    return table.read(
        collection,
        options.shardKeys(),
        m -> m.retrieve(EngineInputs.checkIds(ids), selector, withVectors),
        c -> c.retrieve(EngineInputs.checkIds(ids), selector, withVectors, options));
  }

  @Override
  public void delete(String collection, Collection<PointId> ids) {
    delete(collection, ids, WriteOptions.DEFAULT);
  }

  void delete(String collection, Collection<PointId> ids, WriteOptions options) {
    Objects.requireNonNull(options, "options");
    logged(
        () ->
            table.write(
                collection,
                options.shardKeys(),
                m -> m.delete(EngineInputs.checkIds(ids)),
                c -> {
                  List<PointId> checked = EngineInputs.checkIds(ids);
                  for (MemCollection shard : c.forWrite(options)) {
                    shard.delete(checked);
                  }
                }),
        () -> WalRecords.delete(collection, options.shardKeys(), ids));
  }

  @Override
  public void deleteByFilter(String collection, Filter filter) {
    deleteByFilter(collection, filter, WriteOptions.DEFAULT);
  }

  void deleteByFilter(String collection, Filter filter, WriteOptions options) {
    Objects.requireNonNull(options, "options");
    DurableStorage s = storage;
    if (s == null) {
      applyDeleteByFilter(collection, filter, options);
      return;
    }
    // logged as the ids it deletes, found under the write lock, so a replay deletes exactly them
    s.mutate(
        () -> {
          List<PointId> ids =
              matching(collection, Objects.requireNonNull(filter, "filter"), options);
          applyDeleteByFilter(collection, filter, options);
          return ids.isEmpty() ? null : WalRecords.delete(collection, options.shardKeys(), ids);
        });
  }

  /** The ids of the points {@code filter} matches in the shards {@code options} names. */
  private List<PointId> matching(String collection, Filter filter, WriteOptions options) {
    ReadOptions read =
        options.shardKeys().isEmpty()
            ? ReadOptions.DEFAULT
            : ReadOptions.builder().shardKeys(options.shardKeys()).build();
    List<PointId> ids = new ArrayList<>();
    ScrollRequest page = new ScrollRequest(filter, 4096, null, PayloadSelector.NONE, false);
    while (true) {
      ScrollPage p = scroll(collection, page, read);
      for (RetrievedPoint r : p.points()) {
        ids.add(r.id());
      }
      PointId next = p.nextOffset();
      if (next == null) {
        return ids;
      }
      page = page.withOffset(next);
    }
  }

  private void applyDeleteByFilter(String collection, Filter filter, WriteOptions options) {
    table.write(
        collection,
        options.shardKeys(),
        m -> m.deleteByFilter(Objects.requireNonNull(filter, "filter")),
        c -> {
          Objects.requireNonNull(filter, "filter");
          for (MemCollection shard : c.forWrite(options)) {
            shard.deleteByFilter(filter);
          }
        });
  }

  @Override
  public List<ScoredPoint> search(String collection, SearchRequest request) {
    return search(collection, request, ReadOptions.DEFAULT);
  }

  List<ScoredPoint> search(String collection, SearchRequest request, ReadOptions options) {
    Objects.requireNonNull(options, "options");
    return table.read(
        collection,
        options.shardKeys(),
        m -> m.search("", "vector", Objects.requireNonNull(request, "request")),
        c -> {
          Objects.requireNonNull(request, "request");
          return c.search(request, c.prepare(request.vector(), "query"), options);
        });
  }

  /**
   * {@link BatchSearch}: every query is checked before the first search runs, then each request is
   * answered as {@link #search(String, SearchRequest, ReadOptions)} answers it, in order.
   */
  List<List<ScoredPoint>> searchBatch(
      String collection, List<SearchRequest> requests, ReadOptions options) {
    List<SearchRequest> batch = BatchSearch.checkRequests(requests);
    Objects.requireNonNull(options, "options");
    return table.read(
        collection,
        options.shardKeys(),
        m -> {
          List<List<ScoredPoint>> out = new ArrayList<>(batch.size());
          for (int i = 0; i < batch.size(); i++) {
            out.add(m.search("", "requests[" + i + "]", batch.get(i)));
          }
          return Collections.unmodifiableList(out);
        },
        c -> {
          float[][] queries = new float[batch.size()][];
          for (int i = 0; i < queries.length; i++) {
            queries[i] = c.prepare(batch.get(i).vector(), "requests[" + i + "].vector");
          }
          List<List<ScoredPoint>> out = new ArrayList<>(batch.size());
          for (int i = 0; i < queries.length; i++) {
            out.add(c.search(batch.get(i), queries[i], options));
          }
          return Collections.unmodifiableList(out);
        });
  }

  @Override
  public long count(String collection, @Nullable Filter filter) {
    return count(collection, filter, ReadOptions.DEFAULT);
  }

  long count(String collection, @Nullable Filter filter, ReadOptions options) {
    Objects.requireNonNull(options, "options");
    return table.read(
        collection, options.shardKeys(), m -> m.count(filter), c -> c.count(filter, options));
  }

  @Override
  public ScrollPage scroll(String collection, ScrollRequest request) {
    return scroll(collection, request, ReadOptions.DEFAULT);
  }

  ScrollPage scroll(String collection, ScrollRequest request, ReadOptions options) {
    Objects.requireNonNull(options, "options");
    return table.read(
        collection,
        options.shardKeys(),
        m -> m.scroll(Objects.requireNonNull(request, "request")),
        c -> c.scroll(Objects.requireNonNull(request, "request"), options));
  }

  @Override
  public void setPayload(String collection, Collection<PointId> ids, Map<String, ?> payload) {
    setPayload(collection, ids, payload, WriteOptions.DEFAULT);
  }

  void setPayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload, WriteOptions options) {
    logged(
        () -> applySetPayload(collection, ids, payload, options),
        () ->
            WalRecords.payload(
                WalRecords.SET_PAYLOAD, collection, options.shardKeys(), ids, payload));
  }

  private void applySetPayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload, WriteOptions options) {
    updatePayloads(
        collection,
        ids,
        options,
        () -> {
          Map<String, Object> add = Payloads.copy(EngineInputs.requirePayload(payload), "payload");
          return old -> {
            Map<String, Object> merged = new LinkedHashMap<>(old);
            merged.putAll(add);
            // stored frozen (its values are already), so that reads hand it over without copying
            return Payloads.copy(merged, "payload");
          };
        });
  }

  @Override
  public void overwritePayload(String collection, Collection<PointId> ids, Map<String, ?> payload) {
    overwritePayload(collection, ids, payload, WriteOptions.DEFAULT);
  }

  void overwritePayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload, WriteOptions options) {
    logged(
        () -> applyOverwritePayload(collection, ids, payload, options),
        () ->
            WalRecords.payload(
                WalRecords.OVERWRITE_PAYLOAD, collection, options.shardKeys(), ids, payload));
  }

  private void applyOverwritePayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload, WriteOptions options) {
    updatePayloads(
        collection,
        ids,
        options,
        () -> {
          Map<String, Object> replacement =
              Payloads.copy(EngineInputs.requirePayload(payload), "payload");
          return old -> replacement;
        });
  }

  @Override
  public void deletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys) {
    deletePayloadKeys(collection, ids, keys, WriteOptions.DEFAULT);
  }

  void deletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys, WriteOptions options) {
    logged(
        () -> applyDeletePayloadKeys(collection, ids, keys, options),
        () -> WalRecords.deletePayloadKeys(collection, options.shardKeys(), ids, keys));
  }

  private void applyDeletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys, WriteOptions options) {
    updatePayloads(
        collection,
        ids,
        options,
        () -> {
          Objects.requireNonNull(keys, "keys");
          List<String[]> paths = new ArrayList<>();
          for (String k : keys) {
            if (k == null || k.isBlank()) {
              throw new InvalidInputException("keys", "non-blank payload keys", k);
            }
            paths.add(k.split("\\.", -1));
          }
          return old -> {
            Map<String, Object> p = old;
            for (String[] path : paths) {
              p = EngineInputs.without(p, path, 0);
            }
            return Payloads.copy(p, "payload"); // frozen, as setPayload stores it
          };
        });
  }

  @Override
  public void clearPayload(String collection, Collection<PointId> ids) {
    clearPayload(collection, ids, WriteOptions.DEFAULT);
  }

  void clearPayload(String collection, Collection<PointId> ids, WriteOptions options) {
    logged(
        () -> updatePayloads(collection, ids, options, () -> old -> Map.of()),
        () -> WalRecords.clearPayload(collection, options.shardKeys(), ids));
  }

  /**
   * Replaces the payload of each of {@code ids} by the change {@code checkedChange} makes, once the
   * collection is found, the ids are checked and it has checked its own inputs.
   */
  private void updatePayloads(
      String collection,
      Collection<PointId> ids,
      WriteOptions options,
      Supplier<UnaryOperator<Map<String, Object>>> checkedChange) {
    Objects.requireNonNull(options, "options");
    table.write(
        collection,
        options.shardKeys(),
        m -> m.updatePayloads(EngineInputs.checkIds(ids), checkedChange.get()),
        c -> {
          List<PointId> checked = EngineInputs.checkIds(ids);
          UnaryOperator<Map<String, Object>> change = checkedChange.get();
          for (MemCollection shard : c.forWrite(options)) {
            shard.updatePayloads(checked, change);
          }
        });
  }

  // ---- shard keys ----

  void createShardKey(String collection, ShardKey key) {
    logged(
        () -> shards(collection).createKey(Objects.requireNonNull(key, "key")),
        () -> WalRecords.shardKey(WalRecords.CREATE_SHARD_KEY, collection, key));
  }

  void deleteShardKey(String collection, ShardKey key) {
    logged(
        () -> shards(collection).deleteKey(Objects.requireNonNull(key, "key")),
        () -> WalRecords.shardKey(WalRecords.DELETE_SHARD_KEY, collection, key));
  }

  List<ShardKey> listShardKeys(String collection) {
    return shards(collection).keys();
  }

  @Override
  public void createPayloadIndex(String collection, String field, PayloadSchemaType type) {
    logged(
        () ->
            table.write(
                collection,
                List.of(),
                m -> m.createPayloadIndex(checkIndexField(field, type), type),
                c -> c.createPayloadIndex(checkIndexField(field, type), type)),
        () -> WalRecords.createPayloadIndex(collection, field, type));
  }

  private static String checkIndexField(String field, PayloadSchemaType type) {
    if (field == null || field.isBlank()) {
      throw new InvalidInputException("field", "a non-blank payload key path", field);
    }
    Objects.requireNonNull(type, "type");
    return field;
  }

  // ---- snapshots ----

  /**
   * Writes collection {@code collection} to the snapshot file {@code file} (replacing a file of
   * that name): its configuration, every point (id, vector as stored, payload), its payload indexes
   * and, with custom sharding, its shard keys and which key holds each point; a collection with
   * named or sparse vectors with each space's settings and each vector a point has. The snapshot is
   * one point in time: writes to the collection wait while it is read. Each HNSW graph is stored
   * too (its live points' links); quantized codes are not, and {@link #restore(Path)} recomputes
   * them. Format: {@code docs/snapshots.md}.
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
    return snapshots.write(collection, file, attachments);
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
    return snapshots.writeAll(file, attachments);
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
   * recreated; a graph the file holds is installed as it was (less the links to deleted points),
   * and one it lacks (an older file) is built as the points are inserted. An exact search answers
   * as before the snapshot.
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
    DurableStorage s = storage;
    if (s == null) {
      return applyRestore(file, collectionName, replaceExisting);
    }
    // no log record: the restored collections are made durable by a checkpoint before returning
    RestoredSnapshot[] out = new RestoredSnapshot[1];
    s.mutateByCheckpoint(
        () -> {
          out[0] = applyRestore(file, collectionName, replaceExisting);
        });
    return Objects.requireNonNull(out[0]);
  }

  private RestoredSnapshot applyRestore(
      Path file, @Nullable String collectionName, boolean replaceExisting) {
    Objects.requireNonNull(file, "file");
    if (collectionName != null) {
      checkName(collectionName);
    }
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("file", "an existing snapshot file", file);
    }
    checkOpen();
    return snapshots.restore(file, collectionName, replaceExisting);
  }

  // ---- store ----

  @Override
  public BackendInfo ping() {
    long start = System.nanoTime();
    checkOpen();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("collections", Integer.toString(table.size()));
    details.put(
        "search",
        "HNSW graph above full_scan_threshold, else exact scan; quantized collections traverse"
            + " codes and rescore with the originals");
    details.put("kernels", Kernels.active().name());
    if (shared) {
      details.put("name", name);
    }
    DurableStorage s = storage;
    if (s != null) {
      details.put("storage", s.directory().toString());
    }
    return new BackendInfo(
        "memory", "in-memory", "embedded", Duration.ofNanos(System.nanoTime() - start), details);
  }

  @Override
  public boolean isSupported(Capability capability) {
    return switch (capability) {
      case MEMORY_USAGE_REPORT,
          SCALAR_QUANTIZATION,
          BINARY_QUANTIZATION,
          MMAP_STORAGE,
          CLUSTER_REQUESTS,
          BATCH_SEARCH,
          ALIASES,
          NAMED_VECTORS,
          SPARSE_VECTORS,
          FUSION_QUERIES,
          PRODUCT_QUANTIZATION ->
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
      DurableStorage s = storage;
      try {
        if (s != null) {
          s.close();
        }
      } finally {
        table.close();
        maker.deleteTemporaryDirectory();
      }
    }
  }

  // ---- durability ----

  /**
   * Applies a write, then (in a durable store) logs the record {@code record} makes, under the
   * store's write lock, and returns once the record is as durable as the fsync policy asks.
   */
  void logged(Runnable apply, Supplier<WalRecords.WalRecord> record) {
    DurableStorage s = storage;
    if (s == null) {
      apply.run();
      return;
    }
    s.mutate(
        () -> {
          apply.run();
          return record.get();
        });
  }

  /** {@link CollectionAliases#updateAliases}; a durable store logs the aliases as they end up. */
  void updateAliases(List<AliasAction> actions) {
    DurableStorage s = storage;
    if (s == null) {
      table.updateAliases(actions);
      return;
    }
    RuntimeException[] failed = new RuntimeException[1];
    s.mutate(
        () -> {
          Map<String, String> before = table.aliasMap();
          try {
            table.updateAliases(actions);
          } catch (RuntimeException e) {
            failed[0] = e; // the actions before the failing one stay, as in Qdrant: log them
          }
          Map<String, String> after = table.aliasMap();
          return after.equals(before) ? null : WalRecords.aliases(after);
        });
    if (failed[0] != null) {
      throw failed[0];
    }
  }

  /** Every alias, for a durable store's checkpoint. */
  Map<String, String> aliasMap() {
    return table.aliasMap();
  }

  /** Replaces every alias (a durable store's recovery). */
  void replaceAliases(Map<String, String> aliases) {
    table.replaceAliases(aliases);
  }

  /**
   * Drops the store as a killed process would leave its storage directory: no checkpoint, no final
   * fsync, the lock released (tests of recovery in one JVM).
   */
  void abandon() {
    DurableStorage s = storage;
    if (s != null) {
      s.abandon();
    }
    table.close();
    maker.deleteTemporaryDirectory();
  }

  /** Takes a checkpoint now, in a durable store (tests); false when the store is not durable. */
  boolean checkpoint() {
    DurableStorage s = storage;
    if (s == null) {
      return false;
    }
    s.checkpointNow();
    return true;
  }

  @Override
  public String toString() {
    return "InMemoryVectorStore[" + (shared ? "name=" + name + ", " : "") + table + "]";
  }

  // ---- checks ----

  /** The engine collection behind {@code name}, for tests in this package. */
  MemCollection collectionFor(String name) {
    return shards(name).single();
  }

  /** The dense space {@code space} of the multi-vector collection {@code name}, for tests. */
  MemCollection denseSpaceFor(String name, String space) {
    MultiVectorCollection m = table.multis().get(name);
    return Objects.requireNonNull(
        m == null ? null : m.denseSpace(space), () -> name + " has no dense space " + space);
  }

  /** The single-vector collection behind {@code name}: shard keys need one. */
  private MemShards shards(String name) {
    return table.shards(name);
  }

  private void checkOpen() {
    table.checkOpen();
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
