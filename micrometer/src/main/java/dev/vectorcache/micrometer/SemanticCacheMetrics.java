package dev.vectorcache.micrometer;

import dev.vectorcache.semantic.SemanticCacheListener;
import dev.vectorcache.semantic.Tier;
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
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters for a semantic cache, fed by its {@link SemanticCacheListener} hook: register
 * this binder as the cache's listener, and bind it to a registry.
 *
 * <p>Every meter carries the tag {@code cache} and the extra tags; none carries a scope, a prompt
 * or a key. Timers are in seconds.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code vectorcache.lookups}</td><td>timer</td><td>{@code result} = hit, miss;
 *       {@code tier} = exact, semantic, none (a miss)</td><td>each lookup</td></tr>
 *   <tr><td>{@code vectorcache.hits}</td><td>counter</td><td>{@code tier} = exact,
 *       semantic</td><td>lookups answered from the cache</td></tr>
 *   <tr><td>{@code vectorcache.misses}</td><td>counter</td><td></td><td>lookups that found
 *       nothing usable</td></tr>
 *   <tr><td>{@code vectorcache.hit.score}</td><td>distribution summary</td><td>{@code tier} =
 *       exact, semantic</td><td>the score of each hit, in the collection's own terms</td></tr>
 *   <tr><td>{@code vectorcache.rejections}</td><td>counter</td><td></td><td>semantic hits over the
 *       threshold that the validator rejected</td></tr>
 *   <tr><td>{@code vectorcache.puts}</td><td>timer</td><td></td><td>each answer stored</td></tr>
 *   <tr><td>{@code vectorcache.evictions}</td><td>counter</td><td></td><td>entries evicted to keep
 *       a size bound</td></tr>
 *   <tr><td>{@code vectorcache.invalidations}</td><td>counter</td><td></td><td>entries invalidated
 *       by key, scope, filter or all</td></tr>
 *   <tr><td>{@code vectorcache.model.swept}</td><td>counter</td><td></td><td>entries of another
 *       embedding model swept</td></tr>
 *   <tr><td>{@code vectorcache.expiry.extensions}</td><td>counter</td><td></td><td>entries whose
 *       sliding expiry was moved</td></tr>
 * </table>
 *
 * <p>{@code vectorcache.hits} is shared with {@link VectorCacheMetrics}, whose tiers are {@code
 * metadata_store} and {@code payload}: a semantic hit is also a search hit of the underlying {@code
 * VectorCache}, so do not add the two families of tiers together.
 *
 * <p>Meters are registered once, when this binder is built; {@link #bindTo} may be called for
 * several registries; events before the first {@code bindTo} are not counted anywhere. Negative
 * scores (possible with the dot product) are ignored by the distribution summary, as Micrometer
 * ignores every negative amount.
 */
public final class SemanticCacheMetrics implements SemanticCacheListener, MeterBinder {
  private final BinderMeters meters;
  private final Map<Tier, Timer> hitLookups = new EnumMap<>(Tier.class);
  private final Map<Tier, Counter> hits = new EnumMap<>(Tier.class);
  private final Map<Tier, DistributionSummary> scores = new EnumMap<>(Tier.class);
  private final Timer missLookups;
  private final Counter misses;
  private final Counter rejections;
  private final Timer puts;
  private final Counter evictions;
  private final Counter invalidations;
  private final Counter modelSwept;
  private final Counter expiryExtensions;

  /**
   * Meters for the semantic cache named {@code cacheName}.
   *
   * @param cacheName the value of the {@code cache} tag
   */
  public SemanticCacheMetrics(String cacheName) {
    this(cacheName, List.of());
  }

  /**
   * Meters for the semantic cache named {@code cacheName}, with extra tags on every meter.
   *
   * @param cacheName the value of the {@code cache} tag
   * @param tags extra tags (their keys may not be one of the binder's own: cache, operation,
   *     outcome, tier, result, state)
   */
  public SemanticCacheMetrics(String cacheName, Iterable<Tag> tags) {
    this.meters = new BinderMeters(cacheName, tags);
    for (Tier tier : Tier.values()) {
      String t = tier.name().toLowerCase(Locale.ROOT);
      hitLookups.put(tier, lookupTimer("hit", t));
      hits.put(
          tier, meters.counter("vectorcache.hits", "Lookups answered from the cache", "tier", t));
      scores.put(
          tier,
          meters.summary(
              "vectorcache.hit.score",
              "Score of each hit, in the collection's own terms",
              null,
              "tier",
              t));
    }
    missLookups = lookupTimer("miss", "none");
    misses = meters.counter("vectorcache.misses", "Lookups that found nothing usable");
    rejections =
        meters.counter(
            "vectorcache.rejections", "Semantic hits over the threshold the validator rejected");
    puts = meters.timer("vectorcache.puts", "Answers stored");
    evictions = meters.counter("vectorcache.evictions", "Entries evicted to keep a size bound");
    invalidations =
        meters.counter(
            "vectorcache.invalidations", "Entries invalidated by key, scope, filter or all");
    modelSwept =
        meters.counter("vectorcache.model.swept", "Entries of another embedding model swept");
    expiryExtensions =
        meters.counter("vectorcache.expiry.extensions", "Entries whose sliding expiry was moved");
  }

  private Timer lookupTimer(String result, String tier) {
    return meters.timer(
        "vectorcache.lookups", "Semantic cache lookups", "result", result, "tier", tier);
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
  public void onHit(Tier tier, double score, long nanos) {
    Objects.requireNonNull(hitLookups.get(tier)).record(nanos, TimeUnit.NANOSECONDS);
    Objects.requireNonNull(hits.get(tier)).increment();
    Objects.requireNonNull(scores.get(tier)).record(score);
  }

  @Override
  public void onMiss(long nanos) {
    missLookups.record(nanos, TimeUnit.NANOSECONDS);
    misses.increment();
  }

  @Override
  public void onRejected() {
    rejections.increment();
  }

  @Override
  public void onPut(long nanos) {
    puts.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void onEvicted(long count) {
    evictions.increment((double) count);
  }

  @Override
  public void onInvalidated(long count) {
    invalidations.increment((double) count);
  }

  @Override
  public void onModelSwept(long count) {
    modelSwept.increment((double) count);
  }

  @Override
  public void onExpiryExtended(int count) {
    expiryExtensions.increment(count);
  }
}
