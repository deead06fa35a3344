package dev.vectorcache.spring.boot;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.semantic.SemanticCache;
import dev.vectorcache.semantic.SemanticCacheBuilder;
import dev.vectorcache.semantic.TtlPolicy;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The {@link SemanticCache} bean, when {@code vectorcache.semantic-cache.enabled=true}: on a
 * collection of its own ({@code vectorcache.semantic-cache.collection}), over the same two store
 * beans as the {@code VectorCache} bean, closed on shutdown.
 */
@AutoConfiguration(after = VectorCacheAutoConfiguration.class)
@ConditionalOnProperty(
    prefix = VectorCacheProperties.PREFIX + ".semantic-cache",
    name = "enabled",
    havingValue = "true")
@ConditionalOnBean({AsyncVectorStore.class, AsyncMetadataStore.class})
public class SemanticCacheAutoConfiguration {
  private static final String P = VectorCacheProperties.PREFIX + ".semantic-cache";

  /** Creates the auto-configuration. */
  public SemanticCacheAutoConfiguration() {}

  /**
   * The semantic cache of {@code vectorcache.semantic-cache.*}, initialized at start-up unless
   * {@code vectorcache.collection.initialize-on-startup=false}.
   *
   * @param vectors the vector store bean
   * @param metadata the metadata store bean
   * @param properties the properties
   * @param cacheCustomizers applied to the builder of the cache under it
   * @param customizers applied to its builder after the properties
   * @return the semantic cache, owning the {@code VectorCache} under it
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public SemanticCache semanticCache(
      AsyncVectorStore vectors,
      AsyncMetadataStore metadata,
      VectorCacheProperties properties,
      ObjectProvider<VectorCacheBuilderCustomizer> cacheCustomizers,
      ObjectProvider<SemanticCacheBuilderCustomizer> customizers) {
    VectorCacheProperties.SemanticCache s = properties.getSemanticCache();
    String modelId =
        PropertyChecks.required(P + ".model-id", s.getModelId(), "the embedding model's id");
    Double threshold =
        PropertyChecks.required(
            P + ".threshold", s.getThreshold(), "a threshold in the collection's score terms");
    if (s.getCollection().equals(properties.getCollection().getName())) {
      throw PropertyChecks.invalid(
          P + ".collection",
          "a collection other than vectorcache.collection.name (the semantic cache clears and"
              + " sweeps its own)",
          s.getCollection());
    }
    TtlPolicy ttl = ttl(s);
    VectorCache cache =
        VectorCaches.build(
            properties,
            P + ".collection",
            s.getCollection(),
            vectors,
            metadata,
            cacheCustomizers.orderedStream().toList());
    try {
      SemanticCacheBuilder b = SemanticCache.builder().vectorCache(cache).defaultTtl(ttl);
      PropertyChecks.at(P + ".model-id", () -> b.modelId(modelId));
      PropertyChecks.at(P + ".threshold", () -> b.threshold(threshold));
      PropertyChecks.at(
          P + ".semantic-candidates", () -> b.semanticCandidates(s.getSemanticCandidates()));
      b.sweepOtherModelsOnStart(s.isSweepOtherModelsOnStart());
      Long maxEntries = s.getMaxEntries();
      if (maxEntries != null) {
        PropertyChecks.at(P + ".max-entries", () -> b.maxEntries(maxEntries));
      }
      Long perScope = s.getMaxEntriesPerScope();
      if (perScope != null) {
        PropertyChecks.at(P + ".max-entries-per-scope", () -> b.maxEntriesPerScope(perScope));
      }
      if (s.getEviction() != null) {
        b.eviction(s.getEviction());
      }
      customizers.orderedStream().forEach(c -> c.customize(s.getCollection(), b));
      SemanticCache semantic;
      try {
        semantic = b.build();
      } catch (InvalidInputException e) {
        // build() checks the threshold against the distance: its only InvalidInputException
        throw new ConfigurationException(P + ".threshold: " + e.getMessage(), e);
      } catch (ConfigurationException | UnsupportedCapabilityException e) {
        throw new ConfigurationException(P + ": " + e.getMessage(), e);
      }
      if (properties.getCollection().isInitializeOnStartup()) {
        try {
          PropertyChecks.at(
              P + ".collection",
              () -> {
                semantic.initialize();
                return semantic;
              });
        } catch (RuntimeException e) {
          semantic.close();
          throw e;
        }
      }
      return semantic;
    } catch (RuntimeException e) {
      cache.close();
      throw e;
    }
  }

  private static TtlPolicy ttl(VectorCacheProperties.SemanticCache s) {
    Duration ttl = PropertyChecks.positive(P + ".ttl", s.getTtl());
    Duration maxLifetime = s.getMaxLifetime();
    if (!s.isSliding()) {
      if (maxLifetime != null) {
        throw PropertyChecks.invalid(
            P + ".max-lifetime", "no max-lifetime unless " + P + ".sliding=true", maxLifetime);
      }
      return TtlPolicy.absolute(ttl);
    }
    if (maxLifetime == null) {
      return TtlPolicy.sliding(ttl);
    }
    PropertyChecks.positive(P + ".max-lifetime", maxLifetime);
    return PropertyChecks.at(P + ".max-lifetime", () -> TtlPolicy.sliding(ttl, maxLifetime));
  }
}
