package dev.vectorcache.cli;

import dev.vectorcache.core.exception.BackendTimeoutException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a backend call on a daemon thread and gives up after a deadline, so that a client that
 * ignores its own timeout (or a connect that hangs) cannot hang the CLI.
 */
final class Bounded implements AutoCloseable {
  /** Added to the user's timeout: the client's own deadline should fire first, with its message. */
  static final Duration GRACE = Duration.ofMillis(500);

  /**
   * Added to the user's timeout for opening a store: the first open of a JVM also loads and
   * initialises the client library (Netty, gRPC), which is not the server's fault.
   */
  static final Duration CONNECT_GRACE = Duration.ofSeconds(5);

  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "vectorcache-cli-call");
            t.setDaemon(true);
            return t;
          });

  <T> T call(String backend, String what, Duration timeout, Callable<T> call) throws Exception {
    Future<T> f = executor.submit(call);
    Duration grace = what.equals("connect") ? CONNECT_GRACE : GRACE;
    try {
      return f.get(timeout.plus(grace).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new BackendTimeoutException(
          backend, what + ": no answer within " + Durations.human(timeout), null);
    } catch (ExecutionException e) {
      Throwable c = Cli.unwrap(e);
      if (c instanceof Exception ex) {
        throw ex;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
