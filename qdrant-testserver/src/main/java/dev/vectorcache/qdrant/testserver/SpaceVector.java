package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.model.SparseVector;

/**
 * A vector of one {@link Space}: dense (a named or the unnamed dense vector) or sparse. Queries by
 * example, distance matrices, MMR and relevance feedback score these through a {@link
 * ExampleScoring.Metric}, so the same formulas serve both kinds.
 */
sealed interface SpaceVector permits SpaceVector.Dense, SpaceVector.Sparse {

  /** A dense vector's components. */
  @SuppressWarnings("ArrayRecordComponent") // internal, read only, never compared
  record Dense(float[] values) implements SpaceVector {}

  /** A sparse vector. */
  record Sparse(SparseVector vector) implements SpaceVector {}

  /** The components of a vector known to be dense. */
  static float[] dense(SpaceVector v) {
    return ((Dense) v).values();
  }

  /** The sparse vector of a vector known to be sparse. */
  static SparseVector sparse(SpaceVector v) {
    return ((Sparse) v).vector();
  }
}
