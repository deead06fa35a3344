package dev.vectorcache.redis.lettuce;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisMetadataStoreReliabilityContract;
import java.util.Set;

/**
 * The Lettuce adapter against a real redis-server: commands, pub/sub, faults, resources, secrets.
 */
class LettuceMetadataStoreRedisIT extends RedisMetadataStoreReliabilityContract {
  @Override
  protected MetadataStore open(MetadataStoreConfig config) {
    return LettuceMetadataStore.open(config);
  }

  @Override
  protected Set<String> threadMarkers() {
    return Set.of("lettuce", "netty", "nioEventLoop", "epoll", "timer", "eventExecutor");
  }
}
