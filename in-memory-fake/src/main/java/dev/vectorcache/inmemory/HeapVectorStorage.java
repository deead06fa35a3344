package dev.vectorcache.inmemory;

import java.util.Arrays;

/**
 * Vectors packed in one growable {@code float[]} ({@code slot * dimension} is the offset), with a
 * stack of freed slots for reuse so that deletes do not leave the array to grow without bound.
 */
final class HeapVectorStorage implements VectorStorage {
  private static final int INITIAL_SLOTS = 16;

  private final int dimension;
  private float[] data;
  private int slotLimit;
  private int[] free = new int[8];
  private int freeCount;

  HeapVectorStorage(int dimension) {
    this.dimension = dimension;
    this.data = new float[Math.multiplyExact(dimension, INITIAL_SLOTS)];
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int slotLimit() {
    return slotLimit;
  }

  @Override
  public int add(float[] vector) {
    int slot;
    if (freeCount > 0) {
      slot = free[--freeCount];
    } else {
      slot = slotLimit++;
      long needed = (long) slotLimit * dimension;
      if (needed > data.length) {
        long grown = Math.max(needed, (long) data.length * 2);
        if (grown > Integer.MAX_VALUE - 8) {
          if (needed > Integer.MAX_VALUE - 8) {
            slotLimit--;
            throw new IllegalStateException(
                "the in-memory store holds at most "
                    + (Integer.MAX_VALUE - 8) / dimension
                    + " vectors of dimension "
                    + dimension
                    + " per collection");
          }
          grown = Integer.MAX_VALUE - 8;
        }
        data = Arrays.copyOf(data, (int) grown);
      }
    }
    set(slot, vector);
    return slot;
  }

  @Override
  public void set(int slot, float[] vector) {
    System.arraycopy(vector, 0, data, slot * dimension, dimension);
  }

  @Override
  public void release(int slot) {
    Arrays.fill(data, slot * dimension, (slot + 1) * dimension, 0f);
    if (freeCount == free.length) {
      free = Arrays.copyOf(free, free.length * 2);
    }
    free[freeCount++] = slot;
  }

  @Override
  public float[] get(int slot) {
    int off = slot * dimension;
    return Arrays.copyOfRange(data, off, off + dimension);
  }

  @Override
  public float score(ScoringKernel kernel, float[] query, int slot) {
    return kernel.score(query, data, slot * dimension);
  }

  @Override
  public long heapBytes() {
    return 16L + 4L * data.length + 16L + 4L * free.length;
  }
}
