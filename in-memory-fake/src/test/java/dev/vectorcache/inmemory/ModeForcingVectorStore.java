package dev.vectorcache.inmemory;

import dev.vectorcache.core.adapter.InlineAsyncVectorStore;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.VectorStore;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a contract kit against the engine in one storage/quantization mode: a plain collection
 * config (in memory, no quantization) is created with {@code mode} and {@code quantization}
 * instead, so every search, write and scan of the contract goes through that mode. {@link
 * #collectionInfo} reports the config as the caller asked for it, so the contract's echo checks
 * still apply; configs that already choose memory settings are passed through untouched.
 */
final class ModeForcingVectorStore implements VectorStore {
  private final InMemoryVectorStore delegate;
  private final StorageMode mode;
  private final QuantizationConfig quantization;
  private final boolean onDiskPayload;
  private final Map<String, CollectionConfig> requested = new ConcurrentHashMap<>();
  private final AsyncVectorStore async = new InlineAsyncVectorStore(this);

  ModeForcingVectorStore(StorageMode mode, QuantizationConfig quantization) {
    this(mode, quantization, false);
  }

  /** As above; {@code onDiskPayload} also forces {@code on_disk_payload=true}. */
  ModeForcingVectorStore(StorageMode mode, QuantizationConfig quantization, boolean onDiskPayload) {
    this.delegate = new InMemoryVectorStore();
    this.mode = mode;
    this.quantization = quantization;
    this.onDiskPayload = onDiskPayload;
  }

  InMemoryVectorStore delegate() {
    return delegate;
  }

  @Override
  public void createCollection(String name, CollectionConfig config) {
    if (config != null
        && config.storageMode() == StorageMode.IN_MEMORY
        && config.quantization() == null) {
      CollectionConfig forced =
          config.toBuilder()
              .storageMode(mode)
              .quantization(quantization)
              .onDiskPayload(config.onDiskPayload() || onDiskPayload)
              .build();
      delegate.createCollection(name, forced);
      requested.put(name, config);
    } else {
      delegate.createCollection(name, config);
    }
  }

  @Override
  public boolean collectionExists(String name) {
    return delegate.collectionExists(name);
  }

  @Override
  public CollectionInfo collectionInfo(String name) {
    CollectionInfo info = delegate.collectionInfo(name);
    CollectionConfig asked = requested.get(name);
    return asked == null
        ? info
        : new CollectionInfo(info.name(), asked, info.pointsCount(), info.status(), info.memory());
  }

  @Override
  public boolean deleteCollection(String name) {
    boolean deleted = delegate.deleteCollection(name);
    if (deleted) {
      requested.remove(name);
    }
    return deleted;
  }

  @Override
  public List<String> listCollections() {
    return delegate.listCollections();
  }

  @Override
  public void upsert(String collection, List<PointStruct> points) {
    delegate.upsert(collection, points);
  }

  @Override
  public List<RetrievedPoint> retrieve(
      String collection,
      Collection<PointId> ids,
      PayloadSelector withPayload,
      boolean withVectors) {
    return delegate.retrieve(collection, ids, withPayload, withVectors);
  }

  @Override
  public void delete(String collection, Collection<PointId> ids) {
    delegate.delete(collection, ids);
  }

  @Override
  public void deleteByFilter(String collection, Filter filter) {
    delegate.deleteByFilter(collection, filter);
  }

  @Override
  public List<ScoredPoint> search(String collection, SearchRequest request) {
    return delegate.search(collection, request);
  }

  @Override
  public long count(String collection, Filter filter) {
    return delegate.count(collection, filter);
  }

  @Override
  public ScrollPage scroll(String collection, ScrollRequest request) {
    return delegate.scroll(collection, request);
  }

  @Override
  public void setPayload(String collection, Collection<PointId> ids, Map<String, ?> payload) {
    delegate.setPayload(collection, ids, payload);
  }

  @Override
  public void overwritePayload(String collection, Collection<PointId> ids, Map<String, ?> payload) {
    delegate.overwritePayload(collection, ids, payload);
  }

  @Override
  public void deletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys) {
    delegate.deletePayloadKeys(collection, ids, keys);
  }

  @Override
  public void clearPayload(String collection, Collection<PointId> ids) {
    delegate.clearPayload(collection, ids);
  }

  @Override
  public void createPayloadIndex(String collection, String field, PayloadSchemaType type) {
    delegate.createPayloadIndex(collection, field, type);
  }

  @Override
  public BackendInfo ping() {
    return delegate.ping();
  }

  @Override
  public boolean isSupported(Capability capability) {
    return delegate.isSupported(capability);
  }

  @Override
  public AsyncVectorStore async() {
    return async;
  }

  /**
   * The engine's own extensions (cluster requests, aliases, batch search), on its collections as
   * created.
   */
  @Override
  public <T> Optional<T> extension(Class<T> type) {
    return delegate.extension(type);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
