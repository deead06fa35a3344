package dev.vectorcache.qdrant;

import com.google.common.util.concurrent.ListenableFuture;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.PointNotFoundException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.HybridQuery;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.SparseSearch;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.port.MultiVectors;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Points;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * {@link MultiVectors} of {@link QdrantVectorStore}: Qdrant's named vectors, sparse vectors and
 * {@code Query} with prefetches and fusion, on the store's raw stubs with its deadlines, watchdog,
 * retries and error mapping ({@link QdrantCalls}, {@link QdrantErrors}). Messages are built by
 * {@link QdrantMultiMapping}.
 *
 * <ul>
 *   <li><b>Input is checked before any I/O</b> against the collection's vector spaces, cached per
 *       collection name after {@code createCollection}, {@code vectorsConfig} and the vector-name
 *       calls; the first call that needs them for a collection this store has not seen reads them
 *       ({@code GetCollectionInfo}) within the same deadline. Unknown vector names, dimensions,
 *       non-finite components, zero vectors for Cosine, offsets in a hybrid query's searches are
 *       refused with no request sent.
 *   <li><b>Retries</b> as for the port: reads ({@code vectorsConfig}, {@code retrieve}, the three
 *       searches) and idempotent writes ({@code upsert} by explicit ids, {@code updateVectors},
 *       {@code deleteVectors}) are retried after {@code UNAVAILABLE}; {@code createCollection},
 *       {@code createVectorName}, {@code createSparseVectorName} and {@code deleteVectorName} are
 *       sent once (a lost reply would turn success into an error on a second attempt).
 *   <li>{@code updateVectors} reads the points' ids first ({@code Get}, same deadline) and fails
 *       with a {@link PointNotFoundException} before writing when one is missing: Qdrant may have
 *       updated some points of the call before it finds a missing one.
 *   <li>The cache is dropped with the store's own (an alias update, a deleted or missing
 *       collection), and the port's cached params are dropped whenever this class changes a
 *       collection's spaces.
 * </ul>
 */
final class QdrantMultiVectors implements MultiVectors {
  private final QdrantVectorStore store;
  private final Map<String, MultiVectorConfig> configs = new ConcurrentHashMap<>();

  QdrantMultiVectors(QdrantVectorStore store) {
    this.store = store;
  }

  /** Drops the spaces cached for {@code name}. */
  void forget(String name) {
    configs.remove(name);
  }

  /** Caches {@code config} for {@code name}, after the store forgot what it had. */
  private void remember(String name, MultiVectorConfig config) {
    store.forget(name);
    configs.put(name, config);
  }

  // ---- collections ----

  @Override
  public CompletableFuture<Void> createCollection(String name, MultiVectorConfig config) {
    QdrantRequests.checkName(name);
    Objects.requireNonNull(config, "config");
    Collections.CreateCollection request = QdrantMultiMapping.createCollection(name, config);
    // never retried: a lost reply would turn into ALREADY_EXISTS on the second attempt
    return store
        .callOnce("create collection", name, t -> store.stubs.collections(t).create(request))
        .thenApply(
            r -> {
              remember(name, config);
              return null;
            });
  }

  @Override
  public CompletableFuture<MultiVectorConfig> vectorsConfig(String collection) {
    QdrantRequests.checkName(collection);
    return read(collection, store.newDeadline());
  }

  private CompletableFuture<MultiVectorConfig> read(String collection, long deadline) {
    var request =
        Collections.GetCollectionInfoRequest.newBuilder().setCollectionName(collection).build();
    return store
        .call("collection info", collection, t -> store.stubs.collections(t).get(request), deadline)
        .thenApply(
            reply -> {
              MultiVectorConfig config = QdrantMultiMapping.config(collection, reply.getResult());
              configs.put(collection, config);
              return config;
            });
  }

  /**
   * Runs {@code then} with the collection's spaces and the deadline of the whole operation, reading
   * the spaces first (within that deadline) when they are not cached. Invalid input found by {@code
   * then} is thrown at once when they were cached, and fails the future otherwise.
   */
  private <T> CompletableFuture<T> withConfig(
      String collection, BiFunction<MultiVectorConfig, Long, CompletableFuture<T>> then) {
    long deadline = store.newDeadline();
    MultiVectorConfig config = configs.get(collection);
    if (config != null) {
      return then.apply(config, deadline);
    }
    return read(collection, deadline).thenCompose(c -> then.apply(c, deadline));
  }

  // ---- points ----

  @Override
  public CompletableFuture<Void> upsert(String collection, List<MultiVectorPoint> points) {
    QdrantRequests.checkName(collection);
    QdrantRequests.checkPoints(points);
    if (points.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return withConfig(
        collection,
        (config, deadline) -> {
          var request = QdrantMultiMapping.upsert(collection, points, config);
          // idempotent: the ids are explicit, so a repeated upsert leaves the same state
          return QdrantVectorStore.done(
              store.call(
                  "upsert", collection, t -> store.stubs.points(t).upsert(request), deadline));
        });
  }

  @Override
  public CompletableFuture<Void> updateVectors(String collection, List<MultiVectorPoint> points) {
    QdrantRequests.checkName(collection);
    QdrantRequests.checkPoints(points);
    if (points.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return withConfig(
        collection,
        (config, deadline) -> {
          var request = QdrantMultiMapping.updateVectors(collection, points, config);
          List<PointId> ids = QdrantMultiMapping.ids(points);
          var get = QdrantMultiMapping.get(collection, ids, PayloadSelector.NONE, false);
          return store
              .call("update vectors", collection, t -> store.stubs.points(t).get(get), deadline)
              .thenCompose(
                  found -> {
                    Set<PointId> present = new HashSet<>();
                    for (Points.RetrievedPoint p : found.getResultList()) {
                      present.add(QdrantMapping.id(p.getId()));
                    }
                    for (PointId id : ids) {
                      if (!present.contains(id)) {
                        throw new PointNotFoundException(collection, id);
                      }
                    }
                    // idempotent: setting the same vectors twice leaves the same state
                    return QdrantVectorStore.done(
                        store.call(
                            "update vectors",
                            collection,
                            t -> store.stubs.points(t).updateVectors(request),
                            deadline));
                  });
        });
  }

  @Override
  public CompletableFuture<Void> deleteVectors(
      String collection, Collection<PointId> ids, Set<String> vectorNames) {
    QdrantRequests.checkName(collection);
    List<PointId> list = QdrantRequests.checkIds(ids);
    if (vectorNames == null) {
      throw new InvalidInputException("vectorNames", "a set of vector names", null);
    }
    List<String> names = new ArrayList<>();
    for (String name : vectorNames) {
      requireName(name, "vectorNames");
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    if (list.isEmpty() || names.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return withConfig(
        collection,
        (config, deadline) -> {
          var request = QdrantMultiMapping.deleteVectors(collection, list, names, config);
          // idempotent: deleting a vector twice leaves the point without it
          return QdrantVectorStore.done(
              store.call(
                  "delete vectors",
                  collection,
                  t -> store.stubs.points(t).deleteVectors(request),
                  deadline));
        });
  }

  @Override
  public CompletableFuture<List<MultiVectorPoint>> retrieve(
      String collection,
      Collection<PointId> ids,
      @Nullable PayloadSelector payload,
      boolean withVectors) {
    QdrantRequests.checkName(collection);
    List<PointId> wanted = QdrantRequests.checkIds(ids);
    if (wanted.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    var request =
        QdrantMultiMapping.get(
            collection, wanted, payload == null ? PayloadSelector.NONE : payload, withVectors);
    return store
        .call("retrieve", collection, t -> store.stubs.points(t).get(request))
        .thenApply(
            found -> QdrantMultiMapping.retrieved(found.getResultList(), wanted, withVectors));
  }

  // ---- searches ----

  @Override
  public CompletableFuture<List<ScoredPoint>> search(
      String collection, String using, SearchRequest request) {
    QdrantRequests.checkName(collection);
    requireName(using, "using");
    Objects.requireNonNull(request, "request");
    return sendQuery(
        "search",
        collection,
        config -> QdrantMultiMapping.search(collection, using, request, config),
        using,
        request.withVectors());
  }

  @Override
  public CompletableFuture<List<ScoredPoint>> searchSparse(
      String collection, String using, SparseSearch request) {
    QdrantRequests.checkName(collection);
    requireName(using, "using");
    Objects.requireNonNull(request, "request");
    return sendQuery(
        "sparse search",
        collection,
        config -> QdrantMultiMapping.searchSparse(collection, using, request, config),
        null,
        false);
  }

  @Override
  public CompletableFuture<List<ScoredPoint>> query(String collection, HybridQuery query) {
    QdrantRequests.checkName(collection);
    Objects.requireNonNull(query, "query");
    return sendQuery(
        "hybrid query",
        collection,
        config -> QdrantMultiMapping.query(collection, query, config),
        null,
        false);
  }

  /**
   * Builds a {@code Query} from the collection's spaces (checking the input before any request) and
   * sends it; the hits carry the vector {@code using} when {@code withVectors}.
   */
  private CompletableFuture<List<ScoredPoint>> sendQuery(
      String operation,
      String collection,
      Function<MultiVectorConfig, Points.QueryPoints> build,
      @Nullable String using,
      boolean withVectors) {
    return withConfig(
        collection,
        (config, deadline) -> {
          Points.QueryPoints request = build.apply(config);
          return store
              .call(operation, collection, t -> store.stubs.points(t).query(request), deadline)
              .thenApply(
                  hits -> QdrantMultiMapping.scored(hits.getResultList(), using, withVectors));
        });
  }

  // ---- vector spaces ----

  @Override
  public CompletableFuture<Void> createVectorName(
      String collection, String name, DenseVectorConfig config) {
    QdrantRequests.checkName(collection);
    QdrantMultiMapping.checkVectorName(name, "name", true);
    Objects.requireNonNull(config, "config");
    return createSpace(
        collection,
        name,
        QdrantMultiMapping.createDense(collection, name, config),
        c -> c.withDense(name, config));
  }

  @Override
  public CompletableFuture<Void> createSparseVectorName(
      String collection, String name, SparseVectorParams params) {
    QdrantRequests.checkName(collection);
    QdrantMultiMapping.checkVectorName(name, "name", false);
    Objects.requireNonNull(params, "params");
    return createSpace(
        collection,
        name,
        QdrantMultiMapping.createSparse(collection, name, params),
        c -> c.withSparse(name, params));
  }

  private CompletableFuture<Void> createSpace(
      String collection,
      String name,
      Points.CreateVectorNameRequest request,
      UnaryOperator<MultiVectorConfig> change) {
    return changeSpaces(
        "create vector name",
        collection,
        name,
        true,
        t -> store.stubs.points(t).createVectorName(request),
        change);
  }

  @Override
  public CompletableFuture<Void> deleteVectorName(String collection, String name) {
    QdrantRequests.checkName(collection);
    requireName(name, "name");
    var request = QdrantMultiMapping.deleteVectorName(collection, name);
    return changeSpaces(
        "delete vector name",
        collection,
        name,
        false,
        t -> store.stubs.points(t).deleteVectorName(request),
        c -> c.without(name));
  }

  /**
   * Sends a change of the collection's spaces once (a second attempt after a lost reply would fail
   * where the first succeeded), after checking that the name is new ({@code creating}) or exists,
   * and caches the spaces it leaves.
   */
  private CompletableFuture<Void> changeSpaces(
      String operation,
      String collection,
      String name,
      boolean creating,
      Function<Duration, ListenableFuture<Points.PointsOperationResponse>> rpc,
      UnaryOperator<MultiVectorConfig> after) {
    return withConfig(
        collection,
        (config, deadline) -> {
          if (config.hasVector(name) == creating) {
            throw new InvalidInputException(
                "name",
                creating
                    ? "a vector name collection '" + collection + "' does not have yet"
                    : "a vector name of collection '"
                        + collection
                        + "' "
                        + config.dense().keySet()
                        + " "
                        + config.sparse().keySet(),
                name);
          }
          return store
              .callOnce(operation, collection, rpc, deadline)
              .thenApply(
                  r -> {
                    remember(collection, after.apply(config));
                    return null;
                  });
        });
  }

  private static void requireName(@Nullable String name, String field) {
    if (name == null) {
      throw new InvalidInputException(field, "a vector name", null);
    }
  }
}
