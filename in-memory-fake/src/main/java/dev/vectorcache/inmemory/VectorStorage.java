package dev.vectorcache.inmemory;

/**
 * Where a collection keeps its vectors, addressed by slot. The engine never holds a {@code float[]}
 * per point: a storage owns the bytes and scores a query against a slot in place, so that later
 * storages (int8 or binary codes, memory-mapped files) can slot in behind the same interface.
 *
 * <p>Not thread-safe: the owning collection guards it with its lock.
 */
interface VectorStorage {
  int dimension();

  /** One past the highest slot ever handed out; slots below it may be free. */
  int slotLimit();

  /** A free slot (reusing one released by {@link #release}) holding {@code vector}. */
  int add(float[] vector);

  /** Overwrites the vector in {@code slot}. */
  void set(int slot, float[] vector);

  /** Frees {@code slot} for reuse. */
  void release(int slot);

  /** A copy of the vector in {@code slot}. */
  float[] get(int slot);

  /** Scores a query against the vectors in place, using {@code kernel}. */
  float score(ScoringKernel kernel, float[] query, int slot);

  /** Bytes of heap this storage holds. */
  long heapBytes();
}
