package dev.vectorcache.redis.common;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.BatchMetadataWrites.CopyWrite;
import dev.vectorcache.core.port.BatchMetadataWrites.CopyWrite.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@code BatchMetadataWrites.writeAll} call checked and turned into Redis commands before any
 * I/O: the full key, the JSON and the millisecond TTL of each copy, the channel and message of each
 * event. Both adapters send {@link #writes()} then {@link #events()} in one pipeline; every command
 * names exactly one key (or one channel), so a batch also works on a Redis Cluster.
 *
 * @param writes one command per copy, in order
 * @param events one {@code PUBLISH} per event, in order
 */
public record MetadataBatch(List<Write> writes, List<Publish> events) {

  /**
   * One copy write.
   *
   * @param key the full key (with the store's prefix)
   * @param json the copy as {@link MetadataJson} encodes it
   * @param version the copy's version, compared on the server by a conditional write
   * @param ttlMillis the TTL in milliseconds ({@code PX}), or null for a key without expiry
   * @param condition {@code ALWAYS}: a plain {@code SET}; {@code IF_NEWER} or {@code
   *     IF_SAME_VERSION}: the {@link CopyWriteScript} in that mode
   */
  public record Write(
      String key, String json, long version, @Nullable Long ttlMillis, Condition condition) {

    /** Checks the condition. */
    public Write {
      Objects.requireNonNull(condition, "condition");
    }

    /**
     * Whether the write goes through {@link CopyWriteScript} (a compare-and-set on the version)
     * rather than a plain {@code SET}.
     *
     * @return true unless the condition is {@code ALWAYS}
     */
    public boolean scripted() {
      return condition != Condition.ALWAYS;
    }

    /**
     * The arguments of {@link CopyWriteScript} after the key: the JSON, the version, the TTL in
     * milliseconds (empty for none) and the mode.
     *
     * @return {@code [json, version, ttl, mode]}
     * @throws IllegalStateException for an {@code ALWAYS} write, which is a plain {@code SET}
     */
    public List<String> scriptArgs() {
      String mode =
          switch (condition) {
            case IF_NEWER -> CopyWriteScript.IF_NEWER;
            case IF_SAME_VERSION -> CopyWriteScript.IF_SAME_VERSION;
            case ALWAYS -> throw new IllegalStateException("an ALWAYS write is a plain SET");
          };
      return List.of(
          json, Long.toString(version), ttlMillis == null ? "" : ttlMillis.toString(), mode);
    }
  }

  /**
   * One event.
   *
   * @param channel the full channel name, as the store's {@code publish} uses
   * @param message the event as {@link MetadataJson} encodes it
   */
  public record Publish(String channel, String message) {}

  /** Copies the lists. */
  public MetadataBatch {
    writes = List.copyOf(writes);
    events = List.copyOf(events);
  }

  /**
   * Checks a batch and encodes it; refuses bad input with an exception naming the element, before
   * any I/O.
   *
   * @param names the store's key and channel names
   * @param writes the copies
   * @param events the events
   * @return the commands to send
   * @throws InvalidInputException for a null list or element, a blank key or collection, a TTL of
   *     zero or less
   */
  public static MetadataBatch prepare(
      RedisKeys names, List<CopyWrite> writes, List<MetadataEvent> events) {
    if (writes == null) {
      throw new InvalidInputException("writes", "a list (empty for none)", null);
    }
    if (events == null) {
      throw new InvalidInputException("events", "a list (empty for none)", null);
    }
    List<Write> ws = new ArrayList<>(writes.size());
    for (int i = 0; i < writes.size(); i++) {
      CopyWrite w = writes.get(i);
      if (w == null) {
        throw new InvalidInputException("writes[" + i + "]", "a copy write", null);
      }
      Long ttl = w.ttl() == null ? null : RedisTtl.millis(w.ttl());
      ws.add(
          new Write(
              names.key(w.entry().key()),
              MetadataJson.encode(w.entry()),
              w.entry().version(),
              ttl,
              w.condition()));
    }
    List<Publish> ps = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      MetadataEvent e = events.get(i);
      if (e == null) {
        throw new InvalidInputException("events[" + i + "]", "an event", null);
      }
      ps.add(new Publish(names.channel(e.collection()), MetadataJson.encode(e)));
    }
    return new MetadataBatch(ws, ps);
  }

  /**
   * Whether there is nothing to send.
   *
   * @return true when both lists are empty
   */
  public boolean isEmpty() {
    return writes.isEmpty() && events.isEmpty();
  }
}
