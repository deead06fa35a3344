package dev.vectorcache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("VectorEncoding")
class VectorEncodingTest {
  private static final SplittableRandom RANDOM = new SplittableRandom(13);

  private static float[] randomVector(int dimension, double scale) {
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) ((RANDOM.nextDouble() * 2 - 1) * scale);
    }
    return v;
  }

  @Test
  @DisplayName("sizes: FLOAT32 4·d, FLOAT16 2·d, INT8 4 + d bytes")
  void sizes() {
    assertThat(VectorEncoding.FLOAT32.bytes(384)).isEqualTo(1536);
    assertThat(VectorEncoding.FLOAT16.bytes(384)).isEqualTo(768);
    assertThat(VectorEncoding.INT8.bytes(384)).isEqualTo(388);
    for (VectorEncoding e : VectorEncoding.values()) {
      assertThat(e.encode(randomVector(384, 1))).hasSize(e.bytes(384));
    }
  }

  @Nested
  @DisplayName("FLOAT32")
  class Float32 {
    @Test
    @DisplayName("round-trips bit for bit, signed zero, subnormals and extremes included")
    void exact() {
      float[] v = randomVector(1000, 10);
      v[0] = -0.0f;
      v[1] = Float.MIN_VALUE;
      v[2] = -Float.MAX_VALUE;
      v[3] = Float.MIN_NORMAL;
      v[4] = 0x1.fffffep-3f;
      float[] back = VectorEncoding.FLOAT32.decode(VectorEncoding.FLOAT32.encode(v), v.length);
      for (int i = 0; i < v.length; i++) {
        assertThat(Float.floatToRawIntBits(back[i]))
            .as("component %d", i)
            .isEqualTo(Float.floatToRawIntBits(v[i]));
      }
    }

    @Test
    @DisplayName("is little-endian IEEE 754 binary32")
    void layout() {
      byte[] b = VectorEncoding.FLOAT32.encode(new float[] {1.0f});
      assertThat(b).containsExactly(0x00, 0x00, 0x80, 0x3f); // 0x3f800000, low byte first
    }
  }

  @Nested
  @DisplayName("FLOAT16")
  class Float16 {
    @Test
    @DisplayName("every one of the 65,536 halves survives half → float → half")
    void everyHalfRoundTrips() {
      for (int h = 0; h < 0x10000; h++) {
        float f = VectorEncoding.halfToFloat(h);
        if (Float.isNaN(f)) {
          assertThat(VectorEncoding.floatToHalf(f) & 0x7c00).isEqualTo(0x7c00);
          assertThat(VectorEncoding.floatToHalf(f) & 0x3ff).isNotZero();
        } else {
          assertThat(VectorEncoding.floatToHalf(f)).as("half 0x%04x", h).isEqualTo(h);
        }
      }
    }

    @Test
    @DisplayName("rounds to nearest, ties to even, in normal and subnormal ranges and at overflow")
    void roundsToNearestEven() {
      assertThat(VectorEncoding.floatToHalf(1.0f)).isEqualTo(0x3c00);
      assertThat(VectorEncoding.floatToHalf(-2.0f)).isEqualTo(0xc000);
      // 1 + 2^-11 is halfway between 1 (even) and 1 + 2^-10 (odd): to 1
      assertThat(VectorEncoding.floatToHalf(1 + 0x1p-11f)).isEqualTo(0x3c00);
      // 1 + 3·2^-11 is halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even): up
      assertThat(VectorEncoding.floatToHalf(1 + 3 * 0x1p-11f)).isEqualTo(0x3c02);
      // just above the halfway point rounds up
      assertThat(VectorEncoding.floatToHalf(Math.nextUp(1 + 0x1p-11f))).isEqualTo(0x3c01);
      assertThat(VectorEncoding.floatToHalf(65504f)).isEqualTo(0x7bff);
      assertThat(VectorEncoding.floatToHalf(Math.nextDown(65520f))).isEqualTo(0x7bff);
      assertThat(VectorEncoding.floatToHalf(65520f)).isEqualTo(0x7c00); // the tie goes to infinity
      assertThat(VectorEncoding.floatToHalf(Float.NEGATIVE_INFINITY)).isEqualTo(0xfc00);
      assertThat(VectorEncoding.floatToHalf(0x1p-24f)).isEqualTo(0x0001); // smallest subnormal
      assertThat(VectorEncoding.floatToHalf(0x1p-25f)).isEqualTo(0x0000); // tie to even zero
      assertThat(VectorEncoding.floatToHalf(Math.nextUp(0x1p-25f))).isEqualTo(0x0001);
      assertThat(VectorEncoding.floatToHalf(3 * 0x1p-25f)).isEqualTo(0x0002); // tie to even 2
      assertThat(VectorEncoding.floatToHalf(-0.0f)).isEqualTo(0x8000);
      assertThat(VectorEncoding.floatToHalf(Float.MIN_VALUE)).isEqualTo(0x0000);
      // a subnormal that rounds up into the smallest normal, 2^-14
      assertThat(VectorEncoding.floatToHalf(Math.nextDown(0x1p-14f))).isEqualTo(0x0400);
      assertThat(VectorEncoding.halfToFloat(0x0400)).isEqualTo(0x1p-14f);
    }

    @Test
    @DisplayName("picks the nearest half for random floats, within max(|x|·2^-11, 2^-25)")
    void nearestAndWithinTheDocumentedError() {
      for (int i = 0; i < 200_000; i++) {
        float f = (float) ((RANDOM.nextDouble() * 2 - 1) * Math.pow(2, RANDOM.nextInt(-30, 16)));
        int h = VectorEncoding.floatToHalf(f);
        double error = Math.abs((double) f - VectorEncoding.halfToFloat(h));
        assertThat(error).isLessThanOrEqualTo(Math.max(Math.abs(f) * 0x1p-11, 0x1p-25));
        for (int neighbour : new int[] {h - 1, h + 1}) {
          if ((neighbour & 0x7fff) < 0x7c00 && (neighbour & 0x8000) == (h & 0x8000)) {
            double other = Math.abs((double) f - VectorEncoding.halfToFloat(neighbour));
            assertThat(error).as("%s to 0x%04x", f, h).isLessThanOrEqualTo(other);
          }
        }
      }
    }

    @Test
    @DisplayName("a vector comes back within the documented error per component")
    void vectorWithinError() {
      float[] v = randomVector(384, 0.2);
      float[] back = VectorEncoding.FLOAT16.decode(VectorEncoding.FLOAT16.encode(v), v.length);
      for (int i = 0; i < v.length; i++) {
        assertThat((double) Math.abs(back[i] - v[i]))
            .isLessThanOrEqualTo(Math.max(Math.abs(v[i]) * 0x1p-11, 0x1p-25));
      }
    }
  }

  @Nested
  @DisplayName("INT8")
  class Int8 {
    @Test
    @DisplayName("a vector comes back within max|x|/254 per component (plus one float rounding)")
    void withinHalfAStep() {
      for (double scale : new double[] {1e-30, 0.05, 1, 3e4, 1e30}) {
        float[] v = randomVector(384, scale);
        float maxAbs = 0;
        for (float x : v) {
          maxAbs = Math.max(maxAbs, Math.abs(x));
        }
        float[] back = VectorEncoding.INT8.decode(VectorEncoding.INT8.encode(v), v.length);
        for (int i = 0; i < v.length; i++) {
          assertThat((double) Math.abs(back[i] - v[i]))
              .as("scale %s, component %d", scale, i)
              .isLessThanOrEqualTo(maxAbs / 254.0 + Math.ulp(maxAbs));
        }
      }
    }

    @Test
    @DisplayName("the largest component is exact up to rounding; a zero vector stays zero")
    void extremes() {
      float[] v = {0.5f, -1.0f, 0.25f};
      float[] back = VectorEncoding.INT8.decode(VectorEncoding.INT8.encode(v), 3);
      assertThat(back[1]).isCloseTo(-1.0f, org.assertj.core.data.Offset.offset(1e-6f));
      assertThat(VectorEncoding.INT8.decode(VectorEncoding.INT8.encode(new float[4]), 4))
          .containsExactly(0f, 0f, 0f, 0f);
    }

    @Test
    @DisplayName("stores the float32 scale first, then one signed byte per component")
    void layout() {
      byte[] b = VectorEncoding.INT8.encode(new float[] {127f, -63.5f});
      assertThat(b).containsExactly(0x00, 0x00, 0x80, 0x3f, 127, -64); // scale 1.0; -63.5 → -64
    }
  }
}
