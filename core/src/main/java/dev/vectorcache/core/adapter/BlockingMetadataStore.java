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
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The blocking form of a natively asynchronous {@link AsyncMetadataStore}: each call waits for the
 * future, bounded by the store's own command timeout. Adapters may extend it to give the blocking
 * form their own name.
 */
public class BlockingMetadataStore implements MetadataStore {
  private final AsyncMetadataStore store;

  public BlockingMetadataStore(AsyncMetadataStore store) {
    this.store = store;
  }

  @Override
  public void put(MetadataEntry entry, @Nullable Duration ttl) {
    Futures.join(store.put(entry, ttl));
  }

  @Override
  public Optional<MetadataEntry> get(String key) {
    return Futures.join(store.get(key));
  }

  @Override
  public Map<String, MetadataEntry> getAll(Collection<String> keys) {
    return Futures.join(store.getAll(keys));
  }

  @Override
  public boolean delete(String key) {
    return Futures.join(store.delete(key));
  }

  @Override
  public long deleteAll(Collection<String> keys) {
    return Futures.join(store.deleteAll(keys));
  }

  @Override
  public Optional<Duration> ttl(String key) {
    return Futures.join(store.ttl(key));
  }

  @Override
  public boolean expire(String key, Duration ttl) {
    return Futures.join(store.expire(key, ttl));
  }

  @Override
  public void publish(MetadataEvent event) {
    Futures.join(store.publish(event));
  }

  @Override
  public Subscription subscribe(String collection, Consumer<MetadataEvent> listener) {
    return Futures.join(store.subscribe(collection, listener));
  }

  @Override
  public BackendInfo ping() {
    return Futures.join(store.ping());
  }

  @Override
  public boolean isSupported(Capability capability) {
    return store.isSupported(capability);
  }

  @Override
  public AsyncMetadataStore async() {
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
