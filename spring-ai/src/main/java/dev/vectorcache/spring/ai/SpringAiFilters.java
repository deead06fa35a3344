package dev.vectorcache.spring.ai;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Match;
import dev.vectorcache.core.filter.Range;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.filter.FilterExpressionTextParser;

/**
 * Maps Spring AI's metadata filter expressions ({@link Filter.Expression}, or their text form
 * parsed by Spring AI's {@link FilterExpressionTextParser}) to the cache's payload {@link
 * dev.vectorcache.core.filter.Filter}. Every {@link Filter.ExpressionType} is mapped; a value or
 * key the cache cannot compare is refused with an exception naming the key and the operator, never
 * dropped. The rules (docs/spring.md, "Filters"):
 *
 * <ul>
 *   <li>{@code EQ} ({@code ==}) on a String is a keyword match; on a Boolean a boolean match; on an
 *       Integer or Long between ±2<sup>53</sup> a range [v, v], so that 1 equals 1L and 1.0; on a
 *       larger integer an exact integer match; on a Float or Double a range [d, d] over the value
 *       as a double.
 *   <li>{@code GT}, {@code GTE}, {@code LT}, {@code LTE}: numbers only, compared as doubles; a
 *       String or Boolean bound is refused with {@link UnsupportedOperationException}.
 *   <li>{@code IN}: any of the listed values, each compared as {@code EQ} does; an empty list is
 *       refused.
 *   <li>{@code NE}, {@code NIN}, {@code NOT}: the negation, so an entry without the key matches (as
 *       in Spring AI's {@code SimpleVectorStore}).
 *   <li>{@code ISNULL}: the key is missing (documents cannot hold null values); {@code ISNOTNULL}:
 *       it is present.
 *   <li>{@code AND}, {@code OR}: both, either; a {@link Filter.Group} is its content.
 *   <li>An entry whose value has another type than the filter's never matches a comparison.
 *   <li>A key naming a field of the bridge or the cache ({@code sai_...}, {@code _vc_...}, {@code
 *       distance}) or a nested path ({@code .} or {@code [}) is refused with {@link
 *       InvalidInputException}.
 * </ul>
 */
public final class SpringAiFilters {
  private SpringAiFilters() {}

  /**
   * The cache's filter for a Spring AI filter expression.
   *
   * @param expression Spring AI's expression
   * @return the equivalent payload filter
   * @throws UnsupportedOperationException for a comparison the cache cannot express (a string
   *     range)
   * @throws InvalidInputException for a malformed expression, a null or unsupported value or a
   *     reserved or nested key
   */
  public static dev.vectorcache.core.filter.Filter toFilter(Filter.Expression expression) {
    if (expression == null) {
      throw new InvalidInputException("filterExpression", "a filter expression", null);
    }
    return dev.vectorcache.core.filter.Filter.must(condition(expression));
  }

  /**
   * The cache's filter for the text form of a Spring AI filter expression, such as {@code country
   * == 'BG' && year >= 2020}.
   *
   * @param textExpression the text, in Spring AI's filter language
   * @return the equivalent payload filter
   * @throws InvalidInputException for a blank text or one Spring AI's parser refuses
   * @throws UnsupportedOperationException as {@link #toFilter(Filter.Expression)}
   */
  public static dev.vectorcache.core.filter.Filter toFilter(String textExpression) {
    return toFilter(parse(textExpression));
  }

  /**
   * Parses the text form with Spring AI's parser; its failures become {@link
   * InvalidInputException}s naming the text.
   */
  static Filter.Expression parse(@Nullable String textExpression) {
    if (textExpression == null || textExpression.isBlank()) {
      throw new InvalidInputException(
          "filterExpression", "a filter expression in Spring AI's language", textExpression);
    }
    try {
      return new FilterExpressionTextParser().parse(textExpression);
    } catch (RuntimeException e) {
      throw new InvalidInputException(
          "filterExpression",
          "a filter expression in Spring AI's language (" + e.getMessage() + ")",
          textExpression);
    }
  }

  private static Condition condition(Filter.Operand operand) {
    if (operand instanceof Filter.Group g) {
      return condition(g.content());
    }
    if (!(operand instanceof Filter.Expression e)) {
      throw new InvalidInputException(
          "filter operand", "an expression or a group", operand.getClass().getSimpleName());
    }
    Filter.ExpressionType type = e.type();
    return switch (type) {
      case AND ->
          sub(dev.vectorcache.core.filter.Filter.must(condition(e.left()), condition(right(e))));
      case OR ->
          sub(dev.vectorcache.core.filter.Filter.should(condition(e.left()), condition(right(e))));
      case NOT -> not(condition(e.left()));
      case EQ -> {
        String key = key(e, type);
        yield equalTo(key, type, value(e, key, type));
      }
      case NE -> {
        String key = key(e, type);
        yield not(equalTo(key, type, value(e, key, type)));
      }
      case GT, GTE, LT, LTE -> {
        String key = key(e, type);
        yield range(key, type, value(e, key, type));
      }
      case IN -> {
        String key = key(e, type);
        yield in(key, type, value(e, key, type));
      }
      case NIN -> {
        String key = key(e, type);
        yield not(in(key, type, value(e, key, type)));
      }
      case ISNULL -> new Condition.IsEmpty(key(e, type));
      case ISNOTNULL -> not(new Condition.IsEmpty(key(e, type)));
    };
  }

  private static Filter.Operand right(Filter.Expression e) {
    Filter.Operand right = e.right();
    if (right == null) {
      throw new InvalidInputException(
          "filter " + e.type(), "a right-hand operand", null, "AND and OR need two operands");
    }
    return right;
  }

  private static Condition sub(dev.vectorcache.core.filter.Filter f) {
    return new Condition.Sub(f);
  }

  private static Condition not(Condition c) {
    return new Condition.Sub(dev.vectorcache.core.filter.Filter.mustNot(c));
  }

  private static String key(Filter.Expression e, Filter.ExpressionType type) {
    if (!(e.left() instanceof Filter.Key k)) {
      throw new InvalidInputException(
          "filter " + type,
          "a metadata key on the left",
          e.left() == null ? null : e.left().getClass().getSimpleName());
    }
    String key = k.key();
    DocumentPayload.checkKey(key, "filter " + type + " key");
    if (key.indexOf('.') >= 0 || key.indexOf('[') >= 0) {
      throw new InvalidInputException(
          "filter " + type + " key",
          "a metadata key without '.' or '[' (those make a nested path)",
          key);
    }
    return key;
  }

  private static Object value(Filter.Expression e, String key, Filter.ExpressionType type) {
    if (!(e.right() instanceof Filter.Value v) || v.value() == null) {
      throw new InvalidInputException(
          "filter " + type + " on '" + key + "'", "a value on the right", null);
    }
    return v.value();
  }

  private static Condition equalTo(String key, Filter.ExpressionType type, @Nullable Object value) {
    if (value instanceof String s) {
      return new Condition.FieldCondition(key, new Match.Keyword(s), null);
    }
    if (value instanceof Boolean b) {
      return new Condition.FieldCondition(key, new Match.Bool(b), null);
    }
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Float
        || value instanceof Double) {
      return Condition.numberEquals(key, (Number) value);
    }
    throw unsupportedValue(key, type, value);
  }

  private static Condition in(String key, Filter.ExpressionType type, Object values) {
    if (!(values instanceof Collection<?> list) || list.isEmpty()) {
      throw new InvalidInputException(
          "filter " + type + " on '" + key + "'",
          "a non-empty list of values",
          values instanceof Collection<?> ? "an empty list" : values.getClass().getName());
    }
    List<String> keywords = new ArrayList<>();
    List<Condition> others = new ArrayList<>();
    for (Object v : list) {
      if (v instanceof String s) {
        keywords.add(s);
      } else {
        others.add(equalTo(key, type, v));
      }
    }
    if (!keywords.isEmpty()) {
      others.add(new Condition.FieldCondition(key, new Match.AnyKeywords(keywords), null));
    }
    if (others.size() == 1) {
      return others.get(0);
    }
    return sub(dev.vectorcache.core.filter.Filter.should(others.toArray(new Condition[0])));
  }

  private static Condition range(String key, Filter.ExpressionType type, Object value) {
    if (!(value instanceof Integer
        || value instanceof Long
        || value instanceof Float
        || value instanceof Double)) {
      if (value instanceof String || value instanceof Boolean) {
        throw new UnsupportedOperationException(
            "filter "
                + type
                + " on '"
                + key
                + "' compares a "
                + value.getClass().getSimpleName().toLowerCase(Locale.ROOT)
                + "; the cache's ranges compare numbers only");
      }
      throw unsupportedValue(key, type, value);
    }
    double d = ((Number) value).doubleValue();
    Range range =
        switch (type) {
          case GT -> Range.gt(d);
          case GTE -> Range.gte(d);
          case LT -> Range.lt(d);
          default -> Range.lte(d);
        };
    return new Condition.FieldCondition(key, null, range);
  }

  private static InvalidInputException unsupportedValue(
      String key, Filter.ExpressionType type, @Nullable Object value) {
    return new InvalidInputException(
        "filter " + type + " on '" + key + "'",
        "a String, Boolean, Integer, Long, Float or Double",
        value == null ? null : value.getClass().getName());
  }
}
