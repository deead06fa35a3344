package dev.vectorcache.inmemory;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Original vectors in a memory-mapped file ({@link MappedFile}), off the heap: the OS pages them in
 * on demand and can drop them under memory pressure. The heap holds only the chunk table.
 */
final class MappedVectorStorage implements VectorStorage {
  private final int dimension;
  private final MappedFile file;

  MappedVectorStorage(Path path, int dimension, long maxChunkBytes) {
    this.dimension = dimension;
    this.file = new MappedFile(path, Math.multiplyExact(dimension, Float.BYTES), maxChunkBytes);
  }

  @Override
  public int dimension() {
    return dimension;
  }

  MappedFile file() {
    return file;
  }

  @Override
  public void ensureCapacity(int slots) {
    file.ensureCapacity(slots);
  }

  @Override
  public void set(int slot, float[] vector) {
    ByteBuffer b = file.chunk(slot);
    int off = file.offset(slot);
    for (int i = 0; i < dimension; i++) {
      b.putFloat(off + 4 * i, vector[i]);
    }
  }

  @Override
  public void clear(int slot) {
    ByteBuffer b = file.chunk(slot);
    int off = file.offset(slot);
    for (int i = 0; i < dimension; i++) {
      b.putFloat(off + 4 * i, 0f);
    }
  }

  @Override
  public float[] get(int slot) {
    ByteBuffer b = file.chunk(slot);
    int off = file.offset(slot);
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = b.getFloat(off + 4 * i);
    }
    return v;
  }

  @Override
  public float score(Kernels kernels, Metric metric, float[] query, int slot) {
    return kernels.score(metric, query, file.chunk(slot), file.offset(slot));
  }

  @Override
  public long heapBytes() {
    return 64L + 16L * file.chunkCount();
  }

  @Override
  public long mappedBytes() {
    return file.mappedBytes();
  }

  @Override
  public void close() {
    file.close();
  }
}
