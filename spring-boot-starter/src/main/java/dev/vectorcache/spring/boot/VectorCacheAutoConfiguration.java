package dev.vectorcache.spring.boot;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.VectorStoreConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@link VectorCache} bean and the two stores under it, from {@code vectorcache.*}: the stores
 * are opened through the spi ({@link Backends}, which picks the adapter for each URL), the cache's
 * collection is created or verified at start-up, and everything is closed on shutdown. A bean of
 * the same type defined by the application replaces each one ({@link ConditionalOnMissingBean}).
 */
@AutoConfiguration
@EnableConfigurationProperties(VectorCacheProperties.class)
public class VectorCacheAutoConfiguration {
  /** Creates the auto-configuration. */
  public VectorCacheAutoConfiguration() {}

  /**
   * The adapters found on the classpath with {@link java.util.ServiceLoader}.
   *
   * @return {@link Backends#discover()}
   */
  @Bean
  @ConditionalOnMissingBean
  public Backends vectorCacheBackends() {
    return Backends.discover();
  }

  /**
   * The vector store of {@code vectorcache.vector-store.*}, closed on shutdown.
   *
   * @param backends the adapters
   * @param properties the properties
   * @return the open store
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public AsyncVectorStore vectorCacheVectorStore(
      Backends backends, VectorCacheProperties properties) {
    VectorStoreConfig config = StoreConfigs.vectorStore(properties.getVectorStore());
    return PropertyChecks.at(
        VectorCacheProperties.PREFIX + ".vector-store",
        () -> backends.openAsyncVectorStore(config));
  }

  /**
   * The metadata store of {@code vectorcache.metadata-store.*}, closed on shutdown.
   *
   * @param backends the adapters
   * @param properties the properties
   * @return the open store
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public AsyncMetadataStore vectorCacheMetadataStore(
      Backends backends, VectorCacheProperties properties) {
    MetadataStoreConfig config = StoreConfigs.metadataStore(properties.getMetadataStore());
    return PropertyChecks.at(
        VectorCacheProperties.PREFIX + ".metadata-store",
        () -> backends.openAsyncMetadataStore(config));
  }

  /**
   * The cache of {@code vectorcache.collection.name} over the two store beans (which it leaves
   * open: they are beans of their own), initialized at start-up unless {@code
   * vectorcache.collection.initialize-on-startup=false}, closed on shutdown (its pending
   * write-backs get one second).
   *
   * @param vectors the vector store bean
   * @param metadata the metadata store bean
   * @param properties the properties
   * @param customizers applied after the properties
   * @return the cache
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public VectorCache vectorCache(
      AsyncVectorStore vectors,
      AsyncMetadataStore metadata,
      VectorCacheProperties properties,
      ObjectProvider<VectorCacheBuilderCustomizer> customizers) {
    String property = VectorCacheProperties.PREFIX + ".collection.name";
    VectorCache cache =
        VectorCaches.build(
            properties,
            property,
            properties.getCollection().getName(),
            vectors,
            metadata,
            customizers.orderedStream().toList());
    if (properties.getCollection().isInitializeOnStartup()) {
      VectorCaches.initialize(cache, VectorCacheProperties.PREFIX + ".collection");
    }
    return cache;
  }
}
