package dev.vectorcache.langchain4j;

import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Match;
import dev.vectorcache.core.filter.Range;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Maps LangChain4j's metadata filters ({@code dev.langchain4j.store.embedding.filter}) to the
 * cache's payload {@link Filter}. The rules (docs/langchain4j.md, "Filters"):
 *
 * <ul>
 *   <li>{@code IsEqualTo} on a String or UUID is a keyword match (a UUID as its text); on an
 *       Integer or Long between ±2<sup>53</sup> a range [v, v], so that 1 equals 1L and 1.0; on a
 *       larger integer an exact integer match; on a Float or Double a range [d, d] over the value
 *       as a double (a Float is stored as the double of the float, so {@code 1.23f} equals what
 *       {@code put(key, 1.23f)} stored).
 *   <li>{@code IsGreaterThan}, {@code IsGreaterThanOrEqualTo}, {@code IsLessThan}, {@code
 *       IsLessThanOrEqualTo}: numbers only, compared as doubles. A String or UUID bound is refused
 *       with {@link UnsupportedOperationException}: the vector store orders numbers, not strings.
 *   <li>{@code IsIn}: any of the values, each compared as {@code IsEqualTo} does.
 *   <li>{@code IsNotEqualTo}, {@code IsNotIn}, {@code Not}: the negation, so an entry without the
 *       key matches, as in LangChain4j's own stores.
 *   <li>{@code ContainsString}: a substring match, case-sensitive; an empty substring is refused.
 *   <li>{@code And}, {@code Or}: both, either.
 *   <li>An entry whose value has another type than the filter's never matches a comparison.
 *   <li>Any other filter class, a {@code null} or unsupported value type, or a key naming a field
 *       of the bridge, the cache or a nested path ({@code .} or {@code [}) is refused, never
 *       dropped.
 * </ul>
 */
public final class LangChain4jFilters {
  private LangChain4jFilters() {}

  /**
   * The cache's filter for a LangChain4j filter.
   *
   * @param filter LangChain4j's filter
   * @return the equivalent payload filter
   * @throws UnsupportedOperationException for an operator or a value the cache cannot express
   * @throws InvalidInputException for a null or unsupported comparison value or a reserved key
   */
  public static Filter toFilter(dev.langchain4j.store.embedding.filter.Filter filter) {
    return Filter.must(condition(filter));
  }

  private static Condition condition(dev.langchain4j.store.embedding.filter.Filter f) {
    if (f instanceof IsEqualTo e) {
      return equalTo(key(e.key()), e.comparisonValue());
    }
    if (f instanceof IsNotEqualTo e) {
      return not(equalTo(key(e.key()), e.comparisonValue()));
    }
    if (f instanceof IsGreaterThan g) {
      return range(g.key(), "isGreaterThan", g.comparisonValue(), Bound.GT);
    }
    if (f instanceof IsGreaterThanOrEqualTo g) {
      return range(g.key(), "isGreaterThanOrEqualTo", g.comparisonValue(), Bound.GTE);
    }
    if (f instanceof IsLessThan l) {
      return range(l.key(), "isLessThan", l.comparisonValue(), Bound.LT);
    }
    if (f instanceof IsLessThanOrEqualTo l) {
      return range(l.key(), "isLessThanOrEqualTo", l.comparisonValue(), Bound.LTE);
    }
    if (f instanceof IsIn in) {
      return in(key(in.key()), in.comparisonValues());
    }
    if (f instanceof IsNotIn notIn) {
      return not(in(key(notIn.key()), notIn.comparisonValues()));
    }
    if (f instanceof ContainsString c) {
      String key = key(c.key());
      String text = c.comparisonValue();
      if (text == null || text.isEmpty()) {
        throw new InvalidInputException(
            "filter containsString on '" + key + "'", "a non-empty substring", text);
      }
      return new Condition.FieldCondition(key, new Match.Text(text), null);
    }
    if (f instanceof And and) {
      return new Condition.Sub(Filter.must(condition(and.left()), condition(and.right())));
    }
    if (f instanceof Or or) {
      return new Condition.Sub(Filter.should(condition(or.left()), condition(or.right())));
    }
    if (f instanceof Not not) {
      return not(condition(not.expression()));
    }
    throw new UnsupportedOperationException(
        "LangChain4j filter "
            + (f == null ? "null" : f.getClass().getName())
            + " has no equivalent in the cache's filters");
  }

  private static Condition not(Condition c) {
    return new Condition.Sub(Filter.mustNot(c));
  }

  private static String key(@Nullable String key) {
    if (key == null || key.isBlank()) {
      throw new InvalidInputException("filter key", "a non-blank metadata key", key);
    }
    SegmentPayload.checkKey(key, "filter key");
    if (key.indexOf('.') >= 0 || key.indexOf('[') >= 0) {
      throw new InvalidInputException(
          "filter key", "a metadata key without '.' or '[' (those make a nested path)", key);
    }
    return key;
  }

  private static Condition equalTo(String key, @Nullable Object value) {
    if (value instanceof String s) {
      return new Condition.FieldCondition(key, new Match.Keyword(s), null);
    }
    if (value instanceof UUID u) {
      return new Condition.FieldCondition(key, new Match.Keyword(u.toString()), null);
    }
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Float
        || value instanceof Double) {
      return Condition.numberEquals(key, (Number) value);
    }
    throw unsupportedValue(key, "isEqualTo", value);
  }

  private static Condition in(String key, @Nullable Collection<?> values) {
    if (values == null || values.isEmpty()) {
      throw new InvalidInputException(
          "filter isIn on '" + key + "'", "at least one comparison value", values);
    }
    List<String> keywords = new ArrayList<>();
    List<Condition> others = new ArrayList<>();
    for (Object v : values) {
      if (v instanceof String s) {
        keywords.add(s);
      } else if (v instanceof UUID u) {
        keywords.add(u.toString());
      } else {
        others.add(equalTo(key, v));
      }
    }
    if (!keywords.isEmpty()) {
      others.add(new Condition.FieldCondition(key, new Match.AnyKeywords(keywords), null));
    }
    if (others.size() == 1) {
      return others.get(0);
    }
    return new Condition.Sub(Filter.should(others.toArray(new Condition[0])));
  }

  private enum Bound {
    GT,
    GTE,
    LT,
    LTE
  }

  private static Condition range(
      @Nullable String rawKey, String operator, @Nullable Object value, Bound bound) {
    String key = key(rawKey);
    if (!(value instanceof Integer
        || value instanceof Long
        || value instanceof Float
        || value instanceof Double)) {
      if (value instanceof String || value instanceof UUID) {
        throw new UnsupportedOperationException(
            "filter "
                + operator
                + " on '"
                + key
                + "' compares strings; the cache's ranges compare numbers only");
      }
      throw unsupportedValue(key, operator, value);
    }
    double d = ((Number) value).doubleValue();
    Range range =
        switch (bound) {
          case GT -> Range.gt(d);
          case GTE -> Range.gte(d);
          case LT -> Range.lt(d);
          case LTE -> Range.lte(d);
        };
    return new Condition.FieldCondition(key, null, range);
  }

  private static InvalidInputException unsupportedValue(
      String key, String operator, @Nullable Object value) {
    return new InvalidInputException(
        "filter " + operator + " on '" + key + "'",
        "a String, UUID, Integer, Long, Float or Double",
        value == null ? null : value.getClass().getName());
  }
}
