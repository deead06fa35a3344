package dev.vectorcache.spring.boot;

import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code vectorcache} health contributor, with the members {@code vectorStore} and {@code
 * metadataStore}, when spring-boot-health is present and {@code
 * management.health.vectorcache.enabled} is not false. Each member pings its store off the caller's
 * thread, waits at most {@code vectorcache.health.timeout} and reuses its result for {@code
 * vectorcache.health.cache-for}.
 */
@AutoConfiguration(after = VectorCacheAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean({AsyncVectorStore.class, AsyncMetadataStore.class})
public class VectorCacheHealthAutoConfiguration {
  private static final String P = VectorCacheProperties.PREFIX + ".health";

  /** Creates the auto-configuration. */
  public VectorCacheHealthAutoConfiguration() {}

  /**
   * The health of the two store beans.
   *
   * @param vectors the vector store bean
   * @param metadata the metadata store bean
   * @param properties the properties
   * @return the contributor, registered as {@code vectorcache}
   */
  @Bean
  @ConditionalOnMissingBean(name = "vectorcacheHealthContributor")
  @ConditionalOnEnabledHealthIndicator("vectorcache")
  public CompositeHealthContributor vectorcacheHealthContributor(
      AsyncVectorStore vectors, AsyncMetadataStore metadata, VectorCacheProperties properties) {
    Duration timeout = PropertyChecks.positive(P + ".timeout", properties.getHealth().getTimeout());
    Duration cacheFor = properties.getHealth().getCacheFor();
    if (cacheFor == null || cacheFor.isNegative()) {
      throw PropertyChecks.invalid(P + ".cache-for", "zero or a positive duration", cacheFor);
    }
    ExecutorService executor = StoresHealthContributor.newExecutor();
    Map<String, StoreHealthIndicator> members = new LinkedHashMap<>();
    members.put(
        "vectorStore",
        new StoreHealthIndicator(vectors::ping, executor, timeout, cacheFor, System::nanoTime));
    members.put(
        "metadataStore",
        new StoreHealthIndicator(metadata::ping, executor, timeout, cacheFor, System::nanoTime));
    return new StoresHealthContributor(executor, members);
  }
}
