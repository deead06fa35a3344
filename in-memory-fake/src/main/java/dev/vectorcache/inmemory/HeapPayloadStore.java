package dev.vectorcache.inmemory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Payloads on the heap ({@code on_disk_payload=false}): the payload map of each slot, shared with
 * whoever reads it (payloads are unmodifiable). Keeps a running estimate of the bytes the maps
 * hold, updated on every write, for the collection's memory report.
 */
final class HeapPayloadStore implements PayloadStore {
  private static final Map<String, Object> NONE = Map.of();

  private Object[] payloads = new Object[16];
  private long payloadBytes;

  @Override
  @SuppressWarnings("unchecked")
  public Map<String, Object> get(int slot) {
    Object p = payloads[slot];
    return p == null ? NONE : (Map<String, Object>) p;
  }

  @Override
  public void set(int slot, Map<String, Object> payload) {
    payloadBytes -= estimate(payloads[slot]);
    payloads[slot] = payload.isEmpty() ? null : payload;
    payloadBytes += estimate(payloads[slot]);
  }

  @Override
  public void clear(int slot) {
    payloadBytes -= estimate(payloads[slot]);
    payloads[slot] = null;
  }

  @Override
  public void ensureCapacity(int slots) {
    if (slots > payloads.length) {
      payloads = Arrays.copyOf(payloads, Math.max(slots, Growth.next(payloads.length)));
    }
  }

  @Override
  public boolean onDisk() {
    return false;
  }

  @Override
  public long heapBytes() {
    return 16 + 8L * payloads.length + payloadBytes;
  }

  @Override
  public long mappedBytes() {
    return 0;
  }

  @Override
  public void close() {
    payloads = new Object[0];
    payloadBytes = 0;
  }

  /**
   * Rough heap bytes of a payload value (compressed oops): an object header and fields per map
   * entry, list or box, one byte per Latin-1 character of a string. An estimate, not a measurement:
   * a payload shared by two collections is charged to both.
   */
  static long estimate(@Nullable Object v) {
    if (v == null || v instanceof Boolean) {
      return 0; // absent, or a cached constant
    }
    if (v instanceof String s) {
      return 40L + s.length();
    }
    if (v instanceof Long || v instanceof Double) {
      return 16;
    }
    if (v instanceof List<?> list) {
      long b = 40 + 4L * list.size();
      for (Object o : list) {
        b += estimate(o);
      }
      return b;
    }
    if (v instanceof Map<?, ?> map) {
      long b = 56 + 4L * Math.max(16, map.size() * 2);
      for (Map.Entry<?, ?> e : map.entrySet()) {
        b += 40 + estimate(e.getKey()) + estimate(e.getValue());
      }
      return b;
    }
    return 16;
  }
}
