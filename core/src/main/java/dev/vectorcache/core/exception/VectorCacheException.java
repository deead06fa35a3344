package dev.vectorcache.core.exception;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception the library throws. Unchecked, so callers catch only the subclasses they
 * can act on.
 */
public class VectorCacheException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public VectorCacheException(String message) {
    super(message);
  }

  public VectorCacheException(@Nullable String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
