package dev.vectorcache.inmemory;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link InMemoryVectorStore#restore(java.nio.file.Path)} restored.
 *
 * @param kind a collection snapshot or a full one
 * @param creationTime when the snapshot was taken
 * @param collections the collections created (or replaced), under the names they have now
 * @param attachments by collection (the name it has now): the attachments stored with it (see
 *     {@link InMemoryVectorStore#snapshot(String, java.nio.file.Path, Map)}); each byte array is
 *     the caller's copy
 */
public record RestoredSnapshot(
    SnapshotDescription.Kind kind,
    Instant creationTime,
    List<String> collections,
    Map<String, Map<String, byte[]>> attachments) {

  /** Checks the fields and copies the collections. */
  public RestoredSnapshot {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(creationTime, "creationTime");
    collections = List.copyOf(collections);
    Map<String, Map<String, byte[]>> copy = new LinkedHashMap<>();
    attachments.forEach((c, a) -> copy.put(c, copyOf(a)));
    attachments = java.util.Collections.unmodifiableMap(copy);
  }

  /** The attachments stored with {@code collection}; empty when there were none. */
  public Map<String, byte[]> attachments(String collection) {
    Map<String, byte[]> a = attachments.get(collection);
    return a == null ? Map.of() : copyOf(a);
  }

  private static Map<String, byte[]> copyOf(Map<String, byte[]> a) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    a.forEach((k, v) -> out.put(k, Arrays.copyOf(v, v.length)));
    return java.util.Collections.unmodifiableMap(out);
  }
}
