package dev.vectorcache.inmemory;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Distance;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Binary quantization as Qdrant's one-bit encoding: bit {@code i} is set when component {@code i}
 * is positive, packed 64 to a {@code long}; the scan is an XOR + popcount (Hamming distance).
 *
 * <p>Approximate scores (what a search with {@code rescore=false} returns): for Cosine and Dot
 * {@code 1 - 2h/D}, the share of agreeing signs mapped to [-1, 1]; for Euclid and Manhattan the
 * Hamming distance {@code h} itself. Both rank like the Hamming distance. One bit per dimension
 * loses more than int8, so the default oversampling is higher.
 */
final class BinaryIndex implements QuantizedIndex {
  /** Candidates per hit rescored by default. */
  static final double DEFAULT_OVERSAMPLING = 10.0;

  private final int dimension;
  private final int words;
  private final Distance distance;
  private final @Nullable MappedFile mapped; // null when the codes are on the heap
  private long[] codes = new long[0];
  private int capacity;

  BinaryIndex(int dimension, Distance distance, @Nullable Path codesFile) {
    this.dimension = dimension;
    this.words = (dimension + 63) / 64;
    this.distance = distance;
    this.mapped =
        codesFile == null
            ? null
            : new MappedFile(codesFile, words * Long.BYTES, MappedFile.DEFAULT_MAX_CHUNK_BYTES);
  }

  @Override
  public void ensureCapacity(int slots) {
    if (slots > capacity) {
      int n = Math.max(slots, Growth.next(capacity));
      if (mapped == null) {
        codes = Arrays.copyOf(codes, Math.multiplyExact(n, words));
      } else {
        mapped.ensureCapacity(n);
      }
      capacity = n;
    }
  }

  private long[] encode(float[] v) {
    long[] w = new long[words];
    for (int i = 0; i < dimension; i++) {
      if (v[i] > 0f) {
        w[i >>> 6] |= 1L << (i & 63);
      }
    }
    return w;
  }

  @Override
  public void put(int slot, float[] vector) {
    write(slot, encode(vector));
  }

  private void write(int slot, long[] w) {
    if (mapped == null) {
      System.arraycopy(w, 0, codes, slot * words, words);
    } else {
      ByteBuffer b = mapped.chunk(slot);
      int off = mapped.offset(slot);
      for (int i = 0; i < words; i++) {
        b.putLong(off + 8 * i, w[i]);
      }
    }
  }

  @Override
  public void clear(int slot) {
    write(slot, new long[words]);
  }

  @Override
  public void afterWrites(VectorStorage originals, PointId[] idBySlot, int slotLimit, int live) {
    // nothing to calibrate: the sign threshold is fixed at zero
  }

  @Override
  public void scan(
      float[] query,
      PointId[] idBySlot,
      int slotLimit,
      @Nullable IntPredicate filter,
      boolean thresholded,
      float threshold,
      TopK top) {
    long[] q = encode(query);
    boolean similarity = distance.largerIsBetter();
    float inv = 2f / dimension;
    for (int slot = 0; slot < slotLimit; slot++) {
      if (idBySlot[slot] == null) {
        continue;
      }
      int h =
          mapped == null
              ? Kernels.hamming(q, codes, slot * words)
              : Kernels.hamming(q, mapped.chunk(slot), mapped.offset(slot));
      float score = similarity ? 1f - h * inv : h;
      top.consider(slot, score, distance, thresholded, threshold, filter);
    }
  }

  @Override
  public NodeDistance distanceFrom(float[] query) {
    long[] q = encode(query);
    MappedFile m = mapped;
    long[] c = codes;
    int w = words;
    // every distance ranks like the Hamming distance
    return m == null
        ? slot -> Kernels.hamming(q, c, slot * w)
        : slot -> Kernels.hamming(q, m.chunk(slot), m.offset(slot));
  }

  @Override
  public float scoreOf(float distance) {
    return this.distance.largerIsBetter() ? 1f - distance * (2f / dimension) : distance;
  }

  @Override
  public double defaultOversampling() {
    return DEFAULT_OVERSAMPLING;
  }

  @Override
  public long heapBytes() {
    return 16L + 8L * codes.length + 64;
  }

  @Override
  public long mappedBytes() {
    return mapped == null ? 0 : mapped.mappedBytes();
  }

  @Override
  public void close() {
    codes = new long[0];
    if (mapped != null) {
      mapped.close();
    }
  }
}
