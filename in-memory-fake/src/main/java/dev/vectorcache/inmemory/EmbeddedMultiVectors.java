package dev.vectorcache.inmemory;

import dev.vectorcache.core.adapter.Futures;
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
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@link MultiVectors} of the embedded engine, run inline like its async form: named dense vectors,
 * sparse vectors and hybrid queries, kept by {@link InMemoryVectorStore} in {@link
 * MultiVectorCollection}s. A write (or a new vector name) on a single-vector collection makes it a
 * multi-vector one whose dense space {@code ""} is its vector; reads answer it as it is.
 */
final class EmbeddedMultiVectors implements MultiVectors {
  private final InMemoryVectorStore store;

  EmbeddedMultiVectors(InMemoryVectorStore store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<Void> createCollection(String name, MultiVectorConfig config) {
    return Futures.run(() -> store.createCollection(name, config));
  }

  @Override
  public CompletableFuture<MultiVectorConfig> vectorsConfig(String collection) {
    return Futures.now(() -> store.vectorsConfig(collection));
  }

  @Override
  public CompletableFuture<Void> upsert(String collection, List<MultiVectorPoint> points) {
    return Futures.run(() -> store.upsertPoints(collection, points));
  }

  @Override
  public CompletableFuture<Void> updateVectors(String collection, List<MultiVectorPoint> points) {
    return Futures.run(() -> store.updateVectors(collection, points));
  }

  @Override
  public CompletableFuture<Void> deleteVectors(
      String collection, Collection<PointId> ids, Set<String> vectorNames) {
    return Futures.run(() -> store.deleteVectors(collection, ids, vectorNames));
  }

  @Override
  public CompletableFuture<List<MultiVectorPoint>> retrieve(
      String collection, Collection<PointId> ids, PayloadSelector payload, boolean withVectors) {
    return Futures.now(() -> store.retrieveVectors(collection, ids, payload, withVectors));
  }

  @Override
  public CompletableFuture<List<ScoredPoint>> search(
      String collection, String using, SearchRequest request) {
    return Futures.now(() -> store.search(collection, using, request));
  }

  @Override
  public CompletableFuture<List<ScoredPoint>> searchSparse(
      String collection, String using, SparseSearch request) {
    return Futures.now(() -> store.searchSparse(collection, using, request));
  }

  @Override
  public CompletableFuture<List<ScoredPoint>> query(String collection, HybridQuery query) {
    return Futures.now(() -> store.query(collection, query));
  }

  @Override
  public CompletableFuture<Void> createVectorName(
      String collection, String name, DenseVectorConfig config) {
    return Futures.run(() -> store.createVectorName(collection, name, config));
  }

  @Override
  public CompletableFuture<Void> createSparseVectorName(
      String collection, String name, SparseVectorParams params) {
    return Futures.run(() -> store.createSparseVectorName(collection, name, params));
  }

  @Override
  public CompletableFuture<Void> deleteVectorName(String collection, String name) {
    return Futures.run(() -> store.deleteVectorName(collection, name));
  }
}
