package dev.vectorcache.inmemory;

import java.util.Arrays;

/**
 * Fixed-size byte records on the heap, addressed by slot, in chunks of {@value #CHUNK_SLOTS}
 * records. Each chunk starts small and grows by a quarter ({@link Growth}) until it is full, and a
 * new chunk is begun only when the last one is full: the unused capacity is at most a fifth of one
 * chunk, however large the store, where one growing array leaves up to a fifth of everything unused
 * after a growth step. A record never straddles two chunks, so a kernel reads it from one array.
 *
 * <p>Not thread-safe for growth (the owner's write lock guards it); readers holding the owner's
 * read lock may read records concurrently.
 */
final class HeapChunks {
  static final int SHIFT = 10;
  static final int CHUNK_SLOTS = 1 << SHIFT;
  private static final int MASK = CHUNK_SLOTS - 1;
  private static final int FIRST_SLOTS = 16;

  private final int recordBytes;
  private byte[][] chunks = new byte[0][];
  private int capacity;

  HeapChunks(int recordBytes) {
    if (recordBytes < 1 || (long) recordBytes * CHUNK_SLOTS > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("record of " + recordBytes + " bytes");
    }
    this.recordBytes = recordBytes;
  }

  /** Makes slots {@code [0, slots)} writable. */
  void ensureCapacity(int slots) {
    while (capacity < slots) {
      int last = chunks.length - 1;
      int lastSlots = last < 0 ? CHUNK_SLOTS : chunks[last].length / recordBytes;
      if (lastSlots < CHUNK_SLOTS) {
        int wanted = slots - (capacity - lastSlots);
        int n = Math.min(CHUNK_SLOTS, Math.max(wanted, Growth.next(lastSlots)));
        chunks[last] = Arrays.copyOf(chunks[last], n * recordBytes);
        capacity += n - lastSlots;
      } else {
        int n = Math.min(CHUNK_SLOTS, Math.max(slots - capacity, FIRST_SLOTS));
        byte[][] grown = Arrays.copyOf(chunks, chunks.length + 1);
        grown[chunks.length] = new byte[n * recordBytes];
        chunks = grown;
        capacity += n;
      }
    }
  }

  /** How many slots are writable. */
  int capacity() {
    return capacity;
  }

  /** The array holding the record of {@code slot}. */
  byte[] chunk(int slot) {
    return chunks[slot >>> SHIFT];
  }

  /** Where the record of {@code slot} starts in its {@link #chunk}. */
  int offset(int slot) {
    return (slot & MASK) * recordBytes;
  }

  /** The chunk table as it is now, for readers that hold the owner's read lock. */
  byte[][] chunks() {
    return chunks;
  }

  long heapBytes() {
    long bytes = 16L + 8L * chunks.length;
    for (byte[] c : chunks) {
      bytes += 16L + c.length;
    }
    return bytes;
  }

  /** Drops every record. */
  void clear() {
    chunks = new byte[0][];
    capacity = 0;
  }
}
