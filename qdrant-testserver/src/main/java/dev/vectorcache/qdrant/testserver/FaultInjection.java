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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Applies the fault {@link Faults} draws for each call (see {@link FaultMode} for what each does).
 * Calls it holds are registered in {@link HeldCalls}, which answers them when the server stops.
 */
final class FaultInjection implements ServerInterceptor {
  private static final Metadata.Key<String> GRPC_TIMEOUT =
      Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER);

  private final Faults faults;
  private final ScheduledExecutorService scheduler;
  private final HeldCalls held;

  FaultInjection(Faults faults, ScheduledExecutorService scheduler, HeldCalls held) {
    this.faults = faults;
    this.scheduler = scheduler;
    this.held = held;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    FaultMode fault = faults.take(call.getMethodDescriptor().getBareMethodName());
    if (fault == null) {
      return next.startCall(call, headers);
    }
    return switch (fault.kind()) {
      case UNAVAILABLE -> {
        call.close(
            Status.UNAVAILABLE.withDescription("injected fault: the service is unavailable"),
            new Metadata());
        yield Interceptors.noop();
      }
      case DEADLINE_EXCEEDED -> {
        ServerCall.Listener<Q> listener = held.hang(call);
        // nothing to wait for: answer() handles a client that went away first
        ScheduledFuture<?> unused =
            scheduler.schedule(
                () ->
                    held.answer(
                        call,
                        Status.DEADLINE_EXCEEDED.withDescription(
                            "injected fault: the call was held past its deadline")),
                untilPastDeadline(headers),
                TimeUnit.NANOSECONDS);
        yield listener;
      }
      case HANG -> held.hang(call);
      case APPLY_THEN_FAIL -> next.startCall(new LostReply<>(call, held, false), headers);
      case APPLY_THEN_HANG ->
          forgetting(next.startCall(new LostReply<>(call, held, true), headers), call);
      case SLOW ->
          forgetting(
              next.startCall(
                  new Delayed<>(call, fault.delay().toNanos(), scheduler, held), headers),
              call);
    };
  }

  /** The service's listener, which also forgets the call once its client has gone. */
  private <Q> ServerCall.Listener<Q> forgetting(ServerCall.Listener<Q> l, ServerCall<Q, ?> call) {
    return new SimpleForwardingServerCallListener<Q>(l) {
      @Override
      public void onCancel() {
        held.forget(call);
        super.onCancel();
      }
    };
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

  /**
   * Lets the call run, then drops its reply and answers UNAVAILABLE instead, or (hang) holds the
   * call unanswered until its client cancels or the server stops.
   */
  private static final class LostReply<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private final HeldCalls held;
    private final boolean hang;

    LostReply(ServerCall<Q, R> delegate, HeldCalls held, boolean hang) {
      super(delegate);
      this.held = held;
      this.hang = hang;
    }

    @Override
    public void sendHeaders(Metadata headers) {
      // nothing reaches the client: the reply is lost on the way back
    }

    @Override
    public void sendMessage(R message) {
      // the reply is lost on the way back
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (!status.isOk()) {
        super.close(status, trailers); // the call failed on its own: nothing was applied
      } else if (hang) {
        held.hold(delegate());
      } else {
        super.close(
            Status.UNAVAILABLE.withDescription(
                "injected fault: the request was applied but its reply was lost"),
            new Metadata());
      }
    }
  }

  /** Holds the reply (headers, message and close, in order) for a fixed delay. */
  private static final class Delayed<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private final long delayNanos;
    private final ScheduledExecutorService scheduler;
    private final HeldCalls held;
    private final List<Runnable> pending = new ArrayList<>();

    Delayed(
        ServerCall<Q, R> delegate,
        long delayNanos,
        ScheduledExecutorService scheduler,
        HeldCalls held) {
      super(delegate);
      this.delayNanos = delayNanos;
      this.scheduler = scheduler;
      this.held = held;
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
      ServerCall<Q, R> call = delegate();
      held.hold(call);
      // nothing to wait for: the task swallows a client's cancellation, the only expected failure
      ScheduledFuture<?> unused =
          scheduler.schedule(() -> send(call, actions), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void send(ServerCall<Q, R> call, List<Runnable> actions) {
      held.forget(call);
      synchronized (call) {
        try {
          for (Runnable r : actions) {
            r.run();
          }
        } catch (RuntimeException e) {
          // cancelled by the client meanwhile, or released when the server stopped
        }
      }
    }
  }
}
