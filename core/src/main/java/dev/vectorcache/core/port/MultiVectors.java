package dev.vectorcache.core.port;

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
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Extension of the vector-store port (reached with {@code extension(MultiVectors.class)}): points
 * with several vectors, each in a space of its own — named dense vectors (advertised as {@link
 * dev.vectorcache.core.model.Capability#NAMED_VECTORS}), sparse vectors with an optional IDF
 * modifier ({@link dev.vectorcache.core.model.Capability#SPARSE_VECTORS}) and hybrid queries that
 * fuse several searches ({@link dev.vectorcache.core.model.Capability#FUSION_QUERIES}). Qdrant's
 * named vectors, sparse vectors and {@code Query} with prefetches and fusion.
 *
 * <p>A collection made here is a collection of the store: the port's point operations that do not
 * carry vectors work on it unchanged (delete, count, scroll and retrieve without vectors, the
 * payload writes, payload indexes, aliases, {@code collectionInfo}, {@code deleteCollection}). The
 * port's {@code upsert} and {@code search} use the unnamed vector {@code ""}, and fail with an
 * {@link dev.vectorcache.core.exception.InvalidInputException} naming the vector when the
 * collection has none. A collection made with {@link dev.vectorcache.core.model.CollectionConfig}
 * through the port is one with the single dense space {@code ""}: {@link #createVectorName} can add
 * spaces to it.
 *
 * <p>Input is checked before any I/O: vector names the collection does not have, dimensions,
 * non-finite components, zero vectors for Cosine. A point without a vector in a space is not a hit
 * of that space's searches.
 */
public interface MultiVectors {

  /**
   * Creates a collection with these vector spaces.
   *
   * @return a future failed with {@link
   *     dev.vectorcache.core.exception.CollectionAlreadyExistsException} when the name is taken (by
   *     a collection or an alias)
   */
  CompletableFuture<Void> createCollection(String name, MultiVectorConfig config);

  /**
   * The vector spaces of a collection (or of the collection an alias names); a collection made with
   * a single unnamed vector has the dense space {@code ""}.
   */
  CompletableFuture<MultiVectorConfig> vectorsConfig(String collection);

  /**
   * Inserts or replaces whole points: payload and every vector (a vector the point does not hold is
   * removed from it). All or nothing: a point with a vector name the collection lacks, or a vector
   * that does not fit its space, fails the call before anything is written.
   */
  CompletableFuture<Void> upsert(String collection, List<MultiVectorPoint> points);

  /**
   * Replaces only the vectors each point holds (Qdrant's {@code UpdateVectors}), keeping the
   * payload and the other vectors.
   *
   * @return a future failed with {@link dev.vectorcache.core.exception.PointNotFoundException} when
   *     a point does not exist, before anything is written
   */
  CompletableFuture<Void> updateVectors(String collection, List<MultiVectorPoint> points);

  /**
   * Removes the named vectors from the points (Qdrant's {@code DeleteVectors}); the points stay,
   * with their payload and other vectors. Points that do not exist are skipped.
   */
  CompletableFuture<Void> deleteVectors(
      String collection, Collection<PointId> ids, Set<String> vectorNames);

  /**
   * The points with their payload as selected and, when {@code withVectors}, every vector they
   * hold; ids that do not exist are skipped, duplicates answered once, in the order given.
   */
  CompletableFuture<List<MultiVectorPoint>> retrieve(
      String collection, Collection<PointId> ids, PayloadSelector payload, boolean withVectors);

  /**
   * A search of the dense space {@code using}, answered as the port's {@code search} answers a
   * single-vector collection; with {@code withVectors}, each hit carries its vector of that space.
   */
  CompletableFuture<List<ScoredPoint>> search(
      String collection, String using, SearchRequest request);

  /** A search of the sparse space {@code using} (hits never carry vectors). */
  CompletableFuture<List<ScoredPoint>> searchSparse(
      String collection, String using, SparseSearch request);

  /** Runs the query's searches and fuses their hits (hits never carry vectors). */
  CompletableFuture<List<ScoredPoint>> query(String collection, HybridQuery query);

  /**
   * Adds a dense vector space to an existing collection; existing points have no vector in it.
   *
   * @return a future failed with {@link dev.vectorcache.core.exception.InvalidInputException} when
   *     the collection already has a space of that name
   */
  CompletableFuture<Void> createVectorName(
      String collection, String name, DenseVectorConfig config);

  /** Adds a sparse vector space to an existing collection, as {@link #createVectorName}. */
  CompletableFuture<Void> createSparseVectorName(
      String collection, String name, SparseVectorParams params);

  /**
   * Deletes a vector space and every vector in it; the points stay.
   *
   * @return a future failed with {@link dev.vectorcache.core.exception.InvalidInputException} when
   *     the collection has no space of that name
   */
  CompletableFuture<Void> deleteVectorName(String collection, String name);
}
