package dev.vectorcache.spi;

import dev.vectorcache.core.exception.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** URL helpers shared by the configs and the front door. */
final class Urls {
  private Urls() {}

  /** The lower-case scheme of {@code url}; {@code "memory"} for a null or blank URL. */
  static String scheme(@Nullable String url) {
    if (url == null || url.isBlank()) {
      return "memory";
    }
    int colon = url.indexOf(':');
    if (colon <= 0) {
      throw new ConfigurationException(
          "invalid url: expected scheme://host:port (or memory:), found \"" + mask(url) + "\"");
    }
    return url.substring(0, colon).toLowerCase(Locale.ROOT);
  }

  /** The name after {@code memory:} (any case, trimmed), or empty for a private or remote store. */
  static String memoryName(String url) {
    return scheme(url).equals("memory") && url.indexOf(':') >= 0
        ? url.substring(url.indexOf(':') + 1).trim()
        : "";
  }

  static URI parse(String url, String field) {
    try {
      URI uri = new URI(url.trim());
      if (uri.getHost() == null) {
        throw new ConfigurationException(
            "invalid "
                + field
                + ": expected scheme://host[:port], found \""
                + mask(url)
                + "\" (no host)");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigurationException(
          "invalid " + field + ": expected scheme://host[:port], found \"" + mask(url) + "\"");
    }
  }

  /**
   * Replaces the user-info part of a URL ({@code user:password@}) with {@code ****@}; anything
   * before the last {@code @} that could hold a secret is masked, even in a malformed URL.
   */
  static String mask(String url) {
    int at = url.lastIndexOf('@');
    if (at < 0) {
      return url;
    }
    int scheme = url.indexOf("://");
    int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
    return url.substring(0, start) + "****" + url.substring(at);
  }
}
