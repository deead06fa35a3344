package dev.vectorcache.semantic;

import dev.vectorcache.core.CacheEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The semantic cache's fields of an entry's metadata (the table in {@link SemanticCache}): the one
 * place that names them, encodes them and reads them back.
 */
final class EntryFields {
  static final String PREFIX = CachedResponse.RESERVED_PREFIX;
  static final String SCOPE = "sc_scope";
  static final String SCOPE_HASH = EntryRanking.SCOPE_HASH_FIELD;
  static final String MODEL = "sc_model";
  static final String PROMPT = "sc_prompt";
  static final String RESPONSE = "sc_response";
  static final String CREATED = "sc_created";
  static final String TTL = "sc_ttl";
  static final String WINDOW_MS = "window_ms";
  static final String MAX_MS = "max_ms";

  /** An entry's fields, read back. */
  record Decoded(
      String scope,
      String model,
      String prompt,
      CachedResponse response,
      Instant created,
      @Nullable Duration window,
      @Nullable Duration maxLifetime) {

    boolean sliding() {
      return window != null;
    }
  }

  private EntryFields() {}

  /** The metadata of an entry: the response's metadata, then the cache's fields. */
  static Map<String, Object> encode(
      Scope scope,
      String scopeHash,
      String model,
      String prompt,
      CachedResponse response,
      Instant created,
      TtlPolicy ttl) {
    Map<String, Object> m = new LinkedHashMap<>(response.metadata());
    m.put(SCOPE, scope.canonical());
    m.put(SCOPE_HASH, scopeHash); // names the scope's ranking set (rebuild reads it)
    m.put(MODEL, model);
    m.put(PROMPT, prompt);
    m.put(RESPONSE, response.text());
    m.put(CREATED, created.toEpochMilli());
    if (ttl.kind() == TtlPolicy.Kind.SLIDING) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put(WINDOW_MS, ttl.duration().orElseThrow().toMillis());
      ttl.maxLifetime().ifPresent(max -> t.put(MAX_MS, max.toMillis()));
      m.put(TTL, t);
    }
    return m;
  }

  /**
   * The fields of an entry, or {@code null} when they are missing or malformed (not an entry of a
   * semantic cache, or one written by another version): such an entry is never served.
   */
  static @Nullable Decoded decode(CacheEntry entry) {
    Map<String, Object> m = entry.metadata();
    if (!(m.get(SCOPE) instanceof String scope)
        || !(m.get(MODEL) instanceof String model)
        || !(m.get(PROMPT) instanceof String prompt)
        || !(m.get(RESPONSE) instanceof String text)
        || !(m.get(CREATED) instanceof Long created)) {
      return null;
    }
    Duration window = null;
    Duration max = null;
    Object ttl = m.get(TTL);
    if (ttl != null) {
      if (!(ttl instanceof Map<?, ?> t) || !(t.get(WINDOW_MS) instanceof Long w) || w < 1) {
        return null;
      }
      window = Duration.ofMillis(w);
      Object mx = t.get(MAX_MS);
      if (mx != null) {
        if (!(mx instanceof Long l) || l < w) {
          return null;
        }
        max = Duration.ofMillis(l);
      }
    }
    Map<String, Object> user = new LinkedHashMap<>();
    m.forEach(
        (k, v) -> {
          if (!k.startsWith(PREFIX)) {
            user.put(k, v);
          }
        });
    return new Decoded(
        scope,
        model,
        prompt,
        new CachedResponse(text, user),
        Instant.ofEpochMilli(created),
        window,
        max);
  }
}
