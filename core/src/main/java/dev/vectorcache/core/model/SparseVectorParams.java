package dev.vectorcache.core.model;

import java.util.Objects;

/**
 * The settings of a sparse vector space.
 *
 * @param modifier what is applied to the values at search time
 */
public record SparseVectorParams(SparseModifier modifier) {
  /** Dot product of the stored values, no modifier. */
  public static final SparseVectorParams DEFAULT = new SparseVectorParams(SparseModifier.NONE);

  /** Inverse document frequency applied at search time ({@link SparseModifier#IDF}). */
  public static final SparseVectorParams IDF = new SparseVectorParams(SparseModifier.IDF);

  public SparseVectorParams {
    Objects.requireNonNull(modifier, "modifier");
  }
}
