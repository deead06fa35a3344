package dev.vectorcache.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.ConfigurationException;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.MetadataStoreProvider;
import dev.vectorcache.spi.RedisConfig;
import org.junit.jupiter.api.Test;

/** Discovery and selection, without a server. */
class LettuceProviderTest {
  @Test
  void serviceLoaderFindsTheProviderForRedisAndRediss() {
    Backends backends = Backends.discover();
    MetadataStoreProvider p =
        backends.resolveMetadataStore(RedisConfig.fromUrl("redis://localhost:1")).provider();
    assertThat(p).isInstanceOf(LettuceMetadataStoreProvider.class);
    assertThat(p.name()).isEqualTo("lettuce");
    assertThat(p.priority()).isEqualTo(100);
    assertThat(p.schemes()).containsExactlyInAnyOrder("redis", "rediss");
    assertThat(p.artifact()).isEqualTo("dev.vectorcache:vectorcache-redis-lettuce");
    // naming the client explicitly picks the same provider, for rediss:// too
    assertThat(
            backends
                .resolveMetadataStore(
                    RedisConfig.builder().url("rediss://h:6380").client("lettuce").build())
                .provider()
                .name())
        .isEqualTo("lettuce");
  }

  @Test
  void namingTheOtherClientFailsWithItsArtifact() {
    RedisConfig cfg = RedisConfig.builder().url("redis://localhost:1").client("jedis").build();
    assertThatThrownBy(() -> Backends.discover().openMetadataStore(cfg))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("vectorcache-redis-jedis");
  }
}
