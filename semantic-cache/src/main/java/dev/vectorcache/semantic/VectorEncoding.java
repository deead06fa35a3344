package dev.vectorcache.semantic;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * How an {@link EmbeddingCache} stores a vector's components. Every layout is little-endian (the
 * order of NumPy's and Redis Search's vector blobs).
 *
 * <table>
 *   <caption>Layouts, sizes and errors for a vector of dimension d</caption>
 *   <tr><th>encoding</th><th>bytes</th><th>layout</th><th>largest error per component</th></tr>
 *   <tr><td>{@link #FLOAT32}</td><td>4·d</td><td>IEEE 754 binary32</td><td>none: bit for bit</td></tr>
 *   <tr><td>{@link #FLOAT16}</td><td>2·d</td><td>IEEE 754 binary16, rounded to nearest, ties to
 *       even</td><td>max(|x|·2<sup>-11</sup>, 2<sup>-25</sup>)</td></tr>
 *   <tr><td>{@link #INT8}</td><td>4 + d</td><td>a binary32 scale s = max|x|/127, then one signed
 *       byte q = round(x/s) per component, read back as q·s</td><td>max|x|/254 (half a step),
 *       plus one float rounding of q·s</td></tr>
 * </table>
 *
 * <p>Embedding models compare vectors by cosine or dot product, which these errors barely move:
 * FLOAT16 halves the bytes for a relative error of at most about 0.05 % per component; INT8
 * quarters them (plus 4 bytes) for an error of half a quantisation step of the vector's largest
 * component.
 */
public enum VectorEncoding {
  /** Exact: the float32 components as the embedding function returned them, bit for bit. */
  FLOAT32 {
    @Override
    public int bytes(int dimension) {
      return 4 * dimension;
    }

    @Override
    byte[] encode(float[] vector) {
      byte[] out = new byte[bytes(vector.length)];
      ByteBuffer b = wrap(out);
      for (float x : vector) {
        b.putFloat(x);
      }
      return out;
    }

    @Override
    float[] decode(byte[] bytes, int dimension) {
      ByteBuffer b = wrap(bytes);
      float[] v = new float[dimension];
      for (int i = 0; i < dimension; i++) {
        v[i] = b.getFloat();
      }
      return v;
    }
  },

  /**
   * Half precision (IEEE 754 binary16), rounded to nearest with ties to even: half the bytes of
   * {@link #FLOAT32}. Components must lie within ±{@value #FLOAT16_MAX} (the largest half); the
   * cache refuses a vector with a larger one rather than store an infinity.
   */
  FLOAT16 {
    @Override
    public int bytes(int dimension) {
      return 2 * dimension;
    }

    @Override
    byte[] encode(float[] vector) {
      byte[] out = new byte[bytes(vector.length)];
      ByteBuffer b = wrap(out);
      for (float x : vector) {
        b.putShort((short) floatToHalf(x));
      }
      return out;
    }

    @Override
    float[] decode(byte[] bytes, int dimension) {
      ByteBuffer b = wrap(bytes);
      float[] v = new float[dimension];
      for (int i = 0; i < dimension; i++) {
        v[i] = halfToFloat(b.getShort() & 0xffff);
      }
      return v;
    }
  },

  /**
   * Symmetric scalar quantisation with one scale per vector: a float32 scale s = max|x| / 127, then
   * one signed byte round(x / s) per component, read back as q · s. A zero vector has scale 0.
   */
  INT8 {
    @Override
    public int bytes(int dimension) {
      return 4 + dimension;
    }

    @Override
    byte[] encode(float[] vector) {
      float maxAbs = 0;
      for (float x : vector) {
        maxAbs = Math.max(maxAbs, Math.abs(x));
      }
      float scale = maxAbs / 127f;
      byte[] out = new byte[bytes(vector.length)];
      ByteBuffer b = wrap(out);
      b.putFloat(scale);
      for (float x : vector) {
        long q = scale == 0 ? 0 : Math.round((double) x / scale);
        b.put((byte) Math.max(-127, Math.min(127, q))); // a subnormal scale may overshoot by one
      }
      return out;
    }

    @Override
    float[] decode(byte[] bytes, int dimension) {
      ByteBuffer b = wrap(bytes);
      float scale = b.getFloat();
      float[] v = new float[dimension];
      for (int i = 0; i < dimension; i++) {
        v[i] = b.get() * scale;
      }
      return v;
    }
  };

  /** The largest magnitude {@link #FLOAT16} can hold: 65504. */
  public static final float FLOAT16_MAX = 65504f;

  /**
   * Bytes this encoding takes for one vector, before Base64.
   *
   * @param dimension the vector's dimension
   * @return the size in bytes
   */
  public abstract int bytes(int dimension);

  /** The vector's bytes; its components are finite and, for FLOAT16, within range. */
  abstract byte[] encode(float[] vector);

  /** The vector read back from {@code bytes}, whose length is {@link #bytes(int)}. */
  abstract float[] decode(byte[] bytes, int dimension);

  private static ByteBuffer wrap(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * The binary16 bits nearest to {@code f}, ties to even (JDK 20's {@code Float.floatToFloat16},
   * which this library cannot use on JDK 17). Overflow gives an infinity, NaN stays NaN.
   */
  static int floatToHalf(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exp = (bits >>> 23) & 0xff;
    int mant = bits & 0x7f_ffff;
    if (exp == 0xff) {
      return sign | 0x7c00 | (mant == 0 ? 0 : 0x200 | (mant >>> 13)); // infinity, or a quiet NaN
    }
    int e = exp - 127 + 15; // the half's biased exponent
    if (e >= 0x1f) {
      return sign | 0x7c00;
    }
    if (e <= 0) {
      // a half subnormal (or zero): its value is m * 2^-24, so m = full >> (14 - e)
      int shift = 14 - e;
      if (shift > 24) {
        return sign; // below half the smallest subnormal: rounds to zero
      }
      int full = mant | 0x80_0000;
      int m = full >>> shift;
      int rest = full & ((1 << shift) - 1);
      int halfway = 1 << (shift - 1);
      if (rest > halfway || (rest == halfway && (m & 1) != 0)) {
        m++; // may carry into the smallest normal, which is exactly right
      }
      return sign | m;
    }
    int h = sign | (e << 10) | (mant >>> 13);
    int rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (h & 1) != 0)) {
      h++; // a carry moves into the exponent, up to infinity, as IEEE rounding does
    }
    return h;
  }

  /** The float32 value of the binary16 {@code bits} (exact: every half is a float). */
  static float halfToFloat(int bits) {
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f80_0000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f; // zero or a subnormal
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }
}
