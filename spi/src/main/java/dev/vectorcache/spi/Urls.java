package dev.vectorcache.spi;

import dev.vectorcache.core.exception.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** URL helpers shared by the configs and the front door. */
final class Urls {
  /** Words that make a query parameter a credential, searched in its lower-case letters. */
  private static final List<String> SECRET_WORDS =
      List.of("pass", "pwd", "secret", "token", "auth", "key", "credential", "signature");

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

  /** Parses {@code url}, which must have a host and no query parameters. */
  static URI parse(String url, String field) {
    URI uri = parseWithQuery(url, field);
    String query = uri.getRawQuery();
    if (query != null) {
      // nothing reads them: accepting one (a ?password=, say) would ignore it silently
      throw new ConfigurationException(
          "invalid "
              + field
              + ": expected no query parameters, found "
              + parameterNames(query)
              + "; put credentials in the user-info part (scheme://user:password@host:port) or"
              + " on the builder (username(...), password(...), apiKey(...)), and other settings"
              + " on the builder");
    }
    return uri;
  }

  /** Parses {@code url}, which must have a host; the caller reads or refuses its query. */
  static URI parseWithQuery(String url, String field) {
    try {
      URI uri = new URI(url.trim());
      if (uri.getHost() == null) {
        throw new ConfigurationException(
            "invalid "
                + field
                + ": expected scheme://host[:port], found "
                + withheld(url)
                + " with no host");
      }
      return uri;
    } catch (URISyntaxException e) {
      // the reason and index, never the text: a URL that does not parse cannot be masked reliably
      throw new ConfigurationException(
          "invalid "
              + field
              + ": expected scheme://host[:port], found "
              + withheld(url)
              + " that does not parse ("
              + e.getReason()
              + " at index "
              + e.getIndex()
              + ")");
    }
  }

  /**
   * A URL named in an error without its text, which may hold a password that masking cannot find in
   * a malformed URL: its scheme and length only.
   */
  static String withheld(String url) {
    int colon = url.indexOf(':');
    String scheme = colon > 0 && colon < 16 ? url.substring(0, colon) : "";
    boolean plain =
        scheme.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '+' || c == '-');
    return "a "
        + (plain && !scheme.isEmpty() ? scheme + ": " : "")
        + "URL of "
        + url.length()
        + " characters (not shown: it may hold a password)";
  }

  /** The names of a query's parameters, never their values. */
  private static List<String> parameterNames(String query) {
    List<String> names = new ArrayList<>();
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      names.add(eq < 0 ? pair : pair.substring(0, eq));
    }
    return names;
  }

  /**
   * Masks every credential a URL can carry: the value of each query parameter whose name, in any
   * case, reads as a credential ({@code ?password=}, {@code pwd}, {@code secret}, {@code token},
   * {@code auth}, {@code api-key}, ...) becomes {@code ****}, and then the user-info part ({@code
   * user:password@}) becomes {@code ****@}. Anything before the last {@code @} that could hold a
   * secret is masked, even in a malformed URL: it may mask more than needed, never less.
   */
  static String mask(String url) {
    String masked = maskQuery(url);
    int at = masked.lastIndexOf('@');
    if (at < 0) {
      return masked;
    }
    int scheme = masked.indexOf("://");
    int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
    return masked.substring(0, start) + "****" + masked.substring(at);
  }

  private static String maskQuery(String url) {
    int q = url.indexOf('?');
    if (q < 0) {
      return url;
    }
    StringBuilder out = new StringBuilder(url.length()).append(url, 0, q + 1);
    String[] params = url.substring(q + 1).split("&", -1);
    for (int i = 0; i < params.length; i++) {
      String p = params[i];
      int eq = p.indexOf('=');
      out.append(i == 0 ? "" : "&");
      out.append(eq > 0 && isSecretName(p.substring(0, eq)) ? p.substring(0, eq + 1) + "****" : p);
    }
    return out.toString();
  }

  /** A query parameter name that reads as a credential, in any case or spelling of separators. */
  private static boolean isSecretName(String name) {
    String n = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    for (String word : SECRET_WORDS) {
      if (n.contains(word)) {
        return true;
      }
    }
    return false;
  }
}
