package dev.vectorcache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.Topology;
import dev.vectorcache.spi.VectorStoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreConfigsTest {
  @Test
  void everyVectorStorePropertyReachesTheConfig() {
    VectorCacheProperties.VectorStore p = new VectorCacheProperties.VectorStore();
    p.setUrl("grpcs://qdrant.example:6334");
    p.setClient("qdrant-grpc");
    p.setApiKey("k-secret");
    p.setTimeout(Duration.ofSeconds(3));
    p.getTls().setTrustedCertificates(Path.of("/etc/ca.pem"));
    p.getTls().setClientCertificate(Path.of("/etc/client.pem"));
    p.getTls().setClientKey(Path.of("/etc/client.key"));
    p.getTls().setKeyPassword("kp");
    p.getTls().setVerifyHostname(false);
    VectorStoreConfig c = StoreConfigs.vectorStore(p);
    assertThat(c.url()).isEqualTo("grpcs://qdrant.example:6334");
    assertThat(c.client()).isEqualTo("qdrant-grpc");
    assertThat(c.apiKey()).isEqualTo("k-secret");
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.tls().trustedCertificates()).contains(Path.of("/etc/ca.pem"));
    assertThat(c.tls().clientCertificate()).contains(Path.of("/etc/client.pem"));
    assertThat(c.tls().clientKey()).contains(Path.of("/etc/client.key"));
    assertThat(c.tls().keyPassword())
        .hasValueSatisfying(pw -> assertThat(pw).isEqualTo("kp".toCharArray()));
    assertThat(c.tls().verifyHostname()).isFalse();
    assertThat(c.toString()).doesNotContain("k-secret");
  }

  @Test
  void everyMetadataStorePropertyReachesTheConfig() {
    VectorCacheProperties.MetadataStore p = new VectorCacheProperties.MetadataStore();
    p.setUrl("rediss://redis.example:6380/2");
    p.setClient(MetadataClient.JEDIS);
    p.setUsername("app");
    p.setPassword("p-secret");
    p.setDatabase(3);
    p.setKeyPrefix("app:");
    p.setClientName("my-app");
    p.setCommandTimeout(Duration.ofMillis(500));
    p.setConnectTimeout(Duration.ofSeconds(1));
    p.getTls().setTrustedCertificates(Path.of("/etc/ca.pem"));
    MetadataStoreConfig c = StoreConfigs.metadataStore(p);
    assertThat(c.url()).isEqualTo("rediss://redis.example:6380/2");
    assertThat(c.client()).isEqualTo("jedis");
    assertThat(c.username()).isEqualTo("app");
    assertThat(c.password()).isEqualTo("p-secret");
    assertThat(c.database()).isEqualTo(3);
    assertThat(c.keyPrefix()).isEqualTo("app:");
    assertThat(c.clientName()).isEqualTo("my-app");
    assertThat(c.commandTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.tls().trustedCertificates()).contains(Path.of("/etc/ca.pem"));
    assertThat(c.toString()).doesNotContain("p-secret");
  }

  @Test
  void urlCredentialsAndDatabaseWhenThePropertiesAreUnsetAndBlankClientNameSendsNone() {
    VectorCacheProperties.MetadataStore p = new VectorCacheProperties.MetadataStore();
    p.setUrl("redis://u:url-pw@h:6379/4");
    p.setClientName(" ");
    MetadataStoreConfig c = StoreConfigs.metadataStore(p);
    assertThat(c.username()).isEqualTo("u");
    assertThat(c.password()).isEqualTo("url-pw");
    assertThat(c.database()).isEqualTo(4);
    assertThat(c.client()).isNull();
    assertThat(c.clientName()).isNull();
  }

  @Test
  void clusterAndSentinelTopologies() {
    VectorCacheProperties.MetadataStore p = new VectorCacheProperties.MetadataStore();
    p.setUrl("redis://h1:7000,h2:7001?cluster=true");
    assertThat(StoreConfigs.metadataStore(p).topology()).get().isInstanceOf(Topology.Cluster.class);
    p.setUrl("redis-sentinel://s1:26379,s2:26379?sentinelMasterId=mymaster");
    assertThat(StoreConfigs.metadataStore(p).topology())
        .get()
        .isInstanceOfSatisfying(
            Topology.Sentinel.class, s -> assertThat(s.masterName()).isEqualTo("mymaster"));
  }

  @Test
  void refusalsNameTheProperty() {
    VectorCacheProperties.MetadataStore p = new VectorCacheProperties.MetadataStore();
    p.setDatabase(-1);
    assertThatThrownBy(() -> StoreConfigs.metadataStore(p))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("vectorcache.metadata-store.database: ");
    VectorCacheProperties.MetadataStore tls = new VectorCacheProperties.MetadataStore();
    tls.getTls().setClientKey(Path.of("/k.pem"));
    assertThatThrownBy(() -> StoreConfigs.metadataStore(tls))
        .hasMessageStartingWith("vectorcache.metadata-store.tls: ")
        .hasMessageContaining("clientCertificate");
    VectorCacheProperties.VectorStore v = new VectorCacheProperties.VectorStore();
    v.setTimeout(Duration.ZERO);
    assertThatThrownBy(() -> StoreConfigs.vectorStore(v))
        .hasMessageStartingWith("vectorcache.vector-store.timeout: ");
  }

  @Test
  void maskUrlHidesUserInfoAndQueryValuesButNotTheTopologyParameters() {
    assertThat(StoreConfigs.maskUrl("redis://u:pw@h:1/0")).isEqualTo("redis://****@h:1/0");
    assertThat(StoreConfigs.maskUrl("redis://h1:1,h2:2?cluster=true"))
        .isEqualTo("redis://h1:1,h2:2?cluster=true");
    assertThat(StoreConfigs.maskUrl("redis-sentinel://:pw@s:1?sentinelMasterId=m&token=t&flag"))
        .isEqualTo("redis-sentinel://****@s:1?sentinelMasterId=m&token=****&flag");
    assertThat(StoreConfigs.maskUrl("not a url @ all")).isEqualTo("****@ all");
    assertThat(StoreConfigs.maskUrl("memory:")).isEqualTo("memory:");
  }
}
