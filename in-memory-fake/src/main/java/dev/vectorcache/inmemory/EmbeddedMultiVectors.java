package dev.vectorcache.inmemory;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.HybridQuery;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.SparseSearch;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.model.VectorSearch;
import dev.vectorcache.core.port.MultiVectors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * {@link MultiVectors} of the embedded engine, run inline like its async form: named dense vectors,
 * sparse vectors and hybrid queries, kept in {@link MultiVectorCollection}s of the store's {@link
 * CollectionTable}. A write (or a new vector name) on a single-vector collection makes it a
 * multi-vector one whose dense space {@code ""} is its vector; reads answer it as it is, through
 * the store's port operations.
 */
final class EmbeddedMultiVectors implements MultiVectors {
  private final InMemoryVectorStore store;
  private final CollectionTable table;

  EmbeddedMultiVectors(InMemoryVectorStore store, CollectionTable table) {
    this.store = store;
    this.table = table;
  }

  @Override
  public CompletableFuture<Void> createCollection(String name, MultiVectorConfig config) {
    return Futures.run(
        () -> {
          InMemoryVectorStore.checkName(name);
          Objects.requireNonNull(config, "config");
          table.checkOpen();
          store.logged(
              () -> table.addMulti(name, config),
              () -> WalRecords.multiCreateCollection(name, config));
        });
  }

  @Override
  public CompletableFuture<MultiVectorConfig> vectorsConfig(String collection) {
    return Futures.now(
        () ->
            table.read(
                collection,
                List.of(),
                MultiVectorCollection::vectorsConfig,
                c -> MultiVectorConfig.from(c.config())));
  }

  @Override
  public CompletableFuture<Void> upsert(String collection, List<MultiVectorPoint> points) {
    return Futures.run(
        () ->
            store.logged(
                () -> table.multiFor(collection).upsert(points),
                () -> WalRecords.multiPoints(WalRecords.MULTI_UPSERT, collection, points)));
  }

  @Override
  public CompletableFuture<Void> updateVectors(String collection, List<MultiVectorPoint> points) {
    return Futures.run(
        () ->
            store.logged(
                () -> table.multiFor(collection).updateVectors(points),
                () -> WalRecords.multiPoints(WalRecords.MULTI_UPDATE_VECTORS, collection, points)));
  }

  @Override
  public CompletableFuture<Void> deleteVectors(
      String collection, Collection<PointId> ids, Set<String> vectorNames) {
    return Futures.run(
        () -> {
          List<PointId> checked = EngineInputs.checkIds(ids);
          store.logged(
              () -> table.multiFor(collection).deleteVectors(checked, vectorNames),
              () -> WalRecords.multiDeleteVectors(collection, checked, vectorNames));
        });
  }

  @Override
  public CompletableFuture<List<MultiVectorPoint>> retrieve(
      String collection, Collection<PointId> ids, PayloadSelector payload, boolean withVectors) {
    return Futures.now(() -> retrieveVectors(collection, ids, payload, withVectors));
  }

  private List<MultiVectorPoint> retrieveVectors(
      String collection,
      Collection<PointId> ids,
      @Nullable PayloadSelector payload,
      boolean withVectors) {
    List<PointId> checked = EngineInputs.checkIds(ids);
    PayloadSelector selector = payload == null ? PayloadSelector.ALL : payload;
    return table.read(
        collection,
        List.of(),
        m -> m.retrieveAll(checked, selector, withVectors),
        c -> {
          List<MultiVectorPoint> out = new ArrayList<>();
          for (RetrievedPoint p : c.retrieve(checked, selector, withVectors, ReadOptions.DEFAULT)) {
            float[] v = p.vector();
            out.add(
                MultiVectorPoint.of(
                    p.id(), v == null ? Map.of() : Map.of("", v), Map.of(), p.payload()));
          }
          return out;
        });
  }

  @Override
  public CompletableFuture<List<ScoredPoint>> search(
      String collection, String using, SearchRequest request) {
    return Futures.now(
        () -> {
          Objects.requireNonNull(using, "using");
          Objects.requireNonNull(request, "request");
          return table.read(
              collection,
              List.of(),
              m -> m.search(using, "using", request),
              c -> {
                if (!using.isEmpty()) {
                  throw new InvalidInputException(
                      "using",
                      "a dense vector name of collection " + collection + ": [\"\"]",
                      using);
                }
                return store.search(collection, request);
              });
        });
  }

  @Override
  public CompletableFuture<List<ScoredPoint>> searchSparse(
      String collection, String using, SparseSearch request) {
    return Futures.now(
        () -> {
          Objects.requireNonNull(using, "using");
          Objects.requireNonNull(request, "request");
          return table.read(
              collection,
              List.of(),
              m -> m.searchSparse(using, request),
              c -> {
                throw new InvalidInputException(
                    "using", "a sparse vector name of collection " + collection + ": []", using);
              });
        });
  }

  @Override
  public CompletableFuture<List<ScoredPoint>> query(String collection, HybridQuery query) {
    return Futures.now(
        () -> {
          Objects.requireNonNull(query, "query");
          return table.read(
              collection, List.of(), m -> m.query(query), c -> queryUnnamed(collection, query));
        });
  }

  /**
   * A hybrid query of a single-vector collection (not made a multi-vector one by a read): only
   * searches of its unnamed vector can be fused.
   */
  private List<ScoredPoint> queryUnnamed(String collection, HybridQuery query) {
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
      List<ScoredPoint> hits = store.search(collection, r);
      hits.forEach(h -> ids.add(h.id()));
      lists.add(hits);
    }
    Map<PointId, Map<String, Object>> payloads = new HashMap<>();
    for (RetrievedPoint p : store.retrieve(collection, ids, query.withPayload(), false)) {
      payloads.put(p.id(), p.payload());
    }
    return FusedHits.of(
        query,
        lists,
        id -> {
          Map<String, Object> p = payloads.get(id);
          return p != null ? p : Map.of();
        });
  }

  @Override
  public CompletableFuture<Void> createVectorName(
      String collection, String name, DenseVectorConfig config) {
    return Futures.run(
        () -> {
          Objects.requireNonNull(name, "name");
          Objects.requireNonNull(config, "config");
          store.logged(
              () -> table.multiFor(collection).createDense(name, config),
              () -> WalRecords.multiCreateDense(collection, name, config));
        });
  }

  @Override
  public CompletableFuture<Void> createSparseVectorName(
      String collection, String name, SparseVectorParams params) {
    return Futures.run(
        () -> {
          Objects.requireNonNull(name, "name");
          Objects.requireNonNull(params, "params");
          if (name.isEmpty()) {
            throw new InvalidInputException(
                "name", "a non-empty sparse vector name (\"\" is the unnamed dense vector)", name);
          }
          store.logged(
              () -> table.multiFor(collection).createSparse(name, params),
              () -> WalRecords.multiCreateSparse(collection, name, params));
        });
  }

  @Override
  public CompletableFuture<Void> deleteVectorName(String collection, String name) {
    return Futures.run(
        () -> {
          Objects.requireNonNull(name, "name");
          store.logged(
              () -> table.multiFor(collection).deleteVectorName(name),
              () -> WalRecords.multiDeleteVectorName(collection, name));
        });
  }
}
