package dev.vectorcache.core;

/**
 * Root of every exception the library throws. Unchecked, so callers catch only the subclasses they
 * can act on.
 */
public class VectorCacheException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public VectorCacheException(String message) {
    super(message);
  }

  public VectorCacheException(String message, Throwable cause) {
    super(message, cause);
  }
}
