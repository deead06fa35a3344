package dev.vectorcache.inmemory.internal;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Match;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Payloads;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates a {@link Filter} against one point with the Qdrant server's semantics (its {@code
 * query_checker.rs} and {@code condition_checker.rs}), not the looser ones of the Python client's
 * local mode:
 *
 * <ul>
 *   <li>{@code must} all, {@code mustNot} none, {@code should} at least one, {@code minShould} at
 *       least {@code minCount}; an empty list is no constraint.
 *   <li>Matching is type-strict: an integer match never matches {@code 2.0}, a boolean never an
 *       integer, a keyword never a number.
 *   <li>A path that ends in an array tests each element; the condition holds if any does.
 *   <li>A missing field: match and range are false, {@code is_empty} true, {@code is_null} false.
 *       {@code except} is true for values of other types but false for null or missing.
 *   <li>{@code nested}: some single object of {@code key[]} satisfies the whole sub-filter.
 * </ul>
 *
 * <p>Public because the Qdrant-compatible test server reuses it; not part of the API.
 */
public final class FilterEvaluator {
  private FilterEvaluator() {}

  /** Whether the point passes {@code filter}; a {@code null} filter passes everything. */
  public static boolean test(
      @Nullable Filter filter, @Nullable PointId id, @Nullable Map<String, ?> payload) {
    if (filter == null) {
      return true;
    }
    return testFilter(filter, id, payload == null ? Map.of() : payload);
  }

  private static boolean testFilter(Filter f, @Nullable PointId id, Map<String, ?> payload) {
    for (Condition c : f.must()) {
      if (!testCondition(c, id, payload)) {
        return false;
      }
    }
    for (Condition c : f.mustNot()) {
      if (testCondition(c, id, payload)) {
        return false;
      }
    }
    if (!f.should().isEmpty()) {
      boolean any = false;
      for (Condition c : f.should()) {
        if (testCondition(c, id, payload)) {
          any = true;
          break;
        }
      }
      if (!any) {
        return false;
      }
    }
    Filter.MinShould ms = f.minShould();
    if (ms != null && !ms.conditions().isEmpty()) {
      int hits = 0;
      for (Condition c : ms.conditions()) {
        if (testCondition(c, id, payload) && ++hits >= ms.minCount()) {
          break;
        }
      }
      if (hits < ms.minCount()) {
        return false;
      }
    }
    return true;
  }

  private static boolean testCondition(Condition c, @Nullable PointId id, Map<String, ?> payload) {
    if (c instanceof Condition.FieldCondition fc) {
      List<Object> values = Payloads.valuesAt(payload, fc.key());
      if (values.isEmpty()) {
        return false; // check_empty(): match and range never hold on a missing field
      }
      Match match = fc.match();
      if (match != null) {
        for (Object v : values) {
          if (matches(match, v)) {
            return true;
          }
        }
        return false;
      }
      // a field condition holds exactly one of match and range
      Range range = Objects.requireNonNull(fc.range(), "range");
      for (Object v : values) {
        if (inRange(range, v)) {
          return true;
        }
      }
      return false;
    }
    if (c instanceof Condition.IsEmpty e) {
      // valuesAt flattens a final array, so [] leaves nothing and [null, []] leaves null and []
      for (Object v : Payloads.valuesAt(payload, e.key())) {
        if (v != null && !(v instanceof List<?> l && l.isEmpty())) {
          return false;
        }
      }
      return true;
    }
    if (c instanceof Condition.IsNull n) {
      // any value at the path (array elements included) is JSON null; missing is not null
      for (Object v : Payloads.valuesAt(payload, n.key())) {
        if (v == null) {
          return true;
        }
      }
      return false;
    }
    if (c instanceof Condition.HasId h) {
      return id != null && h.ids().contains(id);
    }
    if (c instanceof Condition.Nested n) {
      for (Object v : Payloads.valuesAt(payload, n.key())) {
        if (v instanceof Map<?, ?> object) {
          @SuppressWarnings("unchecked")
          Map<String, ?> o = (Map<String, ?>) object;
          if (testFilter(n.filter(), null, o)) {
            return true;
          }
        }
      }
      return false;
    }
    if (c instanceof Condition.Sub s) {
      return testFilter(s.filter(), id, payload);
    }
    throw new IllegalArgumentException("unknown condition " + c);
  }

  static boolean matches(Match m, @Nullable Object v) {
    if (m instanceof Match.Keyword k) {
      return v instanceof String s && s.equals(k.value());
    }
    if (m instanceof Match.IntegerValue i) {
      return v instanceof Long l && l == i.value();
    }
    if (m instanceof Match.Bool b) {
      return v instanceof Boolean x && x == b.value();
    }
    if (m instanceof Match.AnyKeywords a) {
      return v instanceof String s && a.values().contains(s);
    }
    if (m instanceof Match.AnyIntegers a) {
      return v instanceof Long l && a.values().contains(l);
    }
    if (m instanceof Match.ExceptKeywords e) {
      if (v == null) {
        return false;
      }
      return !(v instanceof String s) || !e.values().contains(s);
    }
    if (m instanceof Match.ExceptIntegers e) {
      if (v == null) {
        return false;
      }
      return !(v instanceof Long l) || !e.values().contains(l);
    }
    if (m instanceof Match.Text t) {
      return v instanceof String s && s.contains(t.text());
    }
    throw new IllegalArgumentException("unknown match " + m);
  }

  static boolean inRange(Range r, @Nullable Object v) {
    if (v instanceof Long l) {
      return r.test((double) l);
    }
    if (v instanceof Double d) {
      return r.test(d);
    }
    return false;
  }
}
