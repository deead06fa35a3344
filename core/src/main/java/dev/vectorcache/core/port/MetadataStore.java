package dev.vectorcache.core.port;

import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Port to the metadata cache (Redis), blocking form. Keys are the application's cache keys,
 * namespaced by the caller ({@code VectorCache} uses {@code collection:key}) and by the store's
 * configured key prefix.
 *
 * <p>Expiry is the store's: an entry put with a TTL is gone once it elapses. Instances are
 * thread-safe. Failures throw the {@link dev.vectorcache.core.BackendException} subclasses.
 */
public interface MetadataStore extends AutoCloseable {

  /**
   * Stores {@code entry} under {@code entry.key()} with a time-to-live, in one command.
   *
   * @param ttl greater than zero; millisecond precision
   */
  void put(MetadataEntry entry, Duration ttl);

  /** The entry, or empty when missing or expired. */
  Optional<MetadataEntry> get(String key);

  /**
   * The entries for these keys that exist, in one round trip (MGET or one pipeline). Missing keys
   * are absent from the map.
   */
  Map<String, MetadataEntry> getAll(Collection<String> keys);

  /** Deletes a key; true when it existed. */
  boolean delete(String key);

  /** Deletes keys in one round trip; returns how many existed. */
  long deleteAll(Collection<String> keys);

  /** The remaining time to live, or empty when the key does not exist. */
  Optional<Duration> ttl(String key);

  /** Sets a new time to live; false when the key does not exist. */
  boolean expire(String key, Duration ttl);

  /** Publishes an event on the channel of {@code event.collection()}. */
  void publish(MetadataEvent event);

  /**
   * Subscribes to a collection's channel. The listener runs on the store's thread: keep it short.
   * Subscribers survive reconnects; events published while disconnected are lost (at-most-once).
   */
  Subscription subscribe(String collection, Consumer<MetadataEvent> listener);

  /** Pings the server. */
  BackendInfo ping();

  boolean isSupported(Capability capability);

  /** The non-blocking form of this same store. */
  AsyncMetadataStore async();

  default <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException(
        getClass().getName() + " cannot be unwrapped to " + type.getName());
  }

  @Override
  void close();
}
