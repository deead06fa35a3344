package dev.vectorcache.inmemory;

/**
 * When a durable embedded store ({@link EmbeddedOptions#storageDirectory()}) forces its write-ahead
 * log to the disk, and so what a crash of the machine can lose. A crash of the process alone (the
 * JVM killed, the machine still up) loses nothing acknowledged under any policy: the records are in
 * the operating system's page cache once a write returns.
 */
public enum FsyncPolicy {
  /**
   * Each write is forced to the disk ({@code fsync}) before it is acknowledged; writes that arrive
   * together share one {@code fsync}. A crash of the machine loses no acknowledged write.
   */
  ALWAYS,
  /**
   * Writes are acknowledged once appended; the log is forced every {@link
   * EmbeddedOptions#fsyncInterval()}. A crash of the machine may lose the writes of the last
   * interval.
   */
  INTERVAL,
  /**
   * The log is forced only at checkpoints and on close; the operating system writes it back when it
   * chooses. A crash of the machine may lose any write since the last checkpoint.
   */
  NEVER
}
