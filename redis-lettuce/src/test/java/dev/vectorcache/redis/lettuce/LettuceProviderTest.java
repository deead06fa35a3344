package dev.vectorcache.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.MetadataStoreProvider;
import dev.vectorcache.spi.TlsConfig;
import dev.vectorcache.spi.Topology;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Discovery and selection, without a server. */
class LettuceProviderTest {
  @Test
  void serviceLoaderFindsTheProviderForRedisAndRediss() {
    Backends backends = Backends.discover();
    MetadataStoreProvider p =
        backends
            .resolveMetadataStore(MetadataStoreConfig.fromUrl("redis://localhost:1"))
            .provider();
    assertThat(p).isInstanceOf(LettuceMetadataStoreProvider.class);
    assertThat(p.name()).isEqualTo("lettuce");
    assertThat(p.priority()).isEqualTo(100);
    assertThat(p.schemes())
        .containsExactlyInAnyOrder("redis", "rediss", "redis-sentinel", "rediss-sentinel");
    assertThat(p.artifact()).isEqualTo("dev.vectorcache:vectorcache-redis-lettuce");
    // naming the client explicitly picks the same provider, for rediss:// too
    assertThat(
            backends
                .resolveMetadataStore(
                    MetadataStoreConfig.builder().url("rediss://h:6380").client("lettuce").build())
                .provider()
                .name())
        .isEqualTo("lettuce");
  }

  @Test
  void namingTheOtherClientFailsWithItsArtifact() {
    MetadataStoreConfig cfg =
        MetadataStoreConfig.builder().url("redis://localhost:1").client("jedis").build();
    assertThatThrownBy(() -> Backends.discover().openMetadataStore(cfg))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("vectorcache-redis-jedis");
  }

  @Test
  void aSentinelTopologyIsRefusedAtOpenNamingTheSetting() {
    MetadataStoreConfig c =
        MetadataStoreConfig.builder()
            .url("redis://localhost:1")
            .topology(Topology.sentinel("mymaster", List.of(HostAndPort.of("s1", 26379))))
            .build();
    assertThatThrownBy(() -> LettuceMetadataStore.open(c))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("topology")
        .hasMessageContaining("sentinel")
        .hasMessageContaining("'lettuce'");
  }

  @Test
  void unreadableTlsFilesAreRefusedAtOpenBeforeAnyIoNamingTheSetting() {
    MetadataStoreConfig c =
        MetadataStoreConfig.builder()
            .url("rediss://localhost:1")
            .tls(
                TlsConfig.builder()
                    .clientCertificate(Path.of("client.pem"))
                    .clientKey(Path.of("client.key"))
                    .build())
            .build();
    assertThatThrownBy(() -> LettuceMetadataStore.open(c))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("tls.clientCertificate")
        .hasMessageContaining("client.pem");
  }

  @Test
  void ownOptionsAreReadBackAndRefusedForTheOtherClient() {
    MetadataStoreConfig c =
        MetadataStoreConfig.builder()
            .url("redis://localhost:1")
            .adapterOptions(LettuceOptions.builder().requestQueueSize(2).build())
            .build();
    assertThat(c.adapterOptions(LettuceOptions.class))
        .contains(LettuceOptions.builder().requestQueueSize(2).build());
    assertThat(Backends.discover().resolveMetadataStore(c).provider().name()).isEqualTo("lettuce");
    assertThatThrownBy(() -> c.mutate().client("jedis").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'lettuce'")
        .hasMessageContaining("'jedis'");
  }
}
