package dev.vectorcache.testkit;

import dev.vectorcache.core.adapter.BlockingVectorStore;
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
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AsyncVectorStore} that forwards to another store's native async form, counting calls
 * per operation (named after the port's methods, for example {@code "upsert"}) and injecting
 * failures. Used to prove that bad input never reaches a store and to simulate failed or ambiguous
 * writes.
 */
public final class RecordingVectorStore implements AsyncVectorStore {
  private final AsyncVectorStore delegate;
  private final CallRecorder recorder = new CallRecorder();

  public RecordingVectorStore(VectorStore delegate) {
    this.delegate = delegate.async();
  }

  public RecordingVectorStore(AsyncVectorStore delegate) {
    this.delegate = delegate;
  }

  /** Counts and failure injection. */
  public CallRecorder recorder() {
    return recorder;
  }

  @Override
  public CompletableFuture<Void> createCollection(String name, CollectionConfig config) {
    return recorder.record("createCollection", () -> delegate.createCollection(name, config));
  }

  @Override
  public CompletableFuture<Boolean> collectionExists(String name) {
    return recorder.record("collectionExists", () -> delegate.collectionExists(name));
  }

  @Override
  public CompletableFuture<CollectionInfo> collectionInfo(String name) {
    return recorder.record("collectionInfo", () -> delegate.collectionInfo(name));
  }

  @Override
  public CompletableFuture<Boolean> deleteCollection(String name) {
    return recorder.record("deleteCollection", () -> delegate.deleteCollection(name));
  }

  @Override
  public CompletableFuture<List<String>> listCollections() {
    return recorder.record("listCollections", delegate::listCollections);
  }

  @Override
  public CompletableFuture<Void> upsert(String collection, List<PointStruct> points) {
    return recorder.record("upsert", () -> delegate.upsert(collection, points));
  }

  @Override
  public CompletableFuture<List<RetrievedPoint>> retrieve(
      String collection,
      Collection<PointId> ids,
      PayloadSelector withPayload,
      boolean withVectors) {
    return recorder.record(
        "retrieve", () -> delegate.retrieve(collection, ids, withPayload, withVectors));
  }

  @Override
  public CompletableFuture<Void> delete(String collection, Collection<PointId> ids) {
    return recorder.record("delete", () -> delegate.delete(collection, ids));
  }

  @Override
  public CompletableFuture<Void> deleteByFilter(String collection, Filter filter) {
    return recorder.record("deleteByFilter", () -> delegate.deleteByFilter(collection, filter));
  }

  @Override
  public CompletableFuture<List<ScoredPoint>> search(String collection, SearchRequest request) {
    return recorder.record("search", () -> delegate.search(collection, request));
  }

  @Override
  public CompletableFuture<Long> count(String collection, @Nullable Filter filter) {
    return recorder.record("count", () -> delegate.count(collection, filter));
  }

  @Override
  public CompletableFuture<ScrollPage> scroll(String collection, ScrollRequest request) {
    return recorder.record("scroll", () -> delegate.scroll(collection, request));
  }

  @Override
  public CompletableFuture<Void> setPayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload) {
    return recorder.record("setPayload", () -> delegate.setPayload(collection, ids, payload));
  }

  @Override
  public CompletableFuture<Void> overwritePayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload) {
    return recorder.record(
        "overwritePayload", () -> delegate.overwritePayload(collection, ids, payload));
  }

  @Override
  public CompletableFuture<Void> deletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys) {
    return recorder.record(
        "deletePayloadKeys", () -> delegate.deletePayloadKeys(collection, ids, keys));
  }

  @Override
  public CompletableFuture<Void> clearPayload(String collection, Collection<PointId> ids) {
    return recorder.record("clearPayload", () -> delegate.clearPayload(collection, ids));
  }

  @Override
  public CompletableFuture<Void> createPayloadIndex(
      String collection, String field, PayloadSchemaType type) {
    return recorder.record(
        "createPayloadIndex", () -> delegate.createPayloadIndex(collection, field, type));
  }

  @Override
  public CompletableFuture<BackendInfo> ping() {
    return recorder.record("ping", delegate::ping);
  }

  @Override
  public boolean isSupported(Capability capability) {
    return delegate.isSupported(capability);
  }

  @Override
  public VectorStore blocking() {
    return new BlockingVectorStore(this);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
