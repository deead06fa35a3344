package dev.vectorcache.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's TLS mode: a TLS-only redis-server, controlled over TLS, restarted on its port. */
class RedisTlsHarnessIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @TempDir static Path dir;
  static TestCertificates certs;
  static Path binary;

  @BeforeAll
  static void setUp() {
    Optional<Path> found = RedisServer.findBinary();
    RedisServerExtension.requireOrSkip(found.isPresent(), "needs redis-server on the PATH");
    binary = found.orElseThrow();
    certs = TestCertificates.generate(dir);
  }

  @Test
  void mutualTlsServerIsControlledOverTlsAndRestartsOnItsPort() {
    try (RedisServer server = RedisServer.startProcess(binary, RedisTls.mutual(certs))) {
      int port = server.port();
      assertThat(server.url()).isEqualTo("rediss://127.0.0.1:" + port);
      assertThat(server.tls()).contains(RedisTls.mutual(certs));
      assertThat(server.toString()).contains(Integer.toString(port));
      assertThat(server.process().orElseThrow().toString()).contains("tls 127.0.0.1:" + port);
      assertThat(server.isUp()).isTrue();
      server.command("SET", "x", "1");
      assertThat(server.command("GET", "x")).isEqualTo("1");
      assertThat(server.command("CONFIG", "GET", "tls-auth-clients").toString()).contains("yes");
      server.configSet("maxmemory", "1mb");
      server.restoreConfig();
      assertThat(server.clients()).isEmpty(); // only the harness's own connection
      assertThat(server.calls("set")).isEqualTo(1);
      // nothing but TLS with a client certificate gets in
      assertThat(answersPing(server, null)).isFalse();
      assertThat(answersPing(server, certs.clientContext(false).getSocketFactory())).isFalse();
      assertThat(answersPing(server, certs.clientContext(true).getSocketFactory())).isTrue();
      server.kill();
      assertThat(server.isUp()).isFalse();
      server.restart();
      assertThat(server.port()).isEqualTo(port);
      assertThat(server.isUp()).isTrue();
    }
  }

  @Test
  void serverOnlyTlsNeedsNoClientCertificateAndCanPresentAnotherHostsCertificate()
      throws Exception {
    RedisTls tls = RedisTls.serverOnly(certs).withWrongHostCertificate();
    try (RedisProcess process = RedisProcess.start(binary, tls, List.of("maxmemory 10mb"))) {
      assertThat(process.tls()).contains(tls);
      String conf = Files.readString(process.directory().resolve("redis.conf"));
      assertThat(conf)
          .contains("port 0")
          .contains("tls-port " + process.port())
          .contains("tls-auth-clients no")
          .contains(certs.wrongHostCertificate().toString())
          .contains("maxmemory 10mb");
      try (RespClient c =
          RespClient.connect(
              process.host(),
              process.port(),
              null,
              TIMEOUT,
              certs.clientContext(false).getSocketFactory())) {
        assertThat(c.command("PING")).isEqualTo("PONG");
      }
    }
    assertThat(RedisTls.ClientAuth.OPTIONAL.directive()).isEqualTo("optional");
  }

  @Test
  void aPlainTextServerHasNoTls() {
    try (RedisProcess process = RedisProcess.start(binary, List.of())) {
      assertThat(process.tls()).isEmpty();
      assertThat(process.toString()).doesNotContain("tls");
    }
  }

  private static boolean answersPing(RedisServer server, @Nullable SSLSocketFactory tls) {
    try (RespClient c = RespClient.connect(server.host(), server.port(), null, TIMEOUT, tls)) {
      return "PONG".equals(c.command("PING"));
    } catch (RuntimeException e) {
      return false;
    }
  }
}
