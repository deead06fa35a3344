package dev.vectorcache.core.exception;

import org.jspecify.annotations.Nullable;

/** The backend could not be reached or dropped the connection. Retrying later may succeed. */
public class BackendUnavailableException extends BackendException {
  private static final long serialVersionUID = 1L;

  public BackendUnavailableException(String backend, String message, @Nullable Throwable cause) {
    super(backend, message, cause);
  }
}
