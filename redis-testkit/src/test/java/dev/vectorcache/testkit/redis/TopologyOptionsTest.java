package dev.vectorcache.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster and Sentinel options and the slot function, without a server. */
class TopologyOptionsTest {
  @Test
  void crc16IsXmodem() {
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertThat(ClusterSupport.crc16(check, 0, check.length)).isEqualTo(0x31C3);
    assertThat(RedisCluster.slot("123456789")).isEqualTo(0x31C3);
    assertThat(RedisCluster.slot("foo")).isEqualTo(12_182);
    assertThat(RedisCluster.slot("x{foo}y")).isEqualTo(12_182);
    assertThat(RedisCluster.slot("{}foo")).isNotEqualTo(RedisCluster.slot("foo"));
  }

  @Test
  void clusterOptionsAreImmutableAndValidated() {
    RedisCluster.Options defaults = RedisCluster.options();
    RedisCluster.Options changed =
        defaults.nodeTimeout(Duration.ofMillis(500)).primaries(4).replicasPerPrimary(2);
    assertThat(defaults.nodeTimeout()).isEqualTo(RedisCluster.Options.DEFAULT_NODE_TIMEOUT);
    assertThat(defaults.primaries()).isEqualTo(3);
    assertThat(defaults.replicasPerPrimary()).isEqualTo(1);
    assertThat(changed.nodeTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(changed.primaries()).isEqualTo(4);
    assertThat(changed.replicasPerPrimary()).isEqualTo(2);
    assertThatThrownBy(() -> defaults.primaries(2))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("primaries");
    assertThatThrownBy(() -> defaults.replicasPerPrimary(-1))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> defaults.nodeTimeout(Duration.ofMillis(10)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("nodeTimeout");
  }

  @Test
  void secretsAreRefusedWhenUnsafeAndNeverShown() {
    RedisCluster.Options o =
        RedisCluster.options()
            .password("s3cret pass")
            .aclUser("app", "app-pass", List.of("on", "~vc:*"))
            .aclUser("app", "other-pass", List.of("on", "+get"));
    assertThat(o.toString()).doesNotContain("s3cret").doesNotContain("pass\"").contains("****");
    assertThat(o.settings.aclUsers).hasSize(1); // the same name replaces the user
    assertThat(o.settings.dataNodeLines())
        .containsExactly(
            "requirepass \"s3cret pass\"",
            "masterauth \"s3cret pass\"",
            "user \"app\" \"on\" \"+get\" \">other-pass\"");
    assertThatThrownBy(() -> RedisCluster.options().password("a\nrequirepass x"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageNotContaining("requirepass x");
    assertThatThrownBy(() -> RedisCluster.options().aclUser("default", "x", List.of("on")))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> RedisCluster.options().aclUser("a b", "x", List.of("on")))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> RedisCluster.options().aclUser("a", "x", List.of("on off")))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void sentinelOptionsAreValidated() {
    RedisSentinelGroup.Options o =
        RedisSentinelGroup.options()
            .masterName("m1")
            .downAfter(Duration.ofMillis(500))
            .failoverTimeout(Duration.ofSeconds(5))
            .password("pw");
    assertThat(o.toString()).contains("m1").doesNotContain("pw,").contains("****");
    assertThatThrownBy(() -> RedisSentinelGroup.options().masterName("a b"))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> RedisSentinelGroup.options().downAfter(Duration.ZERO))
        .isInstanceOf(InvalidInputException.class);
  }
}
