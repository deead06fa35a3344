package dev.vectorcache.core.port;

import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.WriteOptions;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Extension of the vector-store port (reached with {@code extension(ClusterRequests.class)},
 * advertised as {@link dev.vectorcache.core.model.Capability#CLUSTER_REQUESTS}): the point
 * operations of {@link AsyncVectorStore} with the options of a distributed Qdrant — read
 * consistency and shard keys on reads ({@link ReadOptions}), write ordering and shard keys on
 * writes ({@link WriteOptions}) — and the shard keys of collections with {@link
 * dev.vectorcache.core.model.ShardingMethod#CUSTOM} sharding.
 *
 * <p>Semantics follow Qdrant: a write to a custom-sharded collection must name its shard key (an
 * upsert naming several keys stores the points under each); a read that names no key reads every
 * key; a key the collection does not have is an error. Options left unset are not sent, so the
 * server's defaults apply; with {@link ReadOptions#DEFAULT} and {@link WriteOptions#DEFAULT} every
 * method behaves exactly as its counterpart on the port. Invalid input throws at once, before any
 * I/O, as on the port.
 */
public interface ClusterRequests {

  /**
   * Creates a shard key on a custom-sharded collection.
   *
   * @throws dev.vectorcache.core.exception.InvalidInputException for a bad key, before any I/O
   */
  CompletableFuture<Void> createShardKey(String collection, ShardKey key);

  /** Deletes a shard key and every point stored under it. */
  CompletableFuture<Void> deleteShardKey(String collection, ShardKey key);

  /** The shard keys of a collection (empty with automatic sharding). */
  CompletableFuture<List<ShardKey>> listShardKeys(String collection);

  /** {@link AsyncVectorStore#upsert} under the shard keys of {@code options}. */
  CompletableFuture<Void> upsert(String collection, List<PointStruct> points, WriteOptions options);

  /** {@link AsyncVectorStore#retrieve} from the shard keys of {@code options}. */
  CompletableFuture<List<RetrievedPoint>> retrieve(
      String collection,
      Collection<PointId> ids,
      PayloadSelector withPayload,
      boolean withVectors,
      ReadOptions options);

  /** {@link AsyncVectorStore#delete} in the shard keys of {@code options}. */
  CompletableFuture<Void> delete(String collection, Collection<PointId> ids, WriteOptions options);

  /** {@link AsyncVectorStore#deleteByFilter} in the shard keys of {@code options}. */
  CompletableFuture<Void> deleteByFilter(String collection, Filter filter, WriteOptions options);

  /** {@link AsyncVectorStore#search} over the shard keys of {@code options}. */
  CompletableFuture<List<ScoredPoint>> search(
      String collection, SearchRequest request, ReadOptions options);

  /** {@link AsyncVectorStore#count} over the shard keys of {@code options}. */
  CompletableFuture<Long> count(String collection, @Nullable Filter filter, ReadOptions options);

  /** {@link AsyncVectorStore#scroll} over the shard keys of {@code options}. */
  CompletableFuture<ScrollPage> scroll(
      String collection, ScrollRequest request, ReadOptions options);

  /** {@link AsyncVectorStore#setPayload} in the shard keys of {@code options}. */
  CompletableFuture<Void> setPayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload, WriteOptions options);

  /** {@link AsyncVectorStore#overwritePayload} in the shard keys of {@code options}. */
  CompletableFuture<Void> overwritePayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload, WriteOptions options);

  /** {@link AsyncVectorStore#deletePayloadKeys} in the shard keys of {@code options}. */
  CompletableFuture<Void> deletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys, WriteOptions options);

  /** {@link AsyncVectorStore#clearPayload} in the shard keys of {@code options}. */
  CompletableFuture<Void> clearPayload(
      String collection, Collection<PointId> ids, WriteOptions options);
}
