package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.SparseVector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Qdrant's scores for queries by example, computed as Qdrant 1.18 computes them (in {@code
 * lib/segment/src/vector_storage/query/} and {@code lib/collection/src/recommendations.rs}).
 *
 * <p>Every formula works on Qdrant's internal <em>similarity</em>, which is larger-is-better for
 * every distance: the dot product of normalised vectors (Cosine), the dot product (Dot), minus the
 * squared L2 distance (Euclid) and minus the L1 distance (Manhattan). The scores of these queries
 * are returned as computed, never turned back into distances.
 */
final class ExampleScoring {
  /** {@code f32::EPSILON}: the margin of a context pair. */
  private static final float MARGIN = Math.ulp(1.0f);

  private ExampleScoring() {}

  /** A score for a candidate's stored vector; larger is better. */
  @FunctionalInterface
  interface CustomScore {
    float score(SpaceVector candidate);
  }

  /**
   * How one space compares vectors: the example as Qdrant prepares it, and the similarity of a
   * prepared example to a stored vector (larger is more similar).
   */
  interface Metric {
    SpaceVector preprocess(SpaceVector v);

    float similarity(SpaceVector example, SpaceVector candidate);

    default List<SpaceVector> preprocess(List<SpaceVector> vectors) {
      List<SpaceVector> out = new ArrayList<>(vectors.size());
      for (SpaceVector v : vectors) {
        out.add(preprocess(v));
      }
      return out;
    }
  }

  /** A dense space's metric: {@link #preprocess(Distance, float[])} and {@link #similarity}. */
  static Metric dense(Distance distance) {
    return new Metric() {
      @Override
      public SpaceVector preprocess(SpaceVector v) {
        return new SpaceVector.Dense(ExampleScoring.preprocess(distance, SpaceVector.dense(v)));
      }

      @Override
      public float similarity(SpaceVector example, SpaceVector candidate) {
        return ExampleScoring.similarity(
            distance, SpaceVector.dense(example), SpaceVector.dense(candidate));
      }
    };
  }

  /**
   * A sparse space's metric: the dot product over the indices both vectors hold (0 when they share
   * none), each of the example's values weighted by {@code idf} of its index when given (Qdrant
   * weights every vector of the query with the IDF modifier). Vectors are compared as given.
   */
  static Metric sparse(@Nullable IntToDoubleFunction idf) {
    return new Metric() {
      @Override
      public SpaceVector preprocess(SpaceVector v) {
        return v;
      }

      @Override
      public float similarity(SpaceVector example, SpaceVector candidate) {
        SparseVector a = SpaceVector.sparse(example);
        SparseVector b = SpaceVector.sparse(candidate);
        float s = 0f;
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
          int x = a.indexAt(i);
          int y = b.indexAt(j);
          if (x == y) {
            float weight =
                idf == null ? a.valueAt(i) : (float) (a.valueAt(i) * idf.applyAsDouble(x));
            s += weight * b.valueAt(j);
            i++;
            j++;
          } else if (x < y) {
            i++;
          } else {
            j++;
          }
        }
        return s;
      }
    };
  }

  /** A context pair of vectors, already preprocessed. */
  record Pair(SpaceVector positive, SpaceVector negative) {}

  /** The vector as Qdrant compares it: normalised for Cosine, as given otherwise. */
  static float[] preprocess(Distance distance, float[] v) {
    if (distance != Distance.COSINE) {
      return v;
    }
    float length = 0f;
    for (float x : v) {
      length += x * x;
    }
    if (length < Math.ulp(1.0f) || Math.abs(length - 1f) <= Math.ulp(1.0f)) {
      return v;
    }
    float norm = (float) Math.sqrt(length);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] / norm;
    }
    return out;
  }

  /** Qdrant's raw similarity of two preprocessed dense vectors: larger is more similar. */
  static float similarity(Distance distance, float[] a, float[] b) {
    float s = 0f;
    switch (distance) {
      case COSINE, DOT -> {
        for (int i = 0; i < a.length; i++) {
          s += a[i] * b[i];
        }
        return s;
      }
      case EUCLID -> {
        for (int i = 0; i < a.length; i++) {
          float d = a[i] - b[i];
          s += d * d;
        }
        return -s;
      }
      case MANHATTAN -> {
        for (int i = 0; i < a.length; i++) {
          s += Math.abs(a[i] - b[i]);
        }
        return -s;
      }
    }
    throw new IllegalStateException("unknown distance " + distance);
  }

  /** {@code x / (1 + |x|)}, in (-1, 1). */
  static float fastSigmoid(float x) {
    return x / (1.0f + Math.abs(x));
  }

  /** {@code (fastSigmoid(x) + 1) / 2}, in (0, 1). */
  static float scaledFastSigmoid(float x) {
    return 0.5f * (fastSigmoid(x) + 1.0f);
  }

  /**
   * The query vector of the average-vector strategy: {@code avg(positives)} alone without
   * negatives, else {@code avg(positives) + avg(positives) - avg(negatives)}. Sparse vectors are
   * combined over the union of their indices (a missing index is 0), as Qdrant combines them.
   */
  static SpaceVector averageVector(List<SpaceVector> positives, List<SpaceVector> negatives) {
    if (positives.get(0) instanceof SpaceVector.Sparse) {
      SparseVector pos = sparseAverage(positives);
      return new SpaceVector.Sparse(
          negatives.isEmpty() ? pos : combine(pos, sparseAverage(negatives), (p, n) -> p + p - n));
    }
    float[] pos = average(positives);
    if (negatives.isEmpty()) {
      return new SpaceVector.Dense(pos);
    }
    float[] neg = average(negatives);
    float[] out = new float[pos.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = pos[i] + pos[i] - neg[i];
    }
    return new SpaceVector.Dense(out);
  }

  private static float[] average(List<SpaceVector> vectors) {
    float[] sum = new float[SpaceVector.dense(vectors.get(0)).length];
    for (SpaceVector v : vectors) {
      float[] d = SpaceVector.dense(v);
      for (int i = 0; i < sum.length; i++) {
        sum[i] += d[i];
      }
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= vectors.size();
    }
    return sum;
  }

  private static SparseVector sparseAverage(List<SpaceVector> vectors) {
    SparseVector sum = SparseVector.of(new int[0], new float[0]);
    for (SpaceVector v : vectors) {
      sum = combine(sum, SpaceVector.sparse(v), Float::sum);
    }
    float[] values = sum.values();
    for (int i = 0; i < values.length; i++) {
      values[i] /= vectors.size();
    }
    return SparseVector.of(sum.indices(), values);
  }

  /** {@code op} of the values at each index either vector holds; a missing value is 0. */
  private static SparseVector combine(SparseVector a, SparseVector b, FloatBinaryOperator op) {
    int[] indices = new int[a.size() + b.size()];
    float[] values = new float[indices.length];
    int n = 0;
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      int x = i < a.size() ? a.indexAt(i) : Integer.MAX_VALUE;
      int y = j < b.size() ? b.indexAt(j) : Integer.MAX_VALUE;
      if (j >= b.size() || (i < a.size() && x < y)) {
        indices[n] = x;
        values[n++] = op.apply(a.valueAt(i++), 0f);
      } else if (i >= a.size() || y < x) {
        indices[n] = y;
        values[n++] = op.apply(0f, b.valueAt(j++));
      } else {
        indices[n] = x;
        values[n++] = op.apply(a.valueAt(i++), b.valueAt(j++));
      }
    }
    return SparseVector.of(Arrays.copyOf(indices, n), Arrays.copyOf(values, n));
  }

  @FunctionalInterface
  private interface FloatBinaryOperator {
    float apply(float a, float b);
  }

  /**
   * Best score: the best similarity to a positive and the best to a negative; when the positive is
   * strictly better, {@code scaledFastSigmoid(bestPositive)}, else {@code
   * -scaledFastSigmoid(bestNegative)}. Examples are preprocessed.
   */
  static CustomScore bestScore(
      Metric metric, List<SpaceVector> positives, List<SpaceVector> negatives) {
    return candidate -> {
      float maxPositive = Float.NEGATIVE_INFINITY;
      for (SpaceVector p : positives) {
        maxPositive = Math.max(maxPositive, metric.similarity(p, candidate));
      }
      float maxNegative = Float.NEGATIVE_INFINITY;
      for (SpaceVector n : negatives) {
        maxNegative = Math.max(maxNegative, metric.similarity(n, candidate));
      }
      return maxPositive > maxNegative
          ? scaledFastSigmoid(maxPositive)
          : -scaledFastSigmoid(maxNegative);
    };
  }

  /** Sum scores: the similarities to the positives, minus those to the negatives. */
  static CustomScore sumScores(
      Metric metric, List<SpaceVector> positives, List<SpaceVector> negatives) {
    return candidate -> {
      float positive = 0f;
      for (SpaceVector p : positives) {
        positive += metric.similarity(p, candidate);
      }
      float negative = 0f;
      for (SpaceVector n : negatives) {
        negative += metric.similarity(n, candidate);
      }
      return positive - negative;
    };
  }

  /**
   * Discovery: the rank (for each pair +1 when the candidate is more similar to the positive, -1
   * when more similar to the negative, 0 on a tie) plus {@code scaledFastSigmoid(similarity to the
   * target)}, so the rank decides and the target orders points of equal rank.
   */
  static CustomScore discover(Metric metric, SpaceVector target, List<Pair> pairs) {
    return candidate -> {
      int rank = 0;
      for (Pair pair : pairs) {
        float pos = metric.similarity(pair.positive(), candidate);
        float neg = metric.similarity(pair.negative(), candidate);
        rank += Integer.signum(Float.compare(pos, neg));
      }
      return rank + scaledFastSigmoid(metric.similarity(target, candidate));
    };
  }

  /**
   * Context: the sum over the pairs of {@code fastSigmoid(min(sim(positive) - sim(negative) -
   * EPSILON, 0))}: 0 for a point on the positive side of every pair, below 0 otherwise.
   */
  static CustomScore context(Metric metric, List<Pair> pairs) {
    return candidate -> {
      float sum = 0f;
      for (Pair pair : pairs) {
        float difference =
            metric.similarity(pair.positive(), candidate)
                - metric.similarity(pair.negative(), candidate)
                - MARGIN;
        sum += fastSigmoid(Math.min(difference, 0f));
      }
      return sum;
    };
  }
}
