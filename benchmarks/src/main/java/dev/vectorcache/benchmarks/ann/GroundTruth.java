package dev.vectorcache.benchmarks.ann;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Exact top-k by dot product (the vectors are unit length, so this is Cosine), brute force over
 * every point, in plain Java on all cores. Computed once per dataset and cached beside it; recall
 * is measured against it, never against the engine's own exact search.
 */
final class GroundTruth {
  private static final int BLOCK = 8192;

  private GroundTruth() {}

  static int[][] compute(MatrixFile.Floats points, float[][] queries, int k) {
    int threads = Runtime.getRuntime().availableProcessors();
    TopK[] tops = new TopK[queries.length];
    for (int q = 0; q < queries.length; q++) {
      tops[q] = new TopK(k);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int start = 0; start < points.rows(); start += BLOCK) {
        float[][] block = points.read(start, Math.min(BLOCK, points.rows() - start));
        int base = start;
        List<Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int first = t;
          parts.add(
              pool.submit(
                  () -> {
                    for (int q = first; q < queries.length; q += threads) {
                      scan(queries[q], block, base, tops[q]);
                    }
                  }));
        }
        for (Future<?> f : parts) {
          f.get();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while computing the ground truth", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("ground truth failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    int[][] out = new int[queries.length][];
    for (int q = 0; q < queries.length; q++) {
      out[q] = tops[q].ids();
    }
    return out;
  }

  private static void scan(float[] q, float[][] block, int base, TopK top) {
    for (int i = 0; i < block.length; i++) {
      top.offer(base + i, dot(q, block[i]));
    }
  }

  /** Four independent sums, so the JIT is not held to one serial chain of additions. */
  static float dot(float[] a, float[] b) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    for (; i + 3 < a.length; i += 4) {
      s0 += a[i] * b[i];
      s1 += a[i + 1] * b[i + 1];
      s2 += a[i + 2] * b[i + 2];
      s3 += a[i + 3] * b[i + 3];
    }
    for (; i < a.length; i++) {
      s0 += a[i] * b[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** The best {@code k} (id, score) pairs seen, highest score first; ties keep the lower id. */
  static final class TopK {
    private final int[] ids;
    private final float[] scores;
    private int size;

    TopK(int k) {
      ids = new int[k];
      scores = new float[k];
      Arrays.fill(scores, Float.NEGATIVE_INFINITY);
    }

    void offer(int id, float score) {
      int k = ids.length;
      if (size == k && score <= scores[k - 1]) {
        return;
      }
      int j = Math.min(size, k - 1);
      while (j > 0 && scores[j - 1] < score) {
        scores[j] = scores[j - 1];
        ids[j] = ids[j - 1];
        j--;
      }
      scores[j] = score;
      ids[j] = id;
      size = Math.min(k, size + 1);
    }

    int[] ids() {
      return Arrays.copyOf(ids, size);
    }
  }

  /** recall@k: the share of the true top-k found among the first k results. */
  static double recall(int[][] truth, int[][] found, int k) {
    long hits = 0;
    for (int q = 0; q < truth.length; q++) {
      int[] t = Arrays.copyOf(truth[q], Math.min(k, truth[q].length));
      Arrays.sort(t);
      int[] f = found[q];
      for (int i = 0; i < Math.min(k, f.length); i++) {
        if (Arrays.binarySearch(t, f[i]) >= 0) {
          hits++;
        }
      }
    }
    return hits / (double) (truth.length * (long) k);
  }
}
