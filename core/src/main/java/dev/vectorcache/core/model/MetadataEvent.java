package dev.vectorcache.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A change announced on a collection's channel so that other application instances see it.
 *
 * @param type what happened
 * @param collection the collection (and channel) it happened in
 * @param key the cache key
 * @param version the entry's version after a store, or the deleted version (0 when unknown)
 * @param at when it happened, by the publisher's clock
 */
public record MetadataEvent(Type type, String collection, String key, long version, Instant at) {
  /** Kinds of events. */
  public enum Type {
    STORED,
    DELETED,
    EXPIRED
  }

  public MetadataEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(at, "at");
  }
}
