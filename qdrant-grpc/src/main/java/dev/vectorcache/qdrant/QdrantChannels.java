package dev.vectorcache.qdrant;

import dev.vectorcache.spi.TlsMaterial;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.okhttp.OkHttpChannelBuilder;
import io.qdrant.client.QdrantGrpcClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The adapter's gRPC channel.
 *
 * <p><b>Transport: OkHttp, not Netty.</b> Each gRPC transport has a frame logger that prints every
 * HTTP/2 frame at DEBUG, request headers included, and so the {@code api-key} header. Netty's (in
 * {@code grpc-netty-shaded}) logs through SLF4J whenever an SLF4J binding is present, so its level
 * belongs to the application's logging configuration: the adapter could silence it only with a
 * global side effect. OkHttp's logs through a {@code java.util.logging} logger, {@value
 * TransportLogging#FRAME_LOGGER}, that the adapter quiets alone ({@link TransportLogging}),
 * whatever the application's logging. OkHttp is also the lighter transport for a client.
 *
 * <p><b>A deadline on every call.</b> The store gives each call its own deadline; the channel adds
 * the configured timeout to any call that comes without one (a call made through the unwrapped
 * {@code QdrantClient}, say), so that no call on this channel can wait forever.
 */
final class QdrantChannels {
  private QdrantChannels() {}

  /**
   * A channel to {@code host:port}: in plain text without {@code tls}; else with the configured
   * trust (a CA file or the JVM's), client certificate and host name verification. gRPC always asks
   * for the host name to be checked, so with {@code verifyHostname(false)} the trust managers of
   * {@link TlsMaterial#trustManagers()} skip it.
   */
  static ManagedChannel open(String host, int port, @Nullable TlsMaterial tls, Duration timeout) {
    TransportLogging.quietFrames();
    OkHttpChannelBuilder b = OkHttpChannelBuilder.forAddress(host, port);
    if (tls == null) {
      b.usePlaintext();
    } else {
      b.sslSocketFactory(tls.sslContext().getSocketFactory());
      if (!tls.config().verifyHostname()) {
        // OkHttp checks the host name itself; the chain is still verified by the trust managers
        b.hostnameVerifier((hostname, session) -> true);
      }
    }
    return b.userAgent(userAgent()).intercept(new DefaultDeadline(timeout)).build();
  }

  /** What the official client sends, so the server sees the same client. */
  private static String userAgent() {
    String version = QdrantGrpcClient.class.getPackage().getImplementationVersion();
    return "java-client/"
        + (version == null ? "unknown" : version)
        + " java/"
        + System.getProperty("java.version");
  }

  /** Gives a call without a deadline one of {@code timeout}. */
  static final class DefaultDeadline implements ClientInterceptor {
    private final long timeoutNanos;

    DefaultDeadline(Duration timeout) {
      this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(
        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      CallOptions withDeadline =
          options.getDeadline() == null
              ? options.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS)
              : options;
      return next.newCall(method, withDeadline);
    }
  }
}
