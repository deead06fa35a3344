package dev.vectorcache.qdrant.testserver;

import java.util.ArrayList;
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
}
