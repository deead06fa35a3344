package dev.vectorcache.inmemory;

import dev.vectorcache.core.model.Payloads;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A compact binary form of a payload, for payloads kept on disk ({@link MappedPayloadStore}). One
 * tag byte per value: null, false, true, an integer (zig-zag varint), a float (8 bytes, raw bits),
 * a string (varint length, UTF-8), a list (varint count, items) or an object (varint count, then
 * key and value pairs, in the map's order). Payloads are validated by {@link Payloads#copy} before
 * they reach the engine (no lone surrogates, finite floats, at most {@link Payloads#MAX_DEPTH}
 * levels), so every payload the engine holds encodes and decodes to an equal payload, with the same
 * types ({@code 2L} stays an integer, {@code 2.0} a float) and the same key order.
 */
final class PayloadCodec {
  private static final byte NULL = 0;
  private static final byte FALSE = 1;
  private static final byte TRUE = 2;
  private static final byte LONG = 3;
  private static final byte DOUBLE = 4;
  private static final byte STRING = 5;
  private static final byte LIST = 6;
  private static final byte OBJECT = 7;

  private byte[] buf = new byte[256];
  private int size;

  /**
   * Encodes {@code payload} into this codec's buffer (replacing what it held) and returns the
   * number of bytes; read them with {@link #bytes()}. An empty payload encodes to 0 bytes.
   */
  int encode(Map<String, ?> payload) {
    size = 0;
    if (payload.isEmpty()) {
      return 0;
    }
    entries(payload);
    return size;
  }

  /** The buffer the last {@link #encode} wrote to; valid up to the length it returned. */
  byte[] bytes() {
    return buf;
  }

  private void entries(Map<?, ?> map) {
    varint(map.size());
    for (Map.Entry<?, ?> e : map.entrySet()) {
      string(String.valueOf(e.getKey()));
      value(e.getValue());
    }
  }

  private void value(@Nullable Object v) {
    if (v == null) {
      put(NULL);
    } else if (v instanceof Boolean b) {
      put(b ? TRUE : FALSE);
    } else if (v instanceof Long l) {
      put(LONG);
      varint((l << 1) ^ (l >> 63));
    } else if (v instanceof Double d) {
      put(DOUBLE);
      long bits = Double.doubleToRawLongBits(d);
      ensure(8);
      for (int i = 0; i < 8; i++) {
        buf[size++] = (byte) (bits >>> (8 * i));
      }
    } else if (v instanceof String s) {
      put(STRING);
      string(s);
    } else if (v instanceof List<?> list) {
      put(LIST);
      varint(list.size());
      for (Object o : list) {
        value(o);
      }
    } else if (v instanceof Map<?, ?> m) {
      put(OBJECT);
      entries(m);
    } else {
      // the engine only holds payloads Payloads.copy made, so this is a bug, not bad input
      throw new IllegalStateException(
          "a payload value of type " + v.getClass().getName() + " cannot be stored");
    }
  }

  private void string(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    varint(utf8.length);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, buf, size, utf8.length);
    size += utf8.length;
  }

  private void put(byte b) {
    ensure(1);
    buf[size++] = b;
  }

  private void varint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(size + more, Growth.next(buf.length)));
    }
  }

  /**
   * Decodes {@code length} bytes of {@code in} from 0, as {@link #encode} wrote them, into an
   * unmodifiable payload.
   */
  static Map<String, Object> decode(byte[] in, int length) {
    if (length == 0) {
      return Map.of();
    }
    Reader r = new Reader(in);
    Map<String, @Nullable Object> map = r.entries();
    if (r.at != length) {
      throw new IllegalStateException(
          "a stored payload decoded to " + r.at + " bytes, expected " + length);
    }
    return Payloads.copy(map, "payload");
  }

  private static final class Reader {
    private final byte[] in;
    private int at;

    Reader(byte[] in) {
      this.in = in;
    }

    Map<String, @Nullable Object> entries() {
      int n = (int) varint();
      Map<String, @Nullable Object> m = new LinkedHashMap<>(Math.max(4, n * 2));
      for (int i = 0; i < n; i++) {
        String key = string();
        m.put(key, value());
      }
      return m;
    }

    @Nullable Object value() {
      byte tag = in[at++];
      return switch (tag) {
        case NULL -> null;
        case FALSE -> false;
        case TRUE -> true;
        case LONG -> {
          long z = varint();
          yield (z >>> 1) ^ -(z & 1);
        }
        case DOUBLE -> {
          long bits = 0;
          for (int i = 0; i < 8; i++) {
            bits |= (in[at++] & 0xFFL) << (8 * i);
          }
          yield Double.longBitsToDouble(bits);
        }
        case STRING -> string();
        case LIST -> list();
        case OBJECT -> entries();
        default -> throw new IllegalStateException("a stored payload holds the unknown tag " + tag);
      };
    }

    private List<@Nullable Object> list() {
      int n = (int) varint();
      List<@Nullable Object> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        list.add(value());
      }
      return list;
    }

    String string() {
      int n = (int) varint();
      String s = new String(in, at, n, StandardCharsets.UTF_8);
      at += n;
      return s;
    }

    long varint() {
      long v = 0;
      int shift = 0;
      while (true) {
        byte b = in[at++];
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return v;
        }
        shift += 7;
      }
    }
  }
}
