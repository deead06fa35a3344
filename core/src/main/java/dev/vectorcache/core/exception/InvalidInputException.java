package dev.vectorcache.core.exception;

import org.jspecify.annotations.Nullable;

/**
 * A caller passed a value the library cannot accept. Raised before any I/O, so nothing was written.
 * The message says which field, what was expected, what was found and how to fix it.
 */
public class InvalidInputException extends VectorCacheException {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final String expected;
  private final String found;

  public InvalidInputException(String field, String expected, @Nullable Object found) {
    this(field, expected, found, null);
  }

  public InvalidInputException(
      String field, String expected, @Nullable Object found, @Nullable String fix) {
    super(
        "invalid "
            + field
            + ": expected "
            + expected
            + ", found "
            + describe(found)
            + (fix == null ? "" : "; " + fix));
    this.field = field;
    this.expected = expected;
    this.found = describe(found);
  }

  private static String describe(@Nullable Object found) {
    if (found == null) {
      return "null";
    }
    if (found instanceof CharSequence s) {
      String text = s.toString();
      if (text.length() > 80) {
        text = text.substring(0, 77) + "...";
      }
      return "\"" + text + "\"";
    }
    return String.valueOf(found);
  }

  /** The offending field, for example {@code vector[3]} or {@code metadata.tags[2]}. */
  public String field() {
    return field;
  }

  /** What the library expected, in words. */
  public String expected() {
    return expected;
  }

  /** What it found, rendered briefly. */
  public String found() {
    return found;
  }
}
