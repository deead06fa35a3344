package dev.vectorcache.core.adapter;

import java.util.List;
import java.util.Map;

/**
 * Length in bytes of the compact UTF-8 JSON encoding of a payload made by {@link
 * dev.vectorcache.core.model.Payloads#copy}. Used to enforce a size cap before any I/O, without a
 * JSON library in the core.
 */
public final class JsonSize {
  private JsonSize() {}

  public static long of(Object value) {
    if (value == null) {
      return 4;
    }
    if (value instanceof String s) {
      return string(s);
    }
    if (value instanceof Boolean b) {
      return b ? 4 : 5;
    }
    if (value instanceof Long || value instanceof Double) {
      return value.toString().length();
    }
    if (value instanceof Map<?, ?> m) {
      long n = 2L + Math.max(0, m.size() - 1);
      for (Map.Entry<?, ?> e : m.entrySet()) {
        n += string(String.valueOf(e.getKey())) + 1 + of(e.getValue());
      }
      return n;
    }
    if (value instanceof List<?> l) {
      long n = 2L + Math.max(0, l.size() - 1);
      for (Object o : l) {
        n += of(o);
      }
      return n;
    }
    return value.toString().length();
  }

  private static long string(String s) {
    long n = 2;
    for (int i = 0; i < s.length(); i++) {
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
