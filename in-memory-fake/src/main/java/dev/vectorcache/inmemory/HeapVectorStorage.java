package dev.vectorcache.inmemory;

import java.util.Arrays;

/**
 * Vectors packed in one growable {@code float[]}: {@code slot * dimension} is the offset.
 *
 * <p>The array is published through a volatile field: the graph index reads vectors while it links
 * new points, without the collection's lock, and a growth (a copy, under the collection's write
 * lock) must not hide vectors written before it from those readers.
 */
final class HeapVectorStorage implements VectorStorage {
  private final int dimension;
  private volatile float[] data;

  HeapVectorStorage(int dimension) {
    this.dimension = dimension;
    this.data = new float[Math.multiplyExact(dimension, 16)];
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public void ensureCapacity(int slots) {
    long needed = (long) slots * dimension;
    if (needed <= data.length) {
      return;
    }
    long max = Integer.MAX_VALUE - 8;
    if (needed > max) {
      throw new IllegalStateException(
          "the in-memory store holds at most "
              + max / dimension
              + " vectors of dimension "
              + dimension
              + " per collection on the heap; use StorageMode.MMAP for more");
    }
    // grow by a quarter, not double: the slack is memory the footprint figures count
    data = Arrays.copyOf(data, (int) Math.min(max, Math.max(needed, Growth.next(data.length))));
  }

  @Override
  public void set(int slot, float[] vector) {
    System.arraycopy(vector, 0, data, slot * dimension, dimension);
  }

  @Override
  public void clear(int slot) {
    Arrays.fill(data, slot * dimension, (slot + 1) * dimension, 0f);
  }

  @Override
  public float[] get(int slot) {
    int off = slot * dimension;
    return Arrays.copyOfRange(data, off, off + dimension);
  }

  @Override
  public float score(Kernels kernels, Metric metric, float[] query, int slot) {
    return kernels.score(metric, query, data, slot * dimension);
  }

  @Override
  public void scoreRange(
      Kernels kernels, Metric metric, float[] query, int from, int n, float[] out) {
    kernels.scoreRange(metric, query, data, from * dimension, n, out);
  }

  @Override
  public long heapBytes() {
    return 16L + 4L * data.length;
  }

  @Override
  public long mappedBytes() {
    return 0;
  }

  @Override
  public void close() {
    data = new float[0];
  }
}
