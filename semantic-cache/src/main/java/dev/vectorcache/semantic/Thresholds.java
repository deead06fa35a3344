package dev.vectorcache.semantic;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.Distance;

/** The threshold's rules for each distance. */
final class Thresholds {
  private Thresholds() {}

  /** The threshold as the float the stores compare with; refused outside the metric's range. */
  static float check(double t, Distance distance, String field) {
    if (!Double.isFinite(t) || Math.abs(t) > Float.MAX_VALUE) {
      throw new InvalidInputException(field, "a finite number (of float range)", t);
    }
    switch (distance) {
      case COSINE -> {
        if (t < -1 || t > 1) {
          throw new InvalidInputException(
              field, "a Cosine similarity from -1 to 1 (a hit scores above it)", t);
        }
      }
      case EUCLID, MANHATTAN -> {
        if (t < 0) {
          throw new InvalidInputException(
              field, "a distance of 0 or more (for " + distance + " a hit scores below it)", t);
        }
      }
      case DOT -> {
        // any finite similarity
      }
    }
    return (float) t;
  }

  /** The score of an exact hit: the best the metric gives. */
  static double perfect(Distance distance) {
    return distance.largerIsBetter() ? 1.0 : 0.0;
  }
}
