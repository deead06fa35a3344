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
   * Qdrant's Cosine preprocessing: divides by the L2 norm, unless the squared norm is below {@code
   * f32::EPSILON} or already within 1e-6 of 1, in which case the vector is returned as is. Returns
   * a new array either way.
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
    double sq = 0;
    for (float x : v) {
      sq += x * x;
    }
    float norm2 = (float) sq;
    if (norm2 < Math.ulp(1.0f) || Math.abs(norm2 - 1.0f) <= 1e-6f) {
      return inPlace ? v : v.clone();
    }
    float norm = (float) Math.sqrt(norm2);
    float[] out = inPlace ? v : new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] / norm;
    }
    return out;
  }
}
