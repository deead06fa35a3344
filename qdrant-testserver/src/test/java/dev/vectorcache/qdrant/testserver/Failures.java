package dev.vectorcache.qdrant.testserver;

import io.grpc.StatusRuntimeException;
import java.util.concurrent.ExecutionException;

/** The gRPC status a call through the official client's futures failed with. */
final class Failures {
  private Failures() {}

  /** A call that is expected to fail: it joins a future of the official client. */
  interface Call {
    void run() throws Exception;
  }

  /** The status the call failed with; an assertion error when it succeeds or fails otherwise. */
  static StatusRuntimeException failure(Call call) {
    try {
      call.run();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException s) {
        return s;
      }
      throw new AssertionError("not a gRPC status", e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the call succeeded");
  }
}
