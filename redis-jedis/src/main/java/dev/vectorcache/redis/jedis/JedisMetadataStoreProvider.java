package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.MetadataStoreProvider;
import java.util.Set;

/**
 * Provider "jedis" for {@code redis://}, {@code rediss://} (one node or, with a cluster topology, a
 * cluster), {@code redis-sentinel://} and {@code rediss-sentinel://}, priority 50: chosen when it
 * is the only Redis adapter on the class path, or when named with {@code
 * MetadataStoreConfig.builder().client("jedis")}.
 */
public final class JedisMetadataStoreProvider implements MetadataStoreProvider {
  /** Required by {@link java.util.ServiceLoader}; does no I/O. */
  public JedisMetadataStoreProvider() {}

  @Override
  public String name() {
    return "jedis";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel");
  }

  @Override
  public int priority() {
    return 50;
  }

  @Override
  public String artifact() {
    return "dev.vectorcache:vectorcache-redis-jedis";
  }

  @Override
  public MetadataStore open(MetadataStoreConfig config) {
    return JedisMetadataStore.open(config);
  }
}
