package dev.vectorcache.redis.lettuce;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisTlsContract;

/** rediss:// over Lettuce against real TLS redis-server processes. */
class LettuceTlsIT extends RedisTlsContract {
  LettuceTlsIT(RedisServer plain) {
    super(plain);
  }

  @Override
  protected MetadataStore open(MetadataStoreConfig config) {
    return LettuceMetadataStore.open(config);
  }
}
