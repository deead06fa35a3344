package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisTlsContract;

/** rediss:// over Jedis against real TLS redis-server processes. */
class JedisTlsIT extends RedisTlsContract {
  JedisTlsIT(RedisServer plain) {
    super(plain);
  }

  @Override
  protected MetadataStore open(MetadataStoreConfig config) {
    return JedisMetadataStore.open(config);
  }
}
