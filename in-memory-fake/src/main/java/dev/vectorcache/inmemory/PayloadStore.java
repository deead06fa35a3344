package dev.vectorcache.inmemory;

import java.util.Map;

/**
 * Where a collection keeps its payloads, addressed by slot like its vectors: {@link
 * HeapPayloadStore} (the payload maps on the heap, {@code on_disk_payload=false}) or {@link
 * MappedPayloadStore} ({@code on_disk_payload=true}: encoded in a memory-mapped file, read on
 * demand). Not thread-safe for writes: the owning collection guards it with its lock; reads are
 * safe from many readers at once.
 */
interface PayloadStore extends AutoCloseable {
  /** The payload of {@code slot}; an empty map when it has none. Unmodifiable. */
  Map<String, Object> get(int slot);

  /** Replaces the payload of {@code slot}; {@code payload} is unmodifiable (a Payloads copy). */
  void set(int slot, Map<String, Object> payload);

  /** Forgets the payload of {@code slot}. */
  void clear(int slot);

  /** Makes slots {@code [0, slots)} writable. */
  void ensureCapacity(int slots);

  /** Whether payloads are on disk (read on demand) rather than on the heap. */
  boolean onDisk();

  /**
   * Bytes of heap this store holds: the payloads themselves (estimated) or the per-slot offsets.
   */
  long heapBytes();

  /** Bytes of memory-mapped file this store holds. */
  long mappedBytes();

  /** Releases the store (deletes a backing file). */
  @Override
  void close();
}
