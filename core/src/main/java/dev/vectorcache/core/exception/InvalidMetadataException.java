package dev.vectorcache.core.exception;

import org.jspecify.annotations.Nullable;

/**
 * Metadata holds something that is not JSON: an unknown class, a cycle, a NaN or infinite number, a
 * non-string map key, or a reserved key.
 */
public class InvalidMetadataException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public InvalidMetadataException(
      String field, String expected, @Nullable Object found, @Nullable String fix) {
    super(field, expected, found, fix);
  }
}
