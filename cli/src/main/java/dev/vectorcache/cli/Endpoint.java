package dev.vectorcache.cli;

/**
 * A backend URL and where it came from.
 *
 * @param url the URL as given (may hold a password: print {@link #masked(Masker)})
 * @param source {@code --redis-url}, {@code REDIS_URL}, ..., or {@code default}
 */
record Endpoint(String url, String source) {
  boolean isDefault() {
    return source.equals("default");
  }

  /** Whether this is an embedded store private to this process ({@code memory:} without a name). */
  boolean isPrivateMemory() {
    String u = url.trim();
    return u.equalsIgnoreCase("memory:") || u.equalsIgnoreCase("memory");
  }

  String masked(Masker masker) {
    return masker.mask(url);
  }

  /** "memory: (default: no --qdrant-url or QDRANT_URL)" and the like. */
  String describe(Masker masker, String flag, String envVar) {
    String from =
        switch (source) {
          case "default" -> "default: no " + flag + " or " + envVar + " given";
          default -> "from " + source;
        };
    return masked(masker) + " (" + from + ")";
  }
}
