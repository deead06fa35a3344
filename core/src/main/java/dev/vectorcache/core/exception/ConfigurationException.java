package dev.vectorcache.core.exception;

import org.jspecify.annotations.Nullable;

/**
 * The library was configured wrongly: an unknown URL scheme or client name, a missing provider on
 * the classpath, an out-of-range setting. The message names the setting and, where a jar is
 * missing, the artifact to add.
 */
public class ConfigurationException extends VectorCacheException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
