package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.DimensionMismatchException;
import dev.vectorcache.core.exception.InvalidVectorException;
import org.jspecify.annotations.Nullable;

/** Vector checks and arithmetic shared by the stores and the cache. */
public final class Vectors {
  private Vectors() {}

  /**
   * Checks that {@code vector} is non-null, non-empty and finite.
   *
   * @return {@code vector} itself
   * @throws InvalidVectorException naming {@code field[i]} for the first bad component
   */
  public static float[] checkFinite(float @Nullable [] vector, String field) {
    if (vector == null) {
      throw new InvalidVectorException(field, "a float[] vector", null, "pass the embedding");
    }
    if (vector.length == 0) {
      throw new InvalidVectorException(
          field, "a non-empty vector", "an empty vector", "pass the embedding");
    }
    for (int i = 0; i < vector.length; i++) {
      if (!Float.isFinite(vector[i])) {
        throw new InvalidVectorException(
            field + "[" + i + "]",
            "a finite number",
            vector[i],
            "the embedding model produced a NaN or infinite component; re-embed the input");
      }
    }
    return vector;
  }

  /**
   * Checks a vector against a collection: finite, of the collection's dimension, and not all zeros
   * for Cosine (a zero vector has no direction).
   */
  public static float[] check(float @Nullable [] vector, String field, VectorParams params) {
    float[] checked = checkFinite(vector, field);
    if (checked.length != params.dimension()) {
      throw new DimensionMismatchException(field, params.dimension(), checked.length);
    }
    if (params.distance() == Distance.COSINE && squaredNorm(checked) == 0.0) {
      throw new InvalidVectorException(
          field,
          "a vector with a non-zero norm for Cosine distance",
          "a zero vector",
          "a zero vector has no direction, so Cosine similarity is undefined");
    }
    return checked;
  }

  /** Sum of squares, in double precision. */
  public static double squaredNorm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return s;
  }

  /**
   * Scales {@code v} to unit length for Cosine distance. The norm is computed in double precision
   * after scaling by the largest component, so it neither overflows (components near 1e20) nor
   * underflows (norms below 1e-19); every non-zero finite vector comes out with a norm within float
   * rounding of 1. A vector already within 1e-6 of unit length, or the zero vector, is returned as
   * it is. Returns a new array either way.
   */
  public static float[] normalizeForCosine(float[] v) {
    return normalizeForCosine(v, false);
  }

  /**
   * {@link #normalizeForCosine(float[])} that writes into {@code v} itself: for a caller that owns
   * the array (a defensive copy it just made), so that the vector is copied once, not twice.
   *
   * @param v the vector, overwritten
   * @return {@code v}
   */
  public static float[] normalizeForCosineInPlace(float[] v) {
    return normalizeForCosine(v, true);
  }

  private static float[] normalizeForCosine(float[] v, boolean inPlace) {
    double max = 0;
    for (float x : v) {
      max = Math.max(max, Math.abs((double) x));
    }
    if (max == 0 || !Double.isFinite(max)) {
      return inPlace ? v : v.clone();
    }
    double sq = 0;
    for (float x : v) {
      double y = x / max;
      sq += y * y;
    }
    double norm = max * Math.sqrt(sq);
    if (Math.abs(norm - 1.0) <= 1e-6) {
      return inPlace ? v : v.clone();
    }
    float[] out = inPlace ? v : new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) ((v[i] / max) / (norm / max));
    }
    return out;
  }
}
