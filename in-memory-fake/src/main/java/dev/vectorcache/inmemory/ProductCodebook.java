package dev.vectorcache.inmemory;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The codebooks of product quantization: the vector is cut into {@code m} sub-vectors and each is
 * replaced by the index of its nearest centroid among at most {@value #MAX_CENTROIDS} (one byte).
 * Immutable once trained.
 *
 * <p><b>Sub-vectors.</b> Sub-vector {@code j} covers the components {@code [j·D/m, (j+1)·D/m)}
 * (integer division), so when {@code m} does not divide the dimension {@code D} the sub-vectors
 * differ in length by at most one component; nothing is padded.
 *
 * <p><b>Training.</b> Per sub-vector, k-means (Lloyd) with k-means++ seeding on a sample of
 * vectors, {@code k = min(256, sample size)}, at most {@value #ITERATIONS} iterations (fewer once
 * no assignment changes). The random draws come from a {@link SplittableRandom} with a fixed seed
 * per sub-vector, so the same sample in the same order gives the same codebooks. A cluster left
 * empty takes the sample point worst served by its centroid. Training costs {@code O(iterations · n
 * · D · k)} for {@code n} sample vectors, bounded by the sample size, not the collection size.
 *
 * <p><b>Layout.</b> Centroid components are stored component-major: {@code book[i·k + c]} is
 * component {@code i} of centroid {@code c} of the sub-vector holding {@code i}. Both the nearest
 * centroid search ({@code ‖x-c‖² = ‖x‖² - 2x·c + ‖c‖²}, {@link Kernels#nearestCentroid}: a lane per
 * centroid, the same answer bit for bit from the scalar and the SIMD kernels) and the query tables
 * then run inner loops over {@code k} contiguous floats.
 */
final class ProductCodebook {
  static final int MAX_CENTROIDS = 256;

  /** Lloyd iterations at most. */
  static final int ITERATIONS = 12;

  private static final long SEED = 0x5EED_C0DEL;

  /** Nearest-centroid searches, the bulk of training and encoding, run on the SIMD kernels. */
  private static final Kernels KERNELS = Kernels.active();

  private final int dimension;
  private final int[] bounds; // sub-vector j: components [bounds[j], bounds[j + 1])
  private final int k;
  private final float[] book; // book[i * k + c]
  private final float[] norms; // norms[j * k + c] = |centroid c of sub-vector j|²

  private ProductCodebook(int dimension, int[] bounds, int k, float[] book, float[] norms) {
    this.dimension = dimension;
    this.bounds = bounds;
    this.k = k;
    this.book = book;
    this.norms = norms;
  }

  /**
   * Sub-vectors for a compression ratio: a float32 vector takes {@code 4·D} bytes and a code one
   * byte per sub-vector, so {@code m = 4·D / ratio} (rounded down, at least 1): X4 gives one
   * component per sub-vector, X16 four, X64 sixteen.
   */
  static int subVectors(int dimension, int ratio) {
    return Math.max(1, 4 * dimension / ratio);
  }

  /** The first component of every sub-vector, and {@code dimension} last. */
  static int[] bounds(int dimension, int subVectors) {
    int[] b = new int[subVectors + 1];
    for (int j = 0; j <= subVectors; j++) {
      b[j] = (int) ((long) j * dimension / subVectors);
    }
    return b;
  }

  /**
   * Trains on {@code n} vectors packed row by row in {@code sample} ({@code n ≥ 1}).
   *
   * @throws IllegalArgumentException if {@code n} or the sample's length do not fit
   */
  static ProductCodebook train(float[] sample, int n, int dimension, int subVectors) {
    if (n < 1 || sample.length < (long) n * dimension) {
      throw new IllegalArgumentException(
          "sample: expected at least one vector of "
              + dimension
              + " floats, found "
              + n
              + " vectors in "
              + sample.length
              + " floats");
    }
    int[] bounds = bounds(dimension, subVectors);
    int k = Math.min(MAX_CENTROIDS, n);
    float[] book = new float[dimension * k];
    float[] norms = new float[subVectors * k];
    // the sub-vectors are independent and write disjoint parts of book and norms: trained on the
    // common fork-join pool, each with its own seeded random, so the result does not depend on it
    IntStream.range(0, subVectors)
        .parallel()
        .forEach(
            j -> {
              int start = bounds[j];
              int len = bounds[j + 1] - start;
              float[] x = new float[n * len];
              for (int p = 0; p < n; p++) {
                System.arraycopy(sample, p * dimension + start, x, p * len, len);
              }
              new KMeans(x, n, len, k, book, start * k, norms, j * k)
                  .run(new SplittableRandom(SEED + j));
            });
    return new ProductCodebook(dimension, bounds, k, book, norms);
  }

  int dimension() {
    return dimension;
  }

  int subVectors() {
    return bounds.length - 1;
  }

  /** Centroids per sub-vector: codes are {@code [0, k)}. */
  int centroids() {
    return k;
  }

  /** Heap bytes of the centroids. */
  long bytes() {
    return 32L + 4L * book.length + 4L * norms.length + 4L * bounds.length;
  }

  /** The centroids, component-major; for tests. */
  float[] book() {
    return book.clone();
  }

  /**
   * Writes the code of {@code v} to {@code out[off, off + m)}; returns the squared L2 error of the
   * approximation. {@code acc} is scratch of at least {@link #centroids()} floats.
   */
  float encode(float[] v, byte[] out, int off, float[] acc) {
    float error = 0f;
    for (int j = 0; j < bounds.length - 1; j++) {
      int start = bounds[j];
      int len = bounds[j + 1] - start;
      int c = KERNELS.nearestCentroid(v, start, len, book, start * k, norms, j * k, k, acc);
      out[off + j] = (byte) c;
      error += Math.max(0f, acc[0] + squaredNorm(v, start, len));
    }
    return error;
  }

  /** The vector a code stands for. */
  float[] decode(byte[] code) {
    float[] v = new float[dimension];
    for (int j = 0; j < bounds.length - 1; j++) {
      int c = code[j] & 0xFF;
      for (int i = bounds[j]; i < bounds[j + 1]; i++) {
        v[i] = book[i * k + c];
      }
    }
    return v;
  }

  /**
   * The asymmetric distance table of a query: {@code tab[j·k + c]} is the dot product (DOT), the
   * squared L2 distance (L2) or the L1 distance (L1) between the query's sub-vector {@code j} and
   * centroid {@code c}, so the sum over {@code j} of {@code tab[j·k + code[j]]} is that measure
   * between the query and the decoded vector.
   */
  float[] table(Metric metric, float[] query) {
    float[] tab = new float[(bounds.length - 1) * k];
    for (int j = 0; j < bounds.length - 1; j++) {
      int base = j * k;
      for (int i = bounds[j]; i < bounds[j + 1]; i++) {
        float q = query[i];
        int off = i * k;
        switch (metric) {
          case DOT -> {
            for (int c = 0; c < k; c++) {
              tab[base + c] += q * book[off + c];
            }
          }
          case L2 -> {
            for (int c = 0; c < k; c++) {
              float d = q - book[off + c];
              tab[base + c] += d * d;
            }
          }
          case L1 -> {
            for (int c = 0; c < k; c++) {
              tab[base + c] += Math.abs(q - book[off + c]);
            }
          }
        }
      }
    }
    return tab;
  }

  private static float squaredNorm(float[] x, int off, int len) {
    float s = 0f;
    for (int t = 0; t < len; t++) {
      s += x[off + t] * x[off + t];
    }
    return s;
  }

  /** k-means on one sub-vector; writes its centroids and their squared norms in place. */
  private static final class KMeans {
    private final float[] x; // n points of len floats, row by row
    private final int n;
    private final int len;
    private final int k;
    private final float[] cb;
    private final int cbOff;
    private final float[] nm;
    private final int nOff;
    private final float[] pointNorms;

    KMeans(float[] x, int n, int len, int k, float[] cb, int cbOff, float[] nm, int nOff) {
      this.x = x;
      this.n = n;
      this.len = len;
      this.k = k;
      this.cb = cb;
      this.cbOff = cbOff;
      this.nm = nm;
      this.nOff = nOff;
      this.pointNorms = new float[n];
      for (int p = 0; p < n; p++) {
        pointNorms[p] = squaredNorm(x, p * len, len);
      }
    }

    void run(SplittableRandom random) {
      seed(random);
      int[] assigned = new int[n];
      Arrays.fill(assigned, -1);
      float[] error = new float[n];
      float[] acc = new float[k];
      double[] sums = new double[k * len];
      int[] counts = new int[k];
      for (int it = 0; it < ITERATIONS; it++) {
        int changed = 0;
        for (int p = 0; p < n; p++) {
          int c = KERNELS.nearestCentroid(x, p * len, len, cb, cbOff, nm, nOff, k, acc);
          error[p] = Math.max(0f, acc[0] + pointNorms[p]);
          if (c != assigned[p]) {
            changed++;
            assigned[p] = c;
          }
        }
        if (changed == 0) {
          return; // the centroids are the means of these assignments already
        }
        Arrays.fill(sums, 0.0);
        Arrays.fill(counts, 0);
        for (int p = 0; p < n; p++) {
          int c = assigned[p];
          counts[c]++;
          for (int t = 0; t < len; t++) {
            sums[c * len + t] += x[p * len + t];
          }
        }
        for (int c = 0; c < k; c++) {
          if (counts[c] > 0) {
            for (int t = 0; t < len; t++) {
              cb[cbOff + t * k + c] = (float) (sums[c * len + t] / counts[c]);
            }
          } else {
            int worst = 0;
            for (int p = 1; p < n; p++) {
              if (error[p] > error[worst]) {
                worst = p;
              }
            }
            error[worst] = 0f;
            place(c, worst);
          }
          nm[nOff + c] = centroidNorm(c);
        }
      }
    }

    /** k-means++: each next centroid is a point drawn with probability ∝ its squared distance. */
    private void seed(SplittableRandom random) {
      float[] closest = new float[n];
      Arrays.fill(closest, Float.POSITIVE_INFINITY);
      int pick = random.nextInt(n);
      for (int c = 0; c < k; c++) {
        place(c, pick);
        nm[nOff + c] = centroidNorm(c);
        double total = 0;
        for (int p = 0; p < n; p++) {
          float d = 0f;
          for (int t = 0; t < len; t++) {
            float diff = x[p * len + t] - x[pick * len + t];
            d += diff * diff;
          }
          if (d < closest[p]) {
            closest[p] = d;
          }
          total += closest[p];
        }
        if (total <= 0) {
          pick = random.nextInt(n); // every point sits on a centroid: any choice will do
          continue;
        }
        double r = random.nextDouble() * total;
        pick = n - 1;
        for (int p = 0; p < n; p++) {
          r -= closest[p];
          if (r < 0) {
            pick = p;
            break;
          }
        }
      }
    }

    private void place(int c, int point) {
      for (int t = 0; t < len; t++) {
        cb[cbOff + t * k + c] = x[point * len + t];
      }
    }

    private float centroidNorm(int c) {
      float s = 0f;
      for (int t = 0; t < len; t++) {
        float v = cb[cbOff + t * k + c];
        s += v * v;
      }
      return s;
    }
  }
}
