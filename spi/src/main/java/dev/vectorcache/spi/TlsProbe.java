package dev.vectorcache.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * For adapter authors: tells whether a server speaks TLS, to explain a plain-text connection that
 * the server dropped. A TLS server answers a plain-text request by closing the connection, which
 * looks like an unreachable server; one TLS handshake attempt tells the two apart.
 *
 * <p>The probe sends a TLS ClientHello and waits for the server's certificate; it then aborts the
 * handshake (it trusts nothing and sends no application data), so nothing reaches the server's
 * application.
 */
public final class TlsProbe {
  private TlsProbe() {}

  /**
   * Whether {@code host:port} answers a TLS ClientHello with a certificate within {@code timeout}.
   * Never throws: a refused, reset or silent connection is {@code false}.
   *
   * @param host the server's host
   * @param port the server's port
   * @param timeout bounds the connect and each read
   * @return true when the server presented a certificate
   */
  public static boolean speaksTls(String host, int port, Duration timeout) {
    Objects.requireNonNull(host, "host");
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    Recorder recorder = new Recorder();
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(host, port), millis);
      plain.setSoTimeout(millis);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {recorder}, null);
      try (SSLSocket tls =
          (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
        tls.startHandshake();
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // expected: the recorder refuses every certificate, so the handshake always fails
    }
    return recorder.sawCertificate.get();
  }

  /** Records that the server sent a certificate, and refuses it. */
  private static final class Recorder implements X509TrustManager {
    final AtomicBoolean sawCertificate = new AtomicBoolean();

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      sawCertificate.set(chain.length > 0);
      throw new CertificateException("probe only: the certificate is not checked");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("a probe accepts no client");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
