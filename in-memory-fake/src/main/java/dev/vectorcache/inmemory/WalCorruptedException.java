package dev.vectorcache.inmemory;

import dev.vectorcache.core.exception.VectorCacheException;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The storage directory of a durable embedded store cannot be recovered: a write-ahead log record
 * that is not the torn tail of the newest segment is damaged or unreadable, or a checkpoint fails
 * its checksums. Nothing was loaded: the store was not opened. A torn last record (a write cut by a
 * crash) is not this exception; it is dropped on recovery.
 */
public class WalCorruptedException extends VectorCacheException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long offset;

  /**
   * A damaged {@code file}.
   *
   * @param file the segment or checkpoint file
   * @param offset the byte offset of the damaged record in {@code file}, or -1 when the whole file
   *     (a checkpoint) is refused
   * @param detail what was wrong
   * @param cause the underlying failure, if any
   */
  public WalCorruptedException(Path file, long offset, String detail, @Nullable Throwable cause) {
    super(
        "corrupt durable storage: "
            + file
            + (offset >= 0 ? " at byte offset " + offset : "")
            + ": "
            + Objects.requireNonNull(detail, "detail")
            + "; nothing was loaded (restore the directory from a backup or a snapshot)",
        cause);
    this.file = file.toString();
    this.offset = offset;
  }

  /** The damaged file. */
  public String file() {
    return file;
  }

  /** The byte offset of the damaged record, or -1 for a refused checkpoint. */
  public long offset() {
    return offset;
  }
}
