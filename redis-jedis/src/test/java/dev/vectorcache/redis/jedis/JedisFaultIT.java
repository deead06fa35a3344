package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisMetadataStoreFaultContract;
import java.util.Optional;

/**
 * The Jedis adapter against a real redis-server: batch writes, error classes, pub/sub through
 * disconnects and races, no password at TRACE.
 */
class JedisFaultIT extends RedisMetadataStoreFaultContract {
  @Override
  protected MetadataStore open(MetadataStoreConfig config) {
    return JedisMetadataStore.open(config);
  }

  @Override
  protected String client() {
    return "jedis";
  }

  /** Jedis has no wire log. */
  @Override
  protected Optional<String> wireTraceMarker() {
    return Optional.empty();
  }

  @Override
  protected void beforeNextUnsubscribe(MetadataStore store, Runnable action) {
    store.unwrap(JedisMetadataStore.class).channelRegistry().beforeNextUnsubscribe(action);
  }
}
