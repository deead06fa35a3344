package dev.vectorcache.core.filter;

import dev.vectorcache.core.exception.InvalidInputException;
import java.util.List;
import java.util.Objects;

/** The value side of a {@link Condition.FieldCondition}; each variant mirrors one of Qdrant's. */
public sealed interface Match {
  /** Exact string equality. */
  record Keyword(String value) implements Match {
    public Keyword {
      Objects.requireNonNull(value, "value");
    }
  }

  /** Integer equality; a float payload value never matches. */
  record IntegerValue(long value) implements Match {}

  /** Boolean equality. */
  record Bool(boolean value) implements Match {}

  /** The value is one of these strings. */
  record AnyKeywords(List<String> values) implements Match {
    public AnyKeywords {
      values = List.copyOf(values);
    }
  }

  /** The value is one of these integers. */
  record AnyIntegers(List<Long> values) implements Match {
    public AnyIntegers {
      values = List.copyOf(values);
    }
  }

  /**
   * The value is not one of these strings. True for values of other types too; false for null or a
   * missing field.
   */
  record ExceptKeywords(List<String> values) implements Match {
    public ExceptKeywords {
      values = List.copyOf(values);
    }
  }

  /** The value is not one of these integers (same rules as {@link ExceptKeywords}). */
  record ExceptIntegers(List<Long> values) implements Match {
    public ExceptIntegers {
      values = List.copyOf(values);
    }
  }

  /** Full-text match; without a text index, a substring test. */
  record Text(String text) implements Match {
    public Text {
      Objects.requireNonNull(text, "text");
      if (text.isEmpty()) {
        throw new InvalidInputException("match.text", "a non-empty string", text);
      }
    }
  }
}
