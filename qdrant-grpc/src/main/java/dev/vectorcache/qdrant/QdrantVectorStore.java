package dev.vectorcache.qdrant;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.vectorcache.core.InvalidInputException;
import dev.vectorcache.core.adapter.BlockingVectorStore;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.CollectionStatus;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.MemoryUsage;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointId;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.VectorParams;
import dev.vectorcache.core.model.Vectors;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.spi.QdrantConfig;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Points;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 *   <li>Every call has a deadline of {@link QdrantConfig#timeout()}. Writes are sent with {@code
 *       wait=true}, so they return once applied.
 *   <li>Input is checked before any I/O: finite vectors of the collection's dimension (the
 *       dimension and index type of each collection are cached after create and info; the first
 *       write or search of a collection this store has not seen reads its info first), non-zero for
 *       Cosine, limits of 1 or more.
 *   <li>Failures become the library's exceptions ({@link QdrantErrors}) with the gRPC error kept as
 *       the cause.
 *   <li>Retries: a call that failed with {@code UNAVAILABLE} is sent again, at most {@link
 *       QdrantConfig#maxRetries()} times with a short backoff, and only while the elapsed time
 *       stays within one timeout, for idempotent operations only: reads, upserts (points have
 *       explicit, deterministic ids, so sending one twice leaves the same state), deletes by id or
 *       filter, payload writes and payload index creation. Creating and deleting collections are
 *       never retried, and neither is a timed-out call (its outcome is unknown and a retry would
 *       double the wait).
 *   <li>The API key is sent with each call and appears in no log, {@code toString()} or message.
 * </ul>
 */
public final class QdrantVectorStore implements AsyncVectorStore {
  private static final Logger LOG = LoggerFactory.getLogger(QdrantVectorStore.class);
  private static final Executor DIRECT = MoreExecutors.directExecutor();
  private static final long BACKOFF_MILLIS = 50;
  private static final String ILLEGAL_NAME_CHARS = "<>:\"/\\|?*";

  private final QdrantClient client;
  private final String target;
  private final boolean tls;
  private final boolean hasApiKey;
  private final Duration timeout;
  private final int maxRetries;
  private final Map<String, CollectionMeta> meta = new ConcurrentHashMap<>();
  private final VectorStore blocking = new BlockingVectorStore(this);
  private volatile boolean closed;

  /** What a store needs to know about a collection to check input before I/O. */
  private record CollectionMeta(VectorParams vectors, IndexType indexType) {}

  private QdrantVectorStore(QdrantClient client, QdrantConfig config, String target) {
    this.client = client;
    this.target = target;
    this.tls = config.tls();
    this.hasApiKey = config.apiKey() != null;
    this.timeout = config.timeout();
    this.maxRetries = config.maxRetries();
  }

  /**
   * Connects to the Qdrant of {@code config}: {@code grpc://} / {@code grpcs://} host and port, or
   * {@code http(s)://} where the REST port 6333 maps to the gRPC port 6334. No call is made here
   * except the client's optional version check.
   */
  public static QdrantVectorStore create(QdrantConfig config) {
    Objects.requireNonNull(config, "config");
    String scheme = config.scheme();
    if (!List.of("http", "https", "grpc", "grpcs").contains(scheme)) {
      throw new dev.vectorcache.core.ConfigurationException(
          "the qdrant-grpc store opens http(s):// or grpc(s):// URLs, not " + scheme + ":");
    }
    String host = config.host();
    int port = config.grpcPort();
    QdrantGrpcClient.Builder builder =
        QdrantGrpcClient.newBuilder(host, port, config.tls(), config.checkCompatibility())
            .withTimeout(config.timeout());
    if (config.apiKey() != null) {
      builder.withApiKey(config.apiKey());
    }
    QdrantClient client = new QdrantClient(builder.build());
    String target = (config.tls() ? "grpcs://" : "grpc://") + host + ":" + port;
    LOG.debug("opened Qdrant gRPC store for {} (tls={})", target, config.tls());
    return new QdrantVectorStore(client, config, target);
  }

  /** A store over an existing client (which this store closes with itself). */
  public static QdrantVectorStore create(QdrantClient client, QdrantConfig config) {
    return new QdrantVectorStore(
        Objects.requireNonNull(client, "client"),
        Objects.requireNonNull(config, "config"),
        "client");
  }

  // ---- collections ----

  @Override
  public CompletableFuture<Void> createCollection(String name, CollectionConfig config) {
    checkName(name);
    Objects.requireNonNull(config, "config");
    Collections.CreateCollection request = QdrantMapping.createCollection(name, config);
    // never retried: a lost reply would turn into ALREADY_EXISTS on the second attempt
    return call(
            "create collection", name, false, () -> client.createCollectionAsync(request, timeout))
        .thenApply(
            r -> {
              meta.put(name, new CollectionMeta(config.vectors(), config.indexType()));
              return null;
            });
  }

  @Override
  public CompletableFuture<Boolean> collectionExists(String name) {
    checkName(name);
    return call("collection exists", name, true, () -> client.collectionExistsAsync(name, timeout));
  }

  @Override
  public CompletableFuture<CollectionInfo> collectionInfo(String name) {
    checkName(name);
    return call("collection info", name, true, () -> client.getCollectionInfoAsync(name, timeout))
        .thenApply(info -> toInfo(name, info));
  }

  private CollectionInfo toInfo(String name, Collections.CollectionInfo info) {
    CollectionConfig config;
    try {
      config = QdrantMapping.config(info.getConfig());
    } catch (RuntimeException e) {
      throw new dev.vectorcache.core.BackendException(
          QdrantErrors.BACKEND,
          "cannot read the config of Qdrant collection '" + name + "': " + e.getMessage(),
          e);
    }
    meta.put(name, new CollectionMeta(config.vectors(), config.indexType()));
    return new CollectionInfo(
        name,
        config,
        info.hasPointsCount() ? info.getPointsCount() : 0,
        status(info.getStatus()),
        MemoryUsage.UNKNOWN);
  }

  private static CollectionStatus status(Collections.CollectionStatus s) {
    return switch (s) {
      case Yellow -> CollectionStatus.YELLOW;
      case Grey -> CollectionStatus.GREY;
      case Red -> CollectionStatus.RED;
      default -> CollectionStatus.GREEN;
    };
  }

  @Override
  public CompletableFuture<Boolean> deleteCollection(String name) {
    checkName(name);
    meta.remove(name);
    Collections.DeleteCollection request =
        Collections.DeleteCollection.newBuilder().setCollectionName(name).build();
    // the raw stub: QdrantClient turns Qdrant's result=false (no such collection) into an error
    return call(
            "delete collection",
            name,
            false,
            () ->
                client
                    .grpcClient()
                    .collections()
                    .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .delete(request))
        .thenApply(
            r -> {
              meta.remove(name);
              return r.getResult();
            });
  }

  @Override
  public CompletableFuture<List<String>> listCollections() {
    return call("list collections", null, true, () -> client.listCollectionsAsync(timeout))
        .thenApply(List::copyOf);
  }

  // ---- points ----

  @Override
  public CompletableFuture<Void> upsert(String collection, List<PointStruct> points) {
    checkName(collection);
    Objects.requireNonNull(points, "points");
    for (int i = 0; i < points.size(); i++) {
      if (points.get(i) == null) {
        throw new InvalidInputException("points[" + i + "]", "a point", null);
      }
    }
    if (points.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return withMeta(
        collection,
        m -> {
          List<Points.PointStruct> protos = new ArrayList<>(points.size());
          for (int i = 0; i < points.size(); i++) {
            PointStruct p = points.get(i);
            Vectors.check(p.vector(), "points[" + i + "].vector", m.vectors());
            protos.add(
                Points.PointStruct.newBuilder()
                    .setId(QdrantMapping.id(p.id()))
                    .setVectors(QdrantMapping.vectors(p.vector()))
                    .putAllPayload(QdrantMapping.payload(p.payload()))
                    .build());
          }
          Points.UpsertPoints request =
              Points.UpsertPoints.newBuilder()
                  .setCollectionName(collection)
                  .setWait(true)
                  .addAllPoints(protos)
                  .build();
          // idempotent: the ids are explicit, so a repeated upsert leaves the same state
          return call("upsert", collection, true, () -> client.upsertAsync(request, timeout))
              .thenApply(r -> null);
        });
  }

  @Override
  public CompletableFuture<List<RetrievedPoint>> retrieve(
      String collection,
      Collection<PointId> ids,
      PayloadSelector withPayload,
      boolean withVectors) {
    checkName(collection);
    List<PointId> wanted = checkIds(ids);
    if (wanted.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    Points.GetPoints request =
        Points.GetPoints.newBuilder()
            .setCollectionName(collection)
            .addAllIds(QdrantMapping.ids(wanted))
            .setWithPayload(
                QdrantMapping.withPayload(withPayload == null ? PayloadSelector.NONE : withPayload))
            .setWithVectors(QdrantMapping.withVectors(withVectors))
            .build();
    return call("retrieve", collection, true, () -> client.retrieveAsync(request, timeout))
        .thenApply(
            found -> {
              Map<PointId, RetrievedPoint> byId = new HashMap<>();
              for (Points.RetrievedPoint p : found) {
                RetrievedPoint r =
                    new RetrievedPoint(
                        QdrantMapping.id(p.getId()),
                        QdrantMapping.payloadFromProto(p.getPayloadMap()),
                        withVectors ? QdrantMapping.vector(p.getVectors()) : null);
                byId.put(r.id(), r);
              }
              List<RetrievedPoint> out = new ArrayList<>();
              for (PointId id : wanted) {
                RetrievedPoint r = byId.get(id);
                if (r != null) {
                  out.add(r);
                }
              }
              return out;
            });
  }

  @Override
  public CompletableFuture<Void> delete(String collection, Collection<PointId> ids) {
    checkName(collection);
    List<PointId> list = checkIds(ids);
    if (list.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Points.DeletePoints request =
        Points.DeletePoints.newBuilder()
            .setCollectionName(collection)
            .setWait(true)
            .setPoints(QdrantMapping.selector(list))
            .build();
    return call("delete points", collection, true, () -> client.deleteAsync(request, timeout))
        .thenApply(r -> null);
  }

  @Override
  public CompletableFuture<Void> deleteByFilter(String collection, Filter filter) {
    checkName(collection);
    if (filter == null) {
      throw new InvalidInputException(
          "filter", "a filter", null, "pass a filter; to empty a collection, delete it");
    }
    Points.DeletePoints request =
        Points.DeletePoints.newBuilder()
            .setCollectionName(collection)
            .setWait(true)
            .setPoints(Points.PointsSelector.newBuilder().setFilter(QdrantMapping.filter(filter)))
            .build();
    return call("delete by filter", collection, true, () -> client.deleteAsync(request, timeout))
        .thenApply(r -> null);
  }

  @Override
  public CompletableFuture<List<ScoredPoint>> search(String collection, SearchRequest request) {
    checkName(collection);
    Objects.requireNonNull(request, "request");
    return withMeta(
        collection,
        m -> {
          float[] query = request.vector();
          Vectors.check(query, "query", m.vectors());
          Points.QueryPoints.Builder q =
              Points.QueryPoints.newBuilder()
                  .setCollectionName(collection)
                  .setQuery(Points.Query.newBuilder().setNearest(QdrantMapping.vectorInput(query)))
                  .setLimit(request.limit())
                  .setWithPayload(QdrantMapping.withPayload(request.withPayload()))
                  .setWithVectors(QdrantMapping.withVectors(request.withVectors()))
                  .setParams(QdrantMapping.searchParams(request.params(), m.indexType()));
          if (request.offset() > 0) {
            q.setOffset(request.offset());
          }
          if (request.filter() != null) {
            q.setFilter(QdrantMapping.filter(request.filter()));
          }
          if (request.scoreThreshold() != null) {
            q.setScoreThreshold(request.scoreThreshold());
          }
          Points.QueryPoints built = q.build();
          return call("search", collection, true, () -> client.queryAsync(built, timeout))
              .thenApply(
                  hits -> {
                    List<ScoredPoint> out = new ArrayList<>(hits.size());
                    for (Points.ScoredPoint h : hits) {
                      out.add(
                          new ScoredPoint(
                              QdrantMapping.id(h.getId()),
                              h.getScore(),
                              QdrantMapping.payloadFromProto(h.getPayloadMap()),
                              request.withVectors() ? QdrantMapping.vector(h.getVectors()) : null));
                    }
                    return out;
                  });
        });
  }

  @Override
  public CompletableFuture<Long> count(String collection, Filter filter) {
    checkName(collection);
    Points.CountPoints.Builder b =
        Points.CountPoints.newBuilder().setCollectionName(collection).setExact(true);
    if (filter != null) {
      b.setFilter(QdrantMapping.filter(filter));
    }
    Points.CountPoints request = b.build();
    return call(
            "count",
            collection,
            true,
            () ->
                client
                    .grpcClient()
                    .points()
                    .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .count(request))
        .thenApply(r -> r.getResult().getCount());
  }

  @Override
  public CompletableFuture<ScrollPage> scroll(String collection, ScrollRequest request) {
    checkName(collection);
    Objects.requireNonNull(request, "request");
    Points.ScrollPoints.Builder b =
        Points.ScrollPoints.newBuilder()
            .setCollectionName(collection)
            .setLimit(request.limit())
            .setWithPayload(QdrantMapping.withPayload(request.withPayload()))
            .setWithVectors(QdrantMapping.withVectors(request.withVectors()));
    if (request.filter() != null) {
      b.setFilter(QdrantMapping.filter(request.filter()));
    }
    if (request.offset() != null) {
      b.setOffset(QdrantMapping.id(request.offset()));
    }
    Points.ScrollPoints built = b.build();
    return call("scroll", collection, true, () -> client.scrollAsync(built, timeout))
        .thenApply(
            r -> {
              List<RetrievedPoint> points = new ArrayList<>(r.getResultCount());
              for (Points.RetrievedPoint p : r.getResultList()) {
                points.add(
                    new RetrievedPoint(
                        QdrantMapping.id(p.getId()),
                        QdrantMapping.payloadFromProto(p.getPayloadMap()),
                        request.withVectors() ? QdrantMapping.vector(p.getVectors()) : null));
              }
              return new ScrollPage(
                  points, r.hasNextPageOffset() ? QdrantMapping.id(r.getNextPageOffset()) : null);
            });
  }

  @Override
  public CompletableFuture<Void> setPayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload) {
    return payloadWrite("set payload", collection, ids, payload, false);
  }

  @Override
  public CompletableFuture<Void> overwritePayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload) {
    return payloadWrite("overwrite payload", collection, ids, payload, true);
  }

  private CompletableFuture<Void> payloadWrite(
      String op,
      String collection,
      Collection<PointId> ids,
      Map<String, ?> payload,
      boolean overwrite) {
    checkName(collection);
    List<PointId> list = checkIds(ids);
    Map<String, Object> copy = dev.vectorcache.core.model.Payloads.copy(payload, "payload");
    if (list.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Points.SetPayloadPoints request =
        Points.SetPayloadPoints.newBuilder()
            .setCollectionName(collection)
            .setWait(true)
            .putAllPayload(QdrantMapping.payload(copy))
            .setPointsSelector(QdrantMapping.selector(list))
            .build();
    return call(
            op,
            collection,
            true,
            () ->
                overwrite
                    ? client.overwritePayloadAsync(request, timeout)
                    : client.setPayloadAsync(request, timeout))
        .thenApply(r -> null);
  }

  @Override
  public CompletableFuture<Void> deletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys) {
    checkName(collection);
    List<PointId> list = checkIds(ids);
    Objects.requireNonNull(keys, "keys");
    if (list.isEmpty() || keys.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Points.DeletePayloadPoints request =
        Points.DeletePayloadPoints.newBuilder()
            .setCollectionName(collection)
            .setWait(true)
            .addAllKeys(keys)
            .setPointsSelector(QdrantMapping.selector(list))
            .build();
    return call(
            "delete payload keys",
            collection,
            true,
            () -> client.deletePayloadAsync(request, timeout))
        .thenApply(r -> null);
  }

  @Override
  public CompletableFuture<Void> clearPayload(String collection, Collection<PointId> ids) {
    checkName(collection);
    List<PointId> list = checkIds(ids);
    if (list.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Points.ClearPayloadPoints request =
        Points.ClearPayloadPoints.newBuilder()
            .setCollectionName(collection)
            .setWait(true)
            .setPoints(QdrantMapping.selector(list))
            .build();
    return call("clear payload", collection, true, () -> client.clearPayloadAsync(request, timeout))
        .thenApply(r -> null);
  }

  /**
   * Creates a payload index ({@code CreateFieldIndex}, {@code wait=true}); VectorCache indexes its
   * expiry field as {@link PayloadSchemaType#INTEGER}. Creating an index that exists is harmless.
   */
  @Override
  public CompletableFuture<Void> createPayloadIndex(
      String collection, String field, PayloadSchemaType type) {
    checkName(collection);
    if (field == null || field.isBlank()) {
      throw new InvalidInputException("field", "a non-blank payload key", field);
    }
    Objects.requireNonNull(type, "type");
    Points.CreateFieldIndexCollection request =
        Points.CreateFieldIndexCollection.newBuilder()
            .setCollectionName(collection)
            .setWait(true)
            .setFieldName(field)
            .setFieldType(QdrantMapping.fieldType(type))
            .build();
    return call(
            "create payload index",
            collection,
            true,
            () -> client.createPayloadIndexAsync(request, timeout))
        .thenApply(r -> null);
  }

  @Override
  public CompletableFuture<BackendInfo> ping() {
    long start = System.nanoTime();
    return call("health check", null, true, () -> client.healthCheckAsync(timeout))
        .thenApply(
            reply -> {
              Map<String, String> details = new HashMap<>();
              details.put("title", reply.getTitle());
              details.put("target", target);
              if (reply.hasCommit()) {
                details.put("commit", reply.getCommit());
              }
              return new BackendInfo(
                  "qdrant",
                  "qdrant-grpc",
                  reply.getVersion(),
                  Duration.ofNanos(System.nanoTime() - start),
                  details);
            });
  }

  @Override
  public boolean isSupported(Capability capability) {
    return switch (capability) {
      case SCALAR_QUANTIZATION, PRODUCT_QUANTIZATION, BINARY_QUANTIZATION, MMAP_STORAGE -> true;
      // a remote server's memory is not visible; text match is tokenised only with a text index
      default -> false;
    };
  }

  @Override
  public VectorStore blocking() {
    return blocking;
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
    if (closed) {
      return;
    }
    closed = true;
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
        + timeout
        + ", maxRetries="
        + maxRetries
        + "]";
  }

  // ---- plumbing ----

  /** Qdrant's collection name rule, checked before any I/O. */
  private static void checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException(
          "collection name", "a non-blank name of 1 to 255 characters", name);
    }
    if (name.length() > 255) {
      throw new InvalidInputException(
          "collection name", "at most 255 characters", name.length() + " characters");
    }
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ILLEGAL_NAME_CHARS.indexOf(ch) >= 0 || Character.isISOControl(ch)) {
        throw new InvalidInputException(
            "collection name",
            "a name without control characters or any of " + ILLEGAL_NAME_CHARS,
            name,
            "Qdrant uses the name as a directory name");
      }
    }
  }

  private static List<PointId> checkIds(Collection<PointId> ids) {
    Objects.requireNonNull(ids, "ids");
    LinkedHashSet<PointId> out = new LinkedHashSet<>();
    int i = 0;
    for (PointId id : ids) {
      if (id == null) {
        throw new InvalidInputException("ids[" + i + "]", "a point id", null);
      }
      out.add(id);
      i++;
    }
    return List.copyOf(out);
  }

  /**
   * Runs {@code then} with the collection's cached vector params, reading the collection's info
   * first when this store has not seen it. Invalid input found by {@code then} is thrown at once
   * when the params were cached (no future is returned) and fails the future otherwise.
   */
  private <T> CompletableFuture<T> withMeta(
      String collection, java.util.function.Function<CollectionMeta, CompletableFuture<T>> then) {
    CollectionMeta m = meta.get(collection);
    if (m != null) {
      return then.apply(m);
    }
    return collectionInfo(collection).thenCompose(info -> then.apply(meta.get(collection)));
  }

  /** One logical call: the gRPC future bridged, retried when allowed, failures translated. */
  private <T> CompletableFuture<T> call(
      String operation, String collection, boolean idempotent, Supplier<ListenableFuture<T>> rpc) {
    if (closed) {
      throw new IllegalStateException("this QdrantVectorStore is closed");
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    attempt(operation, collection, idempotent ? maxRetries : 0, deadline, rpc, result, 0);
    return result;
  }

  private <T> void attempt(
      String operation,
      String collection,
      int retriesLeft,
      long deadline,
      Supplier<ListenableFuture<T>> rpc,
      CompletableFuture<T> result,
      int attempt) {
    ListenableFuture<T> future;
    try {
      future = rpc.get();
    } catch (RuntimeException e) {
      result.completeExceptionally(QdrantErrors.translate(e, operation, collection));
      return;
    }
    result.whenComplete(
        (r, e) -> {
          if (result.isCancelled()) {
            future.cancel(true);
          }
        });
    com.google.common.util.concurrent.Futures.addCallback(
        future,
        new FutureCallback<T>() {
          @Override
          public void onSuccess(T value) {
            result.complete(value);
          }

          @Override
          public void onFailure(Throwable t) {
            long backoff = BACKOFF_MILLIS << Math.min(attempt, 4);
            if (retriesLeft > 0
                && QdrantErrors.retryable(t)
                && !closed
                && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff) < deadline) {
              LOG.debug("Qdrant {} failed with UNAVAILABLE; retrying in {} ms", operation, backoff);
              CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS)
                  .execute(
                      () ->
                          attempt(
                              operation,
                              collection,
                              retriesLeft - 1,
                              deadline,
                              rpc,
                              result,
                              attempt + 1));
              return;
            }
            if (QdrantErrors.status(t) != null
                && QdrantErrors.status(t).getCode() == io.grpc.Status.Code.NOT_FOUND
                && collection != null) {
              meta.remove(collection);
            }
            result.completeExceptionally(QdrantErrors.translate(t, operation, collection));
          }
        },
        DIRECT);
  }
}
