package dev.vectorcache.inmemory;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Match;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.inmemory.internal.FilterEvaluator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Filter} compiled for one search into a predicate on slots. Conditions on a field with a
 * payload index ({@link PayloadColumns}) read the column; every other condition, and a column value
 * the column cannot hold, is tested by {@link FilterEvaluator} on the payload, so the answer is
 * always the evaluator's. The boolean structure (must, should, must_not, min_should) is the
 * evaluator's too. A {@code should} of conditions on one indexed field (the not-expired filter of
 * every cache search) reads the column once per slot, and a filter of one {@code must} condition is
 * that condition's predicate: a graph search tests the filter on every node it visits.
 */
final class SlotFilter {
  private SlotFilter() {}

  /** A test on one slot's column value; {@code null} result: the column cannot say. */
  private interface ColumnTest {
    /** 1 true, 0 false, -1 ask the evaluator. */
    int test(byte kind, long bits, int slot);
  }

  /**
   * Compiles {@code filter} against {@code columns}; {@code ids} and {@code payloads} give a slot's
   * point id and payload for the evaluator.
   */
  static IntPredicate compile(
      Filter filter,
      PayloadColumns columns,
      IntFunction<@Nullable PointId> ids,
      IntFunction<Map<String, Object>> payloads) {
    IntPredicate oneColumn = anyOnOneColumn(filter, columns, ids, payloads);
    if (oneColumn != null) {
      return oneColumn;
    }
    IntPredicate[] must = conditions(filter.must(), columns, ids, payloads);
    IntPredicate[] should = conditions(filter.should(), columns, ids, payloads);
    IntPredicate[] mustNot = conditions(filter.mustNot(), columns, ids, payloads);
    Filter.MinShould ms = filter.minShould();
    IntPredicate[] min =
        ms == null ? new IntPredicate[0] : conditions(ms.conditions(), columns, ids, payloads);
    int minCount = ms == null ? 0 : ms.minCount();
    if (must.length == 1 && should.length == 0 && mustNot.length == 0 && min.length == 0) {
      return must[0]; // one condition (a cache's not-expired filter): no loop around it
    }
    return slot -> {
      for (IntPredicate c : must) {
        if (!c.test(slot)) {
          return false;
        }
      }
      for (IntPredicate c : mustNot) {
        if (c.test(slot)) {
          return false;
        }
      }
      if (should.length > 0) {
        boolean any = false;
        for (IntPredicate c : should) {
          if (c.test(slot)) {
            any = true;
            break;
          }
        }
        if (!any) {
          return false;
        }
      }
      if (min.length > 0) {
        int hits = 0;
        for (IntPredicate c : min) {
          if (c.test(slot) && ++hits >= minCount) {
            break;
          }
        }
        return hits >= minCount;
      }
      return true;
    };
  }

  /**
   * A filter of {@code should} conditions only, every one on the same indexed field and with a
   * column form (the cache's not-expired filter: no expiry, or one later than now), compiled into
   * one read of the column per slot; null for any other filter. When no test answers true and one
   * cannot answer (a value the column cannot hold), the evaluator answers for the whole filter.
   */
  private static @Nullable IntPredicate anyOnOneColumn(
      Filter filter,
      PayloadColumns columns,
      IntFunction<@Nullable PointId> ids,
      IntFunction<Map<String, Object>> payloads) {
    List<Condition> should = filter.should();
    if (should.size() < 2
        || !filter.must().isEmpty()
        || !filter.mustNot().isEmpty()
        || filter.minShould() != null) {
      return null;
    }
    PayloadColumns.Column col = null;
    ColumnTest[] tests = new ColumnTest[should.size()];
    for (int i = 0; i < tests.length; i++) {
      Condition c = should.get(i);
      String key = keyOf(c);
      PayloadColumns.Column found = key == null ? null : columns.column(key);
      ColumnTest test = found == null ? null : columnTest(c, found);
      if (found == null || test == null || (col != null && found != col)) {
        return null;
      }
      col = found;
      tests[i] = test;
    }
    if (col == null) {
      return null;
    }
    PayloadColumns.Column column = col;
    return slot -> {
      byte kind = column.kind[slot];
      long bits = column.bits(slot);
      boolean unknown = false;
      for (ColumnTest t : tests) {
        int r = t.test(kind, bits, slot);
        if (r == 1) {
          return true;
        }
        unknown |= r < 0;
      }
      return unknown && FilterEvaluator.test(filter, ids.apply(slot), payloads.apply(slot));
    };
  }

  private static IntPredicate[] conditions(
      List<Condition> list,
      PayloadColumns columns,
      IntFunction<@Nullable PointId> ids,
      IntFunction<Map<String, Object>> payloads) {
    IntPredicate[] out = new IntPredicate[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = condition(list.get(i), columns, ids, payloads);
    }
    return out;
  }

  private static IntPredicate condition(
      Condition c,
      PayloadColumns columns,
      IntFunction<@Nullable PointId> ids,
      IntFunction<Map<String, Object>> payloads) {
    if (c instanceof Condition.Sub sub) {
      return compile(sub.filter(), columns, ids, payloads);
    }
    Filter alone = Filter.must(c);
    IntPredicate fallback =
        slot -> FilterEvaluator.test(alone, ids.apply(slot), payloads.apply(slot));
    String key = keyOf(c);
    PayloadColumns.Column col = key == null ? null : columns.column(key);
    ColumnTest test = col == null ? null : columnTest(c, col);
    if (col == null || test == null) {
      return fallback;
    }
    PayloadColumns.Column column = col;
    return slot -> {
      int r = test.test(column.kind[slot], column.bits(slot), slot);
      return r < 0 ? fallback.test(slot) : r == 1;
    };
  }

  private static @Nullable String keyOf(Condition c) {
    if (c instanceof Condition.FieldCondition f) {
      return f.key();
    }
    if (c instanceof Condition.IsEmpty e) {
      return e.key();
    }
    if (c instanceof Condition.IsNull n) {
      return n.key();
    }
    return null;
  }

  private static int of(boolean b) {
    return b ? 1 : 0;
  }

  /** The column form of a condition, or null to always ask the evaluator. */
  private static @Nullable ColumnTest columnTest(Condition c, PayloadColumns.Column col) {
    if (c instanceof Condition.IsEmpty) {
      return (kind, bits, slot) ->
          kind == PayloadColumns.MISSING ? 1 : kind == PayloadColumns.OTHER ? -1 : 0;
    }
    if (c instanceof Condition.IsNull) {
      return (kind, bits, slot) -> kind == PayloadColumns.OTHER ? -1 : 0;
    }
    Condition.FieldCondition f = (Condition.FieldCondition) c;
    Range range = f.range();
    if (range != null) {
      Bounds b = Bounds.of(range);
      return (kind, bits, slot) ->
          switch (kind) {
            case PayloadColumns.LONG -> of(b.test((double) bits));
            case PayloadColumns.DOUBLE -> of(b.test(Double.longBitsToDouble(bits)));
            case PayloadColumns.OTHER -> -1;
            default -> 0;
          };
    }
    Match m = f.match();
    if (m instanceof Match.Keyword k) {
      String value = k.value();
      return strings(col, s -> s.equals(value), false);
    }
    if (m instanceof Match.AnyKeywords a) {
      Set<String> values = new HashSet<>(a.values());
      return strings(col, values::contains, false);
    }
    if (m instanceof Match.ExceptKeywords e) {
      Set<String> values = new HashSet<>(e.values());
      return strings(col, s -> !values.contains(s), true);
    }
    if (m instanceof Match.Text t) {
      String text = t.text();
      return strings(col, s -> s.contains(text), false);
    }
    if (m instanceof Match.IntegerValue i) {
      long value = i.value();
      return longs(v -> v == value, false);
    }
    if (m instanceof Match.AnyIntegers a) {
      Set<Long> values = new HashSet<>(a.values());
      return longs(values::contains, false);
    }
    if (m instanceof Match.ExceptIntegers e) {
      Set<Long> values = new HashSet<>(e.values());
      return longs(v -> !values.contains(v), true);
    }
    return null; // a boolean match: booleans are not columned
  }

  /**
   * A {@link Range} with its bounds unboxed, an unset bound being infinite: the same answer as
   * {@link Range#test} for every finite value (a column holds no other: payloads hold no NaN or
   * infinity), an integer compared as the double it converts to, as the evaluator compares it.
   */
  private record Bounds(double lt, double gt, double gte, double lte) {
    static Bounds of(Range r) {
      double inf = Double.POSITIVE_INFINITY;
      return new Bounds(or(r.lt(), inf), or(r.gt(), -inf), or(r.gte(), -inf), or(r.lte(), inf));
    }

    private static double or(@Nullable Double bound, double unset) {
      return bound == null ? unset : bound;
    }

    boolean test(double x) {
      return x < lt && x > gt && x >= gte && x <= lte;
    }
  }

  private interface StringTest {
    boolean test(String s);
  }

  private interface LongTest {
    boolean test(long v);
  }

  /** A match on strings; {@code otherTypes} is the answer for a number (true for "except"). */
  private static ColumnTest strings(PayloadColumns.Column col, StringTest t, boolean otherTypes) {
    return (kind, bits, slot) ->
        switch (kind) {
          case PayloadColumns.STRING -> of(t.test(col.string(slot)));
          case PayloadColumns.LONG, PayloadColumns.DOUBLE -> of(otherTypes);
          case PayloadColumns.OTHER -> -1;
          default -> 0;
        };
  }

  /** A match on integers; {@code otherTypes} is the answer for a float or a string. */
  private static ColumnTest longs(LongTest t, boolean otherTypes) {
    return (kind, bits, slot) ->
        switch (kind) {
          case PayloadColumns.LONG -> of(t.test(bits));
          case PayloadColumns.DOUBLE, PayloadColumns.STRING -> of(otherTypes);
          case PayloadColumns.OTHER -> -1;
          default -> 0;
        };
  }
}
