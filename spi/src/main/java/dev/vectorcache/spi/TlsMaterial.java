package dev.vectorcache.spi;

import dev.vectorcache.core.exception.ConfigurationException;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * For adapter authors: the files of a {@link TlsConfig} read into the JDK's TLS objects, so that
 * every adapter loads them the same way and refuses the same bad files when the store opens, before
 * any connection is made.
 *
 * <ul>
 *   <li>{@link TlsConfig#trustedCertificates()}: a PEM file with one or more CA certificates; only
 *       they are trusted. Without it, the JVM's trust store.
 *   <li>{@link TlsConfig#clientCertificate()} and {@link TlsConfig#clientKey()}: the client's PEM
 *       certificate chain and its PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}, or {@code BEGIN
 *       ENCRYPTED PRIVATE KEY} with {@link TlsConfig#keyPassword()}).
 *   <li>{@link TlsConfig#verifyHostname()}: when on, the client must ask the JSSE for HTTPS-style
 *       endpoint identification (Lettuce's {@code SslVerifyMode.FULL}, {@code SSLParameters} for
 *       Jedis; gRPC always does). When off, {@link #trustManagers()} still verifies the certificate
 *       chain but not the name, whatever the client asks.
 * </ul>
 *
 * <p>A file that cannot be read, is not PEM, holds no certificate or an unsupported key, a wrong
 * key password, an encrypted key without a password or a password for an unencrypted key is a
 * {@link ConfigurationException} naming the setting and the file; the password is never quoted.
 */
public final class TlsMaterial {
  private final TlsConfig tls;
  private final TrustManagerFactory trust;
  private final @Nullable KeyManagerFactory keys;

  private TlsMaterial(TlsConfig tls, TrustManagerFactory trust, @Nullable KeyManagerFactory keys) {
    this.tls = tls;
    this.trust = trust;
    this.keys = keys;
  }

  /**
   * Reads the files of {@code tls}.
   *
   * @throws ConfigurationException naming the setting and the file that cannot be used
   */
  public static TlsMaterial load(TlsConfig tls) {
    Objects.requireNonNull(tls, "tls");
    return new TlsMaterial(tls, trustFactory(tls), keyFactory(tls));
  }

  /** The settings these objects were read from. */
  public TlsConfig config() {
    return tls;
  }

  /** The trust managers of the configured CA file, or of the JVM's trust store. */
  public TrustManagerFactory trustManagerFactory() {
    return trust;
  }

  /** The client certificate and key for mutual TLS, if configured. */
  public Optional<KeyManagerFactory> keyManagerFactory() {
    return Optional.ofNullable(keys);
  }

  /**
   * The trust managers to give a client: those of {@link #trustManagerFactory()}, wrapped, when
   * host name verification is off, so that they check the chain but not the host name.
   */
  public TrustManager[] trustManagers() {
    TrustManager[] managers = trust.getTrustManagers();
    if (tls.verifyHostname()) {
      return managers;
    }
    return Arrays.stream(managers)
        .map(m -> m instanceof X509TrustManager x ? new ChainOnly(x) : m)
        .toArray(TrustManager[]::new);
  }

  /** The key managers of the client certificate, or none. */
  public KeyManager[] keyManagers() {
    return keys == null ? new KeyManager[0] : keys.getKeyManagers();
  }

  /** A TLS context with {@link #keyManagers()} and {@link #trustManagers()}. */
  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers(), trustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException("tls: the JVM has no usable TLS implementation", e);
    }
  }

  private static TrustManagerFactory trustFactory(TlsConfig tls) {
    try {
      TrustManagerFactory f =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (tls.trustedCertificates().isEmpty()) {
        f.init((KeyStore) null);
        return f;
      }
      List<X509Certificate> cas =
          PemFiles.certificates("tls.trustedCertificates", tls.trustedCertificates().get());
      KeyStore store = emptyStore();
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      f.init(store);
      return f;
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException("tls.trustedCertificates: cannot build a trust store", e);
    }
  }

  private static @Nullable KeyManagerFactory keyFactory(TlsConfig tls) {
    if (tls.clientCertificate().isEmpty() || tls.clientKey().isEmpty()) {
      return null; // TlsConfig checks that both or neither are set
    }
    List<X509Certificate> chain =
        PemFiles.certificates("tls.clientCertificate", tls.clientCertificate().get());
    char[] password = tls.keyPassword().orElse(null);
    PrivateKey key;
    try {
      key = PemFiles.privateKey("tls.clientKey", tls.clientKey().get(), password);
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
    String certAlgorithm = chain.get(0).getPublicKey().getAlgorithm();
    if (!sameFamily(certAlgorithm, key.getAlgorithm())) {
      throw PemFiles.invalid(
          "tls.clientKey",
          tls.clientKey().get(),
          "the key of tls.clientCertificate (" + certAlgorithm + ")",
          "a " + key.getAlgorithm() + " key",
          null);
    }
    // the in-memory store needs a password of its own; it never leaves this method
    char[] storePassword = UUID.randomUUID().toString().toCharArray();
    try {
      KeyStore store = emptyStore();
      store.setKeyEntry("client", key, storePassword, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      f.init(store, storePassword);
      return f;
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException(
          "tls.clientCertificate: cannot build a key store from it and tls.clientKey", e);
    } finally {
      Arrays.fill(storePassword, '\0');
    }
  }

  private static boolean sameFamily(String certificateKey, String privateKey) {
    // the JDK names an Ed25519 key "EdDSA" or "Ed25519" depending on where it came from
    return certificateKey.equals(privateKey)
        || (certificateKey.startsWith("Ed") && privateKey.startsWith("Ed"));
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot create an empty key store", e);
    }
    return store;
  }

  /**
   * Verifies the certificate chain and nothing else: the three-argument checks, where the JSSE
   * would match the host name against the certificate, run the two-argument check instead.
   */
  private static final class ChainOnly extends X509ExtendedTrustManager {
    private final X509TrustManager delegate;

    ChainOnly(X509TrustManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }
}
