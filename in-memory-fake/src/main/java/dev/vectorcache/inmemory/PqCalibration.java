package dev.vectorcache.inmemory;

import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * The default oversampling of a product-quantized collection, measured on its own vectors when the
 * codebooks are trained: how far down the approximate ranking the true nearest neighbours fall.
 *
 * <p>How coarse product quantization is depends on the data. On embeddings of text (spread out)
 * rescoring the best 4 × k candidates recalls 99% of the true top k; on tight clusters the codes
 * cannot tell the members of a cluster apart and the true neighbours fall much further. A fixed
 * default is wrong for one of the two, so the index measures it: up to {@value #PROBES} stored
 * vectors (strided, so deterministic) are used as queries against up to {@value #UNIVERSE} stored
 * vectors (strided; the probe itself left out); for each probe the exact top {@value #K} and the
 * rank of each of them in the approximate order are found, and the default is the smallest
 * oversampling on the ladder {@link #LADDER} at which the mean share of true neighbours among the
 * candidates reaches {@value #TARGET}. The number of points that the approximation lets past a true
 * neighbour grows with the density of points, so ranks are kept as fractions of the collection's
 * size at the measurement ({@link Result}) and applied to its size at each search: a collection
 * measured at 65,536 points and grown to 100,000 needs half as many candidates again, without
 * retraining. The result is never below {@code floor} (the type's fixed default) nor above the
 * ladder's top.
 */
final class PqCalibration {
  static final int PROBES = 32;
  static final int UNIVERSE = 100_000;
  static final int K = 10;
  static final double TARGET = 0.98;
  static final double[] LADDER = {4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 48, 64};

  private PqCalibration() {}

  /** Per probe, a function from a slot to its distance (smaller is closer). */
  interface Measure {
    IntToDoubleFunction from(float[] query);
  }

  /**
   * A measurement: for each probe's true neighbours, the share of the collection that the
   * approximate order puts before it (included), at least {@code floor}.
   */
  static final class Result {
    private final double[] fractions;
    private final double floor;

    Result(double[] fractions, double floor) {
      this.fractions = fractions;
      this.floor = floor;
    }

    /** The fixed floor, before any measurement (or with too few vectors to measure). */
    static Result floor(double floor) {
      return new Result(new double[0], floor);
    }

    /** The smallest oversampling on the ladder that reaches {@link #TARGET} at {@code live}. */
    double oversamplingAt(int live) {
      if (fractions.length == 0) {
        return floor;
      }
      for (double os : LADDER) {
        if (os < floor) {
          continue;
        }
        double candidates = os * K;
        int found = 0;
        for (double f : fractions) {
          found += f * live <= candidates ? 1 : 0;
        }
        if (found >= TARGET * fractions.length) {
          return os;
        }
      }
      return Math.max(floor, LADDER[LADDER.length - 1]);
    }
  }

  /**
   * Measures on {@code count} live slots; the floor alone when there are too few vectors to
   * measure.
   */
  static Result measure(
      int[] slots,
      int count,
      IntFunction<float[]> original,
      Measure exact,
      Measure approximate,
      double floor) {
    int probes = Math.min(PROBES, count / (4 * K));
    if (probes == 0) {
      return Result.floor(floor);
    }
    int stride = Math.max(1, (count + UNIVERSE - 1) / UNIVERSE);
    int[] universe = new int[(count + stride - 1) / stride];
    for (int i = 0; i < universe.length; i++) {
      universe[i] = slots[i * stride];
    }
    double scale = count / (double) universe.length;
    int probeStride = count / probes;
    // ranks[p][j]: candidates needed to hold the j-th true neighbour of probe p
    double[][] ranks =
        IntStream.range(0, probes)
            .parallel()
            .mapToObj(
                p -> {
                  int probe = slots[p * probeStride];
                  float[] q = original.apply(probe);
                  return ranksOf(probe, universe, exact.from(q), approximate.from(q), scale);
                })
            .toArray(double[][]::new);
    double[] fractions = new double[probes * K];
    int n = 0;
    for (double[] r : ranks) {
      for (double rank : r) {
        fractions[n++] = rank / count;
      }
    }
    return new Result(Arrays.copyOf(fractions, n), floor);
  }

  /** The scaled approximate rank of each of the probe's exact top {@link #K}. */
  private static double[] ranksOf(
      int probe,
      int[] universe,
      IntToDoubleFunction exact,
      IntToDoubleFunction approximate,
      double scale) {
    int n = 0;
    double[] approx = new double[universe.length];
    int[] best = new int[K]; // exact top K, insertion-sorted by distance
    double[] bestDistance = new double[K];
    Arrays.fill(bestDistance, Double.POSITIVE_INFINITY);
    int filled = 0;
    for (int slot : universe) {
      if (slot == probe) {
        continue;
      }
      approx[n++] = approximate.applyAsDouble(slot);
      double d = exact.applyAsDouble(slot);
      if (filled < K || d < bestDistance[K - 1]) {
        int i = Math.min(filled, K - 1);
        while (i > 0 && bestDistance[i - 1] > d) {
          bestDistance[i] = bestDistance[i - 1];
          best[i] = best[i - 1];
          i--;
        }
        bestDistance[i] = d;
        best[i] = slot;
        filled = Math.min(K, filled + 1);
      }
    }
    double[] sorted = Arrays.copyOf(approx, n);
    Arrays.sort(sorted);
    double[] out = new double[filled];
    for (int j = 0; j < filled; j++) {
      double a = approximate.applyAsDouble(best[j]);
      // points strictly closer by the codes, then this one: its 1-based place among the candidates
      int before = lowerBound(sorted, a);
      out[j] = (before + 1) * scale;
    }
    return out;
  }

  private static int lowerBound(double[] sorted, double value) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
