package dev.vectorcache.inmemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels on {@code jdk.incubator.vector} at the platform's preferred width. Loaded by name
 * from {@link Kernels} only when the incubator module is in the boot layer; never reference this
 * class directly.
 *
 * <p>Float kernels keep two accumulators to hide the add latency and use FMA; int8 kernels widen
 * bytes to shorts (a product of two int8 values fits a short), multiply, widen to ints and add, so
 * they are exact and equal to the scalar kernels bit for bit.
 */
final class PanamaKernels extends Kernels {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Short> S =
      VectorSpecies.of(short.class, VectorShape.forBitSize(I.length() * 16));
  private static final VectorSpecies<Byte> B =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(I.length() * 8));
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

  PanamaKernels() {}

  @Override
  String name() {
    return "panama";
  }

  @Override
  float dot(float[] q, float[] d, int off) {
    int n = q.length;
    int step = F.length();
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    int i = 0;
    for (int bound = n - 2 * step; i <= bound; i += 2 * step) {
      a0 = FloatVector.fromArray(F, q, i).fma(FloatVector.fromArray(F, d, off + i), a0);
      a1 =
          FloatVector.fromArray(F, q, i + step)
              .fma(FloatVector.fromArray(F, d, off + i + step), a1);
    }
    for (int bound = F.loopBound(n); i < bound; i += step) {
      a0 = FloatVector.fromArray(F, q, i).fma(FloatVector.fromArray(F, d, off + i), a0);
    }
    float s = a0.add(a1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += q[i] * d[off + i];
    }
    return s;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A lane per centroid: each lane's value is built with the scalar kernel's operations in its
   * order, the running minimum and its index stay in registers, and no value is stored; the lanes
   * then give the smallest value and, among the lanes holding it, the smallest index (each lane
   * keeps its first minimum), which is the scalar kernel's answer.
   */
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
    int step = F.length();
    if (k < step || I.length() != step) {
      return super.nearestCentroid(x, xOff, len, cb, cbOff, nm, nOff, k, acc);
    }
    FloatVector minValue = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
    IntVector minIndex = IntVector.zero(I);
    IntVector index = IntVector.zero(I).addIndex(1);
    IntVector stride = IntVector.broadcast(I, step);
    int c = 0;
    for (int bound = F.loopBound(k); c < bound; c += step) {
      FloatVector v = FloatVector.fromArray(F, nm, nOff + c);
      for (int t = 0; t < len; t++) {
        FloatVector m2 = FloatVector.broadcast(F, -2f * x[xOff + t]);
        v = v.add(m2.mul(FloatVector.fromArray(F, cb, cbOff + t * k + c)));
      }
      VectorMask<Float> lower = v.compare(VectorOperators.LT, minValue);
      minValue = minValue.blend(v, lower);
      minIndex = minIndex.blend(index, lower.cast(I));
      index = index.add(stride);
    }
    float bestValue = minValue.reduceLanes(VectorOperators.MIN);
    VectorMask<Float> holders = minValue.compare(VectorOperators.EQ, bestValue);
    int best =
        minIndex
            .blend(IntVector.broadcast(I, Integer.MAX_VALUE), holders.not().cast(I))
            .reduceLanes(VectorOperators.MIN);
    for (; c < k; c++) { // the tail, after every vector lane: a tie keeps the earlier centroid
      float v = nm[nOff + c];
      for (int t = 0; t < len; t++) {
        v += -2f * x[xOff + t] * cb[cbOff + t * k + c];
      }
      if (v < bestValue) {
        bestValue = v;
        best = c;
      }
    }
    acc[0] = bestValue;
    return best;
  }

  @Override
  void scoreRange(Metric metric, float[] q, float[] d, int off, int n, float[] out) {
    int dim = q.length;
    int i = 0;
    if (metric == Metric.DOT) {
      for (; i + 4 <= n; i += 4) {
        dot4(q, d, off + i * dim, out, i);
      }
    }
    for (; i < n; i++) {
      out[i] = score(metric, q, d, off + i * dim);
    }
  }

  /**
   * Four dot products over consecutive vectors from {@code off}, each query lane loaded once. Each
   * row keeps the two accumulators and the order of {@link #dot(float[], float[], int)}, so the
   * scores are the same bits.
   */
  private static void dot4(float[] q, float[] d, int off, float[] out, int at) {
    int n = q.length;
    int step = F.length();
    int o1 = off + n;
    int o2 = o1 + n;
    int o3 = o2 + n;
    FloatVector a0 = FloatVector.zero(F);
    FloatVector b0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector b1 = FloatVector.zero(F);
    FloatVector a2 = FloatVector.zero(F);
    FloatVector b2 = FloatVector.zero(F);
    FloatVector a3 = FloatVector.zero(F);
    FloatVector b3 = FloatVector.zero(F);
    int i = 0;
    for (int bound = n - 2 * step; i <= bound; i += 2 * step) {
      FloatVector x = FloatVector.fromArray(F, q, i);
      FloatVector y = FloatVector.fromArray(F, q, i + step);
      a0 = x.fma(FloatVector.fromArray(F, d, off + i), a0);
      b0 = y.fma(FloatVector.fromArray(F, d, off + i + step), b0);
      a1 = x.fma(FloatVector.fromArray(F, d, o1 + i), a1);
      b1 = y.fma(FloatVector.fromArray(F, d, o1 + i + step), b1);
      a2 = x.fma(FloatVector.fromArray(F, d, o2 + i), a2);
      b2 = y.fma(FloatVector.fromArray(F, d, o2 + i + step), b2);
      a3 = x.fma(FloatVector.fromArray(F, d, o3 + i), a3);
      b3 = y.fma(FloatVector.fromArray(F, d, o3 + i + step), b3);
    }
    for (int bound = F.loopBound(n); i < bound; i += step) {
      FloatVector x = FloatVector.fromArray(F, q, i);
      a0 = x.fma(FloatVector.fromArray(F, d, off + i), a0);
      a1 = x.fma(FloatVector.fromArray(F, d, o1 + i), a1);
      a2 = x.fma(FloatVector.fromArray(F, d, o2 + i), a2);
      a3 = x.fma(FloatVector.fromArray(F, d, o3 + i), a3);
    }
    float s0 = a0.add(b0).reduceLanes(VectorOperators.ADD);
    float s1 = a1.add(b1).reduceLanes(VectorOperators.ADD);
    float s2 = a2.add(b2).reduceLanes(VectorOperators.ADD);
    float s3 = a3.add(b3).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      float x = q[i];
      s0 += x * d[off + i];
      s1 += x * d[o1 + i];
      s2 += x * d[o2 + i];
      s3 += x * d[o3 + i];
    }
    out[at] = s0;
    out[at + 1] = s1;
    out[at + 2] = s2;
    out[at + 3] = s3;
  }

  @Override
  float l2sq(float[] q, float[] d, int off) {
    int n = q.length;
    int step = F.length();
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    int i = 0;
    for (int bound = n - 2 * step; i <= bound; i += 2 * step) {
      FloatVector x0 = FloatVector.fromArray(F, q, i).sub(FloatVector.fromArray(F, d, off + i));
      FloatVector x1 =
          FloatVector.fromArray(F, q, i + step).sub(FloatVector.fromArray(F, d, off + i + step));
      a0 = x0.fma(x0, a0);
      a1 = x1.fma(x1, a1);
    }
    for (int bound = F.loopBound(n); i < bound; i += step) {
      FloatVector x0 = FloatVector.fromArray(F, q, i).sub(FloatVector.fromArray(F, d, off + i));
      a0 = x0.fma(x0, a0);
    }
    float s = a0.add(a1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      float diff = q[i] - d[off + i];
      s += diff * diff;
    }
    return s;
  }

  @Override
  float l1(float[] q, float[] d, int off) {
    int n = q.length;
    int step = F.length();
    FloatVector a0 = FloatVector.zero(F);
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += step) {
      a0 =
          a0.add(
              FloatVector.fromArray(F, q, i)
                  .sub(FloatVector.fromArray(F, d, off + i))
                  .lanewise(VectorOperators.ABS));
    }
    float s = a0.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += Math.abs(q[i] - d[off + i]);
    }
    return s;
  }

  @Override
  float dot(float[] q, ByteBuffer d, int off) {
    int n = q.length;
    int step = F.length();
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    int i = 0;
    for (int bound = n - 2 * step; i <= bound; i += 2 * step) {
      a0 =
          FloatVector.fromArray(F, q, i)
              .fma(FloatVector.fromByteBuffer(F, d, off + 4 * i, NATIVE), a0);
      a1 =
          FloatVector.fromArray(F, q, i + step)
              .fma(FloatVector.fromByteBuffer(F, d, off + 4 * (i + step), NATIVE), a1);
    }
    for (int bound = F.loopBound(n); i < bound; i += step) {
      a0 =
          FloatVector.fromArray(F, q, i)
              .fma(FloatVector.fromByteBuffer(F, d, off + 4 * i, NATIVE), a0);
    }
    float s = a0.add(a1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += q[i] * d.getFloat(off + 4 * i);
    }
    return s;
  }

  @Override
  float l2sq(float[] q, ByteBuffer d, int off) {
    int n = q.length;
    int step = F.length();
    FloatVector a0 = FloatVector.zero(F);
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += step) {
      FloatVector x =
          FloatVector.fromArray(F, q, i).sub(FloatVector.fromByteBuffer(F, d, off + 4 * i, NATIVE));
      a0 = x.fma(x, a0);
    }
    float s = a0.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      float diff = q[i] - d.getFloat(off + 4 * i);
      s += diff * diff;
    }
    return s;
  }

  @Override
  float l1(float[] q, ByteBuffer d, int off) {
    int n = q.length;
    int step = F.length();
    FloatVector a0 = FloatVector.zero(F);
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += step) {
      a0 =
          a0.add(
              FloatVector.fromArray(F, q, i)
                  .sub(FloatVector.fromByteBuffer(F, d, off + 4 * i, NATIVE))
                  .lanewise(VectorOperators.ABS));
    }
    float s = a0.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += Math.abs(q[i] - d.getFloat(off + 4 * i));
    }
    return s;
  }

  @Override
  int dotI8(byte[] q, byte[] d, int off) {
    int n = q.length;
    int step = B.length();
    IntVector acc = IntVector.zero(I);
    int i = 0;
    for (int bound = B.loopBound(n); i < bound; i += step) {
      ShortVector a =
          (ShortVector) ByteVector.fromArray(B, q, i).convertShape(VectorOperators.B2S, S, 0);
      ShortVector b =
          (ShortVector) ByteVector.fromArray(B, d, off + i).convertShape(VectorOperators.B2S, S, 0);
      acc = acc.add(a.mul(b).convertShape(VectorOperators.S2I, I, 0));
    }
    int s = acc.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += q[i] * d[off + i];
    }
    return s;
  }

  @Override
  int l1I8(byte[] q, byte[] d, int off) {
    int n = q.length;
    int step = B.length();
    IntVector acc = IntVector.zero(I);
    int i = 0;
    for (int bound = B.loopBound(n); i < bound; i += step) {
      ShortVector a =
          (ShortVector) ByteVector.fromArray(B, q, i).convertShape(VectorOperators.B2S, S, 0);
      ShortVector b =
          (ShortVector) ByteVector.fromArray(B, d, off + i).convertShape(VectorOperators.B2S, S, 0);
      acc = acc.add(a.sub(b).lanewise(VectorOperators.ABS).convertShape(VectorOperators.S2I, I, 0));
    }
    int s = acc.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += Math.abs(q[i] - d[off + i]);
    }
    return s;
  }

  @Override
  int dotI8(byte[] q, ByteBuffer d, int off) {
    int n = q.length;
    int step = B.length();
    IntVector acc = IntVector.zero(I);
    int i = 0;
    for (int bound = B.loopBound(n); i < bound; i += step) {
      ShortVector a =
          (ShortVector) ByteVector.fromArray(B, q, i).convertShape(VectorOperators.B2S, S, 0);
      ShortVector b =
          (ShortVector)
              ByteVector.fromByteBuffer(B, d, off + i, NATIVE)
                  .convertShape(VectorOperators.B2S, S, 0);
      acc = acc.add(a.mul(b).convertShape(VectorOperators.S2I, I, 0));
    }
    int s = acc.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += q[i] * d.get(off + i);
    }
    return s;
  }

  @Override
  int l1I8(byte[] q, ByteBuffer d, int off) {
    int n = q.length;
    int step = B.length();
    IntVector acc = IntVector.zero(I);
    int i = 0;
    for (int bound = B.loopBound(n); i < bound; i += step) {
      ShortVector a =
          (ShortVector) ByteVector.fromArray(B, q, i).convertShape(VectorOperators.B2S, S, 0);
      ShortVector b =
          (ShortVector)
              ByteVector.fromByteBuffer(B, d, off + i, NATIVE)
                  .convertShape(VectorOperators.B2S, S, 0);
      acc = acc.add(a.sub(b).lanewise(VectorOperators.ABS).convertShape(VectorOperators.S2I, I, 0));
    }
    int s = acc.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += Math.abs(q[i] - d.get(off + i));
    }
    return s;
  }
}
