package dev.vectorcache.qdrant.testserver;

import io.grpc.Context;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's interceptors for request counting and the API-key check; fault injection is {@link
 * FaultInjection}.
 */
final class Interceptors {
  private Interceptors() {}

  static final Metadata.Key<String> API_KEY =
      Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final ServerCall.Listener<Object> NOOP = new ServerCall.Listener<>() {};

  /** A listener that ignores everything, for a call that was already answered. */
  @SuppressWarnings("unchecked")
  static <Q> ServerCall.Listener<Q> noop() {
    return (ServerCall.Listener<Q>) NOOP;
  }

  /**
   * Counts every call that reaches the server, by bare method name, before anything else, and the
   * calls that came without a deadline (a client discipline the adapter's tests assert).
   */
  static final class Counting implements ServerInterceptor {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> withoutDeadline = new ConcurrentHashMap<>();
    private final Map<String, Object> last = new ConcurrentHashMap<>();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      String method = call.getMethodDescriptor().getBareMethodName();
      counts.computeIfAbsent(method, k -> new LongAdder()).increment();
      if (Context.current().getDeadline() == null) {
        withoutDeadline.computeIfAbsent(method, k -> new LongAdder()).increment();
      }
      return new SimpleForwardingServerCallListener<Q>(next.startCall(call, headers)) {
        @Override
        public void onMessage(Q message) {
          last.put(method, message);
          super.onMessage(message);
        }
      };
    }

    Map<String, LongAdder> counts() {
      return counts;
    }

    Map<String, LongAdder> withoutDeadline() {
      return withoutDeadline;
    }

    Map<String, Object> last() {
      return last;
    }
  }

  /**
   * Qdrant's API-key check: the {@code api-key} header or {@code authorization: Bearer KEY}; the
   * health check is exempt.
   */
  static final class ApiKey implements ServerInterceptor {
    private final byte[] key;

    ApiKey(String key) {
      this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      if (call.getMethodDescriptor().getBareMethodName().equals("HealthCheck")) {
        return next.startCall(call, headers);
      }
      String given = headers.get(API_KEY);
      if (given == null) {
        String auth = headers.get(AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
          given = auth.substring(7).trim();
        }
      }
      if (given == null) {
        call.close(
            Status.UNAUTHENTICATED.withDescription(
                "Must provide an API key or an Authorization bearer token"),
            new Metadata());
        return noop();
      }
      if (!MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8))) {
        call.close(
            Status.UNAUTHENTICATED.withDescription("Invalid API key or JWT"), new Metadata());
        return noop();
      }
      return next.startCall(call, headers);
    }
  }
}
