package dev.vectorcache.inmemory;

import dev.vectorcache.core.exception.BackendRejectedException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.port.ScoredSets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@link ScoredSets} of {@link InMemoryMetadataStore}: sorted sets in the store's key space ({@link
 * ScoredMembers}), with Redis's semantics. Calls run inline on the caller's thread, as the store's
 * async form does; bad input throws at once, before anything is changed. An {@link #update} applies
 * its updates in order, each atomically for its key; one refused (a key holding a copy) does not
 * stop the others, as in a Redis pipeline, and the call then fails with the first refusal.
 */
final class InMemoryScoredSets implements ScoredSets {
  private final InMemoryMetadataStore store;

  InMemoryScoredSets(InMemoryMetadataStore store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<Void> update(List<Update> updates) {
    checkUpdates(updates);
    return run(
            "update",
            () -> {
              BackendRejectedException failure = null;
              for (Update u : updates) {
                try {
                  store.changeSet("update", u.key(), true, set -> apply(set, u), 0.0);
                } catch (BackendRejectedException e) {
                  failure = failure == null ? e : failure;
                }
              }
              if (failure != null) {
                throw failure;
              }
              return updates.size();
            })
        .thenApply(n -> null);
  }

  private static double apply(ScoredMembers set, Update u) {
    if (u.increment()) {
      return set.increment(u.member(), u.score());
    }
    set.set(u.member(), u.score());
    return u.score();
  }

  @Override
  public CompletableFuture<Long> size(String key) {
    InMemoryMetadataStore.checkKey(key, "key");
    return run("size", () -> store.readSet("size", key, ScoredMembers::size, 0L));
  }

  @Override
  public CompletableFuture<List<String>> lowest(String key, int count) {
    InMemoryMetadataStore.checkKey(key, "key");
    if (count < 1) {
      throw new InvalidInputException("count", "at least 1", count);
    }
    return run(
        "lowest", () -> store.readSet("lowest", key, set -> set.lowest(count), List.<String>of()));
  }

  @Override
  public CompletableFuture<Long> remove(String key, Collection<String> members) {
    InMemoryMetadataStore.checkKey(key, "key");
    if (members == null) {
      throw new InvalidInputException("members", "a collection of members", null);
    }
    List<String> ms = new ArrayList<>(members.size());
    int i = 0;
    for (String m : members) {
      InMemoryMetadataStore.checkKey(m, "members[" + i++ + "]");
      ms.add(m);
    }
    if (ms.isEmpty()) {
      return run("remove", () -> 0L);
    }
    return run("remove", () -> store.changeSet("remove", key, false, set -> set.remove(ms), 0L));
  }

  @Override
  public CompletableFuture<Boolean> deleteSet(String key) {
    InMemoryMetadataStore.checkKey(key, "key");
    return run("deleteSet", () -> store.deleteKey(key));
  }

  /** Counts the call and runs it on an open store; a failure completes the future. */
  private <T> CompletableFuture<T> run(String op, Supplier<T> call) {
    try {
      store.count(op);
      store.checkOpen();
      return CompletableFuture.completedFuture(call.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static void checkUpdates(List<Update> updates) {
    if (updates == null) {
      throw new InvalidInputException("updates", "a list (empty for none)", null);
    }
    for (int i = 0; i < updates.size(); i++) {
      Update u = updates.get(i);
      if (u == null) {
        throw new InvalidInputException("updates[" + i + "]", "an update", null);
      }
      InMemoryMetadataStore.checkKey(u.key(), "updates[" + i + "].key");
      InMemoryMetadataStore.checkKey(u.member(), "updates[" + i + "].member");
    }
  }
}
