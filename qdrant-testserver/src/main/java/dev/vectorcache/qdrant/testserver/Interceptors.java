package dev.vectorcache.qdrant.testserver;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** The server's interceptors: request counting, API-key check and fault injection. */
final class Interceptors {
  private Interceptors() {}

  static final Metadata.Key<String> API_KEY =
      Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> GRPC_TIMEOUT =
      Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER);

  private static final ServerCall.Listener<Object> NOOP = new ServerCall.Listener<>() {};

  @SuppressWarnings("unchecked")
  private static <Q> ServerCall.Listener<Q> noop() {
    return (ServerCall.Listener<Q>) NOOP;
  }

  /** Counts every call that reaches the server, by bare method name, before anything else. */
  static final class Counting implements ServerInterceptor {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, Object> last = new ConcurrentHashMap<>();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      String method = call.getMethodDescriptor().getBareMethodName();
      counts.computeIfAbsent(method, k -> new LongAdder()).increment();
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

  /** Applies the active {@link FaultMode} of {@link Faults} to each call. */
  static final class FaultInjection implements ServerInterceptor {
    private final Faults faults;
    private final ScheduledExecutorService scheduler;

    FaultInjection(Faults faults, ScheduledExecutorService scheduler) {
      this.faults = faults;
      this.scheduler = scheduler;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      FaultMode fault = faults.take(call.getMethodDescriptor().getBareMethodName());
      if (fault == null) {
        return next.startCall(call, headers);
      }
      switch (fault.kind()) {
        case UNAVAILABLE:
          call.close(
              Status.UNAVAILABLE.withDescription("injected fault: the service is unavailable"),
              new Metadata());
          return noop();
        case DEADLINE_EXCEEDED:
          long waitNanos = untilPastDeadline(headers);
          // nothing to wait for: closeQuietly handles its own failures, and the call is answered
          ScheduledFuture<?> unused =
              scheduler.schedule(
                  () ->
                      closeQuietly(
                          call,
                          Status.DEADLINE_EXCEEDED.withDescription(
                              "injected fault: the call was held past its deadline")),
                  waitNanos,
                  TimeUnit.NANOSECONDS);
          return noop();
        case APPLY_THEN_FAIL:
          return next.startCall(new LostReply<>(call), headers);
        case SLOW:
        default:
          return next.startCall(new Delayed<>(call, fault.delay().toNanos(), scheduler), headers);
      }
    }

    private static long untilPastDeadline(Metadata headers) {
      long margin = TimeUnit.MILLISECONDS.toNanos(200);
      Deadline deadline = Context.current().getDeadline();
      if (deadline != null) {
        return Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)) + margin;
      }
      String timeout = headers.get(GRPC_TIMEOUT);
      if (timeout != null && timeout.length() > 1) {
        try {
          long amount = Long.parseLong(timeout.substring(0, timeout.length() - 1));
          TimeUnit unit =
              switch (timeout.charAt(timeout.length() - 1)) {
                case 'H' -> TimeUnit.HOURS;
                case 'M' -> TimeUnit.MINUTES;
                case 'S' -> TimeUnit.SECONDS;
                case 'm' -> TimeUnit.MILLISECONDS;
                case 'u' -> TimeUnit.MICROSECONDS;
                default -> TimeUnit.NANOSECONDS;
              };
          return unit.toNanos(amount) + margin;
        } catch (NumberFormatException e) {
          // fall through to the default hang
        }
      }
      return FaultMode.HANG_WITHOUT_DEADLINE.toNanos();
    }
  }

  private static void closeQuietly(ServerCall<?, ?> call, Status status) {
    try {
      if (!call.isCancelled()) {
        call.close(status, new Metadata());
      }
    } catch (RuntimeException e) {
      // the client gave up first: nothing left to answer
    }
  }

  /** Lets the call run, then drops its reply and answers UNAVAILABLE instead. */
  private static final class LostReply<Q, R> extends SimpleForwardingServerCall<Q, R> {
    LostReply(ServerCall<Q, R> delegate) {
      super(delegate);
    }

    @Override
    public void sendMessage(R message) {
      // the reply is lost on the way back
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (status.isOk()) {
        super.close(
            Status.UNAVAILABLE.withDescription(
                "injected fault: the request was applied but its reply was lost"),
            new Metadata());
      } else {
        super.close(status, trailers);
      }
    }
  }

  /** Holds the reply (headers, message and close, in order) for a fixed delay. */
  private static final class Delayed<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private final long delayNanos;
    private final ScheduledExecutorService scheduler;
    private final List<Runnable> pending = new ArrayList<>();

    Delayed(ServerCall<Q, R> delegate, long delayNanos, ScheduledExecutorService scheduler) {
      super(delegate);
      this.delayNanos = delayNanos;
      this.scheduler = scheduler;
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      pending.add(() -> super.sendHeaders(headers));
    }

    @Override
    public synchronized void sendMessage(R message) {
      pending.add(() -> super.sendMessage(message));
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      pending.add(() -> super.close(status, trailers));
      List<Runnable> actions = List.copyOf(pending);
      // nothing to wait for: the task swallows a client's cancellation, the only expected failure
      ScheduledFuture<?> unused =
          scheduler.schedule(
              () -> {
                try {
                  for (Runnable r : actions) {
                    r.run();
                  }
                } catch (RuntimeException e) {
                  // cancelled by the client meanwhile
                }
              },
              delayNanos,
              TimeUnit.NANOSECONDS);
    }
  }
}
