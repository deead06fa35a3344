package dev.vectorcache.core.exception;

import org.jspecify.annotations.Nullable;

/**
 * The backend refused the credentials (password, ACL user, API key). The secret is never quoted.
 */
public class AuthenticationException extends BackendException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(String backend, String message, @Nullable Throwable cause) {
    super(backend, message, cause);
  }
}
