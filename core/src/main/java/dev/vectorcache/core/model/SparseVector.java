package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A sparse vector: the non-zero components of a very long vector, as pairs of an index and a value
 * (Qdrant's sparse vectors, for example the term weights of BM25 or SPLADE). Immutable; the arrays
 * are copied in and out, and the pairs are kept sorted by index.
 *
 * <p>Indices are unique and at least 0 (Qdrant's are {@code uint32}: up to 4,294,967,295; Java's
 * {@code int} holds 0 to 2,147,483,647 here), values are finite; both arrays have the same length.
 * An empty sparse vector is valid (it matches nothing).
 */
@SuppressWarnings("ArrayRecordComponent") // copied in and out; equals/hashCode compare contents
public record SparseVector(int[] indices, float[] values) {

  /** Checks and copies the pairs, sorting them by index. */
  public SparseVector {
    Objects.requireNonNull(indices, "indices");
    Objects.requireNonNull(values, "values");
    if (indices.length != values.length) {
      throw new InvalidInputException(
          "values", "as many values as indices (" + indices.length + ")", values.length);
    }
    Integer[] order = new Integer[indices.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
      if (indices[i] < 0) {
        throw new InvalidInputException("indices[" + i + "]", "an index of 0 or more", indices[i]);
      }
      if (!Float.isFinite(values[i])) {
        throw new InvalidInputException("values[" + i + "]", "a finite number", values[i]);
      }
    }
    int[] in = indices;
    Arrays.sort(order, (a, b) -> Integer.compare(in[a], in[b]));
    int[] sortedIndices = new int[order.length];
    float[] sortedValues = new float[order.length];
    for (int i = 0; i < order.length; i++) {
      sortedIndices[i] = indices[order[i]];
      sortedValues[i] = values[order[i]];
      if (i > 0 && sortedIndices[i] == sortedIndices[i - 1]) {
        throw new InvalidInputException(
            "indices", "unique indices", "index " + sortedIndices[i] + " twice");
      }
    }
    indices = sortedIndices;
    values = sortedValues;
  }

  /** A sparse vector from index/value pairs. */
  public static SparseVector of(int[] indices, float[] values) {
    return new SparseVector(indices, values);
  }

  /** The indices, ascending (a copy). */
  @Override
  public int[] indices() {
    return indices.clone();
  }

  /** The values, in the order of {@link #indices()} (a copy). */
  @Override
  public float[] values() {
    return values.clone();
  }

  /** The number of stored (non-zero) components. */
  public int size() {
    return indices.length;
  }

  /** The index of the {@code i}-th stored component, ascending in {@code i}. */
  public int indexAt(int i) {
    return indices[i];
  }

  /** The value of the {@code i}-th stored component. */
  public float valueAt(int i) {
    return values[i];
  }

  /** The dot product with {@code other}: the sum over the indices both hold. */
  public double dot(SparseVector other) {
    double sum = 0;
    int i = 0;
    int j = 0;
    while (i < indices.length && j < other.indices.length) {
      int a = indices[i];
      int b = other.indices[j];
      if (a == b) {
        sum += (double) values[i++] * other.values[j++];
      } else if (a < b) {
        i++;
      } else {
        j++;
      }
    }
    return sum;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SparseVector s
        && Arrays.equals(indices, s.indices)
        && Arrays.equals(values, s.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(indices) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "SparseVector[size=" + indices.length + "]";
  }
}
