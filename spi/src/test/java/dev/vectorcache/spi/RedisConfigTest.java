package dev.vectorcache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisConfigTest {
  private static final String CANARY = "CANARY-p4ss-1f9e";

  @Test
  void readsUserPasswordAndDatabaseFromTheUrl() {
    RedisConfig c = RedisConfig.fromUrl("redis://app:" + CANARY + "@cache.local:6380/3");
    assertThat(c.scheme()).isEqualTo("redis");
    assertThat(c.host()).isEqualTo("cache.local");
    assertThat(c.port()).isEqualTo(6380);
    assertThat(c.username()).isEqualTo("app");
    assertThat(c.password()).isEqualTo(CANARY);
    assertThat(c.database()).isEqualTo(3);
    assertThat(c.tls()).isFalse();
  }

  @Test
  void passwordOnlyFormTlsAndDefaults() {
    RedisConfig c = RedisConfig.fromUrl("rediss://" + CANARY + "@cache.local");
    assertThat(c.tls()).isTrue();
    assertThat(c.port()).isEqualTo(RedisConfig.DEFAULT_PORT);
    assertThat(c.username()).isNull();
    assertThat(c.password()).isEqualTo(CANARY);
    assertThat(RedisConfig.fromUrl(null).scheme()).isEqualTo("memory");
  }

  @Test
  void builderValuesSetAfterTheUrlWin() {
    RedisConfig c =
        RedisConfig.builder().url("redis://u:p@h:1/2").database(5).password("other").build();
    assertThat(c.database()).isEqualTo(5);
    assertThat(c.password()).isEqualTo("other");
    assertThat(c.mutate().commandTimeout(Duration.ofMillis(300)).build().commandTimeout())
        .isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void thePasswordNeverAppearsInToStringOrTheMaskedUrl() {
    RedisConfig c = RedisConfig.fromUrl("redis://app:" + CANARY + "@cache.local:6380/3");
    assertThat(c.toString()).doesNotContain(CANARY).contains("****");
    assertThat(c.maskedUrl()).isEqualTo("redis://****@cache.local:6380/3");
    assertThat(RedisConfig.builder().password(CANARY).build().toString()).doesNotContain(CANARY);
  }

  @Test
  void badSettingsAreConfigurationErrorsThatDoNotQuoteSecrets() {
    assertThatThrownBy(() -> RedisConfig.fromUrl("redis://u:" + CANARY + "@h:6379/notanumber"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("database")
        .hasMessageNotContaining(CANARY);
    assertThatThrownBy(() -> RedisConfig.fromUrl("redis://u:" + CANARY + "@/nohost"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no host")
        .hasMessageNotContaining(CANARY);
    assertThatThrownBy(() -> RedisConfig.builder().maxConnections(0))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("maxConnections");
    assertThatThrownBy(() -> RedisConfig.builder().commandTimeout(Duration.ZERO))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("commandTimeout");
  }
}
