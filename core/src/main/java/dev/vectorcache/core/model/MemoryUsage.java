package dev.vectorcache.core.model;

/**
 * Bytes a collection holds, as far as the backend can tell; {@code -1} where it cannot.
 *
 * @param heapBytes bytes on the Java heap (embedded engine)
 * @param offHeapBytes bytes in native memory outside the heap, not file-backed
 * @param mappedBytes bytes of memory-mapped files (paged in by the OS on demand)
 */
public record MemoryUsage(long heapBytes, long offHeapBytes, long mappedBytes) {
  /** A backend that cannot measure memory (a remote Qdrant, for one). */
  public static final MemoryUsage UNKNOWN = new MemoryUsage(-1, -1, -1);

  public boolean isKnown() {
    return heapBytes >= 0;
  }
}
