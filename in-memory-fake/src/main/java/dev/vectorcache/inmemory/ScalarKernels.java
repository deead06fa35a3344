package dev.vectorcache.inmemory;

import java.nio.ByteBuffer;

/** Plain-Java kernels: the fallback when {@code jdk.incubator.vector} is absent or disabled. */
final class ScalarKernels extends Kernels {
  @Override
  String name() {
    return "scalar";
  }

  @Override
  float dot(float[] q, float[] d, int off) {
    float s = 0f;
    for (int i = 0; i < q.length; i++) {
      s += q[i] * d[off + i];
    }
    return s;
  }

  @Override
  float l2sq(float[] q, float[] d, int off) {
    float s = 0f;
    for (int i = 0; i < q.length; i++) {
      float diff = q[i] - d[off + i];
      s += diff * diff;
    }
    return s;
  }

  @Override
  float l1(float[] q, float[] d, int off) {
    float s = 0f;
    for (int i = 0; i < q.length; i++) {
      s += Math.abs(q[i] - d[off + i]);
    }
    return s;
  }

  @Override
  float dot(float[] q, ByteBuffer d, int off) {
    float s = 0f;
    for (int i = 0; i < q.length; i++) {
      s += q[i] * d.getFloat(off + 4 * i);
    }
    return s;
  }

  @Override
  float l2sq(float[] q, ByteBuffer d, int off) {
    float s = 0f;
    for (int i = 0; i < q.length; i++) {
      float diff = q[i] - d.getFloat(off + 4 * i);
      s += diff * diff;
    }
    return s;
  }

  @Override
  float l1(float[] q, ByteBuffer d, int off) {
    float s = 0f;
    for (int i = 0; i < q.length; i++) {
      s += Math.abs(q[i] - d.getFloat(off + 4 * i));
    }
    return s;
  }

  @Override
  int dotI8(byte[] q, byte[] d, int off) {
    int s = 0;
    for (int i = 0; i < q.length; i++) {
      s += q[i] * d[off + i];
    }
    return s;
  }

  @Override
  int l1I8(byte[] q, byte[] d, int off) {
    int s = 0;
    for (int i = 0; i < q.length; i++) {
      s += Math.abs(q[i] - d[off + i]);
    }
    return s;
  }

  @Override
  int dotI8(byte[] q, ByteBuffer d, int off) {
    int s = 0;
    for (int i = 0; i < q.length; i++) {
      s += q[i] * d.get(off + i);
    }
    return s;
  }

  @Override
  int l1I8(byte[] q, ByteBuffer d, int off) {
    int s = 0;
    for (int i = 0; i < q.length; i++) {
      s += Math.abs(q[i] - d.get(off + i));
    }
    return s;
  }
}
