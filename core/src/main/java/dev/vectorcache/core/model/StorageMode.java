package dev.vectorcache.core.model;

/** Where the original vectors of a collection live. */
public enum StorageMode {
  /** On the heap (embedded engine) or in RAM (Qdrant {@code on_disk=false}). */
  IN_MEMORY,
  /** Memory-mapped from a file: off the heap, paged in by the OS (Qdrant {@code on_disk=true}). */
  MMAP,
  /**
   * Memory-mapped, and the HNSW graph and payload on disk too (Qdrant {@code on_disk=true}, {@code
   * hnsw_config.on_disk=true}, {@code on_disk_payload=true}).
   */
  ON_DISK
}
