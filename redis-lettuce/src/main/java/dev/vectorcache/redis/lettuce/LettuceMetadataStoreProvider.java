package dev.vectorcache.redis.lettuce;

import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.MetadataStoreProvider;
import java.util.Set;

/**
 * Provider "lettuce" for {@code redis://}, {@code rediss://} (one node, or a cluster) and {@code
 * redis-sentinel://}, {@code rediss-sentinel://} (a Sentinel group), priority 100: the default
 * Redis client when both Lettuce and Jedis adapters are on the class path.
 */
public final class LettuceMetadataStoreProvider implements MetadataStoreProvider {
  /** Required by {@link java.util.ServiceLoader}; does no I/O. */
  public LettuceMetadataStoreProvider() {}

  @Override
  public String name() {
    return "lettuce";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel");
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public String artifact() {
    return "dev.vectorcache:vectorcache-redis-lettuce";
  }

  @Override
  public MetadataStore open(MetadataStoreConfig config) {
    return LettuceMetadataStore.open(config);
  }

  @Override
  public AsyncMetadataStore openAsync(MetadataStoreConfig config) {
    return LettuceAsyncMetadataStore.open(config);
  }
}
