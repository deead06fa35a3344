package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.redis.common.RedisKeys;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The async form of a {@link JedisMetadataStore}: each call is checked on the caller's thread (bad
 * input throws at once, as the port promises) and then runs on the store's {@link JedisExecutor},
 * never on the caller's thread.
 */
final class JedisAsyncMetadataStore implements AsyncMetadataStore {
  private final JedisMetadataStore store;
  private final JedisConnections connections;
  private final JedisExecutor executor;

  JedisAsyncMetadataStore(
      JedisMetadataStore store, JedisConnections connections, JedisExecutor executor) {
    this.store = store;
    this.connections = connections;
    this.executor = executor;
  }

  private <T> CompletableFuture<T> submit(JedisCall<T> call) {
    return executor.submit(call.op(), () -> connections.run(call));
  }

  @Override
  public CompletableFuture<Void> put(MetadataEntry entry, @Nullable Duration ttl) {
    return submit(store.putCall(entry, ttl)).thenApply(ok -> null);
  }

  @Override
  public CompletableFuture<Optional<MetadataEntry>> get(String key) {
    return submit(store.getCall(key));
  }

  @Override
  public CompletableFuture<Map<String, MetadataEntry>> getAll(Collection<String> keys) {
    List<String> ks = RedisKeys.distinct(keys);
    return ks.isEmpty()
        ? CompletableFuture.completedFuture(Map.of())
        : submit(store.getAllCall(ks));
  }

  @Override
  public CompletableFuture<Boolean> delete(String key) {
    return submit(store.deleteCall(key));
  }

  @Override
  public CompletableFuture<Long> deleteAll(Collection<String> keys) {
    List<String> ks = RedisKeys.distinct(keys);
    return ks.isEmpty() ? CompletableFuture.completedFuture(0L) : submit(store.deleteAllCall(ks));
  }

  @Override
  public CompletableFuture<Optional<Duration>> ttl(String key) {
    return submit(store.ttlCall(key));
  }

  @Override
  public CompletableFuture<Boolean> expire(String key, Duration ttl) {
    return submit(store.expireCall(key, ttl));
  }

  @Override
  public CompletableFuture<Void> publish(MetadataEvent event) {
    return submit(store.publishCall(event)).thenApply(n -> null);
  }

  @Override
  public CompletableFuture<Subscription> subscribe(
      String collection, Consumer<MetadataEvent> listener) {
    String channel = store.channelFor(collection, listener);
    return executor.submit("subscribe", () -> store.subscribe(collection, channel, listener));
  }

  @Override
  public CompletableFuture<BackendInfo> ping() {
    return submit(store.pingCall());
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

  @Override
  public String toString() {
    return "async " + store;
  }
}
