package dev.vectorcache.core.adapter;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.VectorCacheException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/** Helpers between the blocking and non-blocking forms of the ports, for adapter authors. */
public final class Futures {
  private Futures() {}

  /**
   * Waits for {@code future} and rethrows its failure as it was (a {@link VectorCacheException}
   * stays itself, not wrapped in a {@link CompletionException}).
   */
  public static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VectorCacheException("interrupted while waiting for the backend", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw rethrow(cause == null ? e : cause);
    } catch (CancellationException e) {
      throw new VectorCacheException("the operation was cancelled", e);
    }
  }

  /** Unwraps {@link CompletionException} and {@link ExecutionException} layers. */
  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static RuntimeException rethrow(Throwable cause) {
    Throwable c = unwrap(cause);
    if (c instanceof RuntimeException r) {
      return r;
    }
    if (c instanceof Error e) {
      throw e;
    }
    return new VectorCacheException(c.getMessage(), c);
  }

  /**
   * Runs {@code call} now and returns its result as a completed future; a backend failure becomes a
   * failed future, while invalid input is thrown at once, as the async ports promise.
   */
  public static <T> CompletableFuture<T> now(Supplier<T> call) {
    try {
      return CompletableFuture.completedFuture(call.get());
    } catch (InvalidInputException e) {
      throw e;
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@link #now(Supplier)} for calls without a result. */
  public static CompletableFuture<Void> run(Runnable call) {
    return now(
        () -> {
          call.run();
          return null;
        });
  }
}
