package dev.vectorcache.inmemory;

import dev.vectorcache.core.exception.VectorCacheException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The storage directory of a durable embedded store is already open, in this process or another:
 * its {@code LOCK} file is locked. Only one store may own a directory at a time.
 */
public class StorageLockedException extends VectorCacheException {
  private static final long serialVersionUID = 1L;

  private final String directory;

  /**
   * A refusal of {@code directory}.
   *
   * @param directory the storage directory
   * @param cause the underlying failure, if any
   */
  public StorageLockedException(Path directory, @Nullable Throwable cause) {
    super(
        "storage directory "
            + directory
            + " is already open (its LOCK file is held by another store, in this process or"
            + " another); close that store first, or use another directory",
        cause);
    this.directory = directory.toString();
  }

  /** The storage directory. */
  public String directory() {
    return directory;
  }
}
