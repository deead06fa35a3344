package dev.vectorcache.redis.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.MetadataStoreProvider;
import dev.vectorcache.spi.TlsConfig;
import dev.vectorcache.spi.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Discovery and selection, without a server. */
class JedisProviderTest {
  @Test
  void serviceLoaderFindsTheProviderForRedisAndRediss() {
    Backends backends = Backends.discover();
    MetadataStoreProvider p =
        backends
            .resolveMetadataStore(MetadataStoreConfig.fromUrl("redis://localhost:1"))
            .provider();
    assertThat(p).isInstanceOf(JedisMetadataStoreProvider.class);
    assertThat(p.name()).isEqualTo("jedis");
    assertThat(p.priority()).isEqualTo(50);
    assertThat(p.schemes())
        .containsExactlyInAnyOrder("redis", "rediss", "redis-sentinel", "rediss-sentinel");
    assertThat(p.artifact()).isEqualTo("dev.vectorcache:vectorcache-redis-jedis");
    // naming the client explicitly picks the same provider, for rediss:// too
    assertThat(
            backends
                .resolveMetadataStore(
                    MetadataStoreConfig.builder().url("rediss://h:6380").client("jedis").build())
                .provider()
                .name())
        .isEqualTo("jedis");
  }

  @Test
  void namingTheOtherClientFailsWithItsArtifact() {
    MetadataStoreConfig cfg =
        MetadataStoreConfig.builder().url("redis://localhost:1").client("lettuce").build();
    assertThatThrownBy(() -> Backends.discover().openMetadataStore(cfg))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("vectorcache-redis-lettuce");
  }

  @Test
  void replicaReadsAreRefusedOffAClusterBeforeAnyIoNamingTheOptionAndTopology() {
    JedisOptions replicas = JedisOptions.builder().readFromReplicas(true).build();
    MetadataStoreConfig sentinel =
        MetadataStoreConfig.builder()
            .url("redis://localhost:1")
            .topology(Topology.sentinel("mymaster", List.of(HostAndPort.of("s1", 26379))))
            .adapterOptions(replicas)
            .build();
    assertThatThrownBy(() -> JedisMetadataStore.open(sentinel))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("readFromReplicas")
        .hasMessageContaining("sentinel")
        .hasMessageContaining("'jedis'");
    MetadataStoreConfig standalone =
        MetadataStoreConfig.builder().url("redis://localhost:1").adapterOptions(replicas).build();
    assertThatThrownBy(() -> JedisMetadataStore.open(standalone))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("readFromReplicas")
        .hasMessageContaining("standalone");
  }

  @Test
  void aTopologyRefreshPeriodOffAClusterIsRefusedAndAZeroPeriodToo() {
    MetadataStoreConfig c =
        MetadataStoreConfig.builder()
            .url("redis://localhost:1")
            .adapterOptions(
                JedisOptions.builder().topologyRefreshPeriod(Duration.ofSeconds(5)).build())
            .build();
    assertThatThrownBy(() -> JedisMetadataStore.open(c))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("topologyRefreshPeriod")
        .hasMessageContaining("standalone");
    assertThatThrownBy(() -> JedisOptions.builder().topologyRefreshPeriod(Duration.ZERO))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("topologyRefreshPeriod");
    JedisOptions o =
        JedisOptions.builder()
            .topologyRefreshPeriod(Duration.ofSeconds(5))
            .readFromReplicas(true)
            .build();
    assertThat(o.mutate().build()).isEqualTo(o).hasSameHashCodeAs(o);
    assertThat(o.topologyRefreshPeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(JedisOptions.defaults().topologyRefreshPeriod())
        .isEqualTo(JedisOptions.DEFAULT_TOPOLOGY_REFRESH_PERIOD);
    assertThat(o.toString()).contains("readFromReplicas=true");
  }

  @Test
  void aClusterWithADatabaseOtherThanZeroIsRefused() {
    MetadataStoreConfig.Builder b =
        MetadataStoreConfig.builder()
            .url("redis://localhost:1/3")
            .topology(Topology.cluster(List.of(HostAndPort.of("localhost", 1))));
    // spi refuses it already; the adapter checks again for configs built otherwise
    assertThatThrownBy(() -> JedisMetadataStore.open(b.build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("database");
  }

  @Test
  void unreachableSeedsAndSentinelsFailTypedNamingTheAddressesNeverThePassword() {
    MetadataStoreConfig cluster =
        MetadataStoreConfig.builder()
            .url("redis://u:s3cret-pw@127.0.0.1:1")
            .topology(
                Topology.cluster(
                    List.of(HostAndPort.of("127.0.0.1", 1), HostAndPort.of("127.0.0.1", 2))))
            .connectTimeout(Duration.ofMillis(300))
            .build();
    assertThatThrownBy(() -> JedisMetadataStore.open(cluster))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("127.0.0.1:1,127.0.0.1:2")
        .hasMessageNotContaining("s3cret-pw");
    MetadataStoreConfig sentinel =
        MetadataStoreConfig.builder()
            .url("redis://u:s3cret-pw@127.0.0.1:1")
            .topology(Topology.sentinel("vcmaster", List.of(HostAndPort.of("127.0.0.1", 1))))
            .connectTimeout(Duration.ofMillis(300))
            .build();
    assertThatThrownBy(() -> JedisMetadataStore.open(sentinel))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("vcmaster")
        .hasMessageNotContaining("s3cret-pw");
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
    assertThatThrownBy(() -> JedisMetadataStore.open(c))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("tls.clientCertificate")
        .hasMessageContaining("client.pem");
  }

  @Test
  void ownOptionsAreReadBackAndRefusedForTheOtherClient() {
    MetadataStoreConfig c =
        MetadataStoreConfig.builder()
            .url("redis://localhost:1")
            .adapterOptions(JedisOptions.builder().maxConnections(2).build())
            .build();
    assertThat(c.adapterOptions(JedisOptions.class))
        .contains(JedisOptions.builder().maxConnections(2).build());
    assertThat(Backends.discover().resolveMetadataStore(c).provider().name()).isEqualTo("jedis");
    assertThatThrownBy(() -> c.mutate().client("lettuce").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'jedis'")
        .hasMessageContaining("'lettuce'");
  }
}
