package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.MetadataStoreProvider;
import dev.vectorcache.spi.VectorStoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BackendsDiscoveryTest {
  private final Backends backends = Backends.discover();

  @Test
  void providersAreRegisteredForServiceLoader() {
    assertThat(backends.vectorStoreProviders())
        .anySatisfy(p -> assertThat(p).isInstanceOf(InMemoryVectorStoreProvider.class));
    assertThat(backends.metadataStoreProviders())
        .anySatisfy(p -> assertThat(p).isInstanceOf(InMemoryMetadataStoreProvider.class));
    InMemoryVectorStoreProvider p = new InMemoryVectorStoreProvider();
    assertThat(p.name()).isEqualTo("memory");
    assertThat(p.schemes()).containsExactly("memory");
    assertThat(p.priority()).isZero();
    assertThat(p.artifact()).isEqualTo("dev.vectorcache:vectorcache-in-memory");
  }

  @Test
  void memoryUrlOpensANewPrivateVectorStoreEachTime() {
    try (VectorStore a = backends.openVectorStore("memory:");
        VectorStore b = backends.openVectorStore("memory:")) {
      assertThat(a).isInstanceOf(InMemoryVectorStore.class).isNotSameAs(b);
      a.createCollection("only-in-a", CollectionConfig.builder(2, Distance.DOT).build());
      assertThat(b.collectionExists("only-in-a")).isFalse();
    }
  }

  @Test
  void theEmbeddedConveniencesOpenTheInProcessStores() {
    try (VectorStore v = backends.openEmbeddedVectorStore();
        MetadataStore m = backends.openEmbeddedMetadataStore()) {
      assertThat(v).isInstanceOf(InMemoryVectorStore.class);
      assertThat(m).isInstanceOf(InMemoryMetadataStore.class);
    }
    AsyncVectorStore async = backends.openAsyncVectorStore(VectorStoreConfig.embedded());
    assertThat(async.blocking()).isInstanceOf(InMemoryVectorStore.class);
    assertThat(backends.resolveVectorStore(VectorStoreConfig.embedded()).reason())
        .contains("only provider");
  }

  @Test
  void namedMemoryStoresAreSharedAndSurviveAHandleClose() {
    String name = "memory:shared-" + UUID.randomUUID();
    VectorStore first = backends.openVectorStore(name);
    first.createCollection("shared", CollectionConfig.builder(2, Distance.DOT).build());
    first.close();
    try (VectorStore second = backends.openVectorStore(name)) {
      assertThat(second).isSameAs(first);
      assertThat(second.collectionExists("shared")).isTrue();
    }
    try (VectorStore other = backends.openVectorStore(name + "-other")) {
      assertThat(other.collectionExists("shared")).isFalse();
    }
  }

  @Test
  void namedMetadataStoresAreShared() {
    String name = "memory:meta-" + UUID.randomUUID();
    MetadataStore first = backends.openMetadataStore(name);
    first.put(new MetadataEntry("k", Map.of("v", 1L), 1, Instant.now()), Duration.ofMinutes(1));
    first.close();
    try (MetadataStore second = backends.openMetadataStore(MetadataStoreConfig.fromUrl(name))) {
      assertThat(second.get("k")).isPresent();
    }
    try (MetadataStore priv = backends.openMetadataStore("memory:")) {
      assertThat(priv.get("k")).isEmpty();
    }
  }

  @Test
  void unknownSchemeIsAConfigurationError() {
    assertThatThrownBy(() -> backends.openVectorStore("ftp://host:21"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'ftp'");
  }

  @Test
  void aClientThatCannotOpenMemoryDoesNotAskToAddWhatIsThere() {
    Backends withJedis =
        Backends.of(
            backends.vectorStoreProviders(),
            List.of(new InMemoryMetadataStoreProvider(), new FakeJedis()));
    MetadataStoreConfig jedis =
        MetadataStoreConfig.builder().url("memory:").client("jedis").build();
    assertThatThrownBy(() -> withJedis.openMetadataStore(jedis))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'jedis' cannot open 'memory:' URLs")
        .hasMessageContaining("redis, rediss")
        .hasMessageContaining("[memory]")
        .hasMessageNotContaining("to the classpath");
  }

  @Test
  void embeddedOptionsAreRefusedForASharedStoreAndForAnotherAdapter() {
    VectorStoreConfig shared =
        VectorStoreConfig.builder()
            .url("memory:shared-dir")
            .adapterOptions(EmbeddedOptions.builder().mmapDirectory(Path.of("x")).build())
            .build();
    assertThatThrownBy(() -> backends.openVectorStore(shared))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("mmapDirectory");
    VectorStoreConfig.Builder forQdrant =
        VectorStoreConfig.builder()
            .url("grpc://localhost:6334")
            .adapterOptions(EmbeddedOptions.builder().build())
            .client("qdrant-grpc");
    assertThatThrownBy(forQdrant::build)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'memory'")
        .hasMessageContaining("'qdrant-grpc'");
  }

  /** A jedis provider that is never opened: only its name and schemes matter here. */
  static final class FakeJedis implements MetadataStoreProvider {
    @Override
    public String name() {
      return "jedis";
    }

    @Override
    public Set<String> schemes() {
      return Set.of("redis", "rediss");
    }

    @Override
    public int priority() {
      return 50;
    }

    @Override
    public String artifact() {
      return "dev.vectorcache:vectorcache-redis-jedis";
    }

    @Override
    public MetadataStore open(MetadataStoreConfig config) {
      throw new UnsupportedOperationException("resolution only");
    }
  }

  @Test
  void unknownClientNameNamesTheArtifact() {
    VectorStoreConfig named =
        VectorStoreConfig.builder().url("memory:").client("qdrant-grpc").build();
    assertThatThrownBy(() -> backends.openVectorStore(named))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dev.vectorcache:vectorcache-qdrant-grpc");
    MetadataStoreConfig lettuce =
        MetadataStoreConfig.builder().url("memory:").client("lettuce").build();
    assertThatThrownBy(() -> backends.openMetadataStore(lettuce))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dev.vectorcache:vectorcache-redis-lettuce");
    VectorStoreConfig memory = VectorStoreConfig.builder().url("memory:").client("memory").build();
    try (VectorStore s = backends.openVectorStore(memory)) {
      assertThat(s).isInstanceOf(InMemoryVectorStore.class);
    }
  }

  @Test
  void missingProviderNamesTheArtifact() {
    assertThatThrownBy(() -> backends.openVectorStore("grpc://localhost:6334"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dev.vectorcache:vectorcache-qdrant-grpc");
    assertThatThrownBy(() -> backends.openMetadataStore("redis://localhost:6379"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dev.vectorcache:vectorcache-redis-lettuce");
    Backends none = Backends.of(List.of(), List.of());
    assertThatThrownBy(() -> none.openVectorStore("memory:"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dev.vectorcache:vectorcache-in-memory");
    assertThatThrownBy(() -> none.openMetadataStore("memory:"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dev.vectorcache:vectorcache-in-memory");
  }
}
