package dev.vectorcache.core.adapter;

import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.VectorStore;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The non-blocking form of an in-process {@link VectorStore} whose calls never wait on I/O: each
 * call runs on the caller's thread and returns a completed future. Not for stores that do I/O.
 */
public final class InlineAsyncVectorStore implements AsyncVectorStore {
  private final VectorStore store;

  public InlineAsyncVectorStore(VectorStore store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<Void> createCollection(String name, CollectionConfig config) {
    return Futures.run(() -> store.createCollection(name, config));
  }

  @Override
  public CompletableFuture<Boolean> collectionExists(String name) {
    return Futures.now(() -> store.collectionExists(name));
  }

  @Override
  public CompletableFuture<CollectionInfo> collectionInfo(String name) {
    return Futures.now(() -> store.collectionInfo(name));
  }

  @Override
  public CompletableFuture<Boolean> deleteCollection(String name) {
    return Futures.now(() -> store.deleteCollection(name));
  }

  @Override
  public CompletableFuture<List<String>> listCollections() {
    return Futures.now(store::listCollections);
  }

  @Override
  public CompletableFuture<Void> upsert(String collection, List<PointStruct> points) {
    return Futures.run(() -> store.upsert(collection, points));
  }

  @Override
  public CompletableFuture<List<RetrievedPoint>> retrieve(
      String collection,
      Collection<PointId> ids,
      PayloadSelector withPayload,
      boolean withVectors) {
    return Futures.now(() -> store.retrieve(collection, ids, withPayload, withVectors));
  }

  @Override
  public CompletableFuture<Void> delete(String collection, Collection<PointId> ids) {
    return Futures.run(() -> store.delete(collection, ids));
  }

  @Override
  public CompletableFuture<Void> deleteByFilter(String collection, Filter filter) {
    return Futures.run(() -> store.deleteByFilter(collection, filter));
  }

  @Override
  public CompletableFuture<List<ScoredPoint>> search(String collection, SearchRequest request) {
    return Futures.now(() -> store.search(collection, request));
  }

  @Override
  public CompletableFuture<Long> count(String collection, @Nullable Filter filter) {
    return Futures.now(() -> store.count(collection, filter));
  }

  @Override
  public CompletableFuture<ScrollPage> scroll(String collection, ScrollRequest request) {
    return Futures.now(() -> store.scroll(collection, request));
  }

  @Override
  public CompletableFuture<Void> setPayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload) {
    return Futures.run(() -> store.setPayload(collection, ids, payload));
  }

  @Override
  public CompletableFuture<Void> overwritePayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload) {
    return Futures.run(() -> store.overwritePayload(collection, ids, payload));
  }

  @Override
  public CompletableFuture<Void> deletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys) {
    return Futures.run(() -> store.deletePayloadKeys(collection, ids, keys));
  }

  @Override
  public CompletableFuture<Void> clearPayload(String collection, Collection<PointId> ids) {
    return Futures.run(() -> store.clearPayload(collection, ids));
  }

  @Override
  public CompletableFuture<Void> createPayloadIndex(
      String collection, String field, PayloadSchemaType type) {
    return Futures.run(() -> store.createPayloadIndex(collection, field, type));
  }

  @Override
  public CompletableFuture<BackendInfo> ping() {
    return Futures.now(store::ping);
  }

  @Override
  public boolean isSupported(Capability capability) {
    return store.isSupported(capability);
  }

  @Override
  public VectorStore blocking() {
    return store;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    return type.isInstance(this) ? type.cast(this) : store.unwrap(type);
  }

  @Override
  public <T> Optional<T> extension(Class<T> type) {
    return store.extension(type);
  }

  @Override
  public void close() {
    store.close();
  }
}
