package dev.vectorcache.core.filter;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.id.PointId;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One condition of a {@link Filter}. Keys are Qdrant key paths: {@code a.b} goes into objects,
 * {@code a[].b} into every array element, {@code a[0].b} into one; a condition on a path that ends
 * in an array holds when any element satisfies it.
 */
public sealed interface Condition {

  /** A match or a range on the value(s) at {@code key}. Exactly one of the two is set. */
  record FieldCondition(String key, @Nullable Match match, @Nullable Range range)
      implements Condition {
    public FieldCondition {
      checkKey(key);
      if ((match == null) == (range == null)) {
        throw new InvalidInputException(
            "filter condition on '" + key + "'",
            "exactly one of match or range",
            "both or neither");
      }
    }
  }

  /** The field is missing, null, {@code []}, or holds only nulls and empty arrays. */
  record IsEmpty(String key) implements Condition {
    public IsEmpty {
      checkKey(key);
    }
  }

  /** Some value at the field is JSON null (a missing field is not null). */
  record IsNull(String key) implements Condition {
    public IsNull {
      checkKey(key);
    }
  }

  /** The point's id is one of these. */
  record HasId(Set<PointId> ids) implements Condition {
    public HasId {
      ids = Set.copyOf(ids);
    }
  }

  /** Some object in the array at {@code key} satisfies the whole of {@code filter}. */
  record Nested(String key, Filter filter) implements Condition {
    public Nested {
      checkKey(key);
      Objects.requireNonNull(filter, "filter");
      if (containsHasId(filter)) {
        throw new InvalidInputException(
            "nested filter on '" + key + "'", "no has_id condition inside nested", "has_id");
      }
    }
  }

  /** A nested boolean sub-filter. */
  record Sub(Filter filter) implements Condition {
    public Sub {
      Objects.requireNonNull(filter, "filter");
    }
  }

  private static void checkKey(@Nullable String key) {
    if (key == null || key.isBlank()) {
      throw new InvalidInputException("filter key", "a non-blank payload key path", key);
    }
  }

  private static boolean containsHasId(Filter f) {
    return FilterWalk.of(f).anyMatch(c -> c instanceof HasId);
  }

  static Condition match(String key, String keyword) {
    return new FieldCondition(key, new Match.Keyword(keyword), null);
  }

  static Condition match(String key, long integer) {
    return new FieldCondition(key, new Match.IntegerValue(integer), null);
  }

  static Condition match(String key, boolean bool) {
    return new FieldCondition(key, new Match.Bool(bool), null);
  }

  static Condition matchAny(String key, String... keywords) {
    return new FieldCondition(key, new Match.AnyKeywords(List.of(keywords)), null);
  }

  static Condition matchAnyIntegers(String key, long... integers) {
    return new FieldCondition(
        key,
        new Match.AnyIntegers(Arrays.stream(integers).boxed().collect(Collectors.toList())),
        null);
  }

  static Condition matchExcept(String key, String... keywords) {
    return new FieldCondition(key, new Match.ExceptKeywords(List.of(keywords)), null);
  }

  static Condition matchExceptIntegers(String key, long... integers) {
    return new FieldCondition(
        key,
        new Match.ExceptIntegers(Arrays.stream(integers).boxed().collect(Collectors.toList())),
        null);
  }

  /**
   * A number equal to {@code value}, whatever the stored number's type. An integer ({@code Long},
   * {@code Integer}, {@code Short}, {@code Byte}) below 2^53 in magnitude, and any other number,
   * becomes the range {@code [v, v]} over doubles, so that {@code 1}, {@code 1L} and {@code 1.0}
   * are equal; an integer of 2^53 or more in magnitude, which a double cannot hold exactly, becomes
   * an exact integer match (it then matches stored integers only).
   *
   * @param key the payload key
   * @param value the number
   * @return the condition
   */
  static Condition numberEquals(String key, Number value) {
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      long v = value.longValue();
      if (Math.abs(v) >= 1L << 53) {
        return match(key, v);
      }
    }
    double d = value.doubleValue();
    return range(key, new Range(null, null, d, d));
  }

  static Condition matchText(String key, String text) {
    return new FieldCondition(key, new Match.Text(text), null);
  }

  static Condition range(String key, Range range) {
    return new FieldCondition(key, null, Objects.requireNonNull(range, "range"));
  }

  static Condition isEmpty(String key) {
    return new IsEmpty(key);
  }

  static Condition isNull(String key) {
    return new IsNull(key);
  }

  static Condition hasId(PointId... ids) {
    return new HasId(Set.of(ids));
  }

  static Condition nested(String key, Filter filter) {
    return new Nested(key, filter);
  }

  static Condition filter(Filter filter) {
    return new Sub(filter);
  }
}
