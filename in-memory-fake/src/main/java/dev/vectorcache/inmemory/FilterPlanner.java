package dev.vectorcache.inmemory;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Match;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * Chooses how a filtered search runs, as Qdrant's query planner does: estimate how many points the
 * filter matches; when even the upper estimate is below the full-scan threshold, scan the matching
 * points exactly (cheap, and exact); when even the lower estimate reaches it, traverse the graph
 * testing the filter on each node; in between, follow the expected count.
 *
 * <p><b>Estimates.</b> A {@code must} match on a payload-indexed field whose values are counted
 * ({@link PayloadColumns}) bounds the count from above exactly; otherwise the filter is tested on a
 * sample of {@value #SAMPLE} live points (fixed seed per collection size) and the count bounded by
 * a Wilson interval (z = 2) — all points are tested when there are fewer than twice that.
 */
final class FilterPlanner {
  /** Live points tested to estimate a filter without an index. */
  static final int SAMPLE = 512;

  private static final double Z = 2.0;

  private FilterPlanner() {}

  /** How many live points a filter matches: bounds and the expected value. */
  record Estimate(long min, long expected, long max) {}

  /** How a search runs. */
  enum Plan {
    /** Score every (matching) point. */
    EXACT,
    /** Traverse the graph. */
    GRAPH
  }

  static Plan plan(Estimate e, long threshold) {
    if (e.max() < threshold) {
      return Plan.EXACT;
    }
    if (e.min() >= threshold) {
      return Plan.GRAPH;
    }
    return e.expected() >= threshold ? Plan.GRAPH : Plan.EXACT;
  }

  /**
   * Estimates the live points {@code compiled} (the compiled {@code filter}) matches.
   *
   * @param isLive whether a slot below {@code slotLimit} holds a live point
   */
  static Estimate estimate(
      Filter filter,
      IntPredicate compiled,
      PayloadColumns columns,
      int live,
      int slotLimit,
      IntPredicate isLive) {
    return estimate(filter, compiled, columns, live, slotLimit, isLive, -1);
  }

  /**
   * As {@link #estimate(Filter, IntPredicate, PayloadColumns, int, int, IntPredicate)}, sampling
   * only until the interval decides {@link #plan} for {@code threshold} (checked after 64, 128 and
   * 256 points; a negative threshold samples fully). A filter that matches nearly every point (a
   * cache's not-expired filter) is then decided after 64 points instead of {@value #SAMPLE}.
   */
  static Estimate estimate(
      Filter filter,
      IntPredicate compiled,
      PayloadColumns columns,
      int live,
      int slotLimit,
      IntPredicate isLive,
      long threshold) {
    long indexed = indexedUpperBound(filter, columns, live);
    if (live <= 2 * SAMPLE) {
      long n = 0;
      for (int s = 0; s < slotLimit; s++) {
        if (isLive.test(s) && compiled.test(s)) {
          n++;
        }
      }
      return new Estimate(n, n, n);
    }
    SplittableRandom r = new SplittableRandom(31L * slotLimit + live);
    int tested = 0;
    int hits = 0;
    for (int attempts = 0; tested < SAMPLE && attempts < 8 * SAMPLE; attempts++) {
      int s = r.nextInt(slotLimit);
      if (isLive.test(s)) {
        tested++;
        hits += compiled.test(s) ? 1 : 0;
        if (threshold >= 0 && tested >= 64 && tested < SAMPLE && Integer.bitCount(tested) == 1) {
          Estimate early = interval(hits, tested, live, indexed);
          if (early.max() < threshold || early.min() >= threshold) {
            return early;
          }
        }
      }
    }
    if (tested == 0) {
      return new Estimate(0, Math.min(indexed, live / 2), Math.min(indexed, live));
    }
    return interval(hits, tested, live, indexed);
  }

  /** The Wilson interval (z = 2) of {@code hits} in {@code tested}, scaled to {@code live}. */
  private static Estimate interval(int hits, int tested, int live, long indexed) {
    double p = (double) hits / tested;
    double z2 = Z * Z;
    double centre = (p + z2 / (2 * tested)) / (1 + z2 / tested);
    double half =
        Z * Math.sqrt(p * (1 - p) / tested + z2 / (4.0 * tested * tested)) / (1 + z2 / tested);
    long min = (long) Math.floor(Math.max(0, centre - half) * live);
    long max = Math.min(indexed, (long) Math.ceil(Math.min(1, centre + half) * live));
    long expected = Math.min(max, Math.round(p * live));
    return new Estimate(Math.min(min, max), expected, max);
  }

  /**
   * The smallest count of a {@code must} match on a counted payload index (a keyword, an integer,
   * or any of several), or {@code live} when there is none.
   */
  private static long indexedUpperBound(Filter filter, PayloadColumns columns, long live) {
    long best = live;
    for (Condition c : filter.must()) {
      long n = -1;
      if (c instanceof Condition.FieldCondition f && f.match() != null) {
        PayloadColumns.Column col = columns.column(f.key());
        if (col != null) {
          n = count(f.match(), col);
        }
      } else if (c instanceof Condition.Sub sub) {
        n = indexedUpperBound(sub.filter(), columns, live);
      }
      if (n >= 0) {
        best = Math.min(best, n);
      }
    }
    return best;
  }

  private static long count(Match m, PayloadColumns.Column col) {
    if (m instanceof Match.Keyword k) {
      return col.count(k.value());
    }
    if (m instanceof Match.IntegerValue i) {
      return col.count(i.value());
    }
    if (m instanceof Match.AnyKeywords a) {
      return sum(col, a.values().toArray());
    }
    if (m instanceof Match.AnyIntegers a) {
      return sum(col, a.values().toArray());
    }
    return -1;
  }

  private static long sum(PayloadColumns.Column col, Object[] values) {
    long total = 0;
    for (Object v : values) {
      long n = col.count(v);
      if (n < 0) {
        return -1;
      }
      total += n;
    }
    return total;
  }
}
