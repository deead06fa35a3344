package dev.vectorcache.inmemory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot file of the embedded engine, as {@link InMemoryVectorStore#snapshot(String,
 * java.nio.file.Path)} wrote it (format: {@code docs/snapshots.md}).
 *
 * @param name the file name
 * @param creationTime when the snapshot was taken (the point in time it holds)
 * @param size the file's size in bytes
 * @param checksum the SHA-256 digest of the whole file, 64 lowercase hexadecimal digits (what
 *     Qdrant reports as a snapshot's checksum)
 * @param kind one collection, or every collection of the store
 * @param formatVersion the version of the file format
 * @param collections the collections it holds, in the file's order
 */
public record SnapshotDescription(
    String name,
    Instant creationTime,
    long size,
    String checksum,
    Kind kind,
    int formatVersion,
    List<String> collections) {

  /** What a snapshot holds. */
  public enum Kind {
    /** One collection (Qdrant's collection snapshot). */
    COLLECTION,
    /** Every collection of the store (Qdrant's full snapshot). */
    FULL
  }

  /** Checks the fields and copies the list. */
  public SnapshotDescription {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(creationTime, "creationTime");
    Objects.requireNonNull(checksum, "checksum");
    Objects.requireNonNull(kind, "kind");
    collections = List.copyOf(collections);
  }
}
