package dev.vectorcache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendsTest {
  /** A provider that is never opened: resolution alone is under test. */
  record FakeMeta(String name, Set<String> schemes, int priority, String artifact)
      implements MetadataStoreProvider {
    @Override
    public MetadataStore open(MetadataStoreConfig config) {
      throw new UnsupportedOperationException();
    }
  }

  record FakeVector(String name, Set<String> schemes, int priority, String artifact)
      implements VectorStoreProvider {
    @Override
    public VectorStore open(VectorStoreConfig config) {
      throw new UnsupportedOperationException();
    }
  }

  /** Options of a made-up adapter, to test that options for another adapter are refused. */
  record Opts(String adapter) implements AdapterOptions {}

  private static final FakeMeta LETTUCE =
      new FakeMeta("lettuce", Set.of("redis", "rediss"), 100, "l");
  private static final FakeMeta JEDIS = new FakeMeta("jedis", Set.of("redis", "rediss"), 50, "j");
  private static final FakeMeta MEMORY_META = new FakeMeta("memory", Set.of("memory"), 0, "m");
  private static final FakeVector MEMORY_VECTOR =
      new FakeVector("memory", Set.of("memory"), 0, "m");
  private static final FakeVector QDRANT =
      new FakeVector("qdrant-grpc", Set.of("grpc", "grpcs", "http", "https"), 100, "q");

  @Test
  void theHighestPriorityWinsAndTheReasonSaysSoInNeutralWords() {
    Backends b = Backends.of(List.of(), List.of(JEDIS, LETTUCE));
    Resolution<MetadataStoreProvider> r =
        b.resolveMetadataStore(MetadataStoreConfig.fromUrl("redis://h:1"));
    assertThat(r.provider()).isEqualTo(LETTUCE);
    assertThat(r.candidates()).containsExactly("lettuce", "jedis");
    assertThat(r.reason())
        .contains("highest priority")
        .contains("name another client explicitly")
        .doesNotContain("client(");
  }

  @Test
  void anExplicitClientNameWins() {
    Backends b = Backends.of(List.of(), List.of(JEDIS, LETTUCE));
    Resolution<MetadataStoreProvider> r =
        b.resolveMetadataStore(
            MetadataStoreConfig.builder().url("redis://h:1").client("JEDIS").build());
    assertThat(r.provider()).isEqualTo(JEDIS);
    assertThat(r.reason()).contains("named in the configuration");
  }

  @Test
  void aNamedClientThatIsMissingNamesItsArtifact() {
    Backends b = Backends.of(List.of(), List.of(LETTUCE));
    assertThatThrownBy(
            () ->
                b.resolveMetadataStore(
                    MetadataStoreConfig.builder().url("redis://h:1").client("jedis").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'jedis'")
        .hasMessageContaining("dev.vectorcache:vectorcache-redis-jedis")
        .hasMessageContaining("[lettuce]");
  }

  @Test
  void aSchemeWithoutProviderNamesTheArtifactToAdd() {
    Backends b = Backends.of(List.of(), List.of());
    assertThatThrownBy(() -> b.resolveVectorStore(VectorStoreConfig.fromUrl("grpc://h:6334")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dev.vectorcache:vectorcache-qdrant-grpc");
    assertThatThrownBy(() -> b.resolveMetadataStore(MetadataStoreConfig.embedded()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dev.vectorcache:vectorcache-in-memory");
  }

  @Test
  void anUnknownVectorStoreSchemeSuggestsVectorStoreUrlsOnly() {
    Backends b = Backends.of(List.of(MEMORY_VECTOR), List.of());
    assertThatThrownBy(() -> b.resolveVectorStore(VectorStoreConfig.fromUrl("ftp://h:1")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'ftp'")
        .hasMessageContaining("grpc://")
        .hasMessageContaining("http://")
        .hasMessageContaining("memory:")
        .hasMessageNotContaining("redis");
  }

  @Test
  void anUnknownMetadataStoreSchemeSuggestsMetadataStoreUrlsOnly() {
    Backends b = Backends.of(List.of(), List.of(MEMORY_META));
    assertThatThrownBy(() -> b.resolveMetadataStore(MetadataStoreConfig.fromUrl("ftp://h:1")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'ftp'")
        .hasMessageContaining("redis://")
        .hasMessageContaining("rediss://")
        .hasMessageContaining("memory:")
        .hasMessageNotContaining("grpc")
        .hasMessageNotContaining("http");
  }

  @Test
  void aClientOnTheClasspathThatCannotOpenTheSchemeSaysSoAndNamesWhichDoes() {
    Backends b = Backends.of(List.of(), List.of(LETTUCE, JEDIS, MEMORY_META));
    assertThatThrownBy(
            () ->
                b.resolveMetadataStore(
                    MetadataStoreConfig.builder().url("memory:").client("jedis").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'jedis' cannot open 'memory:'")
        .hasMessageContaining("[memory]")
        .hasMessageNotContaining("to the classpath");
  }

  @Test
  void aMetadataStoreClientQuestionListsMetadataStoreClientsOnly() {
    Backends b = Backends.of(List.of(QDRANT), List.of(LETTUCE));
    assertThatThrownBy(
            () ->
                b.resolveMetadataStore(
                    MetadataStoreConfig.builder().url("redis://h:1").client("nosuch").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("[jedis, lettuce, memory]")
        .hasMessageNotContaining("qdrant-grpc");
    assertThatThrownBy(
            () ->
                b.resolveVectorStore(
                    VectorStoreConfig.builder().url("grpc://h:1").client("lettuce").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("[memory, qdrant-grpc]")
        .hasMessageContaining("opens metadata stores")
        .hasMessageNotContaining("jedis");
  }

  @Test
  void hostAndPortWithoutSchemeGetsAHintForTheRole() {
    assertThatThrownBy(() -> MetadataStoreConfig.fromUrl("localhost:16999"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("write redis://localhost:16999");
    assertThatThrownBy(() -> VectorStoreConfig.fromUrl("localhost:16999"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("write grpc://localhost:16999");
    assertThatThrownBy(() -> MetadataStoreConfig.fromUrl("cache.internal"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("write redis://cache.internal");
  }

  @Test
  void optionsForAnotherAdapterThanTheChosenOneNameBoth() {
    Backends b = Backends.of(List.of(), List.of(LETTUCE, JEDIS));
    MetadataStoreConfig config =
        MetadataStoreConfig.builder().url("redis://h:1").adapterOptions(new Opts("jedis")).build();
    assertThatThrownBy(() -> b.resolveMetadataStore(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'jedis'")
        .hasMessageContaining("'lettuce'");
    assertThat(b.resolveMetadataStore(config.mutate().client("jedis").build()).provider())
        .isEqualTo(JEDIS);
  }

  @Test
  void theOpenedLineNamesProviderAndReasonAndMasksTheUrl() {
    Backends b = Backends.of(List.of(), List.of(JEDIS, LETTUCE));
    MetadataStoreConfig c = MetadataStoreConfig.fromUrl("redis://app:CANARY-pw@h:1/0");
    Resolution<MetadataStoreProvider> r = b.resolveMetadataStore(c);
    String line =
        Backends.openedMessage(Role.METADATA, r.provider().name(), c.maskedUrl(), r.reason());
    assertThat(line)
        .startsWith("opened metadata store redis://****@h:1/0 with provider 'lettuce'")
        .contains("highest priority")
        .doesNotContain("CANARY-pw");
  }

  @Test
  void aUrlWithAPasswordIsMaskedInErrors() {
    assertThatThrownBy(() -> MetadataStoreConfig.fromUrl("nocolon-user:CANARY-x@host"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageNotContaining("CANARY-x");
  }
}
