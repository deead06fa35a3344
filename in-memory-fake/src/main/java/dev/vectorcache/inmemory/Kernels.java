package dev.vectorcache.inmemory;

import java.nio.ByteBuffer;
import org.slf4j.LoggerFactory;

/**
 * The arithmetic of a flat scan: float dot / squared-L2 / L1 over heap arrays and mapped buffers,
 * int8 dot and L1 over codes, and popcount over binary codes.
 *
 * <p>Two implementations give the same answers up to float rounding (the order of a float sum
 * differs between one accumulator and several SIMD lanes; integer kernels are bit-identical): a
 * plain-Java one ({@link ScalarKernels}) and one on {@code jdk.incubator.vector} ({@code
 * PanamaKernels}). The SIMD class is loaded by name, and only when the incubator module is in the
 * boot layer (the JVM was started with {@code --add-modules jdk.incubator.vector}), so the engine
 * runs on a plain JDK 17 without it. {@code -Dvectorcache.simd=false} forces the scalar kernels.
 *
 * <p>Mapped buffers are read in native byte order (the order the engine writes them in). On JDK 20
 * and later the incubator API has no {@code ByteBuffer} loads any more, so there the SIMD kernels
 * serve heap data and the plain-Java ones mapped data ({@code "panama-heap"}).
 */
abstract class Kernels {
  private static final Kernels ACTIVE = select();

  /** The kernels in use in this JVM. */
  static Kernels active() {
    return ACTIVE;
  }

  /** {@code "panama"} or {@code "scalar"}. */
  abstract String name();

  private static Kernels select() {
    if ("false".equalsIgnoreCase(System.getProperty("vectorcache.simd", "true").trim())) {
      return new ScalarKernels();
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return new ScalarKernels();
    }
    Kernels panama;
    try {
      panama =
          Class.forName("dev.vectorcache.inmemory.PanamaKernels")
              .asSubclass(Kernels.class)
              .getDeclaredConstructor()
              .newInstance();
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      LoggerFactory.getLogger(Kernels.class)
          .warn("jdk.incubator.vector is present but its kernels failed to load; using scalar", e);
      return new ScalarKernels();
    }
    try {
      // the incubator API lost its ByteBuffer loads after JDK 19 (MemorySegment took over)
      ByteBuffer probe = ByteBuffer.allocate(64).order(java.nio.ByteOrder.nativeOrder());
      panama.dot(new float[16], probe, 0);
      panama.dotI8(new byte[16], probe, 0);
      return panama;
    } catch (LinkageError e) {
      LoggerFactory.getLogger(Kernels.class)
          .info(
              "jdk.incubator.vector on Java {} has no ByteBuffer loads: SIMD kernels for heap"
                  + " data, plain-Java kernels for memory-mapped data",
              Runtime.version().feature());
      return new HeapSimdKernels(panama, new ScalarKernels());
    }
  }

  /** SIMD over heap arrays, plain Java over mapped buffers (JDK 20+ incubator API). */
  private static final class HeapSimdKernels extends Kernels {
    private final Kernels heap;
    private final Kernels buffers;

    HeapSimdKernels(Kernels heap, Kernels buffers) {
      this.heap = heap;
      this.buffers = buffers;
    }

    @Override
    String name() {
      return "panama-heap";
    }

    @Override
    float dot(float[] q, float[] d, int off) {
      return heap.dot(q, d, off);
    }

    @Override
    void scoreRange(Metric metric, float[] q, float[] d, int off, int n, float[] out) {
      heap.scoreRange(metric, q, d, off, n, out);
    }

    @Override
    int nearestCentroid(
        float[] x,
        int xOff,
        int len,
        float[] cb,
        int cbOff,
        float[] nm,
        int nOff,
        int k,
        float[] acc) {
      return heap.nearestCentroid(x, xOff, len, cb, cbOff, nm, nOff, k, acc);
    }

    @Override
    float l2sq(float[] q, float[] d, int off) {
      return heap.l2sq(q, d, off);
    }

    @Override
    float l1(float[] q, float[] d, int off) {
      return heap.l1(q, d, off);
    }

    @Override
    float dot(float[] q, ByteBuffer d, int off) {
      return buffers.dot(q, d, off);
    }

    @Override
    float l2sq(float[] q, ByteBuffer d, int off) {
      return buffers.l2sq(q, d, off);
    }

    @Override
    float l1(float[] q, ByteBuffer d, int off) {
      return buffers.l1(q, d, off);
    }

    @Override
    int dotI8(byte[] q, byte[] d, int off) {
      return heap.dotI8(q, d, off);
    }

    @Override
    int l1I8(byte[] q, byte[] d, int off) {
      return heap.l1I8(q, d, off);
    }

    @Override
    int dotI8(byte[] q, ByteBuffer d, int off) {
      return buffers.dotI8(q, d, off);
    }

    @Override
    int l1I8(byte[] q, ByteBuffer d, int off) {
      return buffers.l1I8(q, d, off);
    }
  }

  // ---- float, heap ----

  abstract float dot(float[] q, float[] d, int off);

  abstract float l2sq(float[] q, float[] d, int off);

  abstract float l1(float[] q, float[] d, int off);

  // ---- float, mapped (byte offsets) ----

  abstract float dot(float[] q, ByteBuffer d, int off);

  abstract float l2sq(float[] q, ByteBuffer d, int off);

  abstract float l1(float[] q, ByteBuffer d, int off);

  // ---- int8 codes (n = q.length) ----

  abstract int dotI8(byte[] q, byte[] d, int off);

  abstract int l1I8(byte[] q, byte[] d, int off);

  abstract int dotI8(byte[] q, ByteBuffer d, int off);

  abstract int l1I8(byte[] q, ByteBuffer d, int off);

  // ---- binary codes: Long.bitCount is an intrinsic (POPCNT) in both modes ----

  static int hamming(long[] q, long[] d, int off) {
    int h = 0;
    for (int i = 0; i < q.length; i++) {
      h += Long.bitCount(q[i] ^ d[off + i]);
    }
    return h;
  }

  static int hamming(long[] q, ByteBuffer d, int off) {
    int h = 0;
    for (int i = 0; i < q.length; i++) {
      h += Long.bitCount(q[i] ^ d.getLong(off + 8 * i));
    }
    return h;
  }

  /** The score of {@code metric} for a stored vector on the heap. */
  final float score(Metric metric, float[] q, float[] d, int off) {
    return switch (metric) {
      case DOT -> dot(q, d, off);
      case L2 -> (float) Math.sqrt(l2sq(q, d, off));
      case L1 -> l1(q, d, off);
    };
  }

  /**
   * The scores of {@code metric} for {@code n} stored vectors packed one after the other on the
   * heap from {@code off}, into {@code out[0..n)}. The SIMD kernels score four vectors per pass
   * over the query.
   */
  void scoreRange(Metric metric, float[] q, float[] d, int off, int n, float[] out) {
    int dim = q.length;
    for (int i = 0; i < n; i++) {
      out[i] = score(metric, q, d, off + i * dim);
    }
  }

  // ---- product quantization ----

  /**
   * The centroid nearest to {@code x[xOff, xOff + len)} among {@code k} centroids stored
   * component-major at {@code cb[cbOff + t·k + c]}, with their squared norms at {@code nm[nOff +
   * c]}: the smallest {@code ‖c‖² - 2x·c} (the squared distance less {@code ‖x‖²}), the first one
   * on a tie. Leaves that value in {@code acc[0]}; {@code acc} is scratch of at least {@code k}
   * floats. Every implementation computes each centroid's value with the same operations in the
   * same order (a product, then a sum, per component; no fused multiply-add), so all return the
   * same centroid and value, bit for bit.
   */
  int nearestCentroid(
      float[] x,
      int xOff,
      int len,
      float[] cb,
      int cbOff,
      float[] nm,
      int nOff,
      int k,
      float[] acc) {
    System.arraycopy(nm, nOff, acc, 0, k);
    for (int t = 0; t < len; t++) {
      float m2 = -2f * x[xOff + t];
      int base = cbOff + t * k;
      for (int c = 0; c < k; c++) {
        acc[c] += m2 * cb[base + c];
      }
    }
    int best = 0;
    float bestValue = acc[0];
    for (int c = 1; c < k; c++) {
      if (acc[c] < bestValue) {
        bestValue = acc[c];
        best = c;
      }
    }
    acc[0] = bestValue;
    return best;
  }

  /** The score of {@code metric} for a stored vector in a mapped buffer. */
  final float score(Metric metric, float[] q, ByteBuffer d, int off) {
    return switch (metric) {
      case DOT -> dot(q, d, off);
      case L2 -> (float) Math.sqrt(l2sq(q, d, off));
      case L1 -> l1(q, d, off);
    };
  }
}
