package dev.vectorcache.spring.boot;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.VectorCacheBuilder;
import dev.vectorcache.micrometer.SemanticCacheMetrics;
import dev.vectorcache.micrometer.VectorCacheMetrics;
import dev.vectorcache.semantic.SemanticCacheBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binds the micrometer module's binders to the registry: a {@link VectorCacheMetrics} for each
 * cache built by the auto-configuration (tag {@code cache} = its collection, and its write-back
 * gauges), and a {@link SemanticCacheMetrics} for the semantic cache.
 */
final class MetricsCustomizer
    implements VectorCacheBuilderCustomizer, SemanticCacheBuilderCustomizer {
  private final MeterRegistry registry;
  private final Map<String, VectorCacheMetrics> unmonitored = new ConcurrentHashMap<>();

  MetricsCustomizer(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public void customize(String collection, VectorCacheBuilder builder) {
    VectorCacheMetrics metrics = new VectorCacheMetrics(collection);
    metrics.bindTo(registry);
    builder.listener(metrics);
    unmonitored.put(collection, metrics);
  }

  @Override
  public void built(VectorCache cache) {
    VectorCacheMetrics metrics = unmonitored.remove(cache.collection());
    if (metrics != null) {
      metrics.monitor(cache);
    }
  }

  @Override
  public void customize(String collection, SemanticCacheBuilder builder) {
    SemanticCacheMetrics metrics = new SemanticCacheMetrics(collection);
    metrics.bindTo(registry);
    builder.listener(metrics);
  }
}
