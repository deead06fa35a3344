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

  /**
   * Opens a store in its native form for {@code config}; the other form is reached with {@code
   * async()}/{@code blocking()}. Refuses settings it cannot honour (a cluster topology, TLS files)
   * with an {@link dev.vectorcache.core.exception.UnsupportedCapabilityException} naming the
   * setting.
   */
  MetadataStore open(MetadataStoreConfig config);

  /** Opens the non-blocking form. */
  default AsyncMetadataStore openAsync(MetadataStoreConfig config) {
    return open(config).async();
  }
}
