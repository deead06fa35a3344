package dev.vectorcache.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.TlsException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.TlsConfig;
import dev.vectorcache.testkit.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every Redis adapter must do with {@code rediss://} against real {@code redis-server}
 * processes that speak TLS, with certificates made by {@code openssl} for the test class ({@link
 * TestCertificates}): server-only and mutual TLS, host name verification on and off, a wrong CA,
 * and either side speaking the other protocol, each failure a typed {@link TlsException}; key
 * passwords never in messages, {@code toString()} or logs.
 *
 * <p>Three TLS servers per class (mutual TLS, server-only TLS, server-only with a certificate for
 * another host) plus the plain-text server of {@link RedisServerExtension}. An adapter adds one
 * subclass that opens its store.
 */
@ExtendWith(RedisServerExtension.class)
public abstract class RedisTlsContract {
  /** The connect and command timeout of the stores under test. */
  protected static final Duration TIMEOUT = Duration.ofSeconds(1);

  /**
   * Loose bound on a typed failure: the connect timeout, the one probe (at most the timeout) and
   * scheduling slack on a busy 2-core machine.
   */
  protected static final Duration FAIL_WITHIN = TIMEOUT.multipliedBy(2).plusMillis(1500);

  @TempDir static Path certificateDir;
  static TestCertificates certs;
  static RedisServer mutual;
  static RedisServer serverOnly;
  static RedisServer wrongHost;

  private final RedisServer plain;

  /**
   * @param plain the plain-text server of {@link RedisServerExtension}
   */
  protected RedisTlsContract(RedisServer plain) {
    this.plain = plain;
  }

  /** Opens the adapter under test (blocking form). */
  protected abstract MetadataStore open(MetadataStoreConfig config);

  @BeforeAll
  static void startTlsServers() {
    certs = TestCertificates.generate(certificateDir);
    Path binary = binary();
    mutual = RedisServer.startProcess(binary, RedisTls.mutual(certs));
    serverOnly = RedisServer.startProcess(binary, RedisTls.serverOnly(certs));
    wrongHost =
        RedisServer.startProcess(binary, RedisTls.serverOnly(certs).withWrongHostCertificate());
  }

  @AfterAll
  static void stopTlsServers() {
    for (RedisServer s : new RedisServer[] {mutual, serverOnly, wrongHost}) {
      if (s != null) {
        s.close();
      }
    }
  }

  private static Path binary() {
    var binary = RedisServer.findBinary();
    RedisServerExtension.requireOrSkip(
        binary.isPresent(), "no redis-server on the PATH for the TLS tests");
    return binary.orElseThrow();
  }

  private static MetadataStoreConfig.Builder config(String url, TlsConfig tls) {
    return MetadataStoreConfig.builder()
        .url(url)
        .keyPrefix("tls-it:" + UUID.randomUUID() + ":")
        .commandTimeout(TIMEOUT)
        .connectTimeout(TIMEOUT)
        .tls(tls);
  }

  private static TlsConfig.Builder trustingTestCa() {
    return TlsConfig.builder().trustedCertificates(certs.caCertificate());
  }

  private static TlsConfig.Builder withClientCertificate() {
    return trustingTestCa()
        .clientCertificate(certs.clientCertificate())
        .clientKey(certs.encryptedClientKey())
        .keyPassword(certs.keyPassword());
  }

  /** Opens, writes and reads back one entry, and checks that the store reports TLS. */
  private void roundTrip(MetadataStoreConfig config) {
    try (MetadataStore store = open(config)) {
      MetadataEntry e =
          new MetadataEntry("k", Map.of("over", "tls"), 1, Instant.now().plus(1, ChronoUnit.HOURS));
      store.put(e, Duration.ofMinutes(5));
      assertThat(store.get("k"))
          .hasValueSatisfying(g -> assertThat(g.metadata()).isEqualTo(Map.of("over", "tls")));
      assertThat(store.ping().details()).containsEntry("tls", "true");
    }
  }

  /** The failure of opening a store, checked to come within {@link #FAIL_WITHIN}. */
  private Throwable openFailure(MetadataStoreConfig config) {
    long start = System.nanoTime();
    Throwable t = catchThrowable(() -> open(config).close());
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).as("a typed failure within the loose bound").isLessThan(FAIL_WITHIN);
    return t;
  }

  @Nested
  @DisplayName("connects")
  class Connects {
    @Test
    @DisplayName("with server-only TLS, trusting the test CA, host name verified (the default)")
    void serverOnlyTls() {
      assertThat(TlsConfig.DEFAULT_VERIFY_HOSTNAME).isTrue();
      roundTrip(config(serverOnly.url(), trustingTestCa().build()).build());
    }

    @Test
    @DisplayName("with mutual TLS, presenting a client certificate whose key is encrypted")
    void mutualTls() {
      roundTrip(config(mutual.url(), withClientCertificate().build()).build());
      roundTrip(
          config(
                  mutual.url(),
                  trustingTestCa()
                      .clientCertificate(certs.clientCertificate())
                      .clientKey(certs.clientKey())
                      .build())
              .build());
    }

    @Test
    @DisplayName("to a certificate for another host when host name verification is off")
    void hostnameVerificationOff() {
      roundTrip(config(wrongHost.url(), trustingTestCa().verifyHostname(false).build()).build());
    }
  }

  @Nested
  @DisplayName("fails with a TlsException")
  class Fails {
    @Test
    @DisplayName("when mutual TLS is required and no client certificate is given")
    void missingClientCertificate() {
      assertThat(openFailure(config(mutual.url(), trustingTestCa().build()).build()))
          .isInstanceOf(TlsException.class)
          .hasMessageContaining(mutual.host() + ":" + mutual.port());
    }

    @Test
    @DisplayName("when the certificate names another host and host name verification is on")
    void wrongHost() {
      assertThat(openFailure(config(wrongHost.url(), trustingTestCa().build()).build()))
          .isInstanceOf(TlsException.class)
          .hasMessageContaining("TLS handshake");
    }

    @Test
    @DisplayName("when the server's CA is not trusted: another CA, or the JVM's trust store")
    void wrongCa() {
      TlsConfig otherCa =
          TlsConfig.builder()
              .trustedCertificates(certs.otherCaCertificate())
              .verifyHostname(false)
              .build();
      assertThat(openFailure(config(serverOnly.url(), otherCa).build()))
          .isInstanceOf(TlsException.class)
          .hasMessageContaining("TLS handshake");
      assertThat(openFailure(config(serverOnly.url(), TlsConfig.defaults()).build()))
          .isInstanceOf(TlsException.class);
    }

    @Test
    @DisplayName("when redis:// (plain text) is used for a TLS port")
    void plainTextToTlsPort() {
      String url = "redis://" + serverOnly.host() + ":" + serverOnly.port();
      assertThat(openFailure(config(url, TlsConfig.defaults()).build()))
          .isInstanceOf(TlsException.class)
          .hasMessageContaining("expects TLS")
          .hasMessageContaining("rediss://");
    }

    @Test
    @DisplayName("when rediss:// (TLS) is used for a plain-text port")
    void tlsToPlainTextPort() {
      String url = "rediss://" + plain.host() + ":" + plain.port();
      assertThat(openFailure(config(url, trustingTestCa().build()).build()))
          .isInstanceOf(TlsException.class)
          .hasMessageContaining("answers in plain text");
    }
  }

  @Nested
  @DisplayName("keeps the key password secret")
  class Secrets {
    @Test
    @DisplayName("a wrong one is a ConfigurationException that quotes neither it nor the right one")
    void wrongPassword() {
      String wrong = "wrong-" + UUID.randomUUID();
      Throwable t =
          catchThrowable(
              () ->
                  open(
                      config(
                              mutual.url(),
                              withClientCertificate().keyPassword(wrong.toCharArray()).build())
                          .build()));
      assertThat(t)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("tls.clientKey");
      assertThat(chain(t)).doesNotContain(wrong).doesNotContain(password());
    }

    @Test
    @DisplayName("neither the config's toString nor the logs of a TLS session show the right one")
    void rightPassword() {
      MetadataStoreConfig config = config(mutual.url(), withClientCertificate().build()).build();
      assertThat(config.toString()).doesNotContain(password()).contains("keyPassword=****");
      String logs =
          capturingStandardStreams(
              () -> {
                roundTrip(config);
                return null;
              });
      assertThat(logs).doesNotContain(password());
    }
  }

  private static String password() {
    return new String(certs.keyPassword());
  }

  private static String chain(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c).append('\n');
    }
    return sb.toString();
  }

  /** Runs {@code action} with standard output and error captured, and returns what they got. */
  private static String capturingStandardStreams(Supplier<Void> action) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(both);
    System.setErr(both);
    try {
      action.get();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
