package dev.vectorcache.qdrant.testserver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The values at a payload key path, as Qdrant reads them for grouping and facets: {@code a.b} goes
 * into objects, {@code a[]} (or an array met on the way) goes through every element, and an array
 * at the end gives its elements.
 */
final class PayloadPaths {
  private PayloadPaths() {}

  /** The path without a trailing {@code []}. */
  static String stripWildcard(String path) {
    return path.endsWith("[]") ? path.substring(0, path.length() - 2) : path;
  }

  /** Every value at {@code path}, arrays at the end flattened; none when the path is missing. */
  static List<Object> values(Map<String, Object> payload, String path) {
    List<Object> current = new ArrayList<>();
    current.add(payload);
    for (String segment : stripWildcard(path).split("\\.", -1)) {
      String key = segment.endsWith("[]") ? segment.substring(0, segment.length() - 2) : segment;
      List<Object> next = new ArrayList<>();
      for (Object v : current) {
        collect(v, key, next);
      }
      current = next;
    }
    List<Object> out = new ArrayList<>();
    for (Object v : current) {
      if (v instanceof List<?> list) {
        for (Object e : list) {
          if (e != null) {
            out.add(e);
          }
        }
      } else if (v != null) {
        out.add(v);
      }
    }
    return out;
  }

  private static void collect(@Nullable Object v, String key, List<Object> into) {
    if (v instanceof Map<?, ?> map) {
      Object value = map.get(key);
      if (value != null) {
        into.add(value);
      }
    } else if (v instanceof List<?> list) {
      for (Object e : list) {
        collect(e, key, into);
      }
    }
  }

  /** One step of a path Qdrant sets payload at: a key, an index, or every element ({@code []}). */
  record Step(@Nullable String key, int index) {
    static final int EVERY = -1;
  }

  /**
   * Parses a payload path as Qdrant writes it: keys separated by dots, each optionally followed by
   * {@code [N]} or {@code []}, a key in double quotes when it holds other characters.
   *
   * @throws io.grpc.StatusRuntimeException {@code INVALID_ARGUMENT} naming the path when it is not
   *     one
   */
  static List<Step> parse(String path) {
    List<Step> out = new ArrayList<>();
    int i = 0;
    int n = path.length();
    while (true) {
      String key;
      if (i < n && path.charAt(i) == '"') {
        int end = path.indexOf('"', i + 1);
        if (end < 0) {
          throw badPath(path);
        }
        key = path.substring(i + 1, end);
        i = end + 1;
      } else {
        int start = i;
        while (i < n && path.charAt(i) != '.' && path.charAt(i) != '[') {
          i++;
        }
        key = path.substring(start, i);
      }
      if (key.isEmpty()) {
        throw badPath(path);
      }
      out.add(new Step(key, 0));
      while (i < n && path.charAt(i) == '[') {
        int end = path.indexOf(']', i);
        if (end < 0) {
          throw badPath(path);
        }
        String inner = path.substring(i + 1, end);
        if (inner.isEmpty()) {
          out.add(new Step(null, Step.EVERY));
        } else {
          try {
            out.add(new Step(null, Integer.parseInt(inner)));
          } catch (NumberFormatException e) {
            throw badPath(path);
          }
          if (out.get(out.size() - 1).index() < 0) {
            throw badPath(path);
          }
        }
        i = end + 1;
      }
      if (i == n) {
        return out;
      }
      if (path.charAt(i) != '.') {
        throw badPath(path);
      }
      i++;
    }
  }

  private static RuntimeException badPath(String path) {
    return io.grpc.Status.INVALID_ARGUMENT
        .withDescription("Validation error in body: [key: invalid payload path: " + path + "]")
        .asRuntimeException();
  }

  /**
   * A copy of {@code payload} with {@code src} merged key by key into the object at {@code path},
   * as Qdrant's SetPayload with a {@code key}: a missing or non-object value on the way becomes an
   * object, a missing array an empty one (an index into it then sets nothing), {@code []} sets into
   * every element.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> setAt(
      Map<String, Object> payload, List<Step> path, Map<String, Object> src) {
    return (Map<String, Object>) set(path, 0, mutable(payload), src);
  }

  @SuppressWarnings("unchecked")
  private static Object set(
      List<Step> path, int at, @Nullable Object dest, Map<String, Object> src) {
    if (at == path.size()) {
      Map<String, Object> map =
          dest instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
      map.putAll(src);
      return map;
    }
    Step step = path.get(at);
    String key = step.key();
    if (key != null) {
      Map<String, Object> map =
          dest instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
      map.put(key, set(path, at + 1, map.get(key), src));
      return map;
    }
    if (!(dest instanceof List<?>)) {
      return new ArrayList<>();
    }
    List<Object> list = (List<Object>) dest;
    if (step.index() == Step.EVERY) {
      list.replaceAll(e -> set(path, at + 1, e, src));
    } else if (step.index() < list.size()) {
      list.set(step.index(), set(path, at + 1, list.get(step.index()), src));
    }
    return list;
  }

  /** A deep copy whose maps and lists can be changed. */
  private static @Nullable Object mutable(@Nullable Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, e) -> out.put((String) k, mutable(e)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(e -> out.add(mutable(e)));
      return out;
    }
    return v;
  }
}
