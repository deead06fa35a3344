package dev.vectorcache.core.model;

/**
 * Optional features a store may support; ask with {@code isSupported} instead of relying on a
 * silent no-op.
 */
public enum Capability {
  /** Scalar int8 quantization is applied for real. */
  SCALAR_QUANTIZATION,
  /** Product quantization is applied for real. */
  PRODUCT_QUANTIZATION,
  /** Binary quantization is applied for real. */
  BINARY_QUANTIZATION,
  /** Memory-mapped vector storage. */
  MMAP_STORAGE,
  /** Memory use per collection can be reported. */
  MEMORY_USAGE_REPORT,
  /** Full-text match uses a tokenizing index instead of substring matching. */
  FULL_TEXT_INDEX,
  /** Publish/subscribe across processes (not only within one JVM). */
  CROSS_PROCESS_PUBSUB,
  /**
   * Copy writes (with a server-side compare-and-set on the version) and events pipelined in one
   * round trip: {@link dev.vectorcache.core.port.BatchMetadataWrites}.
   */
  BATCH_METADATA_WRITES,
  /**
   * Point operations with read consistency, write ordering and shard-key selectors, and the shard
   * keys of custom-sharded collections: {@link dev.vectorcache.core.port.ClusterRequests}.
   */
  CLUSTER_REQUESTS,
  /**
   * Sets of members ordered by a score, as Redis sorted sets: {@link
   * dev.vectorcache.core.port.ScoredSets}.
   */
  SCORED_SETS,
  /**
   * Several searches of one collection in one request, answered in order: {@link
   * dev.vectorcache.core.port.BatchSearch}.
   */
  BATCH_SEARCH,
  /**
   * Alternative names of collections, switched atomically, accepted wherever a collection name is
   * read: {@link dev.vectorcache.core.port.CollectionAliases}.
   */
  ALIASES,
  /**
   * Several dense vectors per point, each in a named space with its own dimension, distance and
   * index: {@link dev.vectorcache.core.port.MultiVectors}.
   */
  NAMED_VECTORS,
  /**
   * Sparse vectors (index/value pairs) searched by dot product, with Qdrant's IDF modifier: {@link
   * dev.vectorcache.core.port.MultiVectors#searchSparse}.
   */
  SPARSE_VECTORS,
  /**
   * Several searches fused into one ranking (RRF, DBSF): {@link
   * dev.vectorcache.core.port.MultiVectors#query}.
   */
  FUSION_QUERIES
}
