package dev.vectorcache.inmemory;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The payload indexes of a collection: for each indexed top-level field, a column holding every
 * slot's value in primitive form, plus the number of points per value while the field has few
 * distinct values. A filter on an indexed field is tested from the column ({@link SlotFilter}) — an
 * array read instead of a map lookup per point, which matters when a graph search tests the filter
 * on every node it reaches — and the counts give a filter's cardinality exactly ({@link
 * FilterPlanner}).
 *
 * <p>A column keeps a single integer, float or string value; any other value (a list, an object, a
 * boolean, null) is marked {@link #OTHER} and the filter falls back to reading the payload, so
 * answers never change. Fields with a dotted or indexed path are not columned (the index is still
 * recorded). Guarded by the collection's lock.
 */
final class PayloadColumns {
  static final byte MISSING = 0;
  static final byte LONG = 1;
  static final byte DOUBLE = 2;
  static final byte STRING = 3;
  static final byte OTHER = 4;

  /** Distinct values beyond which a column stops counting them. */
  static final int MAX_COUNTED_VALUES = 4096;

  private final Map<String, Column> columns = new LinkedHashMap<>();
  private int capacity;

  /** One indexed field. */
  static final class Column {
    final String key;
    byte[] kind;
    long @Nullable [] bits; // made by the first integer or float: a column of strings has none
    Object @Nullable [] strings;
    @Nullable Map<Object, int[]> counts = new HashMap<>();
    int others; // slots holding a value the column cannot (a list may hold any value)

    Column(String key, int capacity) {
      this.key = key;
      this.kind = new byte[capacity];
    }

    /** The integer or the float bits of {@code slot}; 0 unless its kind is LONG or DOUBLE. */
    long bits(int slot) {
      long[] b = bits;
      return b == null ? 0 : b[slot];
    }

    private long[] bitsForWrite() {
      long[] b = bits;
      if (b == null) {
        b = new long[kind.length];
        bits = b;
      }
      return b;
    }

    /**
     * At most how many points hold {@code value} (a Long or a String): those holding exactly it,
     * plus those holding a value the column cannot show (a list may contain it); -1 when the column
     * does not count values.
     */
    long count(Object value) {
      Map<Object, int[]> c = counts;
      if (c == null) {
        return -1;
      }
      int[] n = c.get(value);
      return (long) (n == null ? 0 : n[0]) + others;
    }

    String string(int slot) {
      Object[] s = strings;
      return s == null ? "" : (String) s[slot];
    }

    private void set(int slot, @Nullable Object v, boolean present) {
      clear(slot);
      if (!present) {
        return;
      }
      if (v instanceof Long l) {
        kind[slot] = LONG;
        bitsForWrite()[slot] = l;
        count(l, 1);
      } else if (v instanceof Double d) {
        kind[slot] = DOUBLE;
        bitsForWrite()[slot] = Double.doubleToRawLongBits(d);
      } else if (v instanceof String s) {
        Object[] strs = strings;
        if (strs == null) {
          strs = new Object[kind.length];
          strings = strs;
        }
        kind[slot] = STRING;
        strs[slot] = s;
        count(s, 1);
      } else {
        kind[slot] = OTHER;
        others++;
      }
    }

    private void clear(int slot) {
      byte k = kind[slot];
      if (k == OTHER) {
        others--;
      } else if (k == LONG) {
        count(bits(slot), -1);
      } else if (k == STRING) {
        Object[] strs = strings;
        if (strs != null) {
          count(strs[slot], -1);
          strs[slot] = null;
        }
      }
      kind[slot] = MISSING;
    }

    private void count(@Nullable Object value, int delta) {
      Map<Object, int[]> c = counts;
      if (c == null || value == null) {
        return;
      }
      int[] n = c.get(value);
      if (n == null) {
        if (delta < 0) {
          return;
        }
        if (c.size() >= MAX_COUNTED_VALUES) {
          counts = null; // too many distinct values to count cheaply: estimate by sampling
          return;
        }
        n = new int[1];
        c.put(value, n);
      }
      n[0] += delta;
      if (n[0] <= 0) {
        c.remove(value);
      }
    }

    private void grow(int n) {
      kind = Arrays.copyOf(kind, n);
      if (bits != null) {
        bits = Arrays.copyOf(bits, n);
      }
      if (strings != null) {
        strings = Arrays.copyOf(strings, n);
      }
    }

    long heapBytes() {
      Map<Object, int[]> c = counts;
      return 64
          + 16L
          + kind.length
          + (bits == null ? 0 : 16L + 8L * bits.length)
          + (strings == null ? 0 : 16L + 8L * strings.length)
          + (c == null ? 0 : 80L * c.size());
    }
  }

  /** Whether a key can have a column: a top-level key, no path. */
  static boolean columnable(String key) {
    return key.indexOf('.') < 0 && key.indexOf('[') < 0;
  }

  @Nullable Column column(String key) {
    return columns.get(key);
  }

  boolean isEmpty() {
    return columns.isEmpty();
  }

  void ensureCapacity(int slots) {
    if (slots > capacity) {
      capacity = Math.max(slots, Growth.next(capacity));
      for (Column c : columns.values()) {
        c.grow(capacity);
      }
    }
  }

  /**
   * Adds a column for {@code key} (when columnable and new) filled from the live payloads: {@code
   * payloads.apply(slot)} for every slot below {@code slotLimit} where {@code live[slot]}.
   */
  void add(
      String key,
      IntFunction<? extends @Nullable Object> payloads,
      @Nullable Object[] live,
      int slotLimit) {
    if (!columnable(key) || columns.containsKey(key)) {
      return;
    }
    Column c = new Column(key, capacity);
    for (int s = 0; s < slotLimit; s++) {
      if (live[s] != null) {
        set(c, s, payloads.apply(s));
      }
    }
    columns.put(key, c);
  }

  /** Records the payload of {@code slot} in every column. */
  void set(int slot, @Nullable Object payload) {
    for (Column c : columns.values()) {
      set(c, slot, payload);
    }
  }

  private static void set(Column c, int slot, @Nullable Object payload) {
    if (payload instanceof Map<?, ?> map) {
      Object v = map.get(c.key);
      c.set(slot, v, v != null || map.containsKey(c.key));
    } else {
      c.set(slot, null, false);
    }
  }

  /**
   * The values of {@code keys} for {@code slot} read from the columns alone, in the order of {@code
   * keys} (absent keys left out); null when a key has no column or the slot holds a value a column
   * cannot show (a list, an object, a boolean, null), so the caller reads the payload instead.
   */
  @Nullable Map<String, Object> project(int slot, Collection<String> keys) {
    Map<String, Object> out = new LinkedHashMap<>(Math.max(4, keys.size() * 2));
    for (String key : keys) {
      Column c = columns.get(key);
      if (c == null) {
        return null;
      }
      switch (c.kind[slot]) {
        case MISSING -> {}
        case LONG -> out.put(key, c.bits(slot));
        case DOUBLE -> out.put(key, Double.longBitsToDouble(c.bits(slot)));
        case STRING -> out.put(key, c.string(slot));
        default -> {
          return null;
        }
      }
    }
    return out;
  }

  /** Forgets {@code slot} in every column. */
  void clear(int slot) {
    for (Column c : columns.values()) {
      c.clear(slot);
    }
  }

  long heapBytes() {
    long b = 48;
    for (Column c : columns.values()) {
      b += c.heapBytes();
    }
    return b;
  }
}
