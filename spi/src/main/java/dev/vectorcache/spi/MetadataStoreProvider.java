package dev.vectorcache.spi;

import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.MetadataStore;
import java.util.Set;

/**
 * A {@link MetadataStore} implementation that {@link Backends} finds with {@link
 * java.util.ServiceLoader}. Register it in {@code
 * META-INF/services/dev.vectorcache.spi.MetadataStoreProvider}. The constructor must do no I/O.
 */
public interface MetadataStoreProvider {
  /** Short unique name ({@code "lettuce"}, {@code "jedis"}, {@code "memory"}). */
  String name();

  /** URL schemes this provider opens. */
  Set<String> schemes();

  /** When several providers claim a scheme and none is named, the highest priority wins. */
  int priority();

  /** The Maven artifact that holds this provider, for messages. */
  String artifact();

  MetadataStore open(RedisConfig config);

  default AsyncMetadataStore openAsync(RedisConfig config) {
    return open(config).async();
  }
}
