package dev.vectorcache.core.adapter;

import dev.vectorcache.core.model.Payloads;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Length in bytes of the compact UTF-8 JSON encoding of a payload made by {@link
 * dev.vectorcache.core.model.Payloads#copy}. Used to enforce a size cap before any I/O, without a
 * JSON library in the core.
 */
public final class JsonSize {
  private JsonSize() {}

  /**
   * The exact length of {@code value}'s JSON encoding.
   *
   * @param value a payload value
   * @return its length in bytes
   */
  public static long of(@Nullable Object value) {
    return of(value, Long.MAX_VALUE);
  }

  /**
   * The length of {@code value}'s JSON encoding, measured only as far as {@code limit}: the exact
   * length when it is at most {@code limit}, else some number above {@code limit}, found without
   * walking the rest of the value (so that a huge value is refused as fast as a small one). Nesting
   * deeper than {@link dev.vectorcache.core.model.Payloads#MAX_DEPTH} also stops the walk (the
   * depth check reports it).
   *
   * @param value a payload value
   * @param limit the most bytes that matter
   * @return the length, or a number above {@code limit}
   */
  public static long of(@Nullable Object value, long limit) {
    return size(value, limit, 0);
  }

  private static long size(@Nullable Object value, long budget, int depth) {
    if (value == null) {
      return 4;
    }
    if (value instanceof String s) {
      return string(s, budget);
    }
    if (value instanceof Boolean b) {
      return b ? 4 : 5;
    }
    if (value instanceof Number) {
      return value.toString().length();
    }
    if (depth > Payloads.MAX_DEPTH) {
      return 0; // too deep: the copy refuses it, naming the path
    }
    if (value instanceof Map<?, ?> m) {
      long n = 2;
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (n > budget) {
          return n;
        }
        n += (first ? 0 : 1) + string(String.valueOf(e.getKey()), budget - n) + 1;
        first = false;
        n += size(e.getValue(), budget - n, depth + 1);
      }
      return n;
    }
    if (value instanceof Collection<?> l) {
      long n = 2;
      boolean first = true;
      for (Object o : l) {
        if (n > budget) {
          return n;
        }
        n += (first ? 0 : 1) + size(o, budget - n, depth + 1); // a comma before all but the first
        first = false;
      }
      return n;
    }
    return 2; // not JSON: the copy refuses it
  }

  private static long string(String s, long budget) {
    long n = 2;
    for (int i = 0; i < s.length() && n <= budget; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
        n += 2;
      } else if (c < 0x20) {
        n += 6;
      } else if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
