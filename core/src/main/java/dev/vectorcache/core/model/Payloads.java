package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.InvalidMetadataException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Validates and copies JSON-like payloads.
 *
 * <p>A payload is a {@code Map<String, Object>} whose values are {@code null}, {@link String},
 * {@link Boolean}, {@link Long}, {@link Double}, {@code List} or nested {@code Map<String, ?>}.
 * {@link #copy} accepts the other boxed integers and {@link Float} too and normalises them (an
 * {@code Integer} becomes a {@code Long}, a {@code Float} a {@code Double}), so that every backend
 * sees the same types. Integers and floats stay distinct, as in Qdrant: {@code 2L} and {@code 2.0}
 * are different values.
 */
public final class Payloads {
  /**
   * Deepest nesting accepted: 32 levels below the payload. One limit that every backend accepts
   * (Qdrant's gRPC messages spend about three of protobuf's 100 levels of recursion per level of
   * nesting), checked before any I/O.
   */
  public static final int MAX_DEPTH = 32;

  private Payloads() {}

  /**
   * Returns an unmodifiable deep copy of {@code payload} with normalised number types.
   *
   * @param field name used in error messages, for example {@code "metadata"}
   * @throws InvalidMetadataException naming the path of the first value that is not JSON
   */
  public static Map<String, Object> copy(@Nullable Map<String, ?> payload, String field) {
    if (payload == null) {
      return Map.of();
    }
    if (payload instanceof FrozenMap frozen) {
      return frozen; // made by this class: already validated, deep and unmodifiable
    }
    // the cycle check's identity set is made on the first nested container, so a flat payload
    // (the common case, copied on every read) allocates nothing but its copy
    @SuppressWarnings("unchecked")
    Map<String, Object> copied = (Map<String, Object>) copyValue(payload, field, 0, new Seen());
    return copied;
  }

  /**
   * The entries of {@code payload} whose keys are in {@code keys}, in {@code payload}'s order, as
   * {@link #copy} would return them. A payload {@link #copy} made is not copied again: the entries'
   * values are shared (they are unmodifiable already), and the result is a map {@link #copy}
   * returns as is, so a record that holds it (a search hit, say) does not copy it either.
   *
   * @param payload the payload
   * @param keys the top-level keys to keep
   * @param field name used in error messages, for example {@code "payload"}
   * @return an unmodifiable map of the kept entries
   * @throws InvalidMetadataException when {@code payload} was not made by {@link #copy} and holds a
   *     value that is not JSON
   */
  public static Map<String, Object> subset(Map<String, ?> payload, Set<String> keys, String field) {
    Map<String, Object> frozen = copy(payload, field);
    Map<String, Object> out = new LinkedHashMap<>(Math.max(4, keys.size() * 2));
    for (Map.Entry<String, Object> e : frozen.entrySet()) {
      if (keys.contains(e.getKey())) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return new FrozenMap(out);
  }

  /** Containers on the path from the root to the value being copied, made on first use. */
  private static final class Seen {
    private @Nullable IdentityHashMap<Object, Boolean> set;

    boolean enter(Object container, int depth) {
      if (depth == 0) {
        return true; // the root is the caller's map; a cycle through it is found one level down
      }
      if (set == null) {
        set = new IdentityHashMap<>();
      }
      return set.put(container, Boolean.TRUE) == null;
    }

    void leave(Object container, int depth) {
      if (depth > 0) {
        // enter() made the set for every container below the root
        Objects.requireNonNull(set, "set").remove(container);
      }
    }
  }

  private static Object copyValue(Object value, String path, int depth, Seen seen) {
    if (value instanceof FrozenMap || value instanceof FrozenList) {
      return value;
    }
    if (value instanceof String str) {
      return checkText(str, path);
    }
    if (value == null
        || value instanceof Boolean
        || value instanceof Long
        || (value instanceof Double dv && isFinite(dv))) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      if (!Float.isFinite(f)) {
        throw notFinite(path, f);
      }
      return (double) f;
    }
    if (value instanceof Double d) {
      throw notFinite(path, d);
    }
    if (value instanceof BigInteger b) {
      if (b.bitLength() < 64) {
        return b.longValue();
      }
      throw new InvalidMetadataException(
          path, "an integer that fits in 64 bits", b, "store it as a string");
    }
    if (value instanceof BigDecimal b) {
      double d = b.doubleValue();
      if (!Double.isFinite(d)) {
        throw notFinite(path, b);
      }
      return d;
    }
    if (value instanceof Character c) {
      return checkText(c.toString(), path);
    }
    if (depth >= MAX_DEPTH) {
      throw new InvalidMetadataException(
          path, "nesting of at most " + MAX_DEPTH + " levels", "deeper nesting", "flatten it");
    }
    if (value instanceof Map<?, ?> map) {
      if (!seen.enter(value, depth)) {
        throw cycle(path);
      }
      Map<String, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new InvalidMetadataException(
              path,
              "string keys",
              e.getKey() == null ? null : e.getKey().getClass().getName() + " key " + e.getKey(),
              "convert keys to strings");
        }
        checkText(key, path + " key");
        out.put(key, copyValue(e.getValue(), path + "." + key, depth + 1, seen));
      }
      seen.leave(value, depth);
      return new FrozenMap(out);
    }
    // Collections only: other Iterables are not lists of values (a Path iterates over its own
    // names, each again a Path, which used to recurse until the depth limit)
    if (value instanceof Collection<?> || value instanceof Object[]) {
      if (!seen.enter(value, depth + 1)) {
        throw cycle(path);
      }
      Iterable<?> items =
          value instanceof Object[] arr ? java.util.Arrays.asList(arr) : (Iterable<?>) value;
      List<Object> out = new ArrayList<>();
      int i = 0;
      for (Object item : items) {
        out.add(copyValue(item, path + "[" + i + "]", depth + 1, seen));
        i++;
      }
      seen.leave(value, depth + 1);
      return new FrozenList(out);
    }
    if (value instanceof long[]
        || value instanceof int[]
        || value instanceof double[]
        || value instanceof float[]) {
      List<Object> boxed = new ArrayList<>();
      if (value instanceof long[] a) {
        for (long x : a) {
          boxed.add(x);
        }
      } else if (value instanceof int[] a) {
        for (int x : a) {
          boxed.add(x);
        }
      } else if (value instanceof double[] a) {
        for (double x : a) {
          boxed.add(x);
        }
      } else {
        for (float x : (float[]) value) {
          boxed.add(x);
        }
      }
      return copyValue(boxed, path, depth, seen);
    }
    throw unsupported(path, value);
  }

  /**
   * The index of the first lone surrogate in {@code s} (a high surrogate not followed by a low one,
   * or a low one not preceded by a high one), or -1 when {@code s} is well-formed UTF-16. A string
   * cut in the middle of a character (an emoji, say) has one; it cannot be encoded as UTF-8, so
   * every backend would store something else.
   *
   * @param s the text
   * @return the index, or -1
   */
  public static int loneSurrogateAt(CharSequence s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * How a lone surrogate is shown in an error: its index and code unit, never the text around it.
   *
   * @param s the text
   * @param at the index {@link #loneSurrogateAt} found
   * @return for example {@code "a lone surrogate \uD83D at index 4"}
   */
  public static String describeLoneSurrogate(CharSequence s, int at) {
    return String.format("a lone surrogate \\u%04X at index %d", (int) s.charAt(at), at);
  }

  /**
   * Checks a name, id or prefix: a non-blank string of well-formed UTF-16 text (see {@link
   * #loneSurrogateAt}: with a lone surrogate, two different texts could share one key).
   *
   * @param field the field's name, for the exception
   * @param value the value
   * @param expected what a valid value is, for the exception of a null or blank one (e.g. {@code "a
   *     non-blank string"})
   * @return {@code value}
   * @throws InvalidInputException for a null or blank value (naming {@code expected}), or one with
   *     a lone surrogate
   */
  public static String requireWellFormedText(
      String field, @Nullable String value, String expected) {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException(field, expected, value);
    }
    int lone = loneSurrogateAt(value);
    if (lone >= 0) {
      throw new InvalidInputException(
          field, "well-formed UTF-16 text", describeLoneSurrogate(value, lone));
    }
    return value;
  }

  private static String checkText(String s, String path) {
    int at = loneSurrogateAt(s);
    if (at >= 0) {
      throw new InvalidMetadataException(
          path,
          "well-formed UTF-16 text",
          describeLoneSurrogate(s, at),
          "the text was cut in the middle of a character; cut it at a code point boundary");
    }
    return s;
  }

  private static InvalidMetadataException unsupported(String path, Object value) {
    return new InvalidMetadataException(
        path,
        "a JSON value (null, String, Boolean, a number, a List or Collection of JSON values, or a"
            + " Map<String, ?> of them)",
        "unsupported metadata value type "
            // the implementation class of a Path (sun.nio.fs.UnixPath) would tell a user little
            + (value instanceof java.nio.file.Path
                ? "java.nio.file.Path"
                : value.getClass().getName()),
        "convert it to one of those types, for example with "
            + (value instanceof Iterable<?> ? "toString() or a List" : "toString()"));
  }

  private static boolean isFinite(double d) {
    return Double.isFinite(d);
  }

  private static InvalidMetadataException notFinite(String path, Object n) {
    return new InvalidMetadataException(
        path, "a finite number", n, "JSON has no NaN or infinity; store null or a string");
  }

  private static InvalidMetadataException cycle(String path) {
    return new InvalidMetadataException(
        path, "a tree of values", "a cycle (a value that contains itself)", "remove the cycle");
  }

  /**
   * A map made by {@link #copy}: validated, deeply unmodifiable, so copying it again returns it as
   * is (payloads pass through several records on every read).
   */
  private static final class FrozenMap extends AbstractMap<String, Object> {
    private final Map<String, Object> map;

    FrozenMap(Map<String, Object> map) {
      this.map = Collections.unmodifiableMap(map);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return map.entrySet();
    }

    @Override
    public @Nullable Object get(@Nullable Object key) {
      return map.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return map.containsKey(key);
    }

    @Override
    public int size() {
      return map.size();
    }
  }

  /** A list made by {@link #copy}: validated and deeply unmodifiable. */
  private static final class FrozenList extends AbstractList<Object> implements RandomAccess {
    private final List<Object> list;

    FrozenList(List<Object> list) {
      this.list = list;
    }

    @Override
    public Object get(int index) {
      return list.get(index);
    }

    @Override
    public int size() {
      return list.size();
    }
  }

  /**
   * Follows a Qdrant key path ({@code a.b}, {@code a[].b}, {@code a[0].b}) and returns every value
   * found at its end, with arrays at the end flattened, as an unmodifiable list; empty when the
   * path leads nowhere.
   */
  public static List<Object> valuesAt(Map<String, ?> payload, String keyPath) {
    if (keyPath.indexOf('.') < 0 && keyPath.indexOf('[') < 0) {
      // a top-level key, the common case (the cache's expiry filter runs it per candidate)
      Object v = payload.get(keyPath);
      if (v == null && !payload.containsKey(keyPath)) {
        return List.of();
      }
      if (v instanceof List<?> list) {
        return Collections.unmodifiableList(new ArrayList<>(list));
      }
      return Collections.singletonList(v);
    }
    List<Object> current = new ArrayList<>();
    current.add(payload);
    for (String segment : keyPath.split("\\.", -1)) {
      String name = segment;
      String index = null;
      int bracket = segment.indexOf('[');
      if (bracket >= 0 && segment.endsWith("]")) {
        name = segment.substring(0, bracket);
        index = segment.substring(bracket + 1, segment.length() - 1);
      }
      List<Object> next = new ArrayList<>();
      for (Object node : current) {
        if (!(node instanceof Map<?, ?> m) || !m.containsKey(name)) {
          continue;
        }
        Object v = m.get(name);
        if (index == null) {
          next.add(v);
        } else if (v instanceof List<?> list) {
          if (index.isEmpty()) {
            next.addAll(list);
          } else {
            try {
              int i = Integer.parseInt(index);
              if (i >= 0 && i < list.size()) {
                next.add(list.get(i));
              }
            } catch (NumberFormatException e) {
              // an unparseable index selects nothing
            }
          }
        }
      }
      current = next;
    }
    List<Object> flat = new ArrayList<>();
    for (Object v : current) {
      if (v instanceof List<?> list) {
        flat.addAll(list);
      } else {
        flat.add(v);
      }
    }
    return Collections.unmodifiableList(flat);
  }
}
