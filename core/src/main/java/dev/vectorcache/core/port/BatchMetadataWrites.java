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
 * <p>A write with {@link CopyWrite#ifNewer()} is a compare-and-set on the version, done on the
 * server (in Redis, a small script): it is applied only when the key holds no copy or a copy with a
 * lower version. A write-back, which carries what the vector store held when it was read, can so
 * never overwrite the copy of a newer store that landed meanwhile.
 */
public interface BatchMetadataWrites {

  /**
   * One copy to write.
   *
   * @param entry the copy
   * @param ttl its time to live, greater than zero, millisecond precision; or {@code null} for no
   *     expiry
   * @param ifNewer write only when the key holds no copy or one with a lower version
   */
  record CopyWrite(MetadataEntry entry, @Nullable Duration ttl, boolean ifNewer) {
    /** Checks the arguments. */
    public CopyWrite {
      Objects.requireNonNull(entry, "entry");
    }
  }

  /**
   * Sends the writes, then the events, pipelined in one round trip.
   *
   * @param writes the copies, each a single-key command
   * @param events published after the writes, on the channel of each event's collection
   * @return completes with how many copies were written (a refused {@code ifNewer} write counts
   *     zero); completes exceptionally with a {@link
   *     dev.vectorcache.core.exception.BackendException} when the round trip fails, in which case
   *     any subset of the batch may have been applied
   */
  CompletableFuture<Integer> writeAll(List<CopyWrite> writes, List<MetadataEvent> events);
}
