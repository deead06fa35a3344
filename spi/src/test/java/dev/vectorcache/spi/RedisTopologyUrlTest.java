package dev.vectorcache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.ConfigurationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisTopologyUrlTest {
  @Test
  void clusterSeedsWithTheClusterFlag() {
    MetadataStoreConfig c =
        MetadataStoreConfig.fromUrl("redis://app:s3cret@h1:7000,h2,[::1]:7002?cluster=true");
    assertThat(c.topology())
        .contains(
            Topology.cluster(
                List.of(
                    HostAndPort.of("h1", 7000),
                    HostAndPort.of("h2", 6379),
                    HostAndPort.of("[::1]", 7002))));
    assertThat(c.username()).isEqualTo("app");
    assertThat(c.password()).isEqualTo("s3cret");
    assertThat(c.database()).isZero();
    assertThat(c.tlsEnabled()).isFalse();
    assertThat(c.maskedUrl()).doesNotContain("s3cret").startsWith("redis://****@h1:7000,h2");
    assertThat(c.toString()).doesNotContain("s3cret");
    // one seed is enough; cluster=false is the single node
    assertThat(MetadataStoreConfig.fromUrl("rediss://h1:7000?cluster=true").topology())
        .contains(Topology.cluster(List.of(HostAndPort.of("h1", 7000))));
    assertThat(MetadataStoreConfig.fromUrl("rediss://h1:7000?cluster=true").tlsEnabled()).isTrue();
    assertThat(MetadataStoreConfig.fromUrl("redis://h1:7000/3?cluster=false").topology())
        .contains(Topology.standalone(HostAndPort.of("h1", 7000)));
  }

  @Test
  void sentinelUrlsInLettucesForm() {
    MetadataStoreConfig c =
        MetadataStoreConfig.fromUrl(
            "redis-sentinel://:pw@s1:26380,s2/2?sentinelMasterId=my%20primary");
    assertThat(c.topology())
        .contains(
            Topology.sentinel(
                "my primary", List.of(HostAndPort.of("s1", 26380), HostAndPort.of("s2", 26379))));
    assertThat(c.database()).isEqualTo(2);
    assertThat(c.password()).isEqualTo("pw");
    assertThat(c.scheme()).isEqualTo("redis-sentinel");
    assertThat(c.tlsEnabled()).isFalse();
    MetadataStoreConfig tls =
        MetadataStoreConfig.builder()
            .url("rediss-sentinel://s1?sentinelMasterId=m")
            .tls(TlsConfig.builder().verifyHostname(false).build())
            .build();
    assertThat(tls.tlsEnabled()).isTrue();
  }

  @Test
  void ambiguousOrIncompleteFormsAreConfigurationErrors() {
    assertThatThrownBy(() -> MetadataStoreConfig.fromUrl("redis://h1:7000,h2:7001"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("2 hosts and no cluster=true")
        .hasMessageContaining("?cluster=true");
    assertThatThrownBy(() -> MetadataStoreConfig.fromUrl("redis://h1:7000/1?cluster=true"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("database")
        .hasMessageContaining("\"1\"");
    assertThatThrownBy(
            () ->
                MetadataStoreConfig.builder()
                    .url("redis://h1:7000?cluster=true")
                    .database(4)
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("invalid database")
        .hasMessageContaining("found 4");
    assertThatThrownBy(
            () ->
                MetadataStoreConfig.builder()
                    .url("redis://h1:7000/2")
                    .topology(Topology.cluster(List.of(HostAndPort.of("h1", 7000))))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("found 2");
    assertThatThrownBy(
            () ->
                MetadataStoreConfig.builder()
                    .url("redis://h1:7000,h2:7001?cluster=true")
                    .topology(Topology.cluster(List.of(HostAndPort.of("h1", 7000))))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("named once");
    assertThatThrownBy(() -> MetadataStoreConfig.fromUrl("redis-sentinel://s1:26379"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("sentinelMasterId");
    assertThatThrownBy(() -> MetadataStoreConfig.fromUrl("redis://h1?cluster=yes"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("true or false");
    assertThatThrownBy(() -> MetadataStoreConfig.fromUrl("redis://h1,,h2?cluster=true"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no host");
    assertThatThrownBy(() -> MetadataStoreConfig.fromUrl("redis://h1?cluster=true&cluster=true"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("twice");
  }

  @Test
  void otherParametersAreRefusedByNameNeverByValue() {
    assertThatThrownBy(
            () -> MetadataStoreConfig.fromUrl("redis://h1?cluster=true&password=hunter2"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("[password]")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(
            () ->
                MetadataStoreConfig.fromUrl("redis-sentinel://s1?sentinelMasterId=m&cluster=true"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("[cluster]");
    assertThatThrownBy(() -> MetadataStoreConfig.fromUrl("redis://u:hunter2@h1?timeout=5"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("[timeout]")
        .hasMessageNotContaining("hunter2");
  }
}
