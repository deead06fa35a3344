package dev.vectorcache.semantic;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.Payloads;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Who an entry of a {@link SemanticCache} belongs to: one or more named fields (tenant, user,
 * model, context, ...). A lookup returns only entries of exactly its scope: a scope is never
 * optional and never means "all", and a scope with more or fewer fields, or any other value, is
 * another scope.
 *
 * <p>Immutable. Field names match {@code [a-z][a-z0-9_-]{0,63}}; values are non-blank strings of at
 * most {@value #MAX_VALUE_BYTES} bytes of UTF-8, kept exactly as given (not trimmed, case kept).
 * Bad names or values throw {@link InvalidInputException} naming the field.
 *
 * <pre>{@code
 * Scope scope = Scope.of("tenant", "acme").with("user", "u1");
 * }</pre>
 *
 * <p><b>Canonical form.</b> {@link #canonical()} lists the fields sorted by name, each name and
 * value preceded by its length in bytes of UTF-8 and a colon: the scope above is {@code
 * 6:tenant4:acme4:user2:u1}. No two scopes have the same canonical form (the lengths make the
 * encoding unambiguous, so {@code a=b:c} and {@code a=b, c=...} cannot collide). It is what the
 * cache stores in each entry, matches in the vector store's filter and hashes into the exact tier's
 * key.
 */
public final class Scope {
  /** Largest value of one field, in bytes of UTF-8. */
  public static final int MAX_VALUE_BYTES = 1024;

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

  private final Map<String, String> fields;
  private final String canonical;

  private Scope(Map<String, String> sortedFields) {
    TreeMap<String, String> fields = new TreeMap<>(sortedFields);
    this.fields = Collections.unmodifiableMap(fields);
    this.canonical = encode(fields);
  }

  /**
   * A scope of one field.
   *
   * @param name the field's name, matching {@code [a-z][a-z0-9_-]{0,63}}
   * @param value its value, a non-blank string
   * @return the scope
   * @throws InvalidInputException for a bad name or value
   */
  public static Scope of(String name, String value) {
    TreeMap<String, String> f = new TreeMap<>();
    f.put(checkName(name), checkValue(name, value));
    return new Scope(f);
  }

  /**
   * A scope of these fields.
   *
   * @param fields one or more fields, name to value
   * @return the scope
   * @throws InvalidInputException for no fields, a bad name or a bad value
   */
  public static Scope of(Map<String, String> fields) {
    if (fields == null || fields.isEmpty()) {
      throw new InvalidInputException(
          "scope",
          "one or more fields (tenant, user, ...)",
          fields == null ? null : "no fields",
          "a scope is mandatory and never means \"all\"");
    }
    TreeMap<String, String> f = new TreeMap<>();
    for (Map.Entry<String, String> e : fields.entrySet()) {
      f.put(checkName(e.getKey()), checkValue(e.getKey(), e.getValue()));
    }
    return new Scope(f);
  }

  /**
   * This scope with one more field.
   *
   * @param name the new field's name, not a name this scope has
   * @param value its value, a non-blank string
   * @return a new scope
   * @throws InvalidInputException for a bad name or value, or a name already set
   */
  public Scope with(String name, String value) {
    checkName(name);
    if (fields.containsKey(name)) {
      throw new InvalidInputException(
          "scope." + name,
          "a field not set yet",
          "a second value for it",
          "a scope field has one value; build the scope with the value you mean");
    }
    TreeMap<String, String> f = new TreeMap<>(fields);
    f.put(name, checkValue(name, value));
    return new Scope(f);
  }

  /**
   * The fields, sorted by name.
   *
   * @return an unmodifiable map, name to value
   */
  public Map<String, String> fields() {
    return fields;
  }

  /**
   * The canonical form (see the class description): the value stored in each entry and matched by
   * lookups.
   *
   * @return the canonical form
   */
  public String canonical() {
    return canonical;
  }

  /**
   * Checks a scope argument of the cache: present.
   *
   * @return the scope
   */
  static Scope require(@Nullable Scope scope) {
    if (scope == null) {
      throw new InvalidInputException(
          "scope",
          "a Scope with one or more fields",
          null,
          "a scope is mandatory and never means \"all\"; build one with Scope.of(name, value)");
    }
    return scope;
  }

  private static String checkName(@Nullable String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidInputException(
          "scope field name",
          "a name matching [a-z][a-z0-9_-]{0,63}",
          name,
          "use a short lowercase name such as tenant or user");
    }
    return name;
  }

  private static String checkValue(String name, @Nullable String value) {
    String field = "scope." + name;
    if (value == null || value.isBlank()) {
      throw new InvalidInputException(
          field, "a non-blank string", value, "a scope field may not be missing or blank");
    }
    int lone = Payloads.loneSurrogateAt(value);
    if (lone >= 0) {
      throw new InvalidInputException(
          field,
          "well-formed UTF-16 text",
          Payloads.describeLoneSurrogate(value, lone),
          "the value was cut in the middle of a character");
    }
    if (value.length() > MAX_VALUE_BYTES
        || value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
      throw new InvalidInputException(
          field,
          "at most " + MAX_VALUE_BYTES + " bytes of UTF-8",
          "a longer value",
          "use an identifier or a hash of the long value");
    }
    return value;
  }

  private static String encode(Map<String, String> sorted) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      lengthPrefixed(sb, e.getKey());
      lengthPrefixed(sb, e.getValue());
    }
    return sb.toString();
  }

  private static void lengthPrefixed(StringBuilder sb, String s) {
    sb.append(s.getBytes(StandardCharsets.UTF_8).length).append(':').append(s);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Scope s && canonical.equals(s.canonical);
  }

  @Override
  public int hashCode() {
    return canonical.hashCode();
  }

  /** The field names only: values may identify people, and logs must not collect them. */
  @Override
  public String toString() {
    return "Scope" + fields.keySet();
  }
}
