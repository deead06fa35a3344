package dev.vectorcache.inmemory;

import dev.vectorcache.core.id.PointId;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Every point of a {@link MultiVectorCollection} (a point may hold no vector at all) and its
 * payload, stored once: ids in Qdrant's scroll order, each mapped to a slot of a {@link
 * PayloadStore} ({@link HeapPayloadStore}, or {@link MappedPayloadStore} with {@code
 * on_disk_payload}: then the heap keeps only the per-slot offsets). The dense spaces of a
 * collection with payloads on disk read their payloads from here (see {@link MemCollection}'s
 * constructor with shared payloads).
 *
 * <p>Not thread-safe: the collection's lock guards it.
 */
final class PointRegistry implements AutoCloseable {
  private final NavigableMap<PointId, Integer> slots = new TreeMap<>();
  private final PayloadStore payloads;
  private int slotLimit;
  private int[] free = new int[8];
  private int freeCount;

  /** {@code payloads}: an empty store, owned (closed) by the registry from now on. */
  PointRegistry(PayloadStore payloads) {
    this.payloads = payloads;
  }

  /** Whether the payloads are in a memory-mapped file. */
  boolean onDisk() {
    return payloads.onDisk();
  }

  int size() {
    return slots.size();
  }

  boolean contains(PointId id) {
    return slots.containsKey(id);
  }

  /** The payload of {@code id} (decoded from the file when on disk); null when no such point. */
  @Nullable Map<String, Object> get(PointId id) {
    Integer slot = slots.get(id);
    return slot == null ? null : payloads.get(slot);
  }

  /** The payload of {@code id}; an empty map when there is no such point. */
  Map<String, Object> payloadOf(PointId id) {
    Map<String, Object> p = get(id);
    return p == null ? Map.of() : p;
  }

  /** The ids in scroll order, from {@code from} (inclusive) when given. */
  NavigableSet<PointId> ids(@Nullable PointId from) {
    return from == null ? slots.navigableKeySet() : slots.tailMap(from, true).navigableKeySet();
  }

  /** Adds the point {@code id} or replaces its payload; {@code payload} is unmodifiable. */
  void put(PointId id, Map<String, Object> payload) {
    Integer slot = slots.get(id);
    int s;
    if (slot != null) {
      s = slot;
    } else {
      s = freeCount > 0 ? free[--freeCount] : slotLimit++;
      payloads.ensureCapacity(s + 1);
      slots.put(id, s);
    }
    payloads.set(s, payload);
  }

  /** Forgets the point {@code id}, if held. */
  void remove(PointId id) {
    Integer slot = slots.remove(id);
    if (slot != null) {
      payloads.clear(slot);
      if (freeCount == free.length) {
        free = Arrays.copyOf(free, free.length * 2);
      }
      free[freeCount++] = slot;
    }
  }

  /**
   * Heap bytes of the registry but the payload maps themselves: the store's per-slot array (the
   * offsets when on disk) and the free list. On the heap, the maps are shared by reference with the
   * dense spaces, which charge them.
   */
  long heapBytes() {
    long store = payloads.onDisk() ? payloads.heapBytes() : 16 + 8L * slotLimit;
    return store + 16 + 4L * free.length;
  }

  /** Bytes of the payload file when on disk. */
  long mappedBytes() {
    return payloads.mappedBytes();
  }

  /** Drops every point and releases the store (deletes its file). */
  @Override
  public void close() {
    slots.clear();
    payloads.close();
  }
}
