package dev.vectorcache.inmemory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Fixed-size records in a memory-mapped file, addressed by slot. A {@link MappedByteBuffer} holds
 * at most 2 GiB, so the file is mapped in chunks of whole records (at most {@code maxChunkBytes}
 * each, 1 GiB by default) and a record never straddles two chunks. Capacity grows by a quarter,
 * like a heap array: only the last chunk is remapped, earlier chunks stay mapped.
 *
 * <p>Buffers are in native byte order. Growth is not thread-safe (the owning collection guards it),
 * but readers and writers of existing records may run during a growth without a lock: the chunk
 * table is published through a volatile field, and a remapped chunk maps the same file pages as the
 * buffer it replaces, so a write through either is seen through both. The file is deleted by {@link
 * #close()} (or kept by {@link #closeKeepingFile()}); the mapping itself is released when the
 * buffers become unreachable (JDK 17 has no public unmap).
 */
final class MappedFile implements AutoCloseable {
  static final long DEFAULT_MAX_CHUNK_BYTES = 1L << 30;

  private final Path file;
  private final FileChannel channel;
  private final int recordBytes;
  private final int recordsPerChunk;
  private volatile ByteBuffer[] chunks = new ByteBuffer[0];
  private volatile int capacity;
  private long mappedBytes;

  /** Creates {@code file}, which must not exist. */
  MappedFile(Path file, int recordBytes, long maxChunkBytes) {
    this(file, recordBytes, maxChunkBytes, true);
  }

  /**
   * Opens {@code file}: creates it when {@code create} (it must not exist), else opens an existing
   * file and maps the whole records it holds.
   */
  MappedFile(Path file, int recordBytes, long maxChunkBytes, boolean create) {
    if (recordBytes > maxChunkBytes) {
      throw new IllegalArgumentException(
          "a record of " + recordBytes + " bytes does not fit a chunk of " + maxChunkBytes);
    }
    this.file = file;
    this.recordBytes = recordBytes;
    this.recordsPerChunk = (int) Math.min(Integer.MAX_VALUE, maxChunkBytes / recordBytes);
    try {
      if (create) {
        Files.createDirectories(file.getParent());
        this.channel =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
      } else {
        this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot " + (create ? "create" : "open") + " the file " + file, e);
    }
    if (!create) {
      long records = fileSize() / recordBytes;
      if (records > 0) {
        ensureCapacity((int) Math.min(records, Integer.MAX_VALUE));
      }
    }
  }

  /** The size of the file in bytes. */
  long fileSize() {
    try {
      return channel.size();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of " + file, e);
    }
  }

  Path path() {
    return file;
  }

  int recordBytes() {
    return recordBytes;
  }

  /** Makes slots {@code [0, records)} addressable, growing by at least a quarter. */
  void ensureCapacity(int records) {
    if (records <= capacity) {
      return;
    }
    long target = Math.max(records, Growth.next(capacity));
    target = Math.min(target, Integer.MAX_VALUE);
    int newCapacity = (int) target;
    int chunkCount = (int) ((newCapacity + (long) recordsPerChunk - 1) / recordsPerChunk);
    ByteBuffer[] grown = Arrays.copyOf(chunks, chunkCount);
    try {
      // remap the last existing chunk (it may grow) and map the new ones
      int firstToMap = Math.max(0, chunks.length - 1);
      long mapped = 0;
      for (int c = 0; c < firstToMap; c++) {
        mapped += grown[c].capacity();
      }
      for (int c = firstToMap; c < chunkCount; c++) {
        long start = (long) c * recordsPerChunk;
        long size = Math.min(recordsPerChunk, newCapacity - start) * recordBytes;
        MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_WRITE, start * recordBytes, size);
        grown[c] = m.order(ByteOrder.nativeOrder());
        mapped += size;
      }
      chunks = grown;
      capacity = newCapacity;
      mappedBytes = mapped;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot map " + file, e);
    }
  }

  /** The chunk holding {@code slot}. */
  ByteBuffer chunk(int slot) {
    return chunks[slot / recordsPerChunk];
  }

  /** The byte offset of {@code slot} in its {@link #chunk}. */
  int offset(int slot) {
    return (slot % recordsPerChunk) * recordBytes;
  }

  /** Records addressable now. */
  int capacity() {
    return capacity;
  }

  int recordsPerChunk() {
    return recordsPerChunk;
  }

  int chunkCount() {
    return chunks.length;
  }

  /** Bytes of the file currently mapped. */
  long mappedBytes() {
    return mappedBytes;
  }

  /** Forgets the mapping and deletes the file. */
  @Override
  public void close() {
    release(true);
  }

  /** Writes the mapped pages back, forgets the mapping and keeps the file, to be reopened. */
  void closeKeepingFile() {
    for (ByteBuffer b : chunks) {
      if (b instanceof MappedByteBuffer m) {
        m.force();
      }
    }
    release(false);
  }

  private void release(boolean delete) {
    chunks = new ByteBuffer[0];
    capacity = 0;
    mappedBytes = 0;
    try {
      channel.close();
      if (delete) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot " + (delete ? "delete " : "close ") + file, e);
    }
  }
}
