package dev.vectorcache.inmemory;

import dev.vectorcache.core.model.Distance;

/**
 * What a kernel computes for a {@link Distance}: the dot product for Cosine (on normalised vectors)
 * and Dot, the L2 distance for Euclid and the L1 distance for Manhattan, as Qdrant returns them.
 */
enum Metric {
  DOT,
  L2,
  L1;

  static Metric of(Distance distance) {
    return switch (distance) {
      case COSINE, DOT -> DOT;
      case EUCLID -> L2;
      case MANHATTAN -> L1;
    };
  }
}
