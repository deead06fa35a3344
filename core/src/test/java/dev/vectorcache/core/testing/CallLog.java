package dev.vectorcache.core.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The calls a fake store received, by operation name, and the faults a test planned for them: a
 * failure for the next call (or every call) of an operation, or an action run just before it.
 */
public final class CallLog {
  private final List<String> calls = new ArrayList<>();
  private final Map<String, Deque<RuntimeException>> nextFailures = new HashMap<>();
  private final Map<String, RuntimeException> alwaysFailures = new HashMap<>();
  private final Map<String, Runnable> before = new HashMap<>();

  /** Records {@code operation}, runs its planned action, and throws its planned failure. */
  void enter(String operation) {
    Runnable action;
    RuntimeException failure;
    synchronized (this) {
      calls.add(operation);
      action = before.remove(operation);
      Deque<RuntimeException> queued = nextFailures.get(operation);
      failure = queued == null ? null : queued.poll();
      if (failure == null) {
        failure = alwaysFailures.get(operation);
      }
    }
    if (action != null) {
      action.run();
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** The next call of {@code operation} throws {@code failure} (queued: one per call). */
  public synchronized void failNext(String operation, RuntimeException failure) {
    nextFailures.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(failure);
  }

  /** Every call of {@code operation} throws {@code failure}, or none with {@code null}. */
  public synchronized void failAlways(String operation, @Nullable RuntimeException failure) {
    if (failure == null) {
      alwaysFailures.remove(operation);
    } else {
      alwaysFailures.put(operation, failure);
    }
  }

  /** Runs {@code action} just before the next call of {@code operation} does its work. */
  public synchronized void beforeNext(String operation, Runnable action) {
    before.put(operation, action);
  }

  /** The operations called so far, in order. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** How many times {@code operation} was called. */
  public synchronized long count(String operation) {
    return calls.stream().filter(operation::equals).count();
  }

  /** Forgets the calls recorded so far (not the planned faults). */
  public synchronized void clear() {
    calls.clear();
  }
}
