package dev.vectorcache.spring.boot;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Refusals of bad {@code vectorcache.*} properties: each names the property, what was expected and
 * what was found, as a {@link ConfigurationException} that fails start-up.
 */
final class PropertyChecks {
  private PropertyChecks() {}

  /** A refusal of {@code property}. */
  static ConfigurationException invalid(String property, String expected, @Nullable Object found) {
    return new ConfigurationException(
        "invalid " + property + ": expected " + expected + ", found " + found);
  }

  /**
   * Runs {@code step}, turning a configuration or input error of the library into one that names
   * {@code property} (the library's message, which never holds a secret, follows).
   */
  static <T> T at(String property, Supplier<T> step) {
    try {
      return step.get();
    } catch (ConfigurationException | InvalidInputException | UnsupportedCapabilityException e) {
      throw new ConfigurationException(property + ": " + e.getMessage(), e);
    }
  }

  /** Refuses a null, zero or negative duration. */
  static Duration positive(String property, @Nullable Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw invalid(property, "a positive duration", value);
    }
    return value;
  }

  /** Refuses a value that is not set. */
  static <T> T required(String property, @Nullable T value, String expected) {
    if (value == null) {
      throw invalid(property, expected, "none (the property is not set)");
    }
    return value;
  }
}
