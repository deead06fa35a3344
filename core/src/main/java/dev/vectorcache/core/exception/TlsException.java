package dev.vectorcache.core.exception;

import org.jspecify.annotations.Nullable;

/**
 * A TLS connection to the backend could not be set up: the server's certificate is not signed by a
 * trusted authority or does not name the host, the server wants a client certificate that was not
 * given, or one side speaks TLS and the other plain text (a {@code rediss://} or {@code grpcs://}
 * URL for a plain-text port, or the reverse). Retrying does not help: fix the TLS settings or the
 * URL's scheme. Unlike {@link BackendUnavailableException} it does not mean the server is down.
 */
public class TlsException extends BackendException {
  private static final long serialVersionUID = 1L;

  public TlsException(String backend, String message, @Nullable Throwable cause) {
    super(backend, message, cause);
  }
}
