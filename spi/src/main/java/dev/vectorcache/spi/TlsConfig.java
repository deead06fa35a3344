package dev.vectorcache.spi;

import dev.vectorcache.core.exception.ConfigurationException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * TLS settings of a connection. TLS itself is switched on by the URL's scheme ({@code rediss://},
 * {@code grpcs://}, {@code https://}); this block only refines it. The default trusts the JVM's
 * certificate authorities, sends no client certificate and verifies the server's host name.
 * Immutable; build with {@link #builder()}, change with {@link #mutate()}. The key password never
 * appears in {@link #toString()}.
 *
 * <p>Every adapter (Lettuce, Jedis, Qdrant gRPC) honours every setting: the files are read with
 * {@link TlsMaterial} when the store opens, and one that cannot be used is a {@link
 * ConfigurationException} naming the setting. An adapter that could not honour a setting would have
 * to refuse it at open with a {@link dev.vectorcache.core.exception.UnsupportedCapabilityException}
 * naming it, never ignore it.
 */
public final class TlsConfig {
  /** Host name verification is on unless switched off. */
  public static final boolean DEFAULT_VERIFY_HOSTNAME = true;

  private static final TlsConfig DEFAULTS = builder().build();

  private final @Nullable Path trustedCertificates;
  private final @Nullable Path clientCertificate;
  private final @Nullable Path clientKey;
  private final char @Nullable [] keyPassword;
  private final boolean verifyHostname;

  private TlsConfig(Builder b) {
    this.trustedCertificates = b.trustedCertificates;
    this.clientCertificate = b.clientCertificate;
    this.clientKey = b.clientKey;
    this.keyPassword = b.keyPassword == null ? null : b.keyPassword.clone();
    this.verifyHostname = b.verifyHostname;
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** The default settings: JVM trust store, no client certificate, host name verified. */
  public static TlsConfig defaults() {
    return DEFAULTS;
  }

  /** A builder holding this block's values. */
  public Builder mutate() {
    Builder b = new Builder();
    b.trustedCertificates = trustedCertificates;
    b.clientCertificate = clientCertificate;
    b.clientKey = clientKey;
    b.keyPassword = keyPassword == null ? null : keyPassword.clone();
    b.verifyHostname = verifyHostname;
    return b;
  }

  /** PEM file of the certificate authorities to trust instead of the JVM's, if set. */
  public Optional<Path> trustedCertificates() {
    return Optional.ofNullable(trustedCertificates);
  }

  /** PEM file of the client certificate chain for mutual TLS, if set. */
  public Optional<Path> clientCertificate() {
    return Optional.ofNullable(clientCertificate);
  }

  /** PEM file of the client's private key for mutual TLS, if set. */
  public Optional<Path> clientKey() {
    return Optional.ofNullable(clientKey);
  }

  /** A copy of the password of {@link #clientKey()}, if the key is encrypted. Never log it. */
  public Optional<char[]> keyPassword() {
    return Optional.ofNullable(keyPassword == null ? null : keyPassword.clone());
  }

  /** Whether the server certificate's host name must match the host connected to. */
  public boolean verifyHostname() {
    return verifyHostname;
  }

  /** Whether every setting is at its default. */
  public boolean isDefault() {
    return equals(DEFAULTS);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TlsConfig t
        && Objects.equals(trustedCertificates, t.trustedCertificates)
        && Objects.equals(clientCertificate, t.clientCertificate)
        && Objects.equals(clientKey, t.clientKey)
        && Arrays.equals(keyPassword, t.keyPassword)
        && verifyHostname == t.verifyHostname;
  }

  @Override
  public int hashCode() {
    return Objects.hash(trustedCertificates, clientCertificate, clientKey, verifyHostname);
  }

  @Override
  public String toString() {
    return "TlsConfig[trustedCertificates="
        + trustedCertificates
        + ", clientCertificate="
        + clientCertificate
        + ", clientKey="
        + clientKey
        + ", keyPassword="
        + (keyPassword == null ? "none" : "****")
        + ", verifyHostname="
        + verifyHostname
        + "]";
  }

  /** Builder for {@link TlsConfig}. */
  public static final class Builder {
    private @Nullable Path trustedCertificates;
    private @Nullable Path clientCertificate;
    private @Nullable Path clientKey;
    private char @Nullable [] keyPassword;
    private boolean verifyHostname = DEFAULT_VERIFY_HOSTNAME;

    private Builder() {}

    /**
     * A PEM file of the certificate authorities to trust instead of the JVM's trust store (for a
     * server with a private CA). Default: none, the JVM's trust store.
     */
    public Builder trustedCertificates(Path pemFile) {
      this.trustedCertificates = Objects.requireNonNull(pemFile, "pemFile");
      return this;
    }

    /**
     * The client certificate chain (PEM) for mutual TLS; needs {@link #clientKey(Path)} too.
     * Default: none, no client certificate is sent.
     */
    public Builder clientCertificate(Path pemFile) {
      this.clientCertificate = Objects.requireNonNull(pemFile, "pemFile");
      return this;
    }

    /**
     * The client's private key (PKCS#8 PEM) for mutual TLS; needs {@link #clientCertificate(Path)}
     * too. Default: none.
     */
    public Builder clientKey(Path pemFile) {
      this.clientKey = Objects.requireNonNull(pemFile, "pemFile");
      return this;
    }

    /**
     * The password of an encrypted {@link #clientKey(Path)}; the array is copied. Default: none (an
     * unencrypted key). Never logged or printed.
     */
    public Builder keyPassword(char[] password) {
      this.keyPassword = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    /**
     * Whether the server certificate's host name must match the host connected to. Default {@value
     * TlsConfig#DEFAULT_VERIFY_HOSTNAME}; switch off only for test servers whose certificate names
     * another host (the certificate chain is still verified).
     */
    public Builder verifyHostname(boolean verifyHostname) {
      this.verifyHostname = verifyHostname;
      return this;
    }

    /**
     * Checks that a client certificate and key come together, and that a key password has a key.
     *
     * @throws ConfigurationException naming the missing setting
     */
    public TlsConfig build() {
      if ((clientCertificate == null) != (clientKey == null)) {
        throw new ConfigurationException(
            "invalid tls: expected clientCertificate and clientKey together, found only "
                + (clientKey == null ? "clientCertificate" : "clientKey")
                + "; set both for mutual TLS, or neither");
      }
      if (keyPassword != null && clientKey == null) {
        throw new ConfigurationException(
            "invalid tls.keyPassword: expected a clientKey to decrypt, found none; set clientKey"
                + " and clientCertificate, or drop keyPassword");
      }
      return new TlsConfig(this);
    }
  }
}
