package dev.vectorcache.qdrant.testserver;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls a fault holds without an answer (a hang, a reply held back). A call leaves the set when
 * it is answered or cancelled by its client; {@link #releaseAll()}, when the server stops, answers
 * every call still held with {@code UNAVAILABLE}, so that no client waits on a stopped server and
 * the server stops at once.
 */
final class HeldCalls {
  private final Set<ServerCall<?, ?>> calls = ConcurrentHashMap.newKeySet();
  private volatile boolean released;

  /** Holds {@code call}; answers it at once when the server is already stopping. */
  void hold(ServerCall<?, ?> call) {
    calls.add(call);
    if (released) {
      answer(call, stopped());
    }
  }

  /** Forgets {@code call}: it was answered, or its client went away. */
  void forget(ServerCall<?, ?> call) {
    calls.remove(call);
  }

  /** How many calls are held now. */
  int size() {
    return calls.size();
  }

  /**
   * A listener for a call that is held and never served: it reads the request (the server accepted
   * the call) and forgets the call when the client cancels it.
   */
  <Q> ServerCall.Listener<Q> hang(ServerCall<Q, ?> call) {
    hold(call);
    call.request(1);
    return new ServerCall.Listener<Q>() {
      @Override
      public void onCancel() {
        forget(call);
      }

      @Override
      public void onComplete() {
        forget(call);
      }
    };
  }

  /** Answers every held call with {@code UNAVAILABLE}; calls held later are answered at once. */
  void releaseAll() {
    released = true;
    for (ServerCall<?, ?> call : calls) {
      answer(call, stopped());
    }
  }

  /** Closes {@code call} with {@code status} unless its client already gave up; forgets it. */
  void answer(ServerCall<?, ?> call, Status status) {
    forget(call);
    // one close per call: the hold and the release may race at shutdown
    synchronized (call) {
      try {
        if (!call.isCancelled()) {
          call.close(status, new Metadata());
        }
      } catch (RuntimeException e) {
        // already closed, or the client went away meanwhile: nothing left to answer
      }
    }
  }

  private static Status stopped() {
    return Status.UNAVAILABLE.withDescription(
        "injected fault: the test server stopped while holding the call");
  }
}
