package dev.vectorcache.micrometer;

import dev.vectorcache.core.CacheListener;
import dev.vectorcache.core.CircuitState;
import dev.vectorcache.core.VectorCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Micrometer meters for a {@link VectorCache}, fed by its {@link CacheListener} hook. The core has
 * no Micrometer dependency; this binder is both the listener and the {@link MeterBinder}:
 *
 * <pre>{@code
 * VectorCacheMetrics metrics = new VectorCacheMetrics("docs", Tags.of("app", "search"));
 * VectorCache cache = VectorCache.builder()...listener(metrics).build();
 * metrics.monitor(cache); // optional: the gauges read from cache.stats()
 * metrics.bindTo(registry);
 * }</pre>
 *
 * <p>Every meter carries the tag {@code cache} (the name given here) and the extra tags; none
 * carries a key, a scope or a text. Timers are in seconds (Micrometer's base unit for time; a
 * registry renders the names in its own convention, Prometheus as {@code
 * vectorcache_operations_seconds_count}).
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code vectorcache.operations}</td><td>timer</td><td>{@code operation} = store, get,
 *       search, delete; {@code outcome} = success, failure</td><td>each operation, from the call
 *       to its completion (bad input refused before any I/O is not timed)</td></tr>
 *   <tr><td>{@code vectorcache.stored}</td><td>counter</td><td></td><td>entries written to the
 *       vector store</td></tr>
 *   <tr><td>{@code vectorcache.deleted}</td><td>counter</td><td></td><td>entries deleted by key,
 *       filter or clear</td></tr>
 *   <tr><td>{@code vectorcache.hits}</td><td>counter</td><td>{@code tier} = metadata_store,
 *       payload</td><td>search or get hits whose metadata came from the metadata store, or from the
 *       vector store's payload (a missing or stale copy)</td></tr>
 *   <tr><td>{@code vectorcache.metadata.stale}</td><td>counter</td><td></td><td>metadata copies
 *       ignored because their version differed from the payload's</td></tr>
 *   <tr><td>{@code vectorcache.search.score}</td><td>distribution summary</td><td></td><td>the
 *       score of every hit a similarity search returned, in the collection's own terms</td></tr>
 *   <tr><td>{@code vectorcache.expirations}</td><td>counter</td><td></td><td>expired entries the
 *       sweeper deleted</td></tr>
 *   <tr><td>{@code vectorcache.metadata.store.failures}</td><td>counter</td><td>{@code operation}
 *       = the failed call ({@link #OPERATIONS}, anything else {@code other})</td><td>metadata-store
 *       calls that failed and were tolerated</td></tr>
 *   <tr><td>{@code vectorcache.circuit.state}</td><td>gauge</td><td>{@code state} = closed,
 *       open, half_open</td><td>1 for the breaker's current state, 0 for the others</td></tr>
 *   <tr><td>{@code vectorcache.circuit.openings}</td><td>counter</td><td></td><td>times the
 *       breaker opened</td></tr>
 *   <tr><td>{@code vectorcache.writebacks.dropped}</td><td>counter</td><td></td><td>write-backs
 *       dropped (queue full, breaker open, cache closed)</td></tr>
 *   <tr><td>{@code vectorcache.writebacks.pending}</td><td>gauge</td><td></td><td>write-backs
 *       queued now (after {@link #monitor})</td></tr>
 *   <tr><td>{@code vectorcache.invalidations.pending}</td><td>gauge</td><td></td><td>copy
 *       removals waiting for a retry (after {@link #monitor})</td></tr>
 * </table>
 *
 * <p>The breaker's state is one gauge per state rather than one gauge with coded values, so a
 * dashboard can show or alert on {@code state="open"} without knowing a code, and the three always
 * sum to 1. It starts {@code closed}, as a new cache's breaker does ({@link #monitor} reads the
 * cache's current state).
 *
 * <p>Meters are registered once, when this binder is built, on a private composite registry; {@link
 * #bindTo} adds a registry to it. It may be bound to several registries. Events before the first
 * {@code bindTo} are not counted anywhere. Distribution summaries ignore negative values
 * (Micrometer's rule), so a negative dot-product score is not recorded.
 */
public final class VectorCacheMetrics implements CacheListener, MeterBinder {

  /**
   * The values of the {@code operation} tag of {@code vectorcache.metadata.store.failures}: the
   * metadata-store port's methods and the cache's own names for its calls. Any other name is
   * counted as {@code other}, so the tag stays bounded.
   */
  public static final Set<String> OPERATIONS =
      Set.of(
          "put",
          "get",
          "getAll",
          "delete",
          "deleteAll",
          "ttl",
          "expire",
          "publish",
          "subscribe",
          "ping",
          "writeAll",
          "writeBack",
          "refresh");

  private final BinderMeters meters;
  private final Map<Operation, Timer> successTimers = new EnumMap<>(Operation.class);
  private final Map<Operation, Timer> failureTimers = new EnumMap<>(Operation.class);
  private final Counter stored;
  private final Counter deleted;
  private final Counter metadataHits;
  private final Counter payloadHits;
  private final Counter nearCacheHits;
  private final Counter stale;
  private final DistributionSummary searchScore;
  private final Counter expirations;
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();
  private final Counter otherFailures;
  private final Counter openings;
  private final Counter writeBacksDropped;
  private final AtomicReference<CircuitState> circuit = new AtomicReference<>(CircuitState.CLOSED);
  private final AtomicBoolean monitoring = new AtomicBoolean();

  /**
   * Meters for the cache named {@code cacheName}.
   *
   * @param cacheName the value of the {@code cache} tag
   */
  public VectorCacheMetrics(String cacheName) {
    this(cacheName, List.of());
  }

  /**
   * Meters for the cache named {@code cacheName}, with extra tags on every meter.
   *
   * @param cacheName the value of the {@code cache} tag
   * @param tags extra tags (their keys may not be one of the binder's own: cache, operation,
   *     outcome, tier, result, state)
   */
  public VectorCacheMetrics(String cacheName, Iterable<Tag> tags) {
    this.meters = new BinderMeters(cacheName, tags);
    for (Operation op : Operation.values()) {
      String name = op.name().toLowerCase(Locale.ROOT);
      successTimers.put(op, operationTimer(name, "success"));
      failureTimers.put(op, operationTimer(name, "failure"));
    }
    stored = meters.counter("vectorcache.stored", "Entries written to the vector store");
    deleted = meters.counter("vectorcache.deleted", "Entries deleted by key, filter or clear");
    metadataHits =
        meters.counter(
            "vectorcache.hits",
            "Hits whose metadata came from the metadata store",
            "tier",
            "metadata_store");
    payloadHits =
        meters.counter(
            "vectorcache.hits",
            "Hits whose metadata came from the vector store's payload",
            "tier",
            "payload");
    nearCacheHits =
        meters.counter(
            "vectorcache.hits",
            "Hits whose metadata came from the near cache, without a read",
            "tier",
            "near_cache");
    stale =
        meters.counter(
            "vectorcache.metadata.stale",
            "Metadata copies ignored because their version differed from the payload's");
    searchScore =
        meters.summary(
            "vectorcache.search.score",
            "Score of each hit a similarity search returned, in the collection's terms",
            null);
    expirations = meters.counter("vectorcache.expirations", "Expired entries the sweeper deleted");
    for (String operation : OPERATIONS) {
      failures.put(operation, failureCounter(operation));
    }
    otherFailures = failureCounter("other");
    for (CircuitState s : CircuitState.values()) {
      meters.gauge(
          "vectorcache.circuit.state",
          "1 for the current state of the breaker in front of the metadata store, 0 for the others",
          circuit,
          c -> c.get() == s ? 1 : 0,
          "state",
          s.name().toLowerCase(Locale.ROOT));
    }
    openings = meters.counter("vectorcache.circuit.openings", "Times the breaker opened");
    writeBacksDropped =
        meters.counter(
            "vectorcache.writebacks.dropped",
            "Write-backs dropped: queue full, breaker open, or cache closed");
  }

  private Timer operationTimer(String operation, String outcome) {
    return meters.timer(
        "vectorcache.operations",
        "VectorCache operations, from the call to its completion",
        "operation",
        operation,
        "outcome",
        outcome);
  }

  private Counter failureCounter(String operation) {
    return meters.counter(
        "vectorcache.metadata.store.failures",
        "Metadata-store calls that failed and were tolerated",
        "operation",
        operation);
  }

  /**
   * Adds the gauges that read {@code cache.stats()}: {@code vectorcache.writebacks.pending} and
   * {@code vectorcache.invalidations.pending}; and takes the breaker's current state. Call it once,
   * with the cache this binder listens to. The gauges hold the cache weakly: once it is collected
   * they read NaN.
   *
   * @param cache the cache
   * @return this binder
   * @throws IllegalStateException when a cache is already monitored
   */
  public VectorCacheMetrics monitor(VectorCache cache) {
    Objects.requireNonNull(cache, "cache");
    if (!monitoring.compareAndSet(false, true)) {
      throw new IllegalStateException("this VectorCacheMetrics already monitors a cache");
    }
    circuit.set(cache.circuitState());
    meters.weakGauge(
        "vectorcache.writebacks.pending",
        "Write-backs queued now",
        cache,
        c -> c.stats().writeBacksPending());
    meters.weakGauge(
        "vectorcache.invalidations.pending",
        "Metadata-copy removals waiting for a retry",
        cache,
        c -> c.stats().invalidationsPending());
    return this;
  }

  /**
   * Adds {@code registry} to the registries that hold this binder's meters.
   *
   * @param registry the registry
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    meters.bindTo(registry);
  }

  @Override
  public void onOperation(Operation operation, long nanos, boolean failed) {
    Timer t = Objects.requireNonNull((failed ? failureTimers : successTimers).get(operation));
    t.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void onHitScore(float score) {
    searchScore.record(score);
  }

  @Override
  public void onDeleted(long count) {
    deleted.increment((double) count);
  }

  @Override
  public void onStored(int count) {
    stored.increment(count);
  }

  @Override
  public void onMetadataHit() {
    metadataHits.increment();
  }

  @Override
  public void onNearCacheHit() {
    nearCacheHits.increment();
  }

  @Override
  public void onMetadataMiss() {
    payloadHits.increment();
  }

  @Override
  public void onStaleMetadataRejected() {
    stale.increment();
  }

  @Override
  public void onMetadataStoreFailure(String operation, Throwable cause) {
    Counter c = failures.get(operation);
    (c == null ? otherFailures : c).increment();
  }

  @Override
  public void onExpiredSwept(long count) {
    expirations.increment((double) count);
  }

  @Override
  public void onCircuitStateChange(CircuitState from, CircuitState to) {
    circuit.set(to);
    if (to == CircuitState.OPEN) {
      openings.increment();
    }
  }

  @Override
  public void onWriteBacksDropped(int count) {
    writeBacksDropped.increment(count);
  }
}
