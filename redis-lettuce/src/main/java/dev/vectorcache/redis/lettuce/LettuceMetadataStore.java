package dev.vectorcache.redis.lettuce;

import dev.vectorcache.core.adapter.BlockingMetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;

/**
 * {@link dev.vectorcache.core.port.MetadataStore} over Lettuce, blocking form. Each call waits for
 * the one command that {@link LettuceAsyncMetadataStore} sends; the wait is bounded by the command
 * timeout that Lettuce applies to every command, so a call never hangs.
 *
 * <pre>{@code
 * try (MetadataStore store = LettuceMetadataStore.open(MetadataStoreConfig.fromUrl("redis://localhost:6379"))) {
 *   store.put(entry, Duration.ofMinutes(5));
 * }
 * }</pre>
 *
 * <p>Usually opened through {@code Backends}; {@link #unwrap(Class)} reaches the Lettuce client and
 * connection: {@code RedisClient} and {@code StatefulRedisConnection} for one node or Sentinel,
 * {@code RedisClusterClient} and {@code StatefulRedisClusterConnection} for a cluster.
 */
public final class LettuceMetadataStore extends BlockingMetadataStore {
  private final LettuceAsyncMetadataStore async;

  LettuceMetadataStore(LettuceAsyncMetadataStore async) {
    super(async);
    this.async = async;
  }

  /**
   * Connects to the server of {@code config}; see {@link
   * LettuceAsyncMetadataStore#open(MetadataStoreConfig)} for the settings refused.
   *
   * @throws dev.vectorcache.core.exception.BackendUnavailableException when it cannot be reached
   * @throws dev.vectorcache.core.exception.AuthenticationException when it refuses the credentials
   */
  public static LettuceMetadataStore open(MetadataStoreConfig config) {
    return (LettuceMetadataStore) LettuceAsyncMetadataStore.open(config).blocking();
  }

  @Override
  public String toString() {
    return "LettuceMetadataStore[" + async.describe() + "]";
  }
}
