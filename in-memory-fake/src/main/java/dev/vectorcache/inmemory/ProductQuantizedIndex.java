package dev.vectorcache.inmemory;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.QuantizationConfig.Compression;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * Product quantization: each vector is stored as {@code m} one-byte centroid indices, one per
 * sub-vector ({@link ProductCodebook}), with {@code m = 4·D / ratio} for the compression ratio (X4:
 * one component per byte, X16: four, X64: sixteen), so the codes take {@code 1/ratio} of the
 * float32 originals.
 *
 * <p><b>Search.</b> Asymmetric distance computation: per query, a table of the query's measure to
 * every centroid of every sub-vector ({@code m × k} floats); a code's approximate score is then the
 * sum of {@code m} table lookups: the dot product with the decoded vector for Cosine (vectors and
 * queries are normalised before they get here) and Dot, the L2 distance (square root of the summed
 * squared sub-distances) for Euclid, the L1 distance for Manhattan. The centroids are trained for
 * L2 in every case. The default oversampling is measured on the collection's own vectors at each
 * training ({@link PqCalibration}) and applied to the collection's size after every write: at least
 * {@value #DEFAULT_OVERSAMPLING} (above int8's, the approximation is coarser), more on data whose
 * neighbours the codes cannot tell apart.
 *
 * <p><b>Training policy.</b> Below {@value #MIN_TRAINING} live vectors nothing is trained and scans
 * score the originals exactly (a small collection is cheap to scan; k-means on a few points would
 * overfit). The codebooks are trained on a strided sample of at most {@value #SAMPLE} live vectors
 * the first time the collection has {@value #MIN_TRAINING}, and every live vector is re-encoded.
 * They are retrained (and every code re-encoded) when the number of live vectors has grown {@value
 * #RETRAIN_GROWTH} times since, and either the last sample was smaller than {@value #SAMPLE} (a
 * bigger sample is available) or the vectors written since are approximated worse than {@value
 * #DRIFT} times the mean error measured when the codes were last made (the distribution drifted).
 * So there are at most {@code log4(n / MIN_TRAINING)} trainings, each bounded by the sample size,
 * and the re-encoding costs O(1) encodings per written vector, amortised. Training is
 * deterministic: the same vectors written in the same batches give the same codebooks. Snapshots
 * store neither codes nor codebooks: a restore re-inserts the vectors, in other batches than they
 * were first written, and trains its own codebooks on them (as good, not necessarily identical).
 *
 * <p>Codes live on the heap, or in a memory-mapped file of {@code m}-byte records.
 */
final class ProductQuantizedIndex implements QuantizedIndex {
  /** Candidates per hit rescored by default at least (and until trained). */
  static final double DEFAULT_OVERSAMPLING = 4.0;

  /** Live vectors needed before the codebooks are trained; scans are exact until then. */
  static final int MIN_TRAINING = 1024;

  /** Vectors the codebooks are trained on at most. */
  static final int SAMPLE = 32_768;

  /** How many times the live vectors must have grown since the last training to retrain. */
  static final int RETRAIN_GROWTH = 4;

  /** How much worse new vectors may be approximated before such a growth retrains. */
  static final double DRIFT = 1.5;

  private final int dimension;
  private final int subVectors;
  private final Metric metric;
  private final Distance distance;
  private final Kernels kernels;
  private volatile VectorStorage originals; // replaced when memmap_threshold maps the vectors
  private final @Nullable MappedFile mapped; // null when the codes are on the heap
  private byte[] codes = new byte[0];
  private int capacity;

  private @Nullable ProductCodebook codebook; // null until trained

  /** Vectors written since the last {@link #afterWrites}, by slot; encoded there, together. */
  private final Map<Integer, float[]> pending = new LinkedHashMap<>();

  /** Vectors per block of a parallel encoding. */
  private static final int ENCODE_BLOCK = 1024;

  private int trainedLive;
  private int trainedSample;
  private double baselineError;
  private long writesSince;
  private double errorSince;
  private int trainings;
  private PqCalibration.Result calibration = PqCalibration.Result.floor(DEFAULT_OVERSAMPLING);
  private volatile double oversampling = DEFAULT_OVERSAMPLING;

  /**
   * {@code originals} is the collection's storage, scored exactly until the codebooks are trained;
   * {@code codesFile} null keeps the codes on the heap.
   */
  ProductQuantizedIndex(
      int dimension,
      Distance distance,
      Compression compression,
      Kernels kernels,
      VectorStorage originals,
      @Nullable Path codesFile) {
    this.dimension = dimension;
    this.subVectors = ProductCodebook.subVectors(dimension, compression.ratio());
    this.distance = distance;
    this.metric = Metric.of(distance);
    this.kernels = kernels;
    this.originals = originals;
    this.mapped =
        codesFile == null
            ? null
            : new MappedFile(codesFile, subVectors, MappedFile.DEFAULT_MAX_CHUNK_BYTES);
  }

  /** Bytes per code. */
  int subVectors() {
    return subVectors;
  }

  /** The trained codebooks, or null; for tests. */
  @Nullable ProductCodebook codebook() {
    return codebook;
  }

  /** How many times the codebooks were trained; for tests. */
  int trainings() {
    return trainings;
  }

  @Override
  public void ensureCapacity(int slots) {
    if (slots > capacity) {
      int n = Math.max(slots, Growth.next(capacity));
      if (mapped == null) {
        codes = Arrays.copyOf(codes, Math.multiplyExact(n, subVectors));
      } else {
        mapped.ensureCapacity(n);
      }
      capacity = n;
    }
  }

  @Override
  public void put(int slot, float[] vector) {
    writesSince++;
    if (codebook != null) {
      pending.put(slot, vector); // encoded with the batch's others in afterWrites, in parallel
    }
  }

  /**
   * Scores the collection's new storage from now on: the vectors moved to a mapped file past {@code
   * memmap_threshold}. The caller holds the collection's write lock.
   */
  void originals(VectorStorage moved) {
    this.originals = moved;
  }

  /**
   * Nothing to do: scans skip a released slot by its missing id, and its code is rewritten when the
   * slot is reused.
   */
  @Override
  public void clear(int slot) {}

  @Override
  public void afterWrites(VectorStorage originals, PointId[] idBySlot, int slotLimit, int live) {
    ProductCodebook current = codebook;
    if (current != null && !pending.isEmpty()) {
      int[] slots = new int[pending.size()];
      float[][] vectors = new float[slots.length][];
      int i = 0;
      for (Map.Entry<Integer, float[]> e : pending.entrySet()) {
        slots[i] = e.getKey();
        vectors[i++] = e.getValue();
      }
      errorSince += encodeAll(current, slots.length, j -> slots[j], j -> vectors[j]);
    }
    pending.clear();
    boolean train;
    if (codebook == null) {
      train = live >= MIN_TRAINING;
    } else if (live >= (long) RETRAIN_GROWTH * trainedLive) {
      train = trainedSample < SAMPLE || drifted();
    } else {
      train = false;
    }
    if (train) {
      train(originals, idBySlot, slotLimit, live);
    }
    oversampling = calibration.oversamplingAt(live);
  }

  private boolean drifted() {
    if (writesSince == 0) {
      return false;
    }
    return errorSince / writesSince > DRIFT * baselineError;
  }

  private void train(VectorStorage originals, PointId[] idBySlot, int slotLimit, int live) {
    int stride = Math.max(1, (live + SAMPLE - 1) / SAMPLE); // every stride-th live vector
    int wanted = (live + stride - 1) / stride;
    float[] sample = new float[Math.multiplyExact(wanted, dimension)];
    int n = 0;
    int seen = 0;
    for (int slot = 0; slot < slotLimit && n < wanted; slot++) {
      if (idBySlot[slot] == null || seen++ % stride != 0) {
        continue;
      }
      System.arraycopy(originals.get(slot), 0, sample, n * dimension, dimension);
      n++;
    }
    ProductCodebook cb = ProductCodebook.train(sample, n, dimension, subVectors);
    codebook = cb;
    trainings++;
    trainedLive = live;
    trainedSample = n;
    int[] slots = new int[live];
    int count = 0;
    for (int slot = 0; slot < slotLimit && count < live; slot++) {
      if (idBySlot[slot] != null) {
        slots[count++] = slot;
      }
    }
    double error = encodeAll(cb, count, j -> slots[j], j -> originals.get(slots[j]));
    baselineError = error / live;
    calibration =
        PqCalibration.measure(
            slots,
            count,
            originals::get,
            q -> slot -> distanceOfScore(originals.score(kernels, metric, q, slot)),
            q -> distanceFrom(q)::distance,
            DEFAULT_OVERSAMPLING);
    writesSince = 0;
    errorSince = 0;
  }

  /**
   * Encodes {@code n} vectors (the {@code j}-th into {@code slot.applyAsInt(j)}) on the common
   * fork-join pool, in blocks with their own scratch; returns the summed approximation error. The
   * caller holds the collection's write lock, so no reader sees a code being written; the blocks
   * write disjoint codes.
   */
  private double encodeAll(
      ProductCodebook cb, int n, IntUnaryOperator slot, IntFunction<float[]> vector) {
    int blocks = (n + ENCODE_BLOCK - 1) / ENCODE_BLOCK;
    IntToDoubleFunction block =
        b -> {
          float[] acc = new float[cb.centroids()];
          double error = 0;
          for (int j = b * ENCODE_BLOCK, end = Math.min(n, j + ENCODE_BLOCK); j < end; j++) {
            error += encodeInto(cb, slot.applyAsInt(j), vector.apply(j), acc);
          }
          return error;
        };
    return blocks <= 1
        ? (blocks == 0 ? 0 : block.applyAsDouble(0))
        : IntStream.range(0, blocks).parallel().mapToDouble(block).sum();
  }

  private float encodeInto(ProductCodebook cb, int slot, float[] vector, float[] acc) {
    if (mapped == null) {
      return cb.encode(vector, codes, slot * subVectors, acc);
    }
    byte[] c = new byte[subVectors];
    float error = cb.encode(vector, c, 0, acc);
    mapped.chunk(slot).put(mapped.offset(slot), c);
    return error;
  }

  /** The sum of the table entries a slot's code selects. */
  private float lookup(float[] tab, int k, int slot) {
    int m = subVectors;
    float s0 = 0f;
    float s1 = 0f;
    int j = 0;
    int t = 0;
    if (mapped == null) {
      byte[] c = codes;
      int off = slot * m;
      for (; j + 1 < m; j += 2, t += 2 * k) {
        s0 += tab[t + (c[off + j] & 0xFF)];
        s1 += tab[t + k + (c[off + j + 1] & 0xFF)];
      }
      if (j < m) {
        s0 += tab[t + (c[off + j] & 0xFF)];
      }
    } else {
      ByteBuffer b = mapped.chunk(slot);
      int off = mapped.offset(slot);
      for (; j + 1 < m; j += 2, t += 2 * k) {
        s0 += tab[t + (b.get(off + j) & 0xFF)];
        s1 += tab[t + k + (b.get(off + j + 1) & 0xFF)];
      }
      if (j < m) {
        s0 += tab[t + (b.get(off + j) & 0xFF)];
      }
    }
    return s0 + s1;
  }

  /** A score (as the distance reports it) from the summed table entries. */
  private float scoreOfSum(float sum) {
    return metric == Metric.L2 ? (float) Math.sqrt(Math.max(0f, sum)) : sum;
  }

  /** The traversal distance of a score; {@link #scoreOf} inverts it. */
  private float distanceOfScore(float score) {
    return switch (metric) {
      case DOT -> -score;
      case L2 -> score * score;
      case L1 -> score;
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
    ProductCodebook cb = codebook;
    float[] tab = cb == null ? null : cb.table(metric, query);
    int k = cb == null ? 0 : cb.centroids();
    for (int slot = 0; slot < slotLimit; slot++) {
      if (idBySlot[slot] == null) {
        continue;
      }
      float score =
          tab == null
              ? originals.score(kernels, metric, query, slot)
              : scoreOfSum(lookup(tab, k, slot));
      top.consider(slot, score, distance, thresholded, threshold, filter);
    }
  }

  @Override
  public NodeDistance distanceFrom(float[] query) {
    ProductCodebook cb = codebook;
    if (cb == null) {
      VectorStorage st = originals;
      Kernels kn = kernels;
      Metric m = metric;
      return slot -> distanceOfScore(st.score(kn, m, query, slot));
    }
    float[] tab = cb.table(metric, query);
    int k = cb.centroids();
    // L2 sums squared distances already: the traversal compares them without the square root
    return metric == Metric.DOT ? slot -> -lookup(tab, k, slot) : slot -> lookup(tab, k, slot);
  }

  @Override
  public float scoreOf(float distance) {
    return metric.scoreOfTraversal(distance);
  }

  /** The calibrated default oversampling ({@link PqCalibration}); the fixed floor until trained. */
  @Override
  public double defaultOversampling() {
    return oversampling;
  }

  @Override
  public long heapBytes() {
    ProductCodebook cb = codebook;
    return 16L + codes.length + (cb == null ? 0 : cb.bytes()) + 64;
  }

  @Override
  public long mappedBytes() {
    return mapped == null ? 0 : mapped.mappedBytes();
  }

  @Override
  public void close() {
    codes = new byte[0];
    codebook = null;
    if (mapped != null) {
      mapped.close();
    }
  }
}
