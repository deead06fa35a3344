package dev.vectorcache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** docs/redis.md "How the tests find a Redis": the harness as a user's integration test. */
class RedisHarnessExampleIT {
  // tag::harness[]
  @ExtendWith(RedisServerExtension.class)
  // end::harness[]
  @Nested
  // tag::harness[]
  class MyIT {
    @Test
    void survivesARestart(RedisServer redis) {
      try (MetadataStore store = Backends.discover().openMetadataStore(redis.url())) {
        // end::harness[]
        assertThat(store.get("k")).isEmpty(); // the store answers before the faults
        // tag::harness[]
        redis.kill(); // SIGKILL (private process only: redis.canKill())
        redis.restart(); // same port, empty
        redis.pause(Duration.ofSeconds(2)); // CLIENT PAUSE
        redis.clientKillAll(); // CLIENT KILL TYPE normal/pubsub
        redis.configSet("maxmemory", "1mb"); // restored after the test
        long mgets = redis.calls("mget"); // INFO commandstats
        // end::harness[]
        assertThat(redis.isUp()).isTrue();
        assertThat(mgets).isZero(); // a restarted server has counted nothing yet
        // tag::harness[]
      }
    }
  }
  // end::harness[]
}
