package dev.vectorcache.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.Topology;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Sentinel harness against real redis-server data nodes and sentinels. */
class RedisSentinelGroupIT {
  private static final String PASSWORD = "sentinel-pw";
  private static final Duration MAX_FAILOVER = Duration.ofSeconds(30);

  static RedisSentinelGroup group;

  @BeforeAll
  static void startGroup() {
    group =
        RedisSentinelGroup.startOrSkip(
            RedisSentinelGroup.options()
                .masterName("vc-test")
                .password(PASSWORD)
                .aclUser("reader", "r-pw", List.of("on", "~vc:*", "+get")));
  }

  @AfterAll
  static void stopGroup() {
    if (group != null) {
      group.close();
      assertThat(group.dataNodes()).noneMatch(RedisProcess::isAlive);
      assertThat(group.sentinelProcesses()).noneMatch(RedisProcess::isAlive);
    }
  }

  @Test
  void sentinelsKnowThePrimaryAndConfigBuilderNamesThem() {
    RedisProcess primary = group.primary();
    assertThat(group.masterName()).isEqualTo("vc-test");
    assertThat(Control.role(primary, PASSWORD)).isEqualTo("master");
    assertThat(group.replicas()).hasSize(1).doesNotContain(primary);
    assertThat(group.sentinels()).hasSize(3).allMatch(s -> s.host().equals("127.0.0.1"));
    for (RedisProcess s : group.sentinelProcesses()) {
      assertThat(Control.role(s, PASSWORD)).isEqualTo("sentinel");
      assertThat(group.command(s, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "vc-test"))
          .isEqualTo(List.of("127.0.0.1", Integer.toString(primary.port())));
    }
    assertThat(group.url()).isEqualTo("redis://:" + PASSWORD + "@127.0.0.1:" + primary.port());
    MetadataStoreConfig config = group.configBuilder().build();
    assertThat(config.password()).isEqualTo(PASSWORD);
    assertThat(config.topology()).contains(Topology.sentinel("vc-test", group.sentinels()));
    assertThat(group.toString()).doesNotContain(PASSWORD);
  }

  @Test
  void aclUserOnTheDataNodesRunsOnlyWhatItsRulesAllow() {
    RedisProcess primary = group.primary();
    group.command(primary, "SET", "vc:r", "1");
    try (RespClient c = Control.connect(primary, null)) {
      assertThat(c.command("AUTH", "reader", "r-pw")).isEqualTo("OK");
      assertThat(c.command("GET", "vc:r")).isEqualTo("1");
      assertThatThrownBy(() -> c.command("SET", "vc:r", "2"))
          .isInstanceOf(RespClient.ServerError.class)
          .hasMessageContaining("NOPERM");
      assertThatThrownBy(() -> c.command("GET", "other"))
          .isInstanceOf(RespClient.ServerError.class)
          .hasMessageContaining("NOPERM");
    }
    assertThat(MetadataStoreConfig.builder().url(group.url("reader", "r-pw")).build().username())
        .isEqualTo("reader");
  }

  @Test
  void failoverPromotesTheReplicaAndTheOldPrimaryRejoinsAsItsReplica() {
    RedisProcess old = group.primary();
    RedisProcess replica = group.replicas().get(0);
    group.command(old, "SET", "vc:kept", "yes");
    assertThat(group.command(old, "WAIT", "1", "5000")).isEqualTo(1L);

    Duration took = group.killPrimaryAndAwaitFailover(MAX_FAILOVER);

    assertThat(took).isPositive().isLessThan(MAX_FAILOVER);
    assertThat(old.isAlive()).isFalse();
    assertThat(group.primary()).isEqualTo(replica);
    assertThat(Control.role(replica, PASSWORD)).isEqualTo("master");
    assertThat(group.command(replica, "GET", "vc:kept")).isEqualTo("yes");
    assertThat(group.url()).endsWith(":" + replica.port());
    for (RedisProcess s : group.sentinelProcesses()) {
      assertThat(group.command(s, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "vc-test"))
          .isEqualTo(List.of("127.0.0.1", Integer.toString(replica.port())));
    }

    group.restoreKilled();

    assertThat(old.isAlive()).isTrue();
    assertThat(group.primary()).isEqualTo(replica);
    assertThat(group.replicas()).containsExactly(old);
    assertThat(Control.role(old, PASSWORD)).isEqualTo("slave");
    assertThat(group.command(old, "GET", "vc:kept")).isEqualTo("yes"); // resynced
  }

  @Test
  void tlsGroupIsReachedOnlyOverTls() {
    try (RedisSentinelGroup tls =
        RedisSentinelGroup.startOrSkip(RedisSentinelGroup.options().tls(true))) {
      RedisTls settings = tls.tls().orElseThrow();
      RedisProcess primary = tls.primary();
      assertThat(tls.url()).isEqualTo("rediss://127.0.0.1:" + primary.port());
      for (HostAndPort s : tls.sentinels()) {
        try (RespClient c =
            RespClient.connect(
                s.host(),
                s.port(),
                null,
                Duration.ofSeconds(2),
                settings.certificates().clientContext(true).getSocketFactory())) {
          assertThat(c.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", tls.masterName()))
              .isEqualTo(List.of("127.0.0.1", Integer.toString(primary.port())));
        }
      }
      assertThat(answersPlainPing(primary)).isFalse();
      assertThat(answersPlainPing(tls.sentinelProcesses().get(0))).isFalse();
      RedisProcess replica = tls.replicas().get(0);
      assertThat(Control.fields(tls.command(replica, "INFO", "replication")))
          .containsEntry("master_link_status", "up");
      MetadataStoreConfig config = tls.configBuilder().build();
      assertThat(config.tlsEnabled()).isTrue();
      assertThat(config.tls().trustedCertificates())
          .contains(settings.certificates().caCertificate());
      assertThat(config.topology()).contains(Topology.sentinel("vcmaster", tls.sentinels()));
    }
  }

  private static boolean answersPlainPing(RedisProcess node) {
    try (RespClient c = RespClient.connect(node.host(), node.port(), null, Duration.ofSeconds(2))) {
      return "PONG".equals(c.command("PING"));
    } catch (RuntimeException e) {
      return false;
    }
  }
}
