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
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Port to the metadata cache, non-blocking form: the operations of {@link MetadataStore}, each
 * completing a {@link CompletableFuture}. Invalid input throws immediately.
 */
public interface AsyncMetadataStore extends AutoCloseable {
  /**
   * Stores {@code entry}, as {@link MetadataStore#put}.
   *
   * @param entry the entry
   * @param ttl greater than zero, millisecond precision; or {@code null} for no expiry
   * @return completes once the store has the entry
   */
  CompletableFuture<Void> put(MetadataEntry entry, @Nullable Duration ttl);

  CompletableFuture<Optional<MetadataEntry>> get(String key);

  CompletableFuture<Map<String, MetadataEntry>> getAll(Collection<String> keys);

  CompletableFuture<Boolean> delete(String key);

  CompletableFuture<Long> deleteAll(Collection<String> keys);

  CompletableFuture<Optional<Duration>> ttl(String key);

  CompletableFuture<Boolean> expire(String key, Duration ttl);

  CompletableFuture<Void> publish(MetadataEvent event);

  CompletableFuture<Subscription> subscribe(String collection, Consumer<MetadataEvent> listener);

  CompletableFuture<BackendInfo> ping();

  boolean isSupported(Capability capability);

  /** The blocking form of this same store. */
  MetadataStore blocking();

  /**
   * The native client or implementation object, for what the port does not cover.
   *
   * @throws IllegalArgumentException when this store cannot be unwrapped to {@code type}
   */
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
