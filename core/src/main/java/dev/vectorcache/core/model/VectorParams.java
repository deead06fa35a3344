package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import java.util.Objects;

/**
 * Dimension and distance of a collection's vectors.
 *
 * @param dimension number of components, 1 to 65536 (Qdrant's limit)
 * @param distance similarity measure
 */
public record VectorParams(int dimension, Distance distance) {
  /** Largest dimension Qdrant accepts. */
  public static final int MAX_DIMENSION = 65_536;

  public VectorParams {
    Objects.requireNonNull(distance, "distance");
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new InvalidInputException(
          "dimension", "an integer from 1 to " + MAX_DIMENSION, dimension);
    }
  }

  public static VectorParams of(int dimension, Distance distance) {
    return new VectorParams(dimension, distance);
  }
}
