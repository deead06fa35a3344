package dev.vectorcache.core;

import dev.vectorcache.core.adapter.Uuids;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.PointStruct;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Turns a batch of {@link CacheWrite}s into vector-store points and the entries they hold: checks
 * every write before any I/O (naming the index of the first bad one), maps keys to point ids and
 * gives each write a version.
 */
final class EntryWriter {
  /** The points to upsert and, in the same order, the entries they hold. */
  record Batch(List<PointStruct> points, List<CacheEntry> entries) {}

  private final UUID keyNamespace;
  private final AtomicLong lastVersion = new AtomicLong();

  EntryWriter(UUID keyNamespace) {
    this.keyNamespace = keyNamespace;
  }

  /** The point id a key maps to: a name-based UUID, the same in every process. */
  PointId pointId(String key) {
    return PointId.of(Uuids.v5(keyNamespace, key));
  }

  /**
   * Checks and encodes a non-empty batch with {@code rules} (those of the collection written to),
   * recording {@code modelId} in each payload when it is not null.
   */
  Batch prepare(List<CacheWrite> writes, Instant now, InputChecks rules, @Nullable String modelId) {
    boolean single = writes.size() == 1;
    List<PointStruct> points = new ArrayList<>(writes.size());
    List<CacheEntry> entries = new ArrayList<>(writes.size());
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < writes.size(); i++) {
      CacheWrite w = writes.get(i);
      String at = single ? "" : "writes[" + i + "].";
      if (w == null) {
        throw new InvalidInputException(
            single ? "write" : "writes[" + i + "]", "a CacheWrite", null);
      }
      InputChecks.key(w.key(), at + "key");
      Integer dup = seen.put(w.key(), i);
      if (dup != null) {
        throw new InvalidInputException(
            at + "key",
            "keys unique within a batch",
            "\"" + w.key() + "\" also at writes[" + dup + "]");
      }
      // no copy here: the write already holds its own copy, and the point takes another
      float[] vector = rules.vector(w.vectorNoCopy(), at + "vector");
      Map<String, Object> meta = rules.metadata(w.metadata(), at + "metadata");
      @Nullable Duration ttl = rules.ttl(w.ttl(), at + "ttl"); // null: no expiry
      CacheEntry entry =
          new CacheEntry(w.key(), meta, nextVersion(now), ttl == null ? null : now.plus(ttl));
      points.add(new PointStruct(pointId(w.key()), vector, EntryPayload.encode(entry, modelId)));
      entries.add(entry);
    }
    return new Batch(points, entries);
  }

  /** Microseconds since the epoch, strictly increasing within this cache. */
  private long nextVersion(Instant now) {
    long micros = micros(now);
    return lastVersion.updateAndGet(last -> Math.max(last + 1, micros));
  }

  /** The version clock: microseconds since the epoch (what a version written at {@code t} is). */
  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }
}
