package dev.vectorcache.inmemory;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Distance;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * int8 scalar quantization as Qdrant defines it: every component is clipped to a per-collection
 * range {@code [lo, hi]} and mapped linearly onto 256 levels, one byte per dimension.
 *
 * <p><b>Range.</b> {@code [lo, hi]} are the {@code (1-q)/2} and {@code (1+q)/2} quantiles of all
 * component values ({@code q} = the config's quantile, 1.0 = min/max), computed from the live
 * vectors, or from a strided sample of at most {@value #SAMPLE} values when there are more.
 *
 * <p><b>Recalibration policy.</b> The range is computed on the first write and recomputed, with
 * every code re-encoded from the originals, when (a) the number of live vectors has doubled since
 * the last calibration, or (b) at least a quarter as many vectors as were calibrated on have been
 * written since, and the share of their components falling outside {@code [lo, hi]} is more than
 * twice what the quantile predicts (plus 0.5%): the distribution has drifted. Both rules re-encode
 * at most O(1) times per written vector, amortised, like a doubling array.
 *
 * <p><b>Encoding.</b> Stored codes are signed: {@code s = round((clip(x) - lo) / a) - 128}, with
 * {@code a = (hi - lo) / 255}, so {@code x ≈ m + a·s} with {@code m = lo + 128·a}. The query is
 * encoded the same way and the scan runs an int8 × int8 kernel with int accumulation:
 *
 * <ul>
 *   <li>dot: {@code q·x ≈ D·m² + a·m·(Σq_s + Σx_s) + a²·Σ q_s·x_s}; the per-vector term {@code
 *       a·m·Σx_s} is kept as a float beside the codes;
 *   <li>L2: {@code |q-x|² ≈ a²·(Σq_s² + Σx_s² - 2·Σq_s·x_s)}; the per-vector {@code a²·Σx_s²} is
 *       kept;
 *   <li>L1: {@code a·Σ|q_s - x_s|}.
 * </ul>
 *
 * So a vector costs {@code D + 4} bytes (codes plus one float), against {@code 4·D} for floats.
 */
final class ScalarInt8Index implements QuantizedIndex {
  static final int SAMPLE = 262_144;

  /** Candidates per hit rescored by default; recall@10 ≥ 0.99 on MiniLM-384 at 3. */
  static final double DEFAULT_OVERSAMPLING = 3.0;

  private final int dimension;
  private final Metric metric;
  private final Distance distance;
  private final float quantile;
  private final Kernels kernels;
  private final @Nullable MappedFile mapped; // null when the codes are on the heap
  private final HeapChunks codes; // empty when they are mapped
  private float[] correction = new float[0];

  private boolean calibrated;
  private float lo;
  private float hi;
  private float alpha;
  private float mid;
  private int calibratedLive;
  private long writesSince;
  private long componentsSince;
  private long outsideSince;
  private int calibrations;

  /** {@code codesFile} null keeps the codes on the heap. */
  ScalarInt8Index(
      int dimension, Distance distance, float quantile, Kernels kernels, @Nullable Path codesFile) {
    this.dimension = dimension;
    this.distance = distance;
    this.metric = Metric.of(distance);
    this.quantile = quantile;
    this.kernels = kernels;
    this.codes = new HeapChunks(dimension);
    this.mapped =
        codesFile == null
            ? null
            : new MappedFile(codesFile, dimension, MappedFile.DEFAULT_MAX_CHUNK_BYTES);
  }

  @Override
  public void ensureCapacity(int slots) {
    if (slots > correction.length) {
      int n = Math.max(slots, Growth.next(correction.length));
      correction = Arrays.copyOf(correction, n);
    }
    if (mapped != null) {
      mapped.ensureCapacity(slots);
    } else {
      codes.ensureCapacity(slots);
    }
  }

  @Override
  public void put(int slot, float[] vector) {
    writesSince++;
    if (calibrated) {
      encodeInto(slot, vector, true);
    }
  }

  @Override
  public void clear(int slot) {
    correction[slot] = 0f;
  }

  @Override
  public void afterWrites(VectorStorage originals, PointId[] idBySlot, int slotLimit, int live) {
    if (live == 0) {
      return;
    }
    boolean recalibrate;
    if (!calibrated) {
      recalibrate = true;
    } else if (live >= 2L * calibratedLive) {
      recalibrate = true;
    } else {
      double expected = (1.0 - quantile) + 0.005;
      recalibrate =
          writesSince >= Math.max(1, calibratedLive / 4)
              && componentsSince > 0
              && (double) outsideSince / componentsSince > 2 * expected;
    }
    if (recalibrate) {
      calibrate(originals, idBySlot, slotLimit, live);
    }
  }

  /** How many times the range was (re)computed; for tests. */
  int calibrations() {
    return calibrations;
  }

  float lo() {
    return lo;
  }

  float hi() {
    return hi;
  }

  private void calibrate(VectorStorage originals, PointId[] idBySlot, int slotLimit, int live) {
    long total = (long) live * dimension;
    int stride = (int) Math.max(1, (total + SAMPLE - 1) / SAMPLE); // every stride-th vector
    float[] sample =
        new float[(int) Math.min(total, (long) ((live + stride - 1) / stride + 1) * dimension)];
    int n = 0;
    int seen = 0;
    for (int slot = 0; slot < slotLimit; slot++) {
      if (idBySlot[slot] == null) {
        continue;
      }
      if (seen++ % stride != 0) {
        continue;
      }
      float[] v = originals.get(slot);
      if (n + dimension > sample.length) {
        sample = Arrays.copyOf(sample, sample.length + dimension * 16);
      }
      System.arraycopy(v, 0, sample, n, dimension);
      n += dimension;
    }
    Arrays.sort(sample, 0, n);
    double lowerQ = (1.0 - quantile) / 2.0;
    double upperQ = (1.0 + quantile) / 2.0;
    lo = sample[(int) Math.floor(lowerQ * (n - 1))];
    hi = sample[(int) Math.ceil(upperQ * (n - 1))];
    if (!(hi > lo)) {
      hi = lo + Math.max(Math.abs(lo), 1f) * 1e-3f;
    }
    alpha = (hi - lo) / 255f;
    mid = lo + 128f * alpha;
    calibrated = true;
    calibrations++;
    calibratedLive = live;
    for (int slot = 0; slot < slotLimit; slot++) {
      if (idBySlot[slot] != null) {
        encodeInto(slot, originals.get(slot), false);
      }
    }
    writesSince = 0;
    componentsSince = 0;
    outsideSince = 0;
  }

  /** Encodes {@code v} into {@code out}; returns how many components were clipped. */
  private int encode(float[] v, byte[] out) {
    int outside = 0;
    float inv = 1f / alpha;
    for (int i = 0; i < dimension; i++) {
      float x = v[i];
      if (x < lo) {
        x = lo;
        outside++;
      } else if (x > hi) {
        x = hi;
        outside++;
      }
      int c = Math.round((x - lo) * inv);
      c = Math.max(0, Math.min(255, c));
      out[i] = (byte) (c - 128);
    }
    return outside;
  }

  private void encodeInto(int slot, float[] v, boolean count) {
    byte[] c = new byte[dimension];
    int outside = encode(v, c);
    if (count) {
      componentsSince += dimension;
      outsideSince += outside;
    }
    if (mapped == null) {
      System.arraycopy(c, 0, codes.chunk(slot), codes.offset(slot), dimension);
    } else {
      ByteBuffer b = mapped.chunk(slot);
      b.put(mapped.offset(slot), c);
    }
    correction[slot] = vectorTerm(c);
  }

  private float vectorTerm(byte[] c) {
    long sum = 0;
    long sq = 0;
    for (byte s : c) {
      sum += s;
      sq += s * s;
    }
    return switch (metric) {
      case DOT -> alpha * mid * sum;
      case L2 -> alpha * alpha * sq;
      case L1 -> 0f;
    };
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
    if (!calibrated) {
      return;
    }
    byte[] q = new byte[dimension];
    encode(query, q);
    long qsum = 0;
    long qsq = 0;
    for (byte s : q) {
      qsum += s;
      qsq += s * s;
    }
    float a2 = alpha * alpha;
    float queryTerm =
        switch (metric) {
          case DOT -> dimension * mid * mid + alpha * mid * qsum;
          case L2 -> a2 * qsq;
          case L1 -> 0f;
        };
    Kernels k = kernels;
    for (int slot = 0; slot < slotLimit; slot++) {
      if (idBySlot[slot] == null) {
        continue;
      }
      float score;
      if (mapped == null) {
        byte[] c = codes.chunk(slot);
        int off = codes.offset(slot);
        score =
            switch (metric) {
              case DOT -> queryTerm + correction[slot] + a2 * k.dotI8(q, c, off);
              case L2 ->
                  (float)
                      Math.sqrt(
                          Math.max(0f, queryTerm + correction[slot] - 2 * a2 * k.dotI8(q, c, off)));
              case L1 -> alpha * k.l1I8(q, c, off);
            };
      } else {
        ByteBuffer b = mapped.chunk(slot);
        int off = mapped.offset(slot);
        score =
            switch (metric) {
              case DOT -> queryTerm + correction[slot] + a2 * k.dotI8(q, b, off);
              case L2 ->
                  (float)
                      Math.sqrt(
                          Math.max(0f, queryTerm + correction[slot] - 2 * a2 * k.dotI8(q, b, off)));
              case L1 -> alpha * k.l1I8(q, b, off);
            };
      }
      top.consider(slot, score, distance, thresholded, threshold, filter);
    }
  }

  @Override
  public NodeDistance distanceFrom(float[] query) {
    if (!calibrated) {
      return slot -> 0f;
    }
    byte[] q = new byte[dimension];
    encode(query, q);
    long qsum = 0;
    long qsq = 0;
    for (byte s : q) {
      qsum += s;
      qsq += s * s;
    }
    float a2 = alpha * alpha;
    Kernels k = kernels;
    float[] corr = correction;
    MappedFile m = mapped;
    byte[][] c = codes.chunks();
    int shift = HeapChunks.SHIFT;
    int mask = HeapChunks.CHUNK_SLOTS - 1;
    int dim = dimension;
    return switch (metric) {
      case DOT -> {
        float queryTerm = dimension * mid * mid + alpha * mid * qsum;
        yield m == null
            ? slot ->
                -(queryTerm + corr[slot] + a2 * k.dotI8(q, c[slot >>> shift], (slot & mask) * dim))
            : slot -> -(queryTerm + corr[slot] + a2 * k.dotI8(q, m.chunk(slot), m.offset(slot)));
      }
      case L2 -> {
        float queryTerm = a2 * qsq;
        // the square root is monotonic: traversal compares squared distances
        yield m == null
            ? slot ->
                queryTerm + corr[slot] - 2 * a2 * k.dotI8(q, c[slot >>> shift], (slot & mask) * dim)
            : slot -> queryTerm + corr[slot] - 2 * a2 * k.dotI8(q, m.chunk(slot), m.offset(slot));
      }
      case L1 -> {
        float a = alpha;
        yield m == null
            ? slot -> a * k.l1I8(q, c[slot >>> shift], (slot & mask) * dim)
            : slot -> a * k.l1I8(q, m.chunk(slot), m.offset(slot));
      }
    };
  }

  @Override
  public float scoreOf(float distance) {
    return metric.scoreOfTraversal(distance);
  }

  @Override
  public double defaultOversampling() {
    return DEFAULT_OVERSAMPLING;
  }

  @Override
  public long heapBytes() {
    return codes.heapBytes() + 16L + 4L * correction.length + 64;
  }

  @Override
  public long mappedBytes() {
    return mapped == null ? 0 : mapped.mappedBytes();
  }

  @Override
  public void close() {
    codes.clear();
    correction = new float[0];
    if (mapped != null) {
      mapped.close();
    }
  }
}
