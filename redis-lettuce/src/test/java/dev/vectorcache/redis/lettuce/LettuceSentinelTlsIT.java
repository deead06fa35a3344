package dev.vectorcache.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.testkit.redis.RedisSentinelGroup;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** TLS to the sentinels and the data nodes alike, with the same password on both. */
class LettuceSentinelTlsIT {
  @Test
  void everyCallWorksOverTlsThroughSentinel() {
    try (RedisSentinelGroup group =
        RedisSentinelGroup.startOrSkip(RedisSentinelGroup.options().tls(true).password("tls pw"))) {
      assertThat(group.url()).startsWith("rediss://");
      TopologySmoke.run(
          group
              .configBuilder()
              .keyPrefix("tls-sentinel:")
              .commandTimeout(Duration.ofSeconds(2))
              .build());
    }
  }
}
