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
import org.jspecify.annotations.Nullable;

/**
 * Port to a vector database, blocking form. Semantics follow the Qdrant server (see the project's
 * DESIGN.md): Cosine vectors are normalised on insert and query, Euclid/Manhattan scores are
 * distances (smaller first), score thresholds are strict, writes return once applied.
 *
 * <p>Every method throws {@link dev.vectorcache.core.exception.CollectionNotFoundException} for a
 * missing collection, {@link dev.vectorcache.core.exception.InvalidInputException} (before any I/O)
 * for bad input, and the {@link dev.vectorcache.core.exception.BackendException} subclasses for
 * backend failures. Instances are thread-safe.
 */
public interface VectorStore extends AutoCloseable {

  /**
   * Creates a collection.
   *
   * @throws dev.vectorcache.core.exception.CollectionAlreadyExistsException when the name is taken
   * @throws dev.vectorcache.core.exception.UnsupportedCapabilityException for a setting the backend
   *     cannot honour
   */
  void createCollection(String name, CollectionConfig config);

  boolean collectionExists(String name);

  /** The collection's configuration, size and memory use. */
  CollectionInfo collectionInfo(String name);

  /** Deletes a collection; returns false when there was none. */
  boolean deleteCollection(String name);

  List<String> listCollections();

  /** Inserts or replaces points by id; returns once the write is applied. */
  void upsert(String collection, List<PointStruct> points);

  /** Points with these ids, in the order given, skipping ids that do not exist. */
  List<RetrievedPoint> retrieve(
      String collection, Collection<PointId> ids, PayloadSelector withPayload, boolean withVectors);

  /** Deletes points by id; missing ids are ignored. */
  void delete(String collection, Collection<PointId> ids);

  /** Deletes every point the filter matches. */
  void deleteByFilter(String collection, Filter filter);

  /** Nearest neighbours, best first. */
  List<ScoredPoint> search(String collection, SearchRequest request);

  /** Exact number of points matching {@code filter} ({@code null} for all). */
  long count(String collection, @Nullable Filter filter);

  /** A page of points in id order (numeric ids first, then UUIDs). */
  ScrollPage scroll(String collection, ScrollRequest request);

  /**
   * Merges {@code payload} into the payload of each point.
   *
   * @throws dev.vectorcache.core.exception.PointNotFoundException when an id does not exist
   */
  void setPayload(String collection, Collection<PointId> ids, Map<String, ?> payload);

  /** Replaces the whole payload of each point. */
  void overwritePayload(String collection, Collection<PointId> ids, Map<String, ?> payload);

  /** Removes these keys from the payload of each point. */
  void deletePayloadKeys(String collection, Collection<PointId> ids, Collection<String> keys);

  /** Removes the whole payload of each point. */
  void clearPayload(String collection, Collection<PointId> ids);

  /** Creates a payload index on {@code field}. Indexes change speed, not results. */
  void createPayloadIndex(String collection, String field, PayloadSchemaType type);

  /** Pings the backend. */
  BackendInfo ping();

  /** Whether an optional feature is applied for real by this store. */
  boolean isSupported(Capability capability);

  /** The non-blocking form of this same store (sharing its connections). */
  AsyncVectorStore async();

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

  /** Releases connections and threads. Idempotent. */
  @Override
  void close();
}
