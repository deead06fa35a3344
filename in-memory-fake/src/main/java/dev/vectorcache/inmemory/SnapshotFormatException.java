package dev.vectorcache.inmemory;

import dev.vectorcache.core.exception.VectorCacheException;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A file given to {@link InMemoryVectorStore#restore(Path)} cannot be restored: it is not a
 * snapshot of the embedded engine, it was written by a newer format version, or it is damaged.
 * Nothing was restored: no collection was created or replaced.
 */
public class SnapshotFormatException extends VectorCacheException {
  private static final long serialVersionUID = 1L;

  /** Why the file was refused. */
  public enum Reason {
    /** Not a snapshot of the embedded engine (not a ZIP archive, or no snapshot manifest). */
    NOT_A_SNAPSHOT,
    /** A snapshot of a format version this engine does not know (written by a newer one). */
    UNSUPPORTED_VERSION,
    /** A snapshot whose content is damaged: a checksum differs, a section is missing or cut. */
    CORRUPT
  }

  private final Reason reason;
  private final String file;

  /**
   * A refusal of {@code file}.
   *
   * @param reason why the file was refused
   * @param file the file
   * @param detail what was wrong, for the message
   * @param cause the underlying failure, if any
   */
  public SnapshotFormatException(
      Reason reason, Path file, String detail, @Nullable Throwable cause) {
    super(
        describe(Objects.requireNonNull(reason, "reason"))
            + " "
            + file
            + ": "
            + Objects.requireNonNull(detail, "detail"),
        cause);
    this.reason = reason;
    this.file = file.toString();
  }

  private static String describe(Reason reason) {
    return switch (reason) {
      case NOT_A_SNAPSHOT -> "not a vectorcache engine snapshot:";
      case UNSUPPORTED_VERSION -> "unsupported snapshot format version in";
      case CORRUPT -> "corrupt snapshot";
    };
  }

  /** Why the file was refused. */
  public Reason reason() {
    return reason;
  }

  /** The file, as given. */
  public String file() {
    return file;
  }
}
