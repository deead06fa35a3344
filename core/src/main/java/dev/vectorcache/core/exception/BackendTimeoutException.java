package dev.vectorcache.core.exception;

import org.jspecify.annotations.Nullable;

/**
 * The backend did not answer within the configured timeout. For a write the outcome is unknown: the
 * write may or may not have been applied.
 */
public class BackendTimeoutException extends BackendException {
  private static final long serialVersionUID = 1L;

  public BackendTimeoutException(String backend, String message, @Nullable Throwable cause) {
    super(backend, message, cause);
  }
}
