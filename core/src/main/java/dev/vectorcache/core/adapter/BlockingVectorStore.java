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
import org.jspecify.annotations.Nullable;

/**
 * The blocking form of a natively asynchronous {@link AsyncVectorStore}: each call waits for the
 * future. The async store's own deadline bounds the wait. Adapters may extend it to give the
 * blocking form their own name.
 */
public class BlockingVectorStore implements VectorStore {
  private final AsyncVectorStore store;

  public BlockingVectorStore(AsyncVectorStore store) {
    this.store = store;
  }

  @Override
  public void createCollection(String name, CollectionConfig config) {
    Futures.join(store.createCollection(name, config));
  }

  @Override
  public boolean collectionExists(String name) {
    return Futures.join(store.collectionExists(name));
  }

  @Override
  public CollectionInfo collectionInfo(String name) {
    return Futures.join(store.collectionInfo(name));
  }

  @Override
  public boolean deleteCollection(String name) {
    return Futures.join(store.deleteCollection(name));
  }

  @Override
  public List<String> listCollections() {
    return Futures.join(store.listCollections());
  }

  @Override
  public void upsert(String collection, List<PointStruct> points) {
    Futures.join(store.upsert(collection, points));
  }

  @Override
  public List<RetrievedPoint> retrieve(
      String collection,
      Collection<PointId> ids,
      PayloadSelector withPayload,
      boolean withVectors) {
    return Futures.join(store.retrieve(collection, ids, withPayload, withVectors));
  }

  @Override
  public void delete(String collection, Collection<PointId> ids) {
    Futures.join(store.delete(collection, ids));
  }

  @Override
  public void deleteByFilter(String collection, Filter filter) {
    Futures.join(store.deleteByFilter(collection, filter));
  }

  @Override
  public List<ScoredPoint> search(String collection, SearchRequest request) {
    return Futures.join(store.search(collection, request));
  }

  @Override
  public long count(String collection, @Nullable Filter filter) {
    return Futures.join(store.count(collection, filter));
  }

  @Override
  public ScrollPage scroll(String collection, ScrollRequest request) {
    return Futures.join(store.scroll(collection, request));
  }

  @Override
  public void setPayload(String collection, Collection<PointId> ids, Map<String, ?> payload) {
    Futures.join(store.setPayload(collection, ids, payload));
  }

  @Override
  public void overwritePayload(String collection, Collection<PointId> ids, Map<String, ?> payload) {
    Futures.join(store.overwritePayload(collection, ids, payload));
  }

  @Override
  public void deletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys) {
    Futures.join(store.deletePayloadKeys(collection, ids, keys));
  }

  @Override
  public void clearPayload(String collection, Collection<PointId> ids) {
    Futures.join(store.clearPayload(collection, ids));
  }

  @Override
  public void createPayloadIndex(String collection, String field, PayloadSchemaType type) {
    Futures.join(store.createPayloadIndex(collection, field, type));
  }

  @Override
  public BackendInfo ping() {
    return Futures.join(store.ping());
  }

  @Override
  public boolean isSupported(Capability capability) {
    return store.isSupported(capability);
  }

  @Override
  public AsyncVectorStore async() {
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
