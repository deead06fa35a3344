package dev.vectorcache.spring.boot;

import dev.vectorcache.micrometer.VectorCacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Metrics of the caches the auto-configuration builds, when Micrometer, the vectorcache-micrometer
 * module and a {@link MeterRegistry} bean are present: the meters of docs/metrics.md, tagged {@code
 * cache} = the collection, in the application's (primary) registry.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass({MeterRegistry.class, VectorCacheMetrics.class})
@ConditionalOnBean(MeterRegistry.class)
public class VectorCacheMetricsAutoConfiguration {
  /** Creates the auto-configuration. */
  public VectorCacheMetricsAutoConfiguration() {}

  /**
   * Adds the binders to each cache built by the auto-configuration.
   *
   * @param registry the application's registry (the primary one when there are several)
   * @return the customizer of the {@code VectorCache} and {@code SemanticCache} builders
   */
  @Bean
  MetricsCustomizer vectorCacheMetricsCustomizer(MeterRegistry registry) {
    return new MetricsCustomizer(registry);
  }
}
