package dev.vectorcache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.ConfigurationException;
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
    public MetadataStore open(RedisConfig config) {
      throw new UnsupportedOperationException();
    }
  }

  record FakeVector(String name, Set<String> schemes, int priority, String artifact)
      implements VectorStoreProvider {
    @Override
    public VectorStore open(QdrantConfig config) {
      throw new UnsupportedOperationException();
    }
  }

  private static final FakeMeta LETTUCE =
      new FakeMeta("lettuce", Set.of("redis", "rediss"), 100, "l");
  private static final FakeMeta JEDIS = new FakeMeta("jedis", Set.of("redis", "rediss"), 50, "j");

  @Test
  void theHighestPriorityWinsAndTheReasonSaysSo() {
    Backends b = Backends.of(List.of(), List.of(JEDIS, LETTUCE));
    Resolution<MetadataStoreProvider> r =
        b.resolveMetadataStore(RedisConfig.fromUrl("redis://h:1"));
    assertThat(r.provider()).isEqualTo(LETTUCE);
    assertThat(r.candidates()).containsExactly("lettuce", "jedis");
    assertThat(r.reason()).contains("highest priority").contains("client(");
  }

  @Test
  void anExplicitClientNameWins() {
    Backends b = Backends.of(List.of(), List.of(JEDIS, LETTUCE));
    Resolution<MetadataStoreProvider> r =
        b.resolveMetadataStore(RedisConfig.builder().url("redis://h:1").client("JEDIS").build());
    assertThat(r.provider()).isEqualTo(JEDIS);
    assertThat(r.reason()).contains("named in the configuration");
  }

  @Test
  void aNamedClientThatIsMissingNamesItsArtifact() {
    Backends b = Backends.of(List.of(), List.of(LETTUCE));
    assertThatThrownBy(
            () ->
                b.resolveMetadataStore(
                    RedisConfig.builder().url("redis://h:1").client("jedis").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'jedis'")
        .hasMessageContaining("dev.vectorcache:vectorcache-redis-jedis")
        .hasMessageContaining("[lettuce]");
  }

  @Test
  void aSchemeWithoutProviderNamesTheArtifactToAdd() {
    Backends b = Backends.of(List.of(), List.of());
    assertThatThrownBy(() -> b.resolveVectorStore(QdrantConfig.fromUrl("grpc://h:6334")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dev.vectorcache:vectorcache-qdrant-grpc");
    assertThatThrownBy(() -> b.resolveMetadataStore(RedisConfig.fromUrl(null)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dev.vectorcache:vectorcache-in-memory");
  }

  @Test
  void anUnknownSchemeListsTheKnownOnes() {
    Backends b =
        Backends.of(List.of(new FakeVector("memory", Set.of("memory"), 0, "m")), List.of());
    assertThatThrownBy(() -> b.resolveVectorStore(QdrantConfig.fromUrl("ftp://h:1")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'ftp'")
        .hasMessageContaining("grpc")
        .hasMessageContaining("memory");
  }

  @Test
  void aUrlWithAPasswordIsMaskedInErrors() {
    assertThatThrownBy(() -> RedisConfig.fromUrl("nocolon-user:CANARY-x@host"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageNotContaining("CANARY-x");
  }
}
