package dev.vectorcache.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.ConfigurationException;
import dev.vectorcache.core.InvalidInputException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.MetadataStoreProvider;
import dev.vectorcache.spi.RedisConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Discovery, selection and encoding, without a server. */
class LettuceProviderTest {
  @Test
  void serviceLoaderFindsTheProviderForRedisAndRediss() {
    Backends backends = Backends.discover();
    MetadataStoreProvider p =
        backends.resolveMetadataStore(RedisConfig.fromUrl("redis://localhost:1")).provider();
    assertThat(p).isInstanceOf(LettuceMetadataStoreProvider.class);
    assertThat(p.name()).isEqualTo("lettuce");
    assertThat(p.priority()).isEqualTo(100);
    assertThat(p.schemes()).containsExactlyInAnyOrder("redis", "rediss");
    assertThat(p.artifact()).isEqualTo("dev.vectorcache:vectorcache-redis-lettuce");
    // naming the client explicitly picks the same provider, for rediss:// too
    assertThat(
            backends
                .resolveMetadataStore(
                    RedisConfig.builder().url("rediss://h:6380").client("lettuce").build())
                .provider()
                .name())
        .isEqualTo("lettuce");
  }

  @Test
  void namingTheOtherClientFailsWithItsArtifact() {
    RedisConfig cfg = RedisConfig.builder().url("redis://localhost:1").client("jedis").build();
    assertThatThrownBy(() -> Backends.discover().openMetadataStore(cfg))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("vectorcache-redis-jedis");
  }

  @Test
  void jsonKeepsNumberKindsAndNanosecondInstants() {
    Map<String, Object> md = new LinkedHashMap<>();
    md.put("two", 2L);
    md.put("twoPointZero", 2.0);
    md.put("list", Arrays.asList(1L, 1.0, null, "s"));
    md.put("min", Long.MIN_VALUE);
    MetadataEntry e =
        new MetadataEntry("k", md, 9, Instant.parse("2030-01-01T00:00:00.123456789Z"));
    String json = MetadataJson.encode(e);
    assertThat(json).contains("\"twoPointZero\":2.0").contains("\"two\":2,");
    MetadataEntry back = MetadataJson.decodeEntry(json);
    assertThat(back).isEqualTo(e);
    assertThat(back.metadata().get("two")).isInstanceOf(Long.class);
    assertThat(back.metadata().get("twoPointZero")).isInstanceOf(Double.class);
    assertThat((List<?>) back.metadata().get("list")).element(1).isInstanceOf(Double.class);
    MetadataEvent ev = new MetadataEvent(MetadataEvent.Type.EXPIRED, "c", "k", 3, e.expiresAt());
    assertThat(MetadataJson.decodeEvent(MetadataJson.encode(ev))).isEqualTo(ev);
    assertThat(MetadataJson.decodeEvent("not json")).isNull();
  }

  @Test
  void ttlIsValidatedAndRoundedUpToWholeMilliseconds() {
    assertThat(LettuceAsyncMetadataStore.ttlMillis(Duration.ofNanos(1))).isEqualTo(1);
    assertThat(LettuceAsyncMetadataStore.ttlMillis(Duration.ofMillis(1500))).isEqualTo(1500);
    assertThatThrownBy(() -> LettuceAsyncMetadataStore.ttlMillis(Duration.ZERO))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> LettuceAsyncMetadataStore.ttlMillis(null))
        .isInstanceOf(InvalidInputException.class);
  }
}
