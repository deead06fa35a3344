package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.model.Distance;
import java.util.ArrayList;
import java.util.List;

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
    float score(float[] candidate);
  }

  /** A context pair of vectors, already preprocessed. */
  @SuppressWarnings("ArrayRecordComponent") // read only, never compared or hashed
  record Pair(float[] positive, float[] negative) {}

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

  static List<float[]> preprocess(Distance distance, List<float[]> vectors) {
    List<float[]> out = new ArrayList<>(vectors.size());
    for (float[] v : vectors) {
      out.add(preprocess(distance, v));
    }
    return out;
  }

  /** Qdrant's raw similarity of two preprocessed vectors: larger is more similar. */
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
   * negatives, else {@code avg(positives) + avg(positives) - avg(negatives)}.
   */
  static float[] averageVector(List<float[]> positives, List<float[]> negatives) {
    float[] pos = average(positives);
    if (negatives.isEmpty()) {
      return pos;
    }
    float[] neg = average(negatives);
    float[] out = new float[pos.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = pos[i] + pos[i] - neg[i];
    }
    return out;
  }

  private static float[] average(List<float[]> vectors) {
    float[] sum = new float[vectors.get(0).length];
    for (float[] v : vectors) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += v[i];
      }
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= vectors.size();
    }
    return sum;
  }

  /**
   * Best score: the best similarity to a positive and the best to a negative; when the positive is
   * strictly better, {@code scaledFastSigmoid(bestPositive)}, else {@code
   * -scaledFastSigmoid(bestNegative)}. Examples are preprocessed.
   */
  static CustomScore bestScore(
      Distance distance, List<float[]> positives, List<float[]> negatives) {
    return candidate -> {
      float maxPositive = Float.NEGATIVE_INFINITY;
      for (float[] p : positives) {
        maxPositive = Math.max(maxPositive, similarity(distance, p, candidate));
      }
      float maxNegative = Float.NEGATIVE_INFINITY;
      for (float[] n : negatives) {
        maxNegative = Math.max(maxNegative, similarity(distance, n, candidate));
      }
      return maxPositive > maxNegative
          ? scaledFastSigmoid(maxPositive)
          : -scaledFastSigmoid(maxNegative);
    };
  }

  /** Sum scores: the similarities to the positives, minus those to the negatives. */
  static CustomScore sumScores(
      Distance distance, List<float[]> positives, List<float[]> negatives) {
    return candidate -> {
      float positive = 0f;
      for (float[] p : positives) {
        positive += similarity(distance, p, candidate);
      }
      float negative = 0f;
      for (float[] n : negatives) {
        negative += similarity(distance, n, candidate);
      }
      return positive - negative;
    };
  }

  /**
   * Discovery: the rank (for each pair +1 when the candidate is more similar to the positive, -1
   * when more similar to the negative, 0 on a tie) plus {@code scaledFastSigmoid(similarity to the
   * target)}, so the rank decides and the target orders points of equal rank.
   */
  static CustomScore discover(Distance distance, float[] target, List<Pair> pairs) {
    return candidate -> {
      int rank = 0;
      for (Pair pair : pairs) {
        float pos = similarity(distance, pair.positive(), candidate);
        float neg = similarity(distance, pair.negative(), candidate);
        rank += Integer.signum(Float.compare(pos, neg));
      }
      return rank + scaledFastSigmoid(similarity(distance, target, candidate));
    };
  }

  /**
   * Context: the sum over the pairs of {@code fastSigmoid(min(sim(positive) - sim(negative) -
   * EPSILON, 0))}: 0 for a point on the positive side of every pair, below 0 otherwise.
   */
  static CustomScore context(Distance distance, List<Pair> pairs) {
    return candidate -> {
      float sum = 0f;
      for (Pair pair : pairs) {
        float difference =
            similarity(distance, pair.positive(), candidate)
                - similarity(distance, pair.negative(), candidate)
                - MARGIN;
        sum += fastSigmoid(Math.min(difference, 0f));
      }
      return sum;
    };
  }
}
