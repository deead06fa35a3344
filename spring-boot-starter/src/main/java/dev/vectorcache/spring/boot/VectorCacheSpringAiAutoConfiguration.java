package dev.vectorcache.spring.boot;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.semantic.SemanticCache;
import dev.vectorcache.spring.ai.SemanticCacheAdvisor;
import dev.vectorcache.spring.ai.VectorCacheVectorStore;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationConvention;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The Spring AI beans over the cache, when Spring AI and the vectorcache-spring-ai module are on
 * the classpath: a {@link VectorStore} over the {@code VectorCache} bean and the semantic cache's
 * embedding function when an {@link EmbeddingModel} bean is present, and the {@link
 * SemanticCacheAdvisor} when the semantic cache is enabled. Ordered after the other
 * auto-configurations, so that the embedding model of Spring AI's own auto-configuration is seen.
 */
@AutoConfiguration(
    after = {VectorCacheAutoConfiguration.class, SemanticCacheAutoConfiguration.class})
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE - 10)
@ConditionalOnClass({VectorCacheVectorStore.class, EmbeddingModel.class, VectorStore.class})
public class VectorCacheSpringAiAutoConfiguration {
  private static final String P = VectorCacheProperties.PREFIX + ".spring-ai";

  /** Creates the auto-configuration. */
  public VectorCacheSpringAiAutoConfiguration() {}

  /**
   * The Spring AI vector store over the {@code VectorCache} bean (whose collection must be Cosine),
   * with the application's {@link ObservationRegistry}, observation convention and batching
   * strategy when there are such beans.
   *
   * @param cache the cache bean
   * @param embeddingModel the model that embeds documents and queries
   * @param properties the properties
   * @param observations the observation registry, if any
   * @param convention a custom observation convention, if any
   * @param batching a batching strategy, if any
   * @return the vector store
   */
  @Bean
  @ConditionalOnBean({VectorCache.class, EmbeddingModel.class})
  @ConditionalOnMissingBean(VectorStore.class)
  @ConditionalOnProperty(
      prefix = P + ".vector-store",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  public VectorCacheVectorStore vectorCacheSpringAiVectorStore(
      VectorCache cache,
      EmbeddingModel embeddingModel,
      VectorCacheProperties properties,
      ObjectProvider<ObservationRegistry> observations,
      ObjectProvider<VectorStoreObservationConvention> convention,
      ObjectProvider<BatchingStrategy> batching) {
    VectorCacheVectorStore.Builder b = VectorCacheVectorStore.builder(cache, embeddingModel);
    observations.ifUnique(b::observationRegistry);
    convention.ifUnique(b::customObservationConvention);
    batching.ifUnique(b::batchingStrategy);
    Duration ttl = properties.getSpringAi().getVectorStore().getTtl();
    if (ttl != null) {
      PropertyChecks.at(P + ".vector-store.ttl", () -> b.ttl(ttl));
    }
    return PropertyChecks.at(P + ".vector-store", b::build);
  }

  /**
   * Embeds the semantic cache's prompts with the application's {@link EmbeddingModel}.
   *
   * @param embeddingModel the model
   * @return the customizer of the semantic cache's builder
   */
  @Bean
  @ConditionalOnBean(EmbeddingModel.class)
  public SemanticCacheBuilderCustomizer vectorCacheEmbeddingFunctionCustomizer(
      EmbeddingModel embeddingModel) {
    return (collection, builder) -> builder.embeddingFunction(embeddingModel::embed);
  }

  /**
   * The advisor that answers a {@code ChatClient} call from the semantic cache, when the semantic
   * cache is enabled and {@code vectorcache.spring-ai.advisor.enabled} is not false.
   *
   * @param semanticCache the semantic cache bean
   * @param properties the properties
   * @return the advisor
   */
  @Bean
  @ConditionalOnBean(SemanticCache.class)
  @ConditionalOnMissingBean(SemanticCacheAdvisor.class)
  @ConditionalOnProperty(
      prefix = P + ".advisor",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  public SemanticCacheAdvisor vectorCacheSemanticCacheAdvisor(
      SemanticCache semanticCache, VectorCacheProperties properties) {
    SemanticCacheAdvisor.Builder b = SemanticCacheAdvisor.builder().semanticCache(semanticCache);
    Integer order = properties.getSpringAi().getAdvisor().getOrder();
    if (order != null) {
      b.order(order);
    }
    return b.build();
  }
}
