package dev.vectorcache.inmemory;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.spi.AdapterOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the embedded in-process vector store (adapter {@code memory}), passed with {@code
 * VectorStoreConfig.builder().adapterOptions(EmbeddedOptions.builder()...build())} or to {@link
 * InMemoryVectorStore#InMemoryVectorStore(EmbeddedOptions)}. Immutable; change with {@link
 * #mutate()}.
 *
 * <p>With a {@link #storageDirectory()} the store is durable: every write goes to a write-ahead log
 * under that directory before it is acknowledged (as {@link #fsyncPolicy()} says), the log is
 * checkpointed into a full snapshot once it holds {@link #checkpointBytes()} (or half the last
 * checkpoint, when that is larger), and a store opened on the directory again recovers every
 * acknowledged write. See {@code docs/storage.md}.
 */
public final class EmbeddedOptions implements AdapterOptions {
  /** The adapter these options are for. */
  public static final String ADAPTER = "memory";

  /** The default {@link #fsyncPolicy()}. */
  public static final FsyncPolicy DEFAULT_FSYNC_POLICY = FsyncPolicy.ALWAYS;

  /** The default {@link #fsyncInterval()}: 100 ms. */
  public static final Duration DEFAULT_FSYNC_INTERVAL = Duration.ofMillis(100);

  /** The default {@link #checkpointBytes()}: 64 MiB. */
  public static final long DEFAULT_CHECKPOINT_BYTES = 64L << 20;

  private final @Nullable Path mmapDirectory;
  private final @Nullable Path storageDirectory;
  private final FsyncPolicy fsyncPolicy;
  private final Duration fsyncInterval;
  private final long checkpointBytes;

  private EmbeddedOptions(Builder b) {
    this.mmapDirectory = b.mmapDirectory;
    this.storageDirectory = b.storageDirectory;
    this.fsyncPolicy = b.fsyncPolicy;
    this.fsyncInterval = b.fsyncInterval;
    this.checkpointBytes = b.checkpointBytes;
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these values. */
  public Builder mutate() {
    Builder b = new Builder();
    b.mmapDirectory = mmapDirectory;
    b.storageDirectory = storageDirectory;
    b.fsyncPolicy = fsyncPolicy;
    b.fsyncInterval = fsyncInterval;
    b.checkpointBytes = checkpointBytes;
    return b;
  }

  @Override
  public String adapter() {
    return ADAPTER;
  }

  /**
   * The directory for memory-mapped vector files of {@code MMAP}/{@code ON_DISK} collections, if
   * set; otherwise a temporary directory.
   */
  public Optional<Path> mmapDirectory() {
    return Optional.ofNullable(mmapDirectory);
  }

  /**
   * The directory of a durable store's write-ahead log and checkpoints, if set; otherwise the store
   * keeps nothing when it is closed.
   */
  public Optional<Path> storageDirectory() {
    return Optional.ofNullable(storageDirectory);
  }

  /** When the write-ahead log is forced to the disk; default {@link FsyncPolicy#ALWAYS}. */
  public FsyncPolicy fsyncPolicy() {
    return fsyncPolicy;
  }

  /** How often {@link FsyncPolicy#INTERVAL} forces the log; default 100 ms. */
  public Duration fsyncInterval() {
    return fsyncInterval;
  }

  /**
   * The write-ahead log size that triggers a checkpoint; default 64 MiB. A store whose last
   * checkpoint is larger than twice this waits for half that checkpoint's size of log instead.
   */
  public long checkpointBytes() {
    return checkpointBytes;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof EmbeddedOptions e
        && Objects.equals(mmapDirectory, e.mmapDirectory)
        && Objects.equals(storageDirectory, e.storageDirectory)
        && fsyncPolicy == e.fsyncPolicy
        && fsyncInterval.equals(e.fsyncInterval)
        && checkpointBytes == e.checkpointBytes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        mmapDirectory, storageDirectory, fsyncPolicy, fsyncInterval, checkpointBytes);
  }

  @Override
  public String toString() {
    return "EmbeddedOptions[mmapDirectory="
        + mmapDirectory
        + ", storageDirectory="
        + storageDirectory
        + ", fsyncPolicy="
        + fsyncPolicy
        + ", fsyncInterval="
        + fsyncInterval
        + ", checkpointBytes="
        + checkpointBytes
        + "]";
  }

  /** Builder for {@link EmbeddedOptions}. */
  public static final class Builder {
    /** The smallest {@link #checkpointBytes(long)} accepted: 4 KiB. */
    static final long MIN_CHECKPOINT_BYTES = 4096;

    private @Nullable Path mmapDirectory;
    private @Nullable Path storageDirectory;
    private FsyncPolicy fsyncPolicy = DEFAULT_FSYNC_POLICY;
    private Duration fsyncInterval = DEFAULT_FSYNC_INTERVAL;
    private long checkpointBytes = DEFAULT_CHECKPOINT_BYTES;

    private Builder() {}

    /**
     * The directory for memory-mapped vector files of a private store ({@code memory:}); a shared
     * store ({@code memory:NAME}) refuses it, since its first opener already chose. Default: a
     * temporary directory, created on first use and deleted on close.
     */
    public Builder mmapDirectory(Path directory) {
      this.mmapDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Makes the store durable, keeping its write-ahead log and checkpoints in {@code directory}
     * (created if missing). Only a private store ({@code memory:}) takes one; a shared store
     * ({@code memory:NAME}) refuses it. Default: none, nothing is kept.
     */
    public Builder storageDirectory(Path directory) {
      if (directory == null) {
        throw new InvalidInputException("storageDirectory", "a directory path", null);
      }
      this.storageDirectory = directory;
      return this;
    }

    /** When the write-ahead log is forced to the disk; default {@link FsyncPolicy#ALWAYS}. */
    public Builder fsyncPolicy(FsyncPolicy policy) {
      if (policy == null) {
        throw new InvalidInputException("fsyncPolicy", "ALWAYS, INTERVAL or NEVER", null);
      }
      this.fsyncPolicy = policy;
      return this;
    }

    /**
     * How often {@link FsyncPolicy#INTERVAL} forces the log: 1 ms to 1 minute; default 100 ms
     * (ignored by the other policies).
     */
    public Builder fsyncInterval(Duration interval) {
      if (interval == null
          || interval.compareTo(Duration.ofMillis(1)) < 0
          || interval.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new InvalidInputException("fsyncInterval", "1 ms to 1 minute", interval);
      }
      this.fsyncInterval = interval;
      return this;
    }

    /**
     * The write-ahead log size (bytes) that triggers a checkpoint: at least 4096; default 64 MiB.
     * Smaller values checkpoint more often (each checkpoint writes every collection) and recover
     * faster.
     */
    public Builder checkpointBytes(long bytes) {
      if (bytes < MIN_CHECKPOINT_BYTES) {
        throw new InvalidInputException("checkpointBytes", "at least 4096 bytes", bytes);
      }
      this.checkpointBytes = bytes;
      return this;
    }

    /** The options. */
    public EmbeddedOptions build() {
      return new EmbeddedOptions(this);
    }
  }
}
