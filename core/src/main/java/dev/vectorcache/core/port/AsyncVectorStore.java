package dev.vectorcache.core.port;

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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Port to a vector database, non-blocking form: the same operations and semantics as {@link
 * VectorStore}, each completing a {@link CompletableFuture}. Invalid input throws immediately (no
 * future is returned); backend failures complete the future exceptionally with the library's
 * exceptions (never a client library's).
 */
public interface AsyncVectorStore extends AutoCloseable {
  CompletableFuture<Void> createCollection(String name, CollectionConfig config);

  CompletableFuture<Boolean> collectionExists(String name);

  CompletableFuture<CollectionInfo> collectionInfo(String name);

  CompletableFuture<Boolean> deleteCollection(String name);

  CompletableFuture<List<String>> listCollections();

  CompletableFuture<Void> upsert(String collection, List<PointStruct> points);

  CompletableFuture<List<RetrievedPoint>> retrieve(
      String collection, Collection<PointId> ids, PayloadSelector withPayload, boolean withVectors);

  CompletableFuture<Void> delete(String collection, Collection<PointId> ids);

  CompletableFuture<Void> deleteByFilter(String collection, Filter filter);

  CompletableFuture<List<ScoredPoint>> search(String collection, SearchRequest request);

  CompletableFuture<Long> count(String collection, @Nullable Filter filter);

  CompletableFuture<ScrollPage> scroll(String collection, ScrollRequest request);

  CompletableFuture<Void> setPayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload);

  CompletableFuture<Void> overwritePayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload);

  CompletableFuture<Void> deletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys);

  CompletableFuture<Void> clearPayload(String collection, Collection<PointId> ids);

  CompletableFuture<Void> createPayloadIndex(
      String collection, String field, PayloadSchemaType type);

  CompletableFuture<BackendInfo> ping();

  boolean isSupported(Capability capability);

  /** The blocking form of this same store. */
  VectorStore blocking();

  /**
   * The native client or implementation object, for what the port does not cover.
   *
   * @throws IllegalArgumentException when this store cannot be unwrapped to {@code type}
   */
  default <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException(
        getClass().getName() + " cannot be unwrapped to " + type.getName());
  }

  /**
   * An optional extension of this port, or empty when the store does not offer it.
   *
   * <p>This is how the ports grow: a new feature (batch search, aliases, named or sparse vectors…)
   * is defined once, as an extension interface in {@code CompletableFuture} form, advertised by a
   * {@link Capability} flag and reached through this method, instead of adding methods to both the
   * blocking and the non-blocking port. A store that implements an extension returns it here; the
   * bridges between the two forms forward the call to the store they wrap. The default returns
   * empty.
   *
   * @param type the extension interface
   * @param <T> the extension type
   * @return the extension, or empty when this store does not implement it
   */
  default <T> Optional<T> extension(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return Optional.empty();
  }

  @Override
  void close();
}
