package dev.vectorcache.inmemory;

/**
 * Where a collection keeps its original vectors, addressed by slot (slots are handed out by the
 * collection). The engine never holds a {@code float[]} per point: a storage owns the bytes and
 * scores a query against a slot in place. Implementations: {@link HeapVectorStorage} (one packed
 * {@code float[]}) and {@link MappedVectorStorage} (a memory-mapped file).
 *
 * <p>Not thread-safe for writes: the owning collection guards it with its lock; scoring is safe
 * from many readers at once.
 */
interface VectorStorage extends AutoCloseable {
  int dimension();

  /** Makes slots {@code [0, slots)} writable. */
  void ensureCapacity(int slots);

  /** Overwrites the vector in {@code slot}. */
  void set(int slot, float[] vector);

  /** Zeroes {@code slot} (it was released). */
  void clear(int slot);

  /** A copy of the vector in {@code slot}. */
  float[] get(int slot);

  /** Scores a query against the vector in {@code slot}, in place. */
  float score(Kernels kernels, Metric metric, float[] query, int slot);

  /**
   * Scores a query against the {@code n} consecutive slots from {@code from} into {@code
   * out[0..n)}, released slots included (their vectors are zero): what a flat scan asks for, in one
   * call per block so that a kernel can stream several vectors at once.
   */
  default void scoreRange(
      Kernels kernels, Metric metric, float[] query, int from, int n, float[] out) {
    for (int i = 0; i < n; i++) {
      out[i] = score(kernels, metric, query, from + i);
    }
  }

  /** Bytes of heap this storage holds. */
  long heapBytes();

  /** Bytes of memory-mapped file this storage holds. */
  long mappedBytes();

  /** Releases the storage (deletes a backing file). */
  @Override
  void close();
}
