package dev.vectorcache.core.exception;

import org.jspecify.annotations.Nullable;

/**
 * The backend answered but refused the request: out of memory ({@code OOM} with {@code
 * noeviction}), rate limited, or a request the server considers invalid.
 */
public class BackendRejectedException extends BackendException {
  private static final long serialVersionUID = 1L;

  public BackendRejectedException(String backend, String message, @Nullable Throwable cause) {
    super(backend, message, cause);
  }
}
