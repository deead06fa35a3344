package dev.vectorcache.spring.boot;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.VectorCacheBuilder;

/**
 * Changes a {@link VectorCacheBuilder} before the auto-configuration builds a cache from it: the
 * {@code VectorCache} bean, and the cache under the semantic cache. Every bean of this type is
 * applied, in {@link org.springframework.core.Ordered order}, after the properties.
 */
@FunctionalInterface
public interface VectorCacheBuilderCustomizer {
  /**
   * Changes the builder of the cache of {@code collection}.
   *
   * @param collection the cache's collection name
   * @param builder the builder, with the properties applied
   */
  void customize(String collection, VectorCacheBuilder builder);

  /**
   * Called once the cache is built, before it is initialized. Does nothing by default.
   *
   * @param cache the cache built from the customized builder
   */
  default void built(VectorCache cache) {}
}
