package dev.vectorcache.redis.lettuce;

import dev.vectorcache.core.internal.Futures;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.spi.RedisConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link MetadataStore} over Lettuce, blocking form. Each call waits for the one command that
 * {@link LettuceAsyncMetadataStore} sends; the wait is bounded by the command timeout that Lettuce
 * applies to every command, so a call never hangs.
 *
 * <pre>{@code
 * try (MetadataStore store = LettuceMetadataStore.open(RedisConfig.fromUrl("redis://localhost:6379"))) {
 *   store.put(entry, Duration.ofMinutes(5));
 * }
 * }</pre>
 *
 * <p>Usually opened through {@code Backends}; {@link #unwrap(Class)} reaches the {@code
 * RedisClient} and the {@code StatefulRedisConnection}.
 */
public final class LettuceMetadataStore implements MetadataStore {
  private final LettuceAsyncMetadataStore async;

  LettuceMetadataStore(LettuceAsyncMetadataStore async) {
    this.async = async;
  }

  /**
   * Connects to the server of {@code config}.
   *
   * @throws dev.vectorcache.core.BackendUnavailableException when it cannot be reached
   * @throws dev.vectorcache.core.AuthenticationException when it refuses the credentials
   */
  public static LettuceMetadataStore open(RedisConfig config) {
    return (LettuceMetadataStore) LettuceAsyncMetadataStore.connect(config).blocking();
  }

  @Override
  public void put(MetadataEntry entry, Duration ttl) {
    Futures.join(async.put(entry, ttl));
  }

  @Override
  public Optional<MetadataEntry> get(String key) {
    return Futures.join(async.get(key));
  }

  @Override
  public Map<String, MetadataEntry> getAll(Collection<String> keys) {
    return Futures.join(async.getAll(keys));
  }

  @Override
  public boolean delete(String key) {
    return Futures.join(async.delete(key));
  }

  @Override
  public long deleteAll(Collection<String> keys) {
    return Futures.join(async.deleteAll(keys));
  }

  @Override
  public Optional<Duration> ttl(String key) {
    return Futures.join(async.ttl(key));
  }

  @Override
  public boolean expire(String key, Duration ttl) {
    return Futures.join(async.expire(key, ttl));
  }

  @Override
  public void publish(MetadataEvent event) {
    Futures.join(async.publish(event));
  }

  @Override
  public Subscription subscribe(String collection, Consumer<MetadataEvent> listener) {
    return Futures.join(async.subscribe(collection, listener));
  }

  @Override
  public BackendInfo ping() {
    return Futures.join(async.ping());
  }

  @Override
  public boolean isSupported(Capability capability) {
    return async.isSupported(capability);
  }

  @Override
  public AsyncMetadataStore async() {
    return async;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    return async.unwrap(type);
  }

  @Override
  public void close() {
    async.close();
  }

  @Override
  public String toString() {
    return "LettuceMetadataStore[" + async.describe() + "]";
  }
}
