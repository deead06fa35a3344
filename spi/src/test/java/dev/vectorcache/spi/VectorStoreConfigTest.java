package dev.vectorcache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VectorStoreConfigTest {
  @Test
  void httpRestPortMapsToGrpcPortAndGrpcDefaultsTo6334() {
    assertThat(VectorStoreConfig.fromUrl("http://localhost:6333").topology())
        .contains(Topology.standalone(HostAndPort.of("localhost", 6334)));
    assertThat(VectorStoreConfig.fromUrl("https://q.example").topology())
        .contains(Topology.standalone(HostAndPort.of("q.example", 6334)));
    assertThat(VectorStoreConfig.fromUrl("grpc://h").topology())
        .contains(Topology.standalone(HostAndPort.of("h", VectorStoreConfig.DEFAULT_GRPC_PORT)));
    assertThat(VectorStoreConfig.fromUrl("http://h:7000").topology())
        .contains(Topology.standalone(HostAndPort.of("h", 7000)));
    assertThat(VectorStoreConfig.fromUrl("grpcs://h:1").tlsEnabled()).isTrue();
  }

  @Test
  void embeddedIsTheDefaultAndNullPointsAtIt() {
    VectorStoreConfig e = VectorStoreConfig.embedded();
    assertThat(e.isEmbedded()).isTrue();
    assertThat(e.url()).isEqualTo(VectorStoreConfig.EMBEDDED_URL);
    assertThat(e.timeout()).isEqualTo(VectorStoreConfig.DEFAULT_TIMEOUT);
    assertThat(VectorStoreConfig.fromUrl("memory:x").memoryName()).isEqualTo("x");
    assertThat(VectorStoreConfig.fromUrl("MEMORY: x ").memoryName()).isEqualTo("x");
    assertThat(VectorStoreConfig.fromUrl("grpc://h:6334").memoryName()).isEmpty();
    assertThatThrownBy(() -> VectorStoreConfig.fromUrl(null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("VectorStoreConfig.embedded()");
    assertThatThrownBy(() -> VectorStoreConfig.fromUrl(" "))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("embedded()");
  }

  @Test
  void theApiKeyNeverAppearsInToString() {
    VectorStoreConfig c =
        VectorStoreConfig.builder().url("grpc://h:6334").apiKey("CANARY-key").build();
    assertThat(c.toString()).doesNotContain("CANARY-key").contains("****");
    assertThat(c.mutate().timeout(Duration.ofSeconds(3)).build().apiKey()).isEqualTo("CANARY-key");
  }

  @Test
  void badSettingsNameTheField() {
    assertThatThrownBy(() -> VectorStoreConfig.builder().timeout(Duration.ofSeconds(-1)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("timeout");
    assertThatThrownBy(
            () ->
                VectorStoreConfig.builder()
                    .url("grpc://h")
                    .tls(TlsConfig.builder().verifyHostname(false).build())
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("grpcs://");
  }
}
