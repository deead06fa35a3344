package dev.vectorcache.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.spi.AdapterOptions;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.TlsConfig;
import dev.vectorcache.spi.Topology;
import dev.vectorcache.spi.VectorStoreConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Options and the settings the adapter refuses at open, before any I/O (no server needed). */
class QdrantGrpcOptionsTest {
  /** Options of another adapter. */
  record OtherOptions(String adapter) implements AdapterOptions {}

  @Test
  void defaultsAreTheConstantsAndMutateKeepsValues() {
    QdrantGrpcOptions d = QdrantGrpcOptions.defaults();
    assertThat(d.maxRetries()).isEqualTo(QdrantGrpcOptions.DEFAULT_MAX_RETRIES);
    assertThat(d.retryBackoff()).isEqualTo(QdrantGrpcOptions.DEFAULT_RETRY_BACKOFF);
    assertThat(d.checkCompatibility()).isTrue();
    QdrantGrpcOptions m = d.mutate().maxRetries(0).build();
    assertThat(m.maxRetries()).isZero();
    assertThat(m.mutate().build()).isEqualTo(m);
    assertThatThrownBy(() -> QdrantGrpcOptions.builder().maxRetries(-1))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("maxRetries");
    VectorStoreConfig c = VectorStoreConfig.builder().url("grpc://h").adapterOptions(m).build();
    assertThat(c.adapterOptions(QdrantGrpcOptions.class)).contains(m);
  }

  @Test
  void aClusterTopologyIsRefusedNamingTheSetting() {
    VectorStoreConfig c =
        VectorStoreConfig.builder()
            .url("grpc://h:6334")
            .topology(Topology.cluster(List.of(HostAndPort.of("a", 6334))))
            .build();
    assertThatThrownBy(() -> QdrantVectorStore.open(c))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("topology")
        .hasMessageContaining("cluster")
        .hasMessageContaining("qdrant-grpc");
  }

  @Test
  void unreadableTlsFilesAreRefusedAtOpenBeforeAnyIoNamingTheSetting() {
    VectorStoreConfig ca =
        VectorStoreConfig.builder()
            .url("grpcs://h:6334")
            .tls(TlsConfig.builder().trustedCertificates(Path.of("ca.pem")).build())
            .build();
    assertThatThrownBy(() -> QdrantVectorStore.open(ca))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("tls.trustedCertificates")
        .hasMessageContaining("ca.pem");
  }

  @Test
  void optionsForAnotherAdapterNameBoth() {
    VectorStoreConfig c =
        VectorStoreConfig.builder()
            .url("grpc://h:6334")
            .adapterOptions(new OtherOptions("memory"))
            .build();
    assertThatThrownBy(() -> Backends.discover().openVectorStore(c))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'memory'")
        .hasMessageContaining("'qdrant-grpc'");
    assertThatThrownBy(() -> QdrantVectorStore.open(c))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'qdrant-grpc'");
  }
}
