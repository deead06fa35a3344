package dev.vectorcache.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cluster harness against real redis-server cluster nodes: forming, ACLs, failover, TLS. */
class RedisClusterIT {
  private static final String PASSWORD = "cluster pass\"word";
  private static final Duration MAX_FAILOVER = Duration.ofSeconds(30);

  static RedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster =
        RedisCluster.startOrSkip(
            RedisCluster.options()
                .password(PASSWORD)
                .aclUser("vcuser", "vc secret", List.of("on", "~vc:*", "&*", "+get", "+ping")));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
      assertThat(cluster.nodes()).noneMatch(RedisProcess::isAlive);
    }
  }

  @Test
  void formsWithThreePrimariesAndThreeReplicasServingEverySlot() {
    List<RedisProcess> primaries = cluster.primaries();
    assertThat(primaries).hasSize(3);
    assertThat(cluster.replicas()).hasSize(3).doesNotContainAnyElementsOf(primaries);
    assertThat(cluster.nodes()).hasSize(6).allMatch(RedisProcess::isAlive);
    for (RedisProcess node : cluster.nodes()) {
      Map<String, String> info = Control.fields(cluster.command(node, "CLUSTER", "INFO"));
      assertThat(info)
          .containsEntry("cluster_state", "ok")
          .containsEntry("cluster_slots_ok", "16384");
    }
    // CLUSTER SLOTS covers 0..16383 without a gap
    List<long[]> ranges = new ArrayList<>();
    for (Object r : (List<?>) cluster.command(primaries.get(0), "CLUSTER", "SLOTS")) {
      List<?> range = (List<?>) r;
      ranges.add(new long[] {(Long) range.get(0), (Long) range.get(1)});
    }
    ranges.sort((a, b) -> Long.compare(a[0], b[0]));
    long next = 0;
    for (long[] r : ranges) {
      assertThat(r[0]).isEqualTo(next);
      next = r[1] + 1;
    }
    assertThat(next).isEqualTo(RedisCluster.SLOTS);
    // every key lands on the primary primaryFor names, without a MOVED redirect
    for (int i = 0; i < 60; i++) {
      String key = "vc:k" + i;
      RedisProcess owner = cluster.primaryFor(key);
      assertThat(primaries).contains(owner);
      assertThat(cluster.command(owner, "SET", key, "v" + i)).isEqualTo("OK");
      assertThat(cluster.command(owner, "CLUSTER", "KEYSLOT", key))
          .isEqualTo((long) RedisCluster.slot(key));
    }
    cluster.flushAllPrimaries();
    for (RedisProcess p : cluster.primaries()) {
      assertThat(cluster.command(p, "DBSIZE")).isEqualTo(0L);
    }
  }

  @Test
  void slotFollowsHashTagsAsTheServerDoes() {
    RedisProcess any = cluster.primaries().get(0);
    for (String key : List.of("foo", "{user1000}.following", "a{}b", "{}{x}", "x{y", "é{ü}z", "")) {
      assertThat(RedisCluster.slot(key))
          .as(key)
          .isEqualTo(((Long) cluster.command(any, "CLUSTER", "KEYSLOT", key)).intValue());
    }
    assertThat(RedisCluster.slot("{user1000}.following"))
        .isEqualTo(RedisCluster.slot("{user1000}.followers"));
  }

  @Test
  void configBuilderPresetsUrlSeedsAndPassword() {
    List<HostAndPort> seeds = cluster.seeds();
    assertThat(seeds)
        .hasSize(3)
        .allMatch(s -> s.host().equals("127.0.0.1"))
        .extracting(HostAndPort::port)
        .containsExactlyElementsOf(cluster.primaries().stream().map(RedisProcess::port).toList());
    assertThat(cluster.url()).startsWith("redis://:").endsWith("@127.0.0.1:" + seeds.get(0).port());
    assertThat(cluster.tls()).isEmpty();
    MetadataStoreConfig config = cluster.configBuilder().build();
    assertThat(config.password()).isEqualTo(PASSWORD);
    assertThat(config.topology()).contains(Topology.cluster(seeds));
    assertThat(config.tlsEnabled()).isFalse();
    assertThat(MetadataStoreConfig.builder().url(cluster.url("vcuser", "vc secret")).build())
        .satisfies(c -> assertThat(c.username()).isEqualTo("vcuser"))
        .satisfies(c -> assertThat(c.password()).isEqualTo("vc secret"));
    assertThat(cluster.toString()).doesNotContain(PASSWORD).contains("****");
  }

  @Test
  void aclUserRunsOnlyWhatItsRulesAllow() {
    RedisProcess owner = cluster.primaryFor("vc:acl");
    cluster.command(owner, "SET", "vc:acl", "x");
    try (RespClient c = Control.connect(owner, null)) {
      assertThatThrownBy(() -> c.command("AUTH", "vcuser", "wrong"))
          .isInstanceOf(RespClient.ServerError.class)
          .hasMessageContaining("WRONGPASS");
      assertThat(c.command("AUTH", "vcuser", "vc secret")).isEqualTo("OK");
      assertThat(c.command("GET", "vc:acl")).isEqualTo("x");
      assertThat(c.command("PING")).isEqualTo("PONG");
      assertThatThrownBy(() -> c.command("SET", "vc:acl", "y"))
          .isInstanceOf(RespClient.ServerError.class)
          .hasMessageContaining("NOPERM");
      assertThatThrownBy(() -> c.command("GET", "other:acl"))
          .isInstanceOf(RespClient.ServerError.class)
          .hasMessageContaining("NOPERM");
      assertThatThrownBy(() -> c.command("FLUSHALL"))
          .isInstanceOf(RespClient.ServerError.class)
          .hasMessageContaining("NOPERM");
    }
    // the user is on every node, replicas included
    for (RedisProcess node : cluster.nodes()) {
      assertThat(String.valueOf(cluster.command(node, "ACL", "USERS")))
          .contains("vcuser", "default");
    }
  }

  @Test
  void aKeyWrittenBeforeAFailoverIsReadFromTheNewPrimaryAndTheOldOneRejoins() {
    String key = "vc:{failover}";
    RedisProcess old = cluster.primaryFor(key);
    cluster.command(old, "SET", key, "kept");
    // WAIT 1: the replica has the write before the primary dies
    assertThat(cluster.command(old, "WAIT", "1", "5000")).isEqualTo(1L);

    Duration took = cluster.killPrimaryAndAwaitFailover(old, MAX_FAILOVER);

    assertThat(took).isPositive().isLessThan(MAX_FAILOVER);
    assertThat(old.isAlive()).isFalse();
    RedisProcess promoted = cluster.primaryFor(key);
    assertThat(promoted).isNotEqualTo(old);
    assertThat(cluster.primaries()).hasSize(3).doesNotContain(old).contains(promoted);
    assertThat(cluster.command(promoted, "GET", key)).isEqualTo("kept");
    assertThat(cluster.seeds()).noneMatch(s -> s.port() == old.port());

    cluster.restoreKilled();

    assertThat(old.isAlive()).isTrue();
    assertThat(cluster.replicas()).hasSize(3).contains(old);
    assertThat(cluster.primaries()).hasSize(3).contains(promoted);
    assertThat(Control.role(old, PASSWORD)).isEqualTo("slave");
    try (RespClient c = Control.connect(old, PASSWORD)) {
      c.command("READONLY");
      assertThat(c.command("GET", key)).isEqualTo("kept"); // resynced from the new primary
    }
  }

  @Test
  void killingAReplicaIsRefused() {
    RedisProcess replica = cluster.replicas().get(0);
    assertThatThrownBy(() -> cluster.killPrimaryAndAwaitFailover(replica, MAX_FAILOVER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a current primary");
    assertThat(replica.isAlive()).isTrue();
  }

  @Test
  void tlsClusterIsReachedOnlyOverTlsAndReplicatesOverTls() {
    try (RedisCluster tls = RedisCluster.startOrSkip(RedisCluster.options().tls(true))) {
      RedisTls settings = tls.tls().orElseThrow();
      assertThat(tls.url()).startsWith("rediss://127.0.0.1:");
      for (RedisProcess node : tls.nodes()) {
        assertThat(node.tls()).contains(settings);
        try (RespClient c =
            RespClient.connect(
                node.host(),
                node.port(),
                null,
                Duration.ofSeconds(2),
                settings.certificates().clientContext(true).getSocketFactory())) {
          assertThat(c.command("PING")).isEqualTo("PONG");
          assertThat(Control.fields(c.command("CLUSTER", "INFO")))
              .containsEntry("cluster_state", "ok");
        }
        assertThat(answersPlainPing(node)).isFalse();
      }
      for (RedisProcess replica : tls.replicas()) {
        assertThat(Control.fields(tls.command(replica, "INFO", "replication")))
            .containsEntry("master_link_status", "up");
        assertThat(tls.command(replica, "CONFIG", "GET", "tls-replication").toString())
            .contains("yes");
      }
      MetadataStoreConfig config = tls.configBuilder().build();
      assertThat(config.tlsEnabled()).isTrue();
      assertThat(config.tls().trustedCertificates())
          .contains(settings.certificates().caCertificate());
      assertThat(config.tls().clientCertificate())
          .contains(settings.certificates().clientCertificate());
      assertThat(config.topology()).contains(Topology.cluster(tls.seeds()));
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
