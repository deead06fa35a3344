package dev.vectorcache.core.exception;

import org.jspecify.annotations.Nullable;

/** A vector is empty, has a NaN or infinite component, or is all zeros for Cosine. */
public class InvalidVectorException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public InvalidVectorException(
      String field, String expected, @Nullable Object found, @Nullable String fix) {
    super(field, expected, found, fix);
  }
}
