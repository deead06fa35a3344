package dev.vectorcache.qdrant;

import static dev.vectorcache.qdrant.QdrantClusterMapping.apply;

import com.google.common.util.concurrent.ListenableFuture;
import dev.vectorcache.core.adapter.BlockingVectorStore;
import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.Payloads;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.ShardingMethod;
import dev.vectorcache.core.model.VectorParams;
import dev.vectorcache.core.model.WriteOptions;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.BatchSearch;
import dev.vectorcache.core.port.ClusterRequests;
import dev.vectorcache.core.port.CollectionAliases;
import dev.vectorcache.core.port.MultiVectors;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.spi.VectorStoreConfig;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AsyncVectorStore} over the official Qdrant Java client (gRPC). Natively asynchronous: each
 * call is one gRPC future bridged to a {@link CompletableFuture} without a thread per call; {@link
 * #blocking()} gives the blocking form.
 *
 * <p>Behaviour:
 *
 * <ul>
 *   <li>Opening checks the server with one health call (deadline {@link
 *       VectorStoreConfig#timeout()}, no retry), so a wrong address fails at open with a {@link
 *       BackendUnavailableException} naming {@code host:port}, as the Redis adapters do, rather
 *       than on first use.
 *   <li>Every operation has one deadline of {@link VectorStoreConfig#timeout()}, retries included,
 *       and reading a collection's parameters before its first write or search included; a watchdog
 *       fails it with a {@link dev.vectorcache.core.exception.BackendTimeoutException} shortly
 *       after, even from a server that never answers ({@link QdrantCalls}). Writes are sent with
 *       {@code wait=true}, so they return once applied.
 *   <li>Input is checked before any I/O: finite vectors of the collection's dimension (the
 *       dimension and index type of each collection are cached after create and info; the first
 *       write or search of a collection this store has not seen reads its info first), non-zero for
 *       Cosine, limits of 1 or more.
 *   <li>Failures become the library's exceptions ({@link QdrantErrors}) naming the server's {@code
 *       host:port}, with the gRPC error kept as the cause.
 *   <li>Retries: a call that failed with {@code UNAVAILABLE} is sent again, for idempotent
 *       operations only and within the operation's deadline ({@link QdrantCalls}, docs/qdrant.md
 *       has the table of what is retried and why).
 *   <li>The API key appears in no log, {@code toString()} or message ({@link QdrantChannels}).
 *   <li>The options of a distributed Qdrant (read consistency, write ordering, shard keys) are sent
 *       through {@link ClusterRequests} ({@link QdrantClusterRequests}).
 *   <li>{@link BatchSearch} sends a batch of searches as one {@code SearchBatch} call.
 *   <li>Collection aliases through {@link CollectionAliases} ({@link QdrantAliases}); an alias is
 *       sent as the collection name, which Qdrant resolves. The parameters cached per name are
 *       dropped for every alias this store changes; after another client re-points an alias to a
 *       collection of another dimension, {@code collectionInfo(alias)} refreshes them.
 *   <li>Named dense vectors, sparse vectors and hybrid queries through {@link MultiVectors} ({@link
 *       QdrantMultiVectors}); the port's {@code upsert} and {@code search} use the vector {@code
 *       ""} and refuse a collection without it.
 * </ul>
 */
public final class QdrantVectorStore implements AsyncVectorStore {
  private static final Logger LOG = LoggerFactory.getLogger(QdrantVectorStore.class);

  private final QdrantClient client;
  private final String target;
  private final boolean tls;
  private final boolean hasApiKey;
  private final QdrantCalls calls;
  private final boolean checkCompatibility;
  private final Map<String, CollectionMeta> meta = new ConcurrentHashMap<>();
  private final VectorStore blocking = new BlockingVectorStore(this);
  private final QdrantClusterRequests cluster = new QdrantClusterRequests(this);
  private final BatchSearch batchSearch = this::searchBatch;
  private final QdrantAliases aliases = new QdrantAliases(this);
  private final QdrantMultiVectors multiVectors = new QdrantMultiVectors(this);
  final QdrantStubs stubs;

  /**
   * What a store needs to know about a collection to check input before I/O; {@code unnamed}: it
   * has the vector {@code ""} (a collection with only named vectors has not).
   */
  private record CollectionMeta(VectorParams vectors, IndexType indexType, boolean unnamed) {}

  private QdrantVectorStore(QdrantClient client, VectorStoreConfig config, String target) {
    this.checkCompatibility = QdrantConnector.checkCompatibility(config);
    this.client = client;
    this.stubs = new QdrantStubs(client);
    this.target = target;
    this.tls = config.tlsEnabled();
    this.hasApiKey = config.apiKey() != null;
    this.calls = QdrantConnector.calls(config);
  }

  /**
   * Connects to the Qdrant of {@code config}: {@code grpc://} / {@code grpcs://} host and port, or
   * {@code http(s)://} where the REST port 6333 maps to the gRPC port 6334, and checks it with one
   * health call. Settings this adapter cannot honour yet are refused before any I/O with an {@link
   * dev.vectorcache.core.exception.UnsupportedCapabilityException}: a cluster or Sentinel topology.
   * With {@code grpcs://} or {@code https://} the {@link VectorStoreConfig#tls() TLS files} are
   * read first ({@link dev.vectorcache.spi.TlsMaterial}).
   *
   * @throws dev.vectorcache.core.exception.ConfigurationException for options meant for another
   *     adapter, or a {@code memory:} URL
   * @throws BackendUnavailableException naming {@code host:port} when nothing answers there
   * @throws dev.vectorcache.core.exception.BackendTimeoutException when it does not answer within
   *     the timeout
   * @throws dev.vectorcache.core.exception.TlsException when the TLS handshake fails (an untrusted
   *     or misnamed certificate, a missing client certificate), or one side speaks TLS and the
   *     other plain text
   */
  public static QdrantVectorStore open(VectorStoreConfig config) {
    Objects.requireNonNull(config, "config");
    QdrantClient client = QdrantConnector.client(config);
    String target = QdrantConnector.target(config);
    QdrantVectorStore store;
    try {
      store = new QdrantVectorStore(client, config, target).checkReachable();
    } catch (RuntimeException e) {
      throw QdrantConnector.explainOpenFailure(e, config);
    }
    LOG.debug("opened Qdrant gRPC store for {} (tls={})", target, config.tlsEnabled());
    return store;
  }

  /**
   * A store over an existing client (which this store closes with itself), checked with one health
   * call like {@link #open(VectorStoreConfig)}; {@code config} gives the timeouts and the address
   * named in messages.
   */
  public static QdrantVectorStore open(QdrantClient client, VectorStoreConfig config) {
    return new QdrantVectorStore(
            Objects.requireNonNull(client, "client"),
            Objects.requireNonNull(config, "config"),
            "client")
        .checkReachable();
  }

  /**
   * One health call without retries, within the timeout, so that open fails fast; it also compares
   * the server's version with the client's when asked to. Closes the client on failure.
   */
  private QdrantVectorStore checkReachable() {
    try {
      HealthCheckReply reply =
          calls.await(calls.call("health check on open", null, false, stubs::health));
      if (checkCompatibility) {
        QdrantVersions.warnIfIncompatible(reply.getVersion(), target);
      }
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  // ---- collections ----

  @Override
  public CompletableFuture<Void> createCollection(String name, CollectionConfig config) {
    QdrantRequests.checkName(name);
    Objects.requireNonNull(config, "config");
    var request = QdrantMapping.createCollection(name, config);
    // never retried: a lost reply would turn into ALREADY_EXISTS on the second attempt
    return callOnce("create collection", name, t -> stubs.collections(t).create(request))
        .thenCompose(r -> cluster.completeCreation(name, config))
        .thenApply(
            r -> {
              meta.put(name, new CollectionMeta(config.vectors(), config.indexType(), true));
              return null;
            });
  }

  @Override
  public CompletableFuture<Boolean> collectionExists(String name) {
    QdrantRequests.checkName(name);
    var request = Collections.CollectionExistsRequest.newBuilder().setCollectionName(name).build();
    return call("collection exists", name, t -> stubs.collections(t).collectionExists(request))
        .thenApply(r -> r.getResult().getExists());
  }

  @Override
  public CompletableFuture<CollectionInfo> collectionInfo(String name) {
    QdrantRequests.checkName(name);
    return collectionInfo(name, calls.newDeadline());
  }

  private CompletableFuture<CollectionInfo> collectionInfo(String name, long deadline) {
    var request = Collections.GetCollectionInfoRequest.newBuilder().setCollectionName(name).build();
    return call("collection info", name, t -> stubs.collections(t).get(request), deadline)
        .thenCompose(
            reply -> {
              Collections.CollectionInfo info = reply.getResult();
              CollectionConfig config = QdrantReplies.config(name, info);
              meta.put(
                  name,
                  new CollectionMeta(
                      config.vectors(),
                      config.indexType(),
                      QdrantMapping.hasUnnamedVector(info.getConfig())));
              if (config.shardingMethod() != ShardingMethod.CUSTOM) {
                return CompletableFuture.completedFuture(QdrantReplies.info(name, config, info));
              }
              // Qdrant's CollectionInfo has no shard keys: they are listed apart, same deadline
              return cluster
                  .listShardKeys(name, deadline)
                  .thenApply(
                      keys ->
                          QdrantReplies.info(
                              name, config.toBuilder().shardKeys(keys).build(), info));
            });
  }

  @Override
  public CompletableFuture<Boolean> deleteCollection(String name) {
    QdrantRequests.checkName(name);
    forget(name);
    var request = QdrantRequests.deleteCollection(name);
    // the raw stub: QdrantClient turns Qdrant's result=false (no such collection) into an error
    return callOnce("delete collection", name, t -> stubs.collections(t).delete(request))
        .thenApply(
            r -> {
              forget(name);
              return r.getResult();
            });
  }

  @Override
  public CompletableFuture<List<String>> listCollections() {
    var request = Collections.ListCollectionsRequest.getDefaultInstance();
    return call("list collections", null, t -> stubs.collections(t).list(request))
        .thenApply(
            r ->
                r.getCollectionsList().stream()
                    .map(Collections.CollectionDescription::getName)
                    .toList());
  }

  // ---- points ----

  @Override
  public CompletableFuture<Void> upsert(String collection, List<PointStruct> points) {
    return upsert(collection, points, WriteOptions.DEFAULT);
  }

  CompletableFuture<Void> upsert(String collection, List<PointStruct> points, WriteOptions o) {
    QdrantRequests.checkName(collection);
    QdrantRequests.checkPoints(points);
    if (points.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return withMeta(
        collection,
        (m, deadline) -> {
          var request = apply(QdrantRequests.upsert(collection, points, m.vectors()), o);
          // idempotent: the ids are explicit, so a repeated upsert leaves the same state
          return done(call("upsert", collection, t -> stubs.points(t).upsert(request), deadline));
        });
  }

  @Override
  public CompletableFuture<List<RetrievedPoint>> retrieve(
      String collection,
      Collection<PointId> ids,
      @Nullable PayloadSelector withPayload,
      boolean withVectors) {
    return retrieve(collection, ids, withPayload, withVectors, ReadOptions.DEFAULT);
  }

  CompletableFuture<List<RetrievedPoint>> retrieve(
      String collection,
      Collection<PointId> ids,
      @Nullable PayloadSelector withPayload,
      boolean withVectors,
      ReadOptions o) {
    QdrantRequests.checkName(collection);
    List<PointId> wanted = QdrantRequests.checkIds(ids);
    if (wanted.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    var request = apply(QdrantRequests.get(collection, wanted, withPayload, withVectors), o);
    return call("retrieve", collection, t -> stubs.points(t).get(request))
        .thenApply(found -> QdrantReplies.retrieved(found.getResultList(), wanted, withVectors));
  }

  @Override
  public CompletableFuture<Void> delete(String collection, Collection<PointId> ids) {
    return delete(collection, ids, WriteOptions.DEFAULT);
  }

  CompletableFuture<Void> delete(String collection, Collection<PointId> ids, WriteOptions o) {
    QdrantRequests.checkName(collection);
    List<PointId> list = QdrantRequests.checkIds(ids);
    if (list.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    var request = apply(QdrantRequests.delete(collection, list), o);
    return done(call("delete points", collection, t -> stubs.points(t).delete(request)));
  }

  @Override
  public CompletableFuture<Void> deleteByFilter(String collection, Filter filter) {
    return deleteByFilter(collection, filter, WriteOptions.DEFAULT);
  }

  CompletableFuture<Void> deleteByFilter(String collection, Filter filter, WriteOptions o) {
    QdrantRequests.checkName(collection);
    var request = apply(QdrantRequests.deleteByFilter(collection, filter), o);
    return done(call("delete by filter", collection, t -> stubs.points(t).delete(request)));
  }

  @Override
  public CompletableFuture<List<ScoredPoint>> search(String collection, SearchRequest request) {
    return search(collection, request, ReadOptions.DEFAULT);
  }

  CompletableFuture<List<ScoredPoint>> search(
      String collection, SearchRequest request, ReadOptions o) {
    QdrantRequests.checkName(collection);
    Objects.requireNonNull(request, "request");
    return withMeta(
        collection,
        (m, deadline) -> {
          var query =
              apply(QdrantRequests.query(collection, request, m.vectors(), m.indexType()), o);
          return call("search", collection, t -> stubs.points(t).query(query), deadline)
              .thenApply(hits -> QdrantReplies.scored(hits.getResultList(), request.withVectors()));
        });
  }

  /**
   * {@link BatchSearch}: one {@code SearchBatch} call, retried like any read, within one deadline
   * (reading the collection's params first when this store has not seen it). The read consistency
   * goes on the batch, the shard keys on each search.
   */
  CompletableFuture<List<List<ScoredPoint>>> searchBatch(
      String collection, List<SearchRequest> requests, ReadOptions o) {
    QdrantRequests.checkName(collection);
    List<SearchRequest> batch = BatchSearch.checkRequests(requests);
    Objects.requireNonNull(o, "options");
    return withMeta(
        collection,
        (m, deadline) -> {
          var request =
              apply(QdrantRequests.searchBatch(collection, batch, m.vectors(), m.indexType()), o);
          return call(
                  "search batch", collection, t -> stubs.points(t).searchBatch(request), deadline)
              .thenApply(r -> QdrantReplies.batch(r.getResultList(), batch));
        });
  }

  @Override
  public CompletableFuture<Long> count(String collection, @Nullable Filter filter) {
    return count(collection, filter, ReadOptions.DEFAULT);
  }

  CompletableFuture<Long> count(String collection, @Nullable Filter filter, ReadOptions o) {
    QdrantRequests.checkName(collection);
    var request = apply(QdrantRequests.count(collection, filter), o);
    return call("count", collection, t -> stubs.points(t).count(request))
        .thenApply(r -> r.getResult().getCount());
  }

  @Override
  public CompletableFuture<ScrollPage> scroll(String collection, ScrollRequest request) {
    return scroll(collection, request, ReadOptions.DEFAULT);
  }

  CompletableFuture<ScrollPage> scroll(String collection, ScrollRequest request, ReadOptions o) {
    QdrantRequests.checkName(collection);
    Objects.requireNonNull(request, "request");
    var scroll = apply(QdrantRequests.scroll(collection, request), o);
    return call("scroll", collection, t -> stubs.points(t).scroll(scroll))
        .thenApply(r -> QdrantReplies.page(r, request.withVectors()));
  }

  @Override
  public CompletableFuture<Void> setPayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload) {
    return payloadWrite("set payload", collection, ids, payload, false, WriteOptions.DEFAULT);
  }

  @Override
  public CompletableFuture<Void> overwritePayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload) {
    return payloadWrite("overwrite payload", collection, ids, payload, true, WriteOptions.DEFAULT);
  }

  CompletableFuture<Void> payloadWrite(
      String op,
      String collection,
      Collection<PointId> ids,
      Map<String, ?> payload,
      boolean overwrite,
      WriteOptions o) {
    QdrantRequests.checkName(collection);
    List<PointId> list = QdrantRequests.checkIds(ids);
    Map<String, Object> copy = Payloads.copy(payload, "payload");
    if (list.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Points.SetPayloadPoints request = apply(QdrantRequests.setPayload(collection, list, copy), o);
    return done(
        call(
            op,
            collection,
            t ->
                overwrite
                    ? stubs.points(t).overwritePayload(request)
                    : stubs.points(t).setPayload(request)));
  }

  @Override
  public CompletableFuture<Void> deletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys) {
    return deletePayloadKeys(collection, ids, keys, WriteOptions.DEFAULT);
  }

  CompletableFuture<Void> deletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys, WriteOptions o) {
    QdrantRequests.checkName(collection);
    List<PointId> list = QdrantRequests.checkIds(ids);
    Objects.requireNonNull(keys, "keys");
    if (list.isEmpty() || keys.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    var request = apply(QdrantRequests.deletePayload(collection, list, keys), o);
    return done(
        call("delete payload keys", collection, t -> stubs.points(t).deletePayload(request)));
  }

  @Override
  public CompletableFuture<Void> clearPayload(String collection, Collection<PointId> ids) {
    return clearPayload(collection, ids, WriteOptions.DEFAULT);
  }

  CompletableFuture<Void> clearPayload(String collection, Collection<PointId> ids, WriteOptions o) {
    QdrantRequests.checkName(collection);
    List<PointId> list = QdrantRequests.checkIds(ids);
    if (list.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    var request = apply(QdrantRequests.clearPayload(collection, list), o);
    return done(call("clear payload", collection, t -> stubs.points(t).clearPayload(request)));
  }

  /**
   * Creates a payload index ({@code CreateFieldIndex}, {@code wait=true}); VectorCache indexes its
   * expiry field as {@link PayloadSchemaType#INTEGER}. Creating an index that exists is harmless.
   */
  @Override
  public CompletableFuture<Void> createPayloadIndex(
      String collection, String field, PayloadSchemaType type) {
    QdrantRequests.checkName(collection);
    var request = QdrantRequests.createIndex(collection, field, type);
    return done(
        call("create payload index", collection, t -> stubs.points(t).createFieldIndex(request)));
  }

  @Override
  public CompletableFuture<BackendInfo> ping() {
    long start = System.nanoTime();
    return call("health check", null, stubs::health)
        .thenApply(reply -> QdrantReplies.backendInfo(reply, target, start));
  }

  @Override
  public boolean isSupported(Capability capability) {
    return switch (capability) {
      case SCALAR_QUANTIZATION,
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
      // a remote server's memory is not visible; text match is tokenised only with a text index
      default -> false;
    };
  }

  @Override
  public VectorStore blocking() {
    return blocking;
  }

  /**
   * {@link ClusterRequests}: the options of a distributed Qdrant, sent as set; {@link BatchSearch}:
   * a batch of searches in one {@code SearchBatch} call; {@link CollectionAliases}: Qdrant's
   * aliases; {@link MultiVectors}: named and sparse vectors, hybrid queries.
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
      return Optional.of(type.cast(aliases));
    }
    if (type == MultiVectors.class) {
      return Optional.of(type.cast(multiVectors));
    }
    return Optional.empty();
  }

  /** Unwraps to {@link QdrantClient} (the official client) or to this store. */
  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    if (type.isInstance(client)) {
      return type.cast(client);
    }
    if (type.isInstance(client.grpcClient())) {
      return type.cast(client.grpcClient());
    }
    throw new IllegalArgumentException(
        getClass().getName() + " cannot be unwrapped to " + type.getName());
  }

  @Override
  public void close() {
    if (calls.isClosed()) {
      return;
    }
    calls.close();
    client.close();
  }

  @Override
  public String toString() {
    return "QdrantVectorStore["
        + target
        + ", tls="
        + tls
        + ", apiKey="
        + (hasApiKey ? "****" : "none")
        + ", timeout="
        + calls.timeout()
        + ", maxRetries="
        + calls.maxRetries()
        + "]";
  }

  // ---- plumbing ----

  /**
   * Runs {@code then} with the collection's cached vector params and the deadline of the whole
   * operation, reading the collection's info first (within that same deadline) when this store has
   * not seen it: a write or search is one timeout in all, however many calls it takes. Invalid
   * input found by {@code then} is thrown at once when the params were cached (no future is
   * returned) and fails the future otherwise; so is a collection without the vector {@code ""}.
   */
  private <T> CompletableFuture<T> withMeta(
      String collection, BiFunction<CollectionMeta, Long, CompletableFuture<T>> then) {
    long deadline = calls.newDeadline();
    CollectionMeta m = meta.get(collection);
    if (m != null) {
      return then.apply(unnamed(collection, m), deadline);
    }
    return collectionInfo(collection, deadline)
        .thenCompose(
            info ->
                then.apply(
                    unnamed(collection, Objects.requireNonNull(meta.get(collection))), deadline));
  }

  private static CollectionMeta unnamed(String collection, CollectionMeta m) {
    if (!m.unnamed()) {
      throw new InvalidInputException(
          "vector",
          "a collection with the unnamed vector \"\"",
          "collection '" + collection + "' with named vectors only",
          "use MultiVectors to write and search its named vectors");
    }
    return m;
  }

  /**
   * Drops what this store cached about {@code name} (an alias that now names another one, a
   * collection whose vectors changed or that is gone), for the port and for {@link MultiVectors}.
   */
  void forget(String name) {
    meta.remove(name);
    multiVectors.forget(name);
  }

  /** A new deadline of one timeout from now, for an operation of several calls. */
  long newDeadline() {
    return calls.newDeadline();
  }

  /** An idempotent call: retried after {@code UNAVAILABLE} (see {@link QdrantCalls}). */
  <T> CompletableFuture<T> call(
      String operation, @Nullable String collection, Function<Duration, ListenableFuture<T>> rpc) {
    return call(operation, collection, rpc, calls.newDeadline());
  }

  /** An idempotent call that ends by {@code deadline}, shared with the calls before it. */
  <T> CompletableFuture<T> call(
      String operation,
      @Nullable String collection,
      Function<Duration, ListenableFuture<T>> rpc,
      long deadline) {
    return forgetIfMissing(calls.call(operation, collection, true, rpc, deadline), collection);
  }

  /** A call that is sent once: a second attempt could fail where the first one succeeded. */
  <T> CompletableFuture<T> callOnce(
      String operation, @Nullable String collection, Function<Duration, ListenableFuture<T>> rpc) {
    return callOnce(operation, collection, rpc, calls.newDeadline());
  }

  /** A call sent once that ends by {@code deadline}, shared with the calls before it. */
  <T> CompletableFuture<T> callOnce(
      String operation,
      @Nullable String collection,
      Function<Duration, ListenableFuture<T>> rpc,
      long deadline) {
    return forgetIfMissing(calls.call(operation, collection, false, rpc, deadline), collection);
  }

  /**
   * Drops the cached params of a collection Qdrant no longer has. The hook is a side stage, so
   * cancelling the returned future still reaches the gRPC call.
   */
  private <T> CompletableFuture<T> forgetIfMissing(
      CompletableFuture<T> result, @Nullable String collection) {
    if (collection != null) {
      // a side stage: its outcome is result's, which the caller already holds
      CompletableFuture<T> unused =
          result.whenComplete(
              (r, e) -> {
                if (e != null && Futures.unwrap(e) instanceof CollectionNotFoundException) {
                  forget(collection);
                }
              });
    }
    return result;
  }

  static <T> CompletableFuture<Void> done(CompletableFuture<T> call) {
    return call.thenApply(r -> null);
  }
}
