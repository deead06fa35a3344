package dev.vectorcache.core.port;

import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Port to the metadata cache (Redis), blocking form. Keys are the application's cache keys,
 * namespaced by the caller ({@code VectorCache} uses {@code collection:key}) and by the store's
 * configured key prefix.
 *
 * <p>Expiry is the store's: an entry put with a TTL is gone once it elapses. Instances are
 * thread-safe. Failures throw the {@link dev.vectorcache.core.exception.BackendException}
 * subclasses.
 */
public interface MetadataStore extends AutoCloseable {

  /**
   * Stores {@code entry} under {@code entry.key()} with a time-to-live, in one command. With no TTL
   * the key stays until it is deleted (in Redis: {@code SET} without {@code PX}, which also clears
   * a TTL left by an earlier write); use it for entries whose {@link MetadataEntry#expiresAt()} is
   * null.
   *
   * @param entry the entry
   * @param ttl greater than zero, millisecond precision; or {@code null} for no expiry
   */
  void put(MetadataEntry entry, @Nullable Duration ttl);

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

  /**
   * The remaining time to live, or empty when the key does not exist. A key stored without expiry
   * reports {@code ChronoUnit.FOREVER.getDuration()}.
   */
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

  /**
   * An optional extension of this port, or empty when the store does not offer it.
   *
   * <p>This is how the ports grow: a new feature (batch search, aliases, named or sparse vectors…)
   * is defined once, as an extension interface in {@code CompletableFuture} form, advertised by a
   * {@link Capability} flag and reached through this method, instead of adding methods to both the
   * blocking and the non-blocking port. A store that implements an extension returns it here; the
   * bridges between the two forms forward the call to the store they wrap. The default returns
   * empty.
   *
   * @param type the extension interface
   * @param <T> the extension type
   * @return the extension, or empty when this store does not implement it
   */
  default <T> Optional<T> extension(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return Optional.empty();
  }

  @Override
  void close();
}
