package dev.vectorcache.spring.boot;

import dev.vectorcache.semantic.SemanticCacheBuilder;

/**
 * Changes the {@link SemanticCacheBuilder} of the {@code SemanticCache} bean before it is built (an
 * embedding function, a validator, a listener). Every bean of this type is applied, in {@link
 * org.springframework.core.Ordered order}, after the properties.
 */
@FunctionalInterface
public interface SemanticCacheBuilderCustomizer {
  /**
   * Changes the builder.
   *
   * @param collection the semantic cache's collection name
   * @param builder the builder, with the properties applied
   */
  void customize(String collection, SemanticCacheBuilder builder);
}
