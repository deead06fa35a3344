package dev.vectorcache.core.exception;

/**
 * The backend does not support a requested feature (for example product quantization in the
 * embedded engine). Backends declare capabilities instead of ignoring a setting silently.
 */
public class UnsupportedCapabilityException extends VectorCacheException {
  private static final long serialVersionUID = 1L;

  public UnsupportedCapabilityException(String message) {
    super(message);
  }
}
