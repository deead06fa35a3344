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
import java.time.Duration;
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
  void replicaReadsOnASingleNodeAreRefusedAtOpenNamingTheOptionTopologyAndAdapter() {
    MetadataStoreConfig c =
        MetadataStoreConfig.builder()
            .url("redis://localhost:1")
            .adapterOptions(
                LettuceOptions.builder()
                    .replicaReads(LettuceOptions.ReplicaReads.REPLICA_PREFERRED)
                    .build())
            .build();
    // refused before any I/O: nothing listens on port 1, so a connect would fail differently
    assertThatThrownBy(() -> LettuceMetadataStore.open(c))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("LettuceOptions.replicaReads")
        .hasMessageContaining("standalone")
        .hasMessageContaining("'lettuce'");
  }

  @Test
  void clusterSettingsForAnotherTopologyAreRefusedAtOpen() {
    MetadataStoreConfig c =
        MetadataStoreConfig.builder()
            .url("redis://localhost:1")
            .topology(Topology.sentinel("mymaster", List.of(HostAndPort.of("s1", 26379))))
            .adapterOptions(
                LettuceOptions.builder().topologyRefreshPeriod(Duration.ofSeconds(5)).build())
            .build();
    assertThatThrownBy(() -> LettuceMetadataStore.open(c))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("topologyRefreshPeriod")
        .hasMessageContaining("sentinel")
        .hasMessageContaining("'lettuce'");
    MetadataStoreConfig standalone =
        MetadataStoreConfig.builder()
            .url("redis://localhost:1")
            .adapterOptions(
                LettuceOptions.builder().adaptiveRefreshTimeout(Duration.ofSeconds(5)).build())
            .build();
    assertThatThrownBy(() -> LettuceMetadataStore.open(standalone))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("adaptiveRefreshTimeout")
        .hasMessageContaining("standalone");
  }

  @Test
  void aDatabaseOtherThanZeroOnAClusterIsAConfigurationError() {
    // spi refuses it when the config is built; the adapter checks again at open, before any I/O
    assertThatThrownBy(
            () ->
                LettuceMetadataStore.open(
                    MetadataStoreConfig.builder()
                        .url("redis://localhost:1/3")
                        .topology(Topology.cluster(List.of(HostAndPort.of("127.0.0.1", 7000))))
                        .build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("database");
  }

  @Test
  void optionsValidateTheirValuesAndRoundTrip() {
    LettuceOptions o =
        LettuceOptions.builder()
            .replicaReads(LettuceOptions.ReplicaReads.REPLICA_PREFERRED)
            .topologyRefreshPeriod(Duration.ofSeconds(10))
            .adaptiveRefreshTimeout(Duration.ofMillis(500))
            .build();
    assertThat(o.mutate().build()).isEqualTo(o).hasSameHashCodeAs(o);
    assertThat(o).isNotEqualTo(LettuceOptions.defaults());
    assertThat(o.toString())
        .contains("replicaReads=REPLICA_PREFERRED", "topologyRefreshPeriod=PT10S");
    assertThat(LettuceOptions.defaults().replicaReads())
        .isEqualTo(LettuceOptions.ReplicaReads.PRIMARY);
    assertThatThrownBy(() -> LettuceOptions.builder().topologyRefreshPeriod(Duration.ZERO))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("LettuceOptions.topologyRefreshPeriod")
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> LettuceOptions.builder().adaptiveRefreshTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("LettuceOptions.adaptiveRefreshTimeout");
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
