package dev.vectorcache.semantic;

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

/** Forwards every call to another store; a test overrides the calls it wants to break. */
class ForwardingMetadataStore implements AsyncMetadataStore {
  private final AsyncMetadataStore delegate;

  ForwardingMetadataStore(AsyncMetadataStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletableFuture<Void> put(MetadataEntry entry, @Nullable Duration ttl) {
    return delegate.put(entry, ttl);
  }

  @Override
  public CompletableFuture<Optional<MetadataEntry>> get(String key) {
    return delegate.get(key);
  }

  @Override
  public CompletableFuture<Map<String, MetadataEntry>> getAll(Collection<String> keys) {
    return delegate.getAll(keys);
  }

  @Override
  public CompletableFuture<Boolean> delete(String key) {
    return delegate.delete(key);
  }

  @Override
  public CompletableFuture<Long> deleteAll(Collection<String> keys) {
    return delegate.deleteAll(keys);
  }

  @Override
  public CompletableFuture<Optional<Duration>> ttl(String key) {
    return delegate.ttl(key);
  }

  @Override
  public CompletableFuture<Boolean> expire(String key, Duration ttl) {
    return delegate.expire(key, ttl);
  }

  @Override
  public CompletableFuture<Void> publish(MetadataEvent event) {
    return delegate.publish(event);
  }

  @Override
  public CompletableFuture<Subscription> subscribe(
      String collection, Consumer<MetadataEvent> listener) {
    return delegate.subscribe(collection, listener);
  }

  @Override
  public CompletableFuture<BackendInfo> ping() {
    return delegate.ping();
  }

  @Override
  public boolean isSupported(Capability capability) {
    return delegate.isSupported(capability);
  }

  @Override
  public MetadataStore blocking() {
    return delegate.blocking();
  }

  @Override
  public <T> Optional<T> extension(Class<T> type) {
    return delegate.extension(type);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
