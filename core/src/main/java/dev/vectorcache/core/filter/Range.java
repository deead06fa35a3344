package dev.vectorcache.core.filter;

import dev.vectorcache.core.exception.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * Numeric bounds; every bound that is set must hold. Matches integer and float payload values
 * alike; never strings.
 */
public record Range(
    @Nullable Double lt, @Nullable Double gt, @Nullable Double gte, @Nullable Double lte) {
  public Range {
    check("lt", lt);
    check("gt", gt);
    check("gte", gte);
    check("lte", lte);
    if (lt == null && gt == null && gte == null && lte == null) {
      throw new InvalidInputException("range", "at least one of lt, gt, gte, lte", "none");
    }
  }

  private static void check(String name, @Nullable Double v) {
    if (v != null && Double.isNaN(v)) {
      throw new InvalidInputException("range." + name, "a number", v);
    }
  }

  public static Range gt(double v) {
    return new Range(null, v, null, null);
  }

  public static Range gte(double v) {
    return new Range(null, null, v, null);
  }

  public static Range lt(double v) {
    return new Range(v, null, null, null);
  }

  public static Range lte(double v) {
    return new Range(null, null, null, v);
  }

  /** {@code from <= x <= to}. */
  public static Range between(double from, double to) {
    return new Range(null, null, from, to);
  }

  /** Whether {@code x} satisfies every bound. */
  public boolean test(double x) {
    return (lt == null || x < lt)
        && (gt == null || x > gt)
        && (gte == null || x >= gte)
        && (lte == null || x <= lte);
  }
}
