package dev.vectorcache.core.adapter;

import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.Subscription;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The non-blocking form of a {@link MetadataStore} whose calls return quickly: each call runs on
 * the caller's thread and returns a completed future. Used by the in-process store; an adapter over
 * a blocking network client (Jedis) uses it too, documenting that its async form blocks the caller
 * for one bounded command.
 */
public final class InlineAsyncMetadataStore implements AsyncMetadataStore {
  private final MetadataStore store;

  public InlineAsyncMetadataStore(MetadataStore store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<Void> put(MetadataEntry entry, @Nullable Duration ttl) {
    return Futures.run(() -> store.put(entry, ttl));
  }

  @Override
  public CompletableFuture<Optional<MetadataEntry>> get(String key) {
    return Futures.now(() -> store.get(key));
  }

  @Override
  public CompletableFuture<Map<String, MetadataEntry>> getAll(Collection<String> keys) {
    return Futures.now(() -> store.getAll(keys));
  }

  @Override
  public CompletableFuture<Boolean> delete(String key) {
    return Futures.now(() -> store.delete(key));
  }

  @Override
  public CompletableFuture<Long> deleteAll(Collection<String> keys) {
    return Futures.now(() -> store.deleteAll(keys));
  }

  @Override
  public CompletableFuture<Optional<Duration>> ttl(String key) {
    return Futures.now(() -> store.ttl(key));
  }

  @Override
  public CompletableFuture<Boolean> expire(String key, Duration ttl) {
    return Futures.now(() -> store.expire(key, ttl));
  }

  @Override
  public CompletableFuture<Void> publish(MetadataEvent event) {
    return Futures.run(() -> store.publish(event));
  }

  @Override
  public CompletableFuture<Subscription> subscribe(
      String collection, Consumer<MetadataEvent> listener) {
    return Futures.now(() -> store.subscribe(collection, listener));
  }

  @Override
  public CompletableFuture<BackendInfo> ping() {
    return Futures.now(store::ping);
  }

  @Override
  public boolean isSupported(Capability capability) {
    return store.isSupported(capability);
  }

  @Override
  public MetadataStore blocking() {
    return store;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    return type.isInstance(this) ? type.cast(this) : store.unwrap(type);
  }

  @Override
  public <T> Optional<T> extension(Class<T> type) {
    return store.extension(type);
  }

  @Override
  public void close() {
    store.close();
  }
}
