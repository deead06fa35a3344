package dev.vectorcache.semantic;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.redis.jedis.JedisMetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
@DisplayName("SemanticCache over a real Redis with Jedis")
class JedisSemanticCacheIT extends SemanticCacheContract {
  private final RedisServer server;

  JedisSemanticCacheIT(RedisServer server) {
    this.server = server;
  }

  @Override
  protected MetadataStore openMetadataStore(String keyPrefix) {
    return JedisMetadataStore.open(
        MetadataStoreConfig.builder()
            .url(server.url())
            .keyPrefix(keyPrefix)
            .commandTimeout(Duration.ofSeconds(2))
            .build());
  }
}
