package dev.vectorcache.micrometer;

import dev.vectorcache.semantic.EmbeddingCacheListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters for an {@link dev.vectorcache.semantic.EmbeddingCache}, fed by its {@link
 * EmbeddingCacheListener} hook: register this binder with {@code
 * EmbeddingCache.builder().listener(metrics)}, and bind it to a registry.
 *
 * <p>Every meter carries the tag {@code cache} and the extra tags; none carries a text or a key.
 * Timers are in seconds.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code vectorcache.embeddings.lookups}</td><td>timer</td><td></td><td>each call of
 *       the cache, from the call to its result (embedding included)</td></tr>
 *   <tr><td>{@code vectorcache.embeddings.hits}</td><td>counter</td><td></td><td>texts answered
 *       from the cache (distinct texts per call)</td></tr>
 *   <tr><td>{@code vectorcache.embeddings.misses}</td><td>counter</td><td></td><td>texts that had
 *       to be embedded</td></tr>
 *   <tr><td>{@code vectorcache.embeddings.calls}</td><td>timer</td><td>{@code outcome} = success,
 *       failure</td><td>each call of the embedding function (a failure threw, or returned vectors
 *       that do not fit)</td></tr>
 *   <tr><td>{@code vectorcache.embeddings.batch.size}</td><td>distribution summary, base unit
 *       {@code texts}</td><td></td><td>texts per embedding call</td></tr>
 *   <tr><td>{@code vectorcache.embeddings.store.failures}</td><td>counter</td><td>{@code
 *       operation} = the failed call ({@link #OPERATIONS}, anything else {@code
 *       other})</td><td>metadata-store calls that failed and were tolerated</td></tr>
 * </table>
 *
 * <p>Meters are registered once, when this binder is built; {@link #bindTo} may be called for
 * several registries; events before the first {@code bindTo} are not counted anywhere.
 */
public final class EmbeddingCacheMetrics implements EmbeddingCacheListener, MeterBinder {

  /**
   * The values of the {@code operation} tag of {@code vectorcache.embeddings.store.failures}: the
   * metadata-store calls an embedding cache tolerates the failure of. Any other name is counted as
   * {@code other}.
   */
  public static final Set<String> OPERATIONS = Set.of("getAll", "writeAll", "put");

  private final BinderMeters meters;
  private final Timer lookups;
  private final Counter hits;
  private final Counter misses;
  private final Timer succeeded;
  private final Timer failed;
  private final DistributionSummary batchSize;
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();
  private final Counter otherFailures;

  /**
   * Meters for the embedding cache named {@code cacheName}.
   *
   * @param cacheName the value of the {@code cache} tag
   */
  public EmbeddingCacheMetrics(String cacheName) {
    this(cacheName, List.of());
  }

  /**
   * Meters for the embedding cache named {@code cacheName}, with extra tags on every meter.
   *
   * @param cacheName the value of the {@code cache} tag
   * @param tags extra tags (their keys may not be one of the binder's own: cache, operation,
   *     outcome, tier, result, state)
   */
  public EmbeddingCacheMetrics(String cacheName, Iterable<Tag> tags) {
    this.meters = new BinderMeters(cacheName, tags);
    lookups = meters.timer("vectorcache.embeddings.lookups", "Embedding cache calls");
    hits = meters.counter("vectorcache.embeddings.hits", "Texts answered from the cache");
    misses = meters.counter("vectorcache.embeddings.misses", "Texts that had to be embedded");
    succeeded = callTimer("success");
    failed = callTimer("failure");
    batchSize =
        meters.summary(
            "vectorcache.embeddings.batch.size", "Texts per embedding function call", "texts");
    for (String operation : OPERATIONS) {
      failures.put(operation, failureCounter(operation));
    }
    otherFailures = failureCounter("other");
  }

  private Timer callTimer(String outcome) {
    return meters.timer(
        "vectorcache.embeddings.calls", "Embedding function calls", "outcome", outcome);
  }

  private Counter failureCounter(String operation) {
    return meters.counter(
        "vectorcache.embeddings.store.failures",
        "Metadata-store calls of the embedding cache that failed and were tolerated",
        "operation",
        operation);
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
  public void onLookup(int hits, int misses, long nanos) {
    lookups.record(nanos, TimeUnit.NANOSECONDS);
    this.hits.increment(hits);
    this.misses.increment(misses);
  }

  @Override
  public void onEmbed(int texts, long nanos, boolean failed) {
    (failed ? this.failed : succeeded).record(nanos, TimeUnit.NANOSECONDS);
    batchSize.record(texts);
  }

  @Override
  public void onStoreFailure(String operation) {
    Counter c = failures.get(operation);
    (c == null ? otherFailures : c).increment();
  }
}
