package dev.vectorcache.testkit;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Counts the calls a recording store forwards, per operation, and injects failures. Shared by
 * {@link RecordingVectorStore} and {@link RecordingMetadataStore}.
 */
public final class CallRecorder {
  /** How an injected failure behaves. */
  public enum FailureMode {
    /** Fail without forwarding the call. */
    FAIL,
    /** Forward the call, wait for it to apply, then fail (an ambiguous outcome). */
    APPLY_THEN_FAIL
  }

  private record Failure(FailureMode mode, Supplier<RuntimeException> error) {}

  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, Failure> failures = new ConcurrentHashMap<>();

  /** Calls of {@code operation} forwarded or failed so far. */
  public int calls(String operation) {
    AtomicInteger n = calls.get(operation);
    return n == null ? 0 : n.get();
  }

  /** Every call so far, by operation, sorted by name. */
  public Map<String, Integer> allCalls() {
    Map<String, Integer> out = new TreeMap<>();
    calls.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Total calls of every operation. */
  public int totalCalls() {
    return calls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Forgets the counts. */
  public void reset() {
    calls.clear();
  }

  /** Makes every later call of {@code operation} fail with a fresh exception from {@code error}. */
  public void failOn(String operation, FailureMode mode, Supplier<RuntimeException> error) {
    failures.put(operation, new Failure(mode, error));
  }

  /** Removes every injected failure. */
  public void clearFailures() {
    failures.clear();
  }

  <T> CompletableFuture<T> record(String operation, Supplier<CompletableFuture<T>> call) {
    calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
    Failure f = failures.get(operation);
    if (f == null) {
      return call.get();
    }
    if (f.mode() == FailureMode.FAIL) {
      return CompletableFuture.failedFuture(f.error().get());
    }
    return call.get()
        .handle((v, e) -> null)
        .thenCompose(v -> CompletableFuture.failedFuture(f.error().get()));
  }
}
