package dev.vectorcache.core.model;

/** Search index of a collection. */
public enum IndexType {
  /** Approximate graph index (Qdrant's default). */
  HNSW,
  /** Exact scan of every vector; with Qdrant, searches are sent with {@code exact=true}. */
  FLAT
}
