package dev.vectorcache.reliability;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.port.AsyncVectorStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a vector store to count its full-payload reads (the payload fallback after a metadata miss)
 * per point, and optionally to hold each such read's answer for a while, so that concurrent misses
 * overlap. Every other call goes straight through, capabilities and extensions included.
 */
final class FetchSpy implements InvocationHandler {
  private final AsyncVectorStore delegate;
  private final Duration hold;
  private final Map<PointId, AtomicInteger> fetches = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile CompletableFuture<Void> gate;

  private FetchSpy(AsyncVectorStore delegate, Duration hold) {
    this.delegate = delegate;
    this.hold = hold;
  }

  /** The spy and the store to give the cache. */
  record Spied(FetchSpy spy, AsyncVectorStore store) {}

  static Spied wrap(AsyncVectorStore delegate, Duration hold) {
    FetchSpy spy = new FetchSpy(delegate, hold);
    AsyncVectorStore proxy =
        (AsyncVectorStore)
            Proxy.newProxyInstance(
                AsyncVectorStore.class.getClassLoader(),
                new Class<?>[] {AsyncVectorStore.class},
                spy);
    return new Spied(spy, proxy);
  }

  /** Full-payload reads of {@code id} so far. */
  int fetches(PointId id) {
    AtomicInteger n = fetches.get(id);
    return n == null ? 0 : n.get();
  }

  /** Points read with their full payload so far, over all calls. */
  int totalFetches() {
    return fetches.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Full-payload read calls so far (one call may read several points). */
  int fetchCalls() {
    return calls.get();
  }

  /**
   * Holds the answer of every later full-payload read until the returned future is completed (the
   * read itself happens at once: it sees the store as it is now).
   */
  CompletableFuture<Void> closeGate() {
    CompletableFuture<Void> g = new CompletableFuture<>();
    gate = g;
    return g;
  }

  /** Stops holding later reads (held ones wait for their gate). */
  void openGate() {
    gate = null;
  }

  void reset() {
    fetches.clear();
    calls.set(0);
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    Object result;
    try {
      result = method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    if (method.getName().equals("retrieve") && PayloadSelector.ALL.equals(args[2])) {
      calls.incrementAndGet();
      for (Object id : (Collection<?>) args[1]) {
        fetches.computeIfAbsent((PointId) id, k -> new AtomicInteger()).incrementAndGet();
      }
      CompletableFuture<?> answer = (CompletableFuture<?>) result;
      CompletableFuture<Void> g = gate;
      if (g != null) {
        return answer.thenCombine(g, (r, x) -> r);
      }
      if (!hold.isZero()) {
        return answer.thenApplyAsync(
            r -> r, CompletableFuture.delayedExecutor(hold.toMillis(), TimeUnit.MILLISECONDS));
      }
    }
    return result;
  }
}
