package dev.vectorcache.core.port;

import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Extension of the metadata-store port (reached with {@code extension(BatchMetadataWrites.class)},
 * advertised as {@link dev.vectorcache.core.model.Capability#BATCH_METADATA_WRITES}): several copy
 * writes and events in <b>one round trip</b>.
 *
 * <p>The cache uses it for the copy and the event of a store (one round trip per store instead of
 * two) and for the write-backs queued after metadata misses. Every write is a single-key command,
 * so a batch also works on a Redis Cluster: no multi-key command spans slots.
 *
 * <p>A conditional write ({@link CopyWrite.Condition#IF_NEWER}, {@link
 * CopyWrite.Condition#IF_SAME_VERSION}) is a compare-and-set on the version, done on the server (in
 * Redis, a small script). A write-back, which carries what the vector store held when it was read,
 * is applied only when the key holds no copy or a copy with a lower version, so it can never
 * overwrite the copy of a newer store that landed meanwhile; a refresh of a copy's expiry is
 * applied only over the same version, so it can never bring back a deleted copy.
 */
public interface BatchMetadataWrites {

  /**
   * One copy to write.
   *
   * @param entry the copy
   * @param ttl its time to live, greater than zero, millisecond precision; or {@code null} for no
   *     expiry
   * @param condition when the write is applied
   */
  record CopyWrite(MetadataEntry entry, @Nullable Duration ttl, Condition condition) {
    /** Checks the arguments. */
    public CopyWrite {
      Objects.requireNonNull(entry, "entry");
      Objects.requireNonNull(condition, "condition");
    }

    /** When a copy write is applied; the check runs on the server, atomically with the write. */
    public enum Condition {
      /** Always: a store's own copy. */
      ALWAYS,
      /**
       * Only when the key holds no copy or a copy with a lower version: a write-back, which cannot
       * overwrite the copy of a newer store.
       */
      IF_NEWER,
      /**
       * Only when the key holds a copy of exactly this version: a refresh of an existing copy (a
       * new expiry), which can neither bring back a deleted copy nor overwrite a newer one.
       */
      IF_SAME_VERSION
    }
  }

  /**
   * Sends the writes, then the events, pipelined in one round trip.
   *
   * @param writes the copies, each a single-key command
   * @param events published after the writes, on the channel of each event's collection
   * @return completes with how many copies were written (a refused conditional write counts zero);
   *     completes exceptionally with a {@link dev.vectorcache.core.exception.BackendException} when
   *     the round trip fails, in which case any subset of the batch may have been applied
   */
  CompletableFuture<Integer> writeAll(List<CopyWrite> writes, List<MetadataEvent> events);
}
