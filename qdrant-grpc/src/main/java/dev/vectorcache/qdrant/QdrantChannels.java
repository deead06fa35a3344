package dev.vectorcache.qdrant;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.TlsChannelCredentials;
import io.grpc.okhttp.OkHttpChannelBuilder;
import io.qdrant.client.QdrantGrpcClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

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

  /** A channel to {@code host:port}, with TLS (the JVM's trust store) or in plain text. */
  static ManagedChannel open(String host, int port, boolean tls, Duration timeout) {
    TransportLogging.quietFrames();
    ChannelCredentials credentials =
        tls ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
    return OkHttpChannelBuilder.forAddress(host, port, credentials)
        .userAgent(userAgent())
        .intercept(new DefaultDeadline(timeout))
        .build();
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
