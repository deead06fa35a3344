package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.MetadataStoreContract;
import dev.vectorcache.testkit.TimeControl;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shared MetadataStore contract, unchanged, run by the Jedis adapter on a real redis-server.
 */
@ExtendWith(RedisServerExtension.class)
class JedisMetadataStoreContractIT extends MetadataStoreContract {
  private final RedisServer server;

  JedisMetadataStoreContractIT(RedisServer server) {
    this.server = server;
  }

  @Override
  protected TimeControl timeControl() {
    return TimeControl.realTime(Duration.ofMillis(500));
  }

  @Override
  protected MetadataStore createStore() {
    return JedisMetadataStore.open(
        MetadataStoreConfig.builder()
            .url(server.url())
            .keyPrefix("contract-jedis:")
            .commandTimeout(Duration.ofSeconds(2))
            .build());
  }
}
