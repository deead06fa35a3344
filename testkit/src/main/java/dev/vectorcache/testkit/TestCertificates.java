package dev.vectorcache.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Throwaway certificates for TLS tests, made by the {@code openssl} command at test time in a
 * directory the caller owns (for example a JUnit {@code @TempDir}): EC P-256 keys, valid for two
 * days, nothing checked in.
 *
 * <ul>
 *   <li>a CA ({@link #caCertificate()}) that signs everything below, and another CA ({@link
 *       #otherCaCertificate()}) that signs nothing here, for "wrong CA" tests;
 *   <li>a server certificate for {@code localhost} and {@code 127.0.0.1} ({@link
 *       #serverCertificate()}, {@link #serverKey()});
 *   <li>a server certificate for another host, {@value #WRONG_HOST} ({@link
 *       #wrongHostCertificate()}), for host name verification tests;
 *   <li>a client certificate for mutual TLS ({@link #clientCertificate()}, {@link #clientKey()}),
 *       its key encrypted with {@link #keyPassword()} ({@link #encryptedClientKey()}), and both in
 *       a PKCS#12 key store ({@link #clientKeyStore()}, same password).
 * </ul>
 *
 * <p>Keys are PKCS#8 PEM ({@code BEGIN PRIVATE KEY} / {@code BEGIN ENCRYPTED PRIVATE KEY}), what
 * {@code redis-server}, gRPC and the library's {@code TlsConfig} read. The key password is passed
 * to {@code openssl} through its environment, never on a command line.
 */
public final class TestCertificates {
  /** The host name in {@link #wrongHostCertificate()}; it resolves nowhere. */
  public static final String WRONG_HOST = "wrong-host.invalid";

  private static final String PASSWORD_ENV = "VECTORCACHE_TEST_KEY_PASSWORD";
  private static final long OPENSSL_TIMEOUT_SECONDS = 30;
  private static final String CONFIG =
      String.join(
          "\n",
          "[req]",
          "distinguished_name = dn",
          "prompt = no",
          "[dn]",
          "CN = unused",
          "[ca]",
          "basicConstraints = critical,CA:TRUE",
          "keyUsage = critical,keyCertSign,cRLSign",
          "subjectKeyIdentifier = hash",
          "[server]",
          "basicConstraints = critical,CA:FALSE",
          "keyUsage = critical,digitalSignature",
          "extendedKeyUsage = serverAuth",
          "subjectAltName = DNS:localhost,IP:127.0.0.1",
          "[wronghost]",
          "basicConstraints = critical,CA:FALSE",
          "keyUsage = critical,digitalSignature",
          "extendedKeyUsage = serverAuth",
          "subjectAltName = DNS:" + WRONG_HOST,
          "[client]",
          "basicConstraints = critical,CA:FALSE",
          "keyUsage = critical,digitalSignature",
          "extendedKeyUsage = clientAuth",
          "");

  private final Path dir;
  private final char[] keyPassword;

  private TestCertificates(Path dir, char[] keyPassword) {
    this.dir = dir;
    this.keyPassword = keyPassword;
  }

  /** Whether an {@code openssl} command answers {@code openssl version}. */
  public static boolean opensslAvailable() {
    try {
      Process p =
          new ProcessBuilder("openssl", "version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(OPENSSL_TIMEOUT_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Makes every certificate and key into {@code dir}, skipping the test (or failing it in CI, see
   * {@link TestRequirements}) when there is no {@code openssl}.
   *
   * @param dir an existing directory the caller owns and deletes
   * @return the files
   * @throws IllegalStateException when {@code openssl} fails
   */
  public static TestCertificates generate(Path dir) {
    Objects.requireNonNull(dir, "dir");
    TestRequirements.requireOrSkip(
        opensslAvailable(),
        "no openssl command for the TLS tests' certificates; install it (apt-get install openssl)");
    char[] password = HexFormat.of().formatHex(random(12)).toCharArray();
    TestCertificates c = new TestCertificates(dir, password);
    c.make();
    return c;
  }

  /** The directory holding the files. */
  public Path directory() {
    return dir;
  }

  /** The CA that signed every certificate here (PEM). */
  public Path caCertificate() {
    return dir.resolve("ca.crt");
  }

  /** A CA that signed nothing here (PEM): trusting it instead of {@link #caCertificate()} fails. */
  public Path otherCaCertificate() {
    return dir.resolve("other-ca.crt");
  }

  /** The server certificate for {@code localhost} and {@code 127.0.0.1} (PEM). */
  public Path serverCertificate() {
    return dir.resolve("server.crt");
  }

  /** The key of {@link #serverCertificate()} (PKCS#8 PEM). */
  public Path serverKey() {
    return dir.resolve("server.key");
  }

  /** A server certificate for {@value #WRONG_HOST} only, signed by the same CA (PEM). */
  public Path wrongHostCertificate() {
    return dir.resolve("wrong-host.crt");
  }

  /** The key of {@link #wrongHostCertificate()} (PKCS#8 PEM). */
  public Path wrongHostKey() {
    return dir.resolve("wrong-host.key");
  }

  /** The client certificate for mutual TLS (PEM). */
  public Path clientCertificate() {
    return dir.resolve("client.crt");
  }

  /** The key of {@link #clientCertificate()}, unencrypted (PKCS#8 PEM). */
  public Path clientKey() {
    return dir.resolve("client.key");
  }

  /** The key of {@link #clientCertificate()} encrypted with {@link #keyPassword()}. */
  public Path encryptedClientKey() {
    return dir.resolve("client-encrypted.key");
  }

  /** The client key and certificate in a PKCS#12 store protected by {@link #keyPassword()}. */
  public Path clientKeyStore() {
    return dir.resolve("client.p12");
  }

  /**
   * A copy of the random password of {@link #encryptedClientKey()} and {@link #clientKeyStore()}.
   */
  public char[] keyPassword() {
    return keyPassword.clone();
  }

  /**
   * A TLS context for a test's own connections (a harness's control client): trusts {@link
   * #caCertificate()} and, if asked, presents {@link #clientCertificate()}. It checks no host name.
   *
   * @param withClientCertificate whether to present the client certificate
   * @return the context
   */
  public SSLContext clientContext(boolean withClientCertificate) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", readCertificate(caCertificate()));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManager[] keys = new KeyManager[0];
      if (withClientCertificate) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(clientKeyStore())) {
          store.load(in, keyPassword);
        }
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, keyPassword);
        keys = kmf.getKeyManagers();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the test certificates in " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the test certificates in " + dir, e);
    }
  }

  @Override
  public String toString() {
    return "TestCertificates[" + dir + "]"; // the key password stays out
  }

  // ---------------------------------------------------------------- generation

  private void make() {
    try {
      Files.writeString(dir.resolve("openssl.cnf"), CONFIG, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write into " + dir, e);
    }
    selfSigned("ca", "vectorcache test CA");
    selfSigned("other-ca", "vectorcache other test CA");
    signed("server", "localhost", "server");
    signed("wrong-host", WRONG_HOST, "wronghost");
    signed("client", "vectorcache test client", "client");
    openssl(
        "pkcs8",
        "-topk8",
        "-in",
        "client.key",
        "-out",
        "client-encrypted.key",
        "-v2",
        "aes-256-cbc",
        "-passout",
        "env:" + PASSWORD_ENV);
    openssl(
        "pkcs12",
        "-export",
        "-in",
        "client.crt",
        "-inkey",
        "client.key",
        "-name",
        "client",
        "-out",
        "client.p12",
        "-passout",
        "env:" + PASSWORD_ENV);
  }

  private void selfSigned(String name, String commonName) {
    openssl(
        "req",
        "-x509",
        "-config",
        "openssl.cnf",
        "-extensions",
        "ca",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".crt",
        "-days",
        "2",
        "-subj",
        "/CN=" + commonName,
        "-set_serial",
        serial());
  }

  private void signed(String name, String commonName, String extensions) {
    openssl(
        "req",
        "-new",
        "-config",
        "openssl.cnf",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr",
        "-subj",
        "/CN=" + commonName);
    openssl(
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-set_serial",
        serial(),
        "-days",
        "2",
        "-extfile",
        "openssl.cnf",
        "-extensions",
        extensions,
        "-out",
        name + ".crt");
  }

  private void openssl(String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(Arrays.asList(args));
    Path log = dir.resolve("openssl.log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().put(PASSWORD_ENV, new String(keyPassword));
      Process p = pb.start();
      if (!p.waitFor(OPENSSL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("openssl " + args[0] + " did not finish in time");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "openssl " + String.join(" ", args) + " failed: " + Files.readString(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run openssl in " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running openssl", e);
    }
  }

  private static Certificate readCertificate(Path pem)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static String serial() {
    byte[] b = random(8);
    b[0] &= 0x7f; // a positive serial number
    return "0x" + HexFormat.of().formatHex(b);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
