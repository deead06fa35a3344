package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The active kernels (SIMD in one surefire run, scalar in the other) agree with plain Java. */
class KernelsTest {
  private final Kernels active = Kernels.active();
  private final Kernels scalar = new ScalarKernels();

  @Test
  void floatKernelsAgreeOnHeapAndMappedLayouts() {
    Random r = new Random(7);
    // lengths around and between SIMD widths, with tails
    for (int n : new int[] {1, 3, 7, 8, 15, 16, 17, 31, 33, 64, 100, 384, 385}) {
      float[] q = gaussian(r, n);
      float[] data = gaussian(r, 3 * n);
      ByteBuffer buf = ByteBuffer.allocateDirect(4 * 3 * n).order(ByteOrder.nativeOrder());
      for (int i = 0; i < data.length; i++) {
        buf.putFloat(4 * i, data[i]);
      }
      int off = n; // the middle vector
      float tol = 1e-4f * n;
      assertThat(active.dot(q, data, off)).isCloseTo(scalar.dot(q, data, off), within(tol));
      assertThat(active.l2sq(q, data, off)).isCloseTo(scalar.l2sq(q, data, off), within(tol));
      assertThat(active.l1(q, data, off)).isCloseTo(scalar.l1(q, data, off), within(tol));
      assertThat(active.dot(q, buf, 4 * off)).isCloseTo(scalar.dot(q, data, off), within(tol));
      assertThat(active.l2sq(q, buf, 4 * off)).isCloseTo(scalar.l2sq(q, data, off), within(tol));
      assertThat(active.l1(q, buf, 4 * off)).isCloseTo(scalar.l1(q, data, off), within(tol));
      double exactDot = 0;
      for (int i = 0; i < n; i++) {
        exactDot += (double) q[i] * data[off + i];
      }
      assertThat((double) active.dot(q, data, off)).isCloseTo(exactDot, within(1e-3 * n));
    }
  }

  /**
   * The nearest centroid and its value are the scalar kernel's, bit for bit, for centroid counts
   * around the SIMD width (with tails) and sub-vector lengths of every compression; a tie goes to
   * the first centroid.
   */
  @Test
  void nearestCentroidIsTheScalarAnswerBitForBit() {
    Random r = new Random(11);
    for (int k : new int[] {1, 3, 7, 8, 9, 16, 17, 31, 100, 255, 256}) {
      for (int len : new int[] {1, 2, 4, 5, 16}) {
        float[] cb = gaussian(r, 3 + len * k); // stored from offset 3
        float[] nm = new float[2 + k]; // norms from offset 2
        for (int c = 0; c < k; c++) {
          float s = 0f;
          for (int t = 0; t < len; t++) {
            s += cb[3 + t * k + c] * cb[3 + t * k + c];
          }
          nm[2 + c] = s;
        }
        for (int q = 0; q < 20; q++) {
          float[] x = gaussian(r, 1 + len); // the sub-vector at offset 1
          float[] accActive = new float[k];
          float[] accScalar = new float[k];
          int got = active.nearestCentroid(x, 1, len, cb, 3, nm, 2, k, accActive);
          int want = scalar.nearestCentroid(x, 1, len, cb, 3, nm, 2, k, accScalar);
          assertThat(got).as("k %d, len %d", k, len).isEqualTo(want);
          assertThat(Float.floatToIntBits(accActive[0]))
              .as("k %d, len %d", k, len)
              .isEqualTo(Float.floatToIntBits(accScalar[0]));
        }
      }
    }
    // two equal centroids (0 and k-1, so in different SIMD lanes and the tail): the first wins
    int k = 19;
    float[] cb = new float[k];
    float[] nm = new float[k];
    java.util.Arrays.fill(cb, 5f);
    cb[0] = 1f;
    cb[k - 1] = 1f;
    for (int c = 0; c < k; c++) {
      nm[c] = cb[c] * cb[c];
    }
    float[] acc = new float[k];
    assertThat(active.nearestCentroid(new float[] {1f}, 0, 1, cb, 0, nm, 0, k, acc)).isZero();
    assertThat(acc[0]).isEqualTo(-1f); // 1 - 2
    cb[0] = 5f;
    nm[0] = 25f;
    assertThat(active.nearestCentroid(new float[] {1f}, 0, 1, cb, 0, nm, 0, k, acc))
        .isEqualTo(k - 1);
  }

  /** A block scored at once gives each vector's single score, bit for bit, for every metric. */
  @Test
  void scoringARangeEqualsScoringEachVector() {
    Random r = new Random(9);
    for (int n : new int[] {1, 7, 16, 17, 33, 384, 385}) {
      for (int count : new int[] {1, 3, 4, 5, 9, 64}) {
        float[] q = gaussian(r, n);
        float[] data = gaussian(r, (count + 2) * n);
        float[] out = new float[count];
        for (Metric m : Metric.values()) {
          active.scoreRange(m, q, data, 2 * n, count, out);
          for (int i = 0; i < count; i++) {
            assertThat(out[i])
                .as("metric %s, dimension %d, vector %d of %d", m, n, i, count)
                .isEqualTo(active.score(m, q, data, (2 + i) * n));
          }
        }
      }
    }
  }

  @Test
  void int8KernelsAreExactOnHeapAndMappedLayouts() {
    Random r = new Random(11);
    for (int n : new int[] {1, 5, 8, 16, 17, 32, 63, 64, 65, 384}) {
      byte[] q = bytes(r, n);
      byte[] data = bytes(r, 2 * n);
      // extremes: -128 * -128 is the largest product and must not overflow a short lane
      q[0] = -128;
      data[n] = -128;
      ByteBuffer buf = ByteBuffer.allocateDirect(2 * n);
      buf.put(0, data);
      int dot = 0;
      int l1 = 0;
      for (int i = 0; i < n; i++) {
        dot += q[i] * data[n + i];
        l1 += Math.abs(q[i] - data[n + i]);
      }
      assertThat(active.dotI8(q, data, n)).isEqualTo(dot);
      assertThat(active.l1I8(q, data, n)).isEqualTo(l1);
      assertThat(active.dotI8(q, buf, n)).isEqualTo(dot);
      assertThat(active.l1I8(q, buf, n)).isEqualTo(l1);
      assertThat(scalar.dotI8(q, data, n)).isEqualTo(dot);
    }
  }

  @Test
  void hammingCountsDifferingBits() {
    long[] q = {0b1011L, -1L};
    long[] d = {0L, 0b0001L, -1L, 0L};
    assertThat(Kernels.hamming(q, d, 0)).isEqualTo(3 + 63); // 0b1011^0, -1^0b0001
    ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
    for (int i = 0; i < d.length; i++) {
      b.putLong(8 * i, d[i]);
    }
    assertThat(Kernels.hamming(q, b, 16)).isEqualTo(Kernels.hamming(q, d, 2));
    assertThat(Kernels.hamming(q, d, 2)).isEqualTo(Long.bitCount(0b1011L ^ -1L) + 64);
  }

  static float[] gaussian(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  private static byte[] bytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }
}
