package dev.vectorcache.inmemory;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Payloads on disk ({@code on_disk_payload=true}): each payload, encoded by {@link PayloadCodec},
 * is appended to a memory-mapped file that grows like a {@link MappedFile}; the heap keeps one
 * {@code long} per slot packing the record's offset (in 8-byte units, high 32 bits) and its length
 * in bytes (low 32 bits), 0 for a slot without payload. A read decodes the record on demand.
 *
 * <p>An overwrite appends the new record and re-points the slot; a delete only forgets the offset.
 * The bytes left behind are garbage: once they exceed the live bytes (more than half the file) and
 * the file holds at least {@link #COMPACT_MIN_BYTES}, the store rewrites the live records, in slot
 * order, into a new file and deletes the old one. Each compaction copies at most as many bytes as
 * were written as garbage since the previous one, so its cost is bounded by the writes (amortised
 * O(1) per written byte), and the file stays under twice the live bytes plus {@link
 * #COMPACT_MIN_BYTES}. The rewrite runs under the collection's write lock, like every write.
 *
 * <p>The file lives in the collection's mmap directory ({@code <base>.payload}, then {@code
 * <base>.payload.<n>} after the n-th compaction) and is deleted by {@link #close()}. A file holds
 * at most 2<sup>31</sup> units of 8 bytes (16 GiB).
 */
final class MappedPayloadStore implements PayloadStore {
  /** Files smaller than this are never compacted. */
  static final long COMPACT_MIN_BYTES = 1L << 20;

  private static final int UNIT = 8;

  private final Path dir;
  private final String base;
  private final long maxChunkBytes;
  private final long compactMinBytes;
  private final PayloadCodec codec = new PayloadCodec();
  private final LongAdder reads = new LongAdder();
  private MappedFile file;
  private int generation;
  private long[] refs = new long[16];
  private long endUnits; // the next record goes here
  private long liveUnits;
  private int compactions;

  MappedPayloadStore(Path dir, String base) {
    this(dir, base, MappedFile.DEFAULT_MAX_CHUNK_BYTES, COMPACT_MIN_BYTES);
  }

  /** With a smaller chunk and compaction floor, for tests. */
  MappedPayloadStore(Path dir, String base, long maxChunkBytes, long compactMinBytes) {
    this.dir = dir;
    this.base = base;
    this.maxChunkBytes = maxChunkBytes;
    this.compactMinBytes = compactMinBytes;
    this.file = new MappedFile(path(0), UNIT, maxChunkBytes);
  }

  private Path path(int gen) {
    return dir.resolve(base + ".payload" + (gen == 0 ? "" : "." + gen));
  }

  @Override
  public Map<String, Object> get(int slot) {
    long ref = refs[slot];
    if (ref == 0) {
      return Map.of();
    }
    reads.increment();
    int length = (int) ref;
    byte[] bytes = new byte[length];
    read(file, ref >>> 32, bytes, length);
    return PayloadCodec.decode(bytes, length);
  }

  @Override
  public void set(int slot, Map<String, Object> payload) {
    forget(slot);
    int length = codec.encode(payload);
    if (length == 0) {
      maybeCompact(); // the record it replaced is garbage now
      return;
    }
    long units = units(length);
    if (endUnits + units > Integer.MAX_VALUE) {
      throw new IllegalStateException(
          "the payload file " + file.path() + " is full (16 GiB of payloads after compaction)");
    }
    long at = endUnits;
    file.ensureCapacity((int) (at + units));
    write(file, at, codec.bytes(), length);
    endUnits = at + units;
    liveUnits += units;
    refs[slot] = (at << 32) | length;
    maybeCompact();
  }

  @Override
  public void clear(int slot) {
    forget(slot);
    maybeCompact();
  }

  private void forget(int slot) {
    long ref = refs[slot];
    if (ref != 0) {
      liveUnits -= units((int) ref);
      refs[slot] = 0;
    }
  }

  private static long units(int length) {
    return (length + UNIT - 1L) / UNIT;
  }

  private void maybeCompact() {
    long garbage = endUnits - liveUnits;
    if (garbage > liveUnits && endUnits * UNIT >= compactMinBytes) {
      compact();
    }
  }

  /** Rewrites the live records, in slot order, into a new file; deletes the old one. */
  void compact() {
    int gen = generation + 1;
    MappedFile next = new MappedFile(path(gen), UNIT, maxChunkBytes);
    try {
      if (liveUnits > 0) {
        next.ensureCapacity((int) liveUnits);
      }
      long[] moved = new long[refs.length];
      byte[] bytes = new byte[256];
      long at = 0;
      for (int s = 0; s < refs.length; s++) {
        long ref = refs[s];
        if (ref == 0) {
          continue;
        }
        int length = (int) ref;
        if (bytes.length < length) {
          bytes = new byte[Math.max(length, Growth.next(bytes.length))];
        }
        read(file, ref >>> 32, bytes, length);
        write(next, at, bytes, length);
        moved[s] = (at << 32) | length;
        at += units(length);
      }
      MappedFile old = file;
      file = next;
      refs = moved;
      endUnits = at;
      liveUnits = at;
      generation = gen;
      compactions++;
      old.close();
    } catch (RuntimeException e) {
      if (file != next) {
        next.close();
      }
      throw e;
    }
  }

  private static void read(MappedFile f, long atUnits, byte[] out, int length) {
    span(f, atUnits, length, (chunk, off, done, n) -> chunk.get(off, out, done, n));
  }

  private static void write(MappedFile f, long atUnits, byte[] in, int length) {
    span(f, atUnits, length, (chunk, off, done, n) -> chunk.put(off, in, done, n));
  }

  /** One piece of a record: {@code n} bytes at {@code off} of a chunk, {@code done} before it. */
  private interface Piece {
    void copy(ByteBuffer chunk, int off, int done, int n);
  }

  /**
   * Walks the {@code length} bytes from {@code atUnits} chunk by chunk (a record may cross one).
   */
  private static void span(MappedFile f, long atUnits, int length, Piece piece) {
    int done = 0;
    long unit = atUnits;
    while (done < length) {
      ByteBuffer chunk = f.chunk((int) unit);
      int off = f.offset((int) unit);
      int n = Math.min(length - done, chunk.capacity() - off);
      piece.copy(chunk, off, done, n);
      done += n;
      unit += units(n);
    }
  }

  @Override
  public void ensureCapacity(int slots) {
    if (slots > refs.length) {
      refs = Arrays.copyOf(refs, Math.max(slots, Growth.next(refs.length)));
    }
  }

  @Override
  public boolean onDisk() {
    return true;
  }

  @Override
  public long heapBytes() {
    return 16 + 8L * refs.length + 64;
  }

  @Override
  public long mappedBytes() {
    return file.mappedBytes();
  }

  /** Bytes of records still referenced, for tests and the memory report. */
  long liveBytes() {
    return liveUnits * UNIT;
  }

  /** Bytes written to the current file (live records and garbage), for tests. */
  long fileBytes() {
    return endUnits * UNIT;
  }

  /** Compactions so far, for tests. */
  int compactions() {
    return compactions;
  }

  /** Payloads decoded from the file so far, for tests. */
  long reads() {
    return reads.sum();
  }

  @Override
  public void close() {
    refs = new long[0];
    endUnits = 0;
    liveUnits = 0;
    file.close();
  }
}
