package dev.vectorcache.core;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.MigrationInProgressException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.AliasAction;
import dev.vectorcache.core.model.CollectionAlias;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.CollectionAliases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs one {@link VectorCache#migrate} call: records the state, creates the new collection, turns
 * on dual writes, backfills, catches up, switches the name and drops the old collection.
 *
 * <p><b>Why the backfill never overwrites a newer write.</b> A dual write writes the old collection
 * first, waits, then the new one. The backfill copies a batch read from the old collection, then
 * reads the old collection's versions of the keys it wrote again: when a key's version there is
 * still the one it copied, any later write of that key reaches the new collection after the copy
 * (its old-collection write came after this read, and its new-collection write after that), so the
 * copy cannot have overwritten it; when it changed (or the key is gone), the backfill re-reads the
 * key and copies it again (or deletes its own copy), and checks again. Before writing, it also
 * skips keys the new collection already holds at the same or a newer version. So no lock is taken
 * and no conditional write is needed from the store.
 */
final class Migrator {
  /** Writes may be in flight with versions taken this long before the migration began. */
  static final Duration START_SLACK = Duration.ofMinutes(1);

  /** Between a cache's name and the generation number of its physical collections. */
  private static final String GENERATION = "__g";

  /** Re-checks of one batch against racing writes before its keys are counted as failed. */
  private static final int MAX_ROUNDS = 16;

  private final AsyncVectorStore vectors;
  private final CollectionAliases aliases;
  private final String collection;
  private final Clock clock;
  private final Supplier<Route> route;
  private final Consumer<Route> setRoute;
  private final MigrationStateStore stateStore;

  /** Counts of one batch. */
  private static final class Counts {
    long copied;
    long skipped;
    long failed;
    long expired;
  }

  Migrator(
      AsyncVectorStore vectors,
      CollectionAliases aliases,
      String collection,
      Clock clock,
      Supplier<Route> route,
      Consumer<Route> setRoute) {
    this.vectors = vectors;
    this.aliases = aliases;
    this.collection = collection;
    this.clock = clock;
    this.route = route;
    this.setRoute = setRoute;
    this.stateStore = new MigrationStateStore(vectors, collection);
  }

  /**
   * Refuses, before any I/O, a plan that would not change the model, dimension or distance the
   * cache's route {@code current} has.
   */
  static void checkChangesModel(MigrationPlan plan, Route current) {
    CollectionConfig next = plan.collectionConfig();
    if (plan.modelId().equals(current.modelId())
        && next.dimension() == current.config().dimension()
        && next.distance() == current.config().distance()) {
      throw new InvalidInputException(
          "plan",
          "another model id, dimension or distance than the cache's current ones (modelId="
              + current.modelId()
              + ", dimension="
              + current.config().dimension()
              + ", distance="
              + current.config().distance()
              + ")",
          plan.toString());
    }
  }

  MigrationResult run(MigrationPlan plan) {
    long start = System.nanoTime();
    CollectionConfig config = plan.collectionConfig();
    MigrationState state = stateStore.read();
    boolean resumed = state != null;
    if (state != null) {
      if (!state.modelId().equals(plan.modelId())
          || state.dimension() != config.dimension()
          || state.distance() != config.distance()) {
        throw new MigrationInProgressException(
            "an unfinished migration of collection "
                + collection
                + " to model "
                + state.modelId()
                + " (dimension "
                + state.dimension()
                + ", "
                + state.distance()
                + ") is recorded; resume it with that plan before migrating to "
                + plan);
      }
    } else {
      String source = physicalCollection();
      state =
          new MigrationState(
              plan.modelId(),
              config.dimension(),
              config.distance(),
              source,
              nextTarget(source),
              MigrationState.Phase.COPYING,
              EntryWriter.micros(clock.instant().minus(START_SLACK)),
              null,
              0,
              0,
              0,
              0);
      stateStore.write(state);
    }
    Futures.join(new CollectionSetup(vectors, state.target(), config, null).run());
    Route before = route.get();
    InputChecks newChecks = before.checks().withConfig(config);
    Route.DualWrite dual =
        new Route.DualWrite(state.target(), newChecks, plan.modelId(), plan.reembedder());
    setRoute.accept(before.withDual(dual));
    boolean moved = false;
    long caughtUp = 0;
    try {
      if (state.phase() == MigrationState.Phase.COPYING) {
        state = backfill(state, plan, dual);
      }
      if (state.phase() == MigrationState.Phase.CATCHING_UP) {
        caughtUp = catchUp(state, plan, dual);
        state = state.inPhase(MigrationState.Phase.SWITCHING);
        stateStore.write(state);
        report(plan, state);
      }
      // in-process readers move first, to the new physical collection; then the name follows
      setRoute.accept(new Route(state.target(), config, newChecks, plan.modelId(), null));
      moved = true;
      switchName(state);
      setRoute.accept(new Route(collection, config, newChecks, plan.modelId(), null));
      if (!state.source().equals(collection)) {
        Futures.join(vectors.deleteCollection(state.source()));
      }
      stateStore.delete();
    } finally {
      if (!moved) {
        setRoute.accept(before);
      }
    }
    return new MigrationResult(
        plan.modelId(),
        state.source(),
        state.target(),
        state.copied(),
        state.skippedAsNewer(),
        state.failed(),
        state.expired(),
        caughtUp,
        resumed,
        Duration.ofNanos(System.nanoTime() - start));
  }

  // ---------------------------------------------------------------- phases

  private MigrationState backfill(MigrationState from, MigrationPlan plan, Route.DualWrite dual) {
    MigrationState state = from;
    PointId offset = state.checkpoint();
    while (true) {
      ScrollPage page =
          Futures.join(
              vectors.scroll(
                  state.source(),
                  new ScrollRequest(null, plan.batchSize(), offset, PayloadSelector.ALL, true)));
      Counts c = copy(state.source(), page.points(), dual);
      PointId next = page.nextOffset();
      state = state.advanced(next, c.copied, c.skipped, c.failed, c.expired);
      if (next == null) {
        state = state.inPhase(MigrationState.Phase.CATCHING_UP);
      }
      stateStore.write(state);
      report(plan, state);
      if (next == null) {
        return state;
      }
      offset = next;
    }
  }

  /** Rechecks every entry written since the migration began; returns how many were rewritten. */
  private long catchUp(MigrationState state, MigrationPlan plan, Route.DualWrite dual) {
    Filter since =
        Filter.must(
            Condition.range(EntryPayload.VERSION, Range.gte((double) state.startedVersion())));
    long rewritten = 0;
    PointId offset = null;
    do {
      ScrollPage page =
          Futures.join(
              vectors.scroll(
                  state.source(),
                  new ScrollRequest(since, plan.batchSize(), offset, PayloadSelector.ALL, true)));
      rewritten += copy(state.source(), page.points(), dual).copied;
      offset = page.nextOffset();
    } while (offset != null);
    return rewritten;
  }

  /** Points the cache's name at the new collection; safe to repeat after a crash. */
  private void switchName(MigrationState state) {
    Optional<String> current = aliasTarget();
    if (current.isPresent() && current.get().equals(state.target())) {
      return; // switched before a crash
    }
    if (current.isEmpty() && Futures.join(vectors.listCollections()).contains(collection)) {
      if (!state.source().equals(collection)) {
        throw new IllegalStateException(
            "collection " + collection + " is a plain collection but not the migration's source");
      }
      // a plain collection cannot become an alias in place: drop it, then name the new one
      Futures.join(vectors.deleteCollection(collection));
    }
    Futures.join(aliases.updateAliases(List.of(AliasAction.create(collection, state.target()))));
  }

  // ---------------------------------------------------------------- copying one batch

  /**
   * Copies {@code batch} (read from {@code source} with payload and vectors) into the new
   * collection, re-embedding each entry, then re-reads the old versions of what it wrote and
   * repeats for the keys that changed meanwhile (see the class comment).
   */
  private Counts copy(String source, List<RetrievedPoint> batch, Route.DualWrite dual) {
    Counts counts = new Counts();
    Map<PointId, RetrievedPoint> present = new LinkedHashMap<>();
    Set<PointId> gone = new LinkedHashSet<>();
    for (RetrievedPoint p : batch) {
      present.put(p.id(), p);
    }
    Map<PointId, Long> written = new HashMap<>();
    Instant now = clock.instant();
    for (int round = 0; !present.isEmpty() || !gone.isEmpty(); round++) {
      if (round == MAX_ROUNDS) {
        counts.failed += present.size();
        break;
      }
      boolean first = round == 0;
      Set<PointId> ids = new LinkedHashSet<>(present.keySet());
      ids.addAll(gone);
      Map<PointId, Long> inTarget = versions(dual.target(), ids);
      List<PointStruct> upserts = new ArrayList<>();
      List<PointId> deletes = new ArrayList<>();
      for (PointId id : gone) {
        Long mine = written.remove(id);
        if (mine != null && mine.equals(inTarget.get(id))) {
          deletes.add(id); // our copy of a key deleted since: remove it
        }
      }
      for (RetrievedPoint p : present.values()) {
        PayloadHit hit = EntryPayload.read(p.id(), 0f, p.payload());
        String key = hit.key();
        Long there = inTarget.get(p.id());
        float[] previous = p.vector();
        if (key == null || previous == null) {
          counts.failed += first ? 1 : 0; // not a cache entry
        } else if (hit.expiresAt() != null && !hit.isLiveAt(now)) {
          counts.expired += first ? 1 : 0;
        } else if (there != null && there >= hit.version()) {
          if (first && !written.containsKey(p.id())) {
            counts.skipped++;
          }
        } else {
          CacheEntry entry =
              new CacheEntry(
                  key, EntryPayload.userMetadata(p.payload()), hit.version(), hit.expiresAt());
          PointStruct next = DualWrites.reembedded(dual, entry, p.id(), previous, p.payload());
          if (next == null) {
            counts.failed += written.containsKey(p.id()) ? 0 : 1;
            continue;
          }
          upserts.add(next);
          if (written.put(p.id(), hit.version()) == null) {
            counts.copied++;
          }
        }
      }
      if (!upserts.isEmpty()) {
        Futures.join(vectors.upsert(dual.target(), upserts));
      }
      if (!deletes.isEmpty()) {
        Futures.join(vectors.delete(dual.target(), deletes));
      }
      Set<PointId> acted = new LinkedHashSet<>(deletes);
      for (PointStruct u : upserts) {
        acted.add(u.id());
      }
      if (acted.isEmpty()) {
        break;
      }
      // did a write of these keys reach the old collection since we read them?
      Map<PointId, Long> inSource = versions(source, acted);
      Set<PointId> changed = new HashSet<>();
      for (PointId id : acted) {
        RetrievedPoint was = present.get(id);
        Long wasVersion = was == null ? null : EntryPayload.version(was.payload(), -1);
        Long nowVersion = inSource.get(id);
        if (wasVersion == null ? nowVersion != null : !wasVersion.equals(nowVersion)) {
          changed.add(id);
        }
      }
      present = new LinkedHashMap<>();
      gone = new LinkedHashSet<>(changed);
      if (!changed.isEmpty()) {
        for (RetrievedPoint p :
            Futures.join(vectors.retrieve(source, changed, PayloadSelector.ALL, true))) {
          present.put(p.id(), p);
          gone.remove(p.id());
        }
      }
    }
    return counts;
  }

  private Map<PointId, Long> versions(String name, Set<PointId> ids) {
    Map<PointId, Long> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    for (RetrievedPoint p :
        Futures.join(vectors.retrieve(name, ids, EntryPayload.VERSION_ONLY, false))) {
      out.put(p.id(), EntryPayload.version(p.payload(), -1));
    }
    return out;
  }

  // ---------------------------------------------------------------- names

  /** The collection the cache's name stands for: its alias's collection, or itself. */
  private String physicalCollection() {
    Optional<String> target = aliasTarget();
    if (target.isPresent()) {
      return target.get();
    }
    if (!Futures.join(vectors.collectionExists(collection))) {
      throw new CollectionNotFoundException(collection);
    }
    return collection;
  }

  private Optional<String> aliasTarget() {
    for (CollectionAlias a : Futures.join(aliases.listAliases())) {
      if (a.alias().equals(collection)) {
        return Optional.of(a.collection());
      }
    }
    return Optional.empty();
  }

  /**
   * The physical collection of generation {@code n} of {@code collection}: {@code <name>__g<n>}.
   */
  static String generation(String collection, int n) {
    return collection + GENERATION + n;
  }

  /** {@code <name>__g<n>}: one generation after the source's, and not taken. */
  private String nextTarget(String source) {
    String base = collection + GENERATION;
    int n = 1;
    if (source.startsWith(base)) {
      try {
        n = Integer.parseInt(source.substring(base.length())) + 1;
      } catch (NumberFormatException e) {
        n = 1;
      }
    }
    while (Futures.join(vectors.collectionExists(generation(collection, n)))) {
      n++;
    }
    return generation(collection, n);
  }

  private static void report(MigrationPlan plan, MigrationState state) {
    Consumer<MigrationProgress> listener = plan.progressListener();
    if (listener != null) {
      listener.accept(state.progress());
    }
  }
}
