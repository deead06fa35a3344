package dev.vectorcache.core.exception;

import org.jspecify.annotations.Nullable;

/**
 * A failure reported by, or on the way to, a backend (Redis, Qdrant). {@link #backend()} names the
 * backend ("redis", "qdrant", "memory") so that callers and logs can tell which side failed.
 */
public class BackendException extends VectorCacheException {
  private static final long serialVersionUID = 1L;
  private final String backend;

  public BackendException(String backend, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.backend = backend;
  }

  /** The backend that failed, for example {@code "redis"} or {@code "qdrant"}. */
  public String backend() {
    return backend;
  }
}
