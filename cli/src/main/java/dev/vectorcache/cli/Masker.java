package dev.vectorcache.cli;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Removes secrets from text before it is printed: the user-info of any URL ({@code
 * redis://user:pass@host} becomes {@code redis://****@host}) and every registered secret (URL
 * passwords, the Qdrant API key), wherever it appears, also URL-encoded. Every byte the CLI writes
 * to stdout or stderr, including log lines and picocli's own messages, goes through one.
 */
final class Masker {
  static final String MASK = "****";

  /**
   * Secrets shorter than this are masked only inside URLs: replacing a two-letter password
   * everywhere would garble the output without protecting much.
   */
  static final int MIN_LITERAL_LENGTH = 4;

  // '[' and ']' cannot appear in a URL's user-info (RFC 3986), so the placeholder in help texts,
  // "redis://[user:password@]host", is left alone
  private static final Pattern URL_USER_INFO =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)([^/@\\s\"'<>\\[\\]]+)@");

  private final Set<String> secrets = ConcurrentHashMap.newKeySet();

  /** Registers a secret; null or blank is ignored. */
  void addSecret(@Nullable String secret) {
    if (secret == null || secret.isBlank()) {
      return;
    }
    secrets.add(secret);
    String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    if (!encoded.equals(secret)) {
      secrets.add(encoded);
    }
  }

  /** Registers the password (and user) in the user-info of {@code url}, if any. */
  void addUrlSecrets(@Nullable String url) {
    if (url == null) {
      return;
    }
    Matcher m = URL_USER_INFO.matcher(url);
    while (m.find()) {
      String info = m.group(2);
      int colon = info.indexOf(':');
      // redis://secret@host is Redis's password-only form, so a lone user part is a secret too
      String password = colon < 0 ? info : info.substring(colon + 1);
      addSecret(password);
      addSecret(decode(password));
    }
  }

  /** Registers what the arguments reveal: URL user-info and the value of --qdrant-api-key. */
  void addArgumentSecrets(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a == null) {
        continue;
      }
      addUrlSecrets(a);
      if (a.equals("--qdrant-api-key") && i + 1 < args.length) {
        addSecret(args[i + 1]);
      } else if (a.startsWith("--qdrant-api-key=")) {
        addSecret(a.substring("--qdrant-api-key=".length()));
      }
    }
  }

  String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out =
        URL_USER_INFO.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
    for (String s : secrets) {
      if (s.length() >= MIN_LITERAL_LENGTH && out.contains(s)) {
        out = out.replace(s, MASK);
      }
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
