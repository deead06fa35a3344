package dev.vectorcache.micrometer;

import dev.vectorcache.core.exception.InvalidInputException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The meters of one binder, registered once, at construction, on a private {@link
 * CompositeMeterRegistry}; {@link #bindTo} adds a registry to it, which then holds every meter and
 * receives every later recording. So a binder may be bound to several registries, or to the same
 * one twice (once counts), and a listener call made before the first {@code bindTo} is recorded
 * nowhere.
 */
final class BinderMeters {
  /** Tag keys the binders set themselves; extra tags may not use them. */
  static final Set<String> OWN_TAG_KEYS =
      Set.of("cache", "operation", "outcome", "tier", "result", "state");

  private final CompositeMeterRegistry composite = new CompositeMeterRegistry();
  private final Tags tags;

  BinderMeters(String cacheName, Iterable<Tag> extraTags) {
    if (cacheName == null || cacheName.isBlank()) {
      throw new InvalidInputException("cacheName", "a non-blank name for the cache tag", cacheName);
    }
    Objects.requireNonNull(extraTags, "tags");
    for (Tag t : extraTags) {
      if (OWN_TAG_KEYS.contains(t.getKey())) {
        throw new InvalidInputException(
            "tags", "tag keys other than " + OWN_TAG_KEYS.stream().sorted().toList(), t.getKey());
      }
    }
    this.tags = Tags.of(extraTags).and("cache", cacheName);
  }

  void bindTo(MeterRegistry registry) {
    composite.add(Objects.requireNonNull(registry, "registry"));
  }

  Counter counter(String name, String description, String... keyValues) {
    return Counter.builder(name)
        .description(description)
        .tags(tags.and(keyValues))
        .register(composite);
  }

  Timer timer(String name, String description, String... keyValues) {
    return Timer.builder(name)
        .description(description)
        .tags(tags.and(keyValues))
        .register(composite);
  }

  DistributionSummary summary(
      String name, String description, @Nullable String baseUnit, String... keyValues) {
    return DistributionSummary.builder(name)
        .description(description)
        .baseUnit(baseUnit)
        .tags(tags.and(keyValues))
        .register(composite);
  }

  <T> Gauge gauge(
      String name, String description, T state, ToDoubleFunction<T> value, String... keyValues) {
    return Gauge.builder(name, state, value)
        .description(description)
        .tags(tags.and(keyValues))
        .strongReference(true)
        .register(composite);
  }

  /** A gauge that holds {@code state} weakly: NaN once it is collected. */
  <T> Gauge weakGauge(String name, String description, T state, ToDoubleFunction<T> value) {
    return Gauge.builder(name, state, value)
        .description(description)
        .tags(tags)
        .register(composite);
  }
}
