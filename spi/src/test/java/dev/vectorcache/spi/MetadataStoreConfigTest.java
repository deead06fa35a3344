package dev.vectorcache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataStoreConfigTest {
  private static final String CANARY = "CANARY-p4ss-1f9e";

  record Opts(String adapter) implements AdapterOptions {}

  @Test
  void readsUserPasswordAndDatabaseFromTheUrl() {
    MetadataStoreConfig c =
        MetadataStoreConfig.fromUrl("redis://app:" + CANARY + "@cache.local:6380/3");
    assertThat(c.scheme()).isEqualTo("redis");
    assertThat(c.topology()).contains(Topology.standalone(HostAndPort.of("cache.local", 6380)));
    assertThat(c.username()).isEqualTo("app");
    assertThat(c.password()).isEqualTo(CANARY);
    assertThat(c.database()).isEqualTo(3);
    assertThat(c.tlsEnabled()).isFalse();
  }

  @Test
  void passwordOnlyFormTlsAndDefaults() {
    MetadataStoreConfig c = MetadataStoreConfig.fromUrl("rediss://" + CANARY + "@cache.local");
    assertThat(c.tlsEnabled()).isTrue();
    assertThat(c.topology())
        .contains(
            Topology.standalone(HostAndPort.of("cache.local", MetadataStoreConfig.DEFAULT_PORT)));
    assertThat(c.username()).isNull();
    assertThat(c.password()).isEqualTo(CANARY);
    assertThat(c.keyPrefix()).isEqualTo(MetadataStoreConfig.DEFAULT_KEY_PREFIX);
    assertThat(c.commandTimeout()).isEqualTo(MetadataStoreConfig.DEFAULT_COMMAND_TIMEOUT);
    assertThat(c.tls()).isEqualTo(TlsConfig.defaults());
  }

  @Test
  void embeddedIsTheInProcessStoreAndNullPointsThere() {
    MetadataStoreConfig e = MetadataStoreConfig.embedded();
    assertThat(e.isEmbedded()).isTrue();
    assertThat(e.topology()).isEmpty();
    assertThat(MetadataStoreConfig.fromUrl("memory:shared").memoryName()).isEqualTo("shared");
    assertThatThrownBy(() -> MetadataStoreConfig.fromUrl(null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("MetadataStoreConfig.embedded()");
  }

  @Test
  void builderValuesSetAfterTheUrlWinAndMutateKeepsEverything() {
    MetadataStoreConfig c =
        MetadataStoreConfig.builder()
            .url("redis://u:p@h:1/2")
            .database(5)
            .password("other")
            .topology(
                Topology.sentinel("m", List.of(HostAndPort.of("a", 1), HostAndPort.of("b", 2))))
            .adapterOptions(new Opts("x"))
            .build();
    assertThat(c.database()).isEqualTo(5);
    assertThat(c.password()).isEqualTo("other");
    MetadataStoreConfig m = c.mutate().commandTimeout(Duration.ofMillis(300)).build();
    assertThat(m.commandTimeout()).isEqualTo(Duration.ofMillis(300));
    assertThat(m.topology()).get().isInstanceOf(Topology.Sentinel.class);
    assertThat(m.adapterOptions(Opts.class)).contains(new Opts("x"));
  }

  @Test
  void thePasswordNeverAppearsInToStringOrTheMaskedUrl() {
    MetadataStoreConfig c =
        MetadataStoreConfig.fromUrl("redis://app:" + CANARY + "@cache.local:6380/3");
    assertThat(c.toString()).doesNotContain(CANARY).contains("****");
    assertThat(c.maskedUrl()).isEqualTo("redis://****@cache.local:6380/3");
    assertThat(MetadataStoreConfig.builder().password(CANARY).build().toString())
        .doesNotContain(CANARY);
    TlsConfig tls =
        TlsConfig.builder()
            .clientCertificate(Path.of("c.pem"))
            .clientKey(Path.of("k.pem"))
            .keyPassword(CANARY.toCharArray())
            .build();
    assertThat(MetadataStoreConfig.builder().url("rediss://h").tls(tls).build().toString())
        .doesNotContain(CANARY);
  }

  @Test
  void everyFormOfCredentialInTheUrlIsMasked() {
    List<String> urls =
        List.of(
            "redis://cache.local:6380/3?password=" + CANARY,
            "redis://cache.local:6380?PassWord=" + CANARY + "&timeout=5s",
            "redis://cache.local:6380?timeout=5s&pwd=" + CANARY,
            "rediss://cache.local?api-key=" + CANARY + "&token=" + CANARY,
            "redis://:" + CANARY + "@cache.local:6380?auth=" + CANARY,
            "redis://cache.local?password=a@" + CANARY);
    for (String url : urls) {
      // query parameters are not read, so a config refuses them (naming them, never their values)
      assertThatThrownBy(() -> MetadataStoreConfig.fromUrl(url))
          .as(url)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("expected no query parameters")
          .hasMessageNotContaining(CANARY);
      assertThat(Urls.mask(url)).as(url).doesNotContain(CANARY).contains("****");
    }
    MetadataStoreConfig c = MetadataStoreConfig.fromUrl("redis://" + CANARY + "@cache.local");
    assertThat(c.toString()).doesNotContain(CANARY).contains("****");
    assertThat(c.maskedUrl()).doesNotContain(CANARY);
    // what is not a credential stays readable
    assertThat(Urls.mask("redis://h:1?password=x&timeout=5s"))
        .isEqualTo("redis://h:1?password=****&timeout=5s");
    assertThat(Urls.mask("redis://h:1/2?clientName=app")).isEqualTo("redis://h:1/2?clientName=app");
    assertThatThrownBy(
            () -> MetadataStoreConfig.fromUrl("redis://u:" + CANARY + "@/x?pwd=" + CANARY))
        .hasMessageNotContaining(CANARY);
    assertThatThrownBy(() -> VectorStoreConfig.fromUrl("grpc://h:6334?api-key=" + CANARY))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("[api-key]")
        .hasMessageNotContaining(CANARY);
  }

  @Test
  void badSettingsAreConfigurationErrorsThatNameTheFieldAndDoNotQuoteSecrets() {
    assertThatThrownBy(
            () -> MetadataStoreConfig.fromUrl("redis://u:" + CANARY + "@h:6379/notanumber"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("database")
        .hasMessageNotContaining(CANARY);
    assertThatThrownBy(() -> MetadataStoreConfig.fromUrl("redis://u:" + CANARY + "@/nohost"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no host")
        .hasMessageNotContaining(CANARY);
    assertThatThrownBy(() -> MetadataStoreConfig.builder().commandTimeout(Duration.ZERO))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("commandTimeout")
        .hasMessageContaining("expected a positive duration");
    assertThatThrownBy(() -> MetadataStoreConfig.builder().database(-1))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("database");
  }

  @Test
  void tlsSettingsNeedARedissUrlAndTopologyNeedsAServer() {
    TlsConfig tls = TlsConfig.builder().verifyHostname(false).build();
    assertThatThrownBy(() -> MetadataStoreConfig.builder().url("redis://h").tls(tls).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("rediss://");
    assertThat(MetadataStoreConfig.builder().url("rediss://h").tls(tls).build().tls())
        .isEqualTo(tls);
    assertThatThrownBy(
            () ->
                MetadataStoreConfig.builder()
                    .topology(Topology.standalone(HostAndPort.of("h", 1)))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("topology");
  }

  @Test
  void adapterOptionsForTwoAdaptersOrAgainstTheNamedClientAreRefused() {
    assertThatThrownBy(
            () ->
                MetadataStoreConfig.builder()
                    .url("redis://h")
                    .client("lettuce")
                    .adapterOptions(new Opts("jedis"))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'jedis'")
        .hasMessageContaining("'lettuce'");
  }

  @Test
  void topologyPartsAreValidated() {
    assertThatThrownBy(() -> HostAndPort.of("h", 0)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Topology.cluster(List.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("seeds");
    assertThatThrownBy(() -> Topology.sentinel(" ", List.of(HostAndPort.of("s", 26379))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("masterName");
    assertThat(HostAndPort.of("::1", 6379)).hasToString("[::1]:6379");
    assertThatThrownBy(() -> TlsConfig.builder().clientCertificate(Path.of("c.pem")).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("clientKey");
  }
}
