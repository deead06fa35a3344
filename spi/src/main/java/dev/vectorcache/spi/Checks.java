package dev.vectorcache.spi;

import dev.vectorcache.core.exception.ConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Validation shared by the configs: every message names the field, the expected and the found. */
final class Checks {
  /** {@code host:port} with no scheme, which {@link java.net.URI} would read as scheme "host". */
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.\\-_\\[\\]]+:\\d+(/.*)?");

  private Checks() {}

  static ConfigurationException invalid(String field, String expected, Object found, String fix) {
    return new ConfigurationException(
        "invalid " + field + ": expected " + expected + ", found " + found + "; " + fix);
  }

  static Duration positive(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative() || d.isZero()) {
      throw invalid(field, "a positive duration", d, "give a duration above zero");
    }
    return d;
  }

  static int atLeast(String field, int min, int value) {
    if (value < min) {
      throw invalid(field, min + " or more", value, "give a value of " + min + " or more");
    }
    return value;
  }

  /**
   * Refuses a null URL (pointing at {@code embedded()}) and a URL without a scheme (with the hint
   * of the role's scheme), and returns the trimmed URL.
   */
  static String url(String field, @Nullable String url, String configType, String defaultScheme) {
    if (url == null) {
      throw new ConfigurationException(
          "invalid "
              + field
              + ": expected a URL, found null; for the embedded in-process store call "
              + configType
              + ".embedded() (or pass \"memory:\")");
    }
    String u = url.trim();
    if (u.isEmpty()) {
      throw invalid(
          field,
          "a URL such as " + defaultScheme + "://localhost or memory:",
          "\"\"",
          "for the embedded store call " + configType + ".embedded()");
    }
    if (HOST_PORT.matcher(u).matches() && !u.startsWith("memory:")) {
      throw invalid(
          field,
          "scheme://host:port",
          "\"" + Urls.mask(u) + "\" (no scheme)",
          "write " + defaultScheme + "://" + Urls.mask(u));
    }
    if (u.indexOf(':') <= 0) {
      throw invalid(
          field,
          "scheme://host:port (or memory:)",
          "\"" + Urls.mask(u) + "\" (no scheme)",
          "write " + defaultScheme + "://" + Urls.mask(u));
    }
    return u;
  }

  /**
   * The servers of a config: the builder's topology, else the URL's single node ({@code urlNode},
   * null for {@code memory:}, where an explicit topology is refused).
   */
  static @Nullable Topology topology(
      @Nullable Topology urlNode, @Nullable Topology explicit, String serverUrlExample) {
    if (explicit == null) {
      return urlNode;
    }
    if (urlNode == null) {
      throw invalid(
          "topology",
          "no topology for the in-process store (memory:)",
          explicit.kind(),
          "set a server URL such as " + serverUrlExample + ", or drop topology(...)");
    }
    return explicit;
  }

  /**
   * TLS settings other than the defaults need a TLS scheme ({@code tlsSchemes}, first preferred).
   */
  static void tlsNeedsScheme(TlsConfig tls, String scheme, List<String> tlsSchemes) {
    if (!tls.isDefault() && !tlsSchemes.contains(scheme)) {
      throw invalid(
          "tls",
          "a " + String.join(":// or ", tlsSchemes) + ":// URL for TLS settings",
          "scheme '" + scheme + "'",
          "use " + tlsSchemes.get(0) + "://, or drop tls(...)");
    }
  }
}
