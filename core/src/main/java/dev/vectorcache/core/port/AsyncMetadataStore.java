package dev.vectorcache.core.port;

import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Port to the metadata cache, non-blocking form: the operations of {@link MetadataStore}, each
 * completing a {@link CompletableFuture}. Invalid input throws immediately.
 */
public interface AsyncMetadataStore extends AutoCloseable {
  CompletableFuture<Void> put(MetadataEntry entry, Duration ttl);

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

  @Override
  void close();
}
