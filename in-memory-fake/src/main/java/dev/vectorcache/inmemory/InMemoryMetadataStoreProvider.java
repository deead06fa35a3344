package dev.vectorcache.inmemory;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.MetadataStoreProvider;
import java.util.Set;

/**
 * Opens {@link InMemoryMetadataStore}s for {@code memory:} URLs (and when no URL is given): {@code
 * memory:} is a new private store, {@code memory:NAME} the store shared by every caller in the JVM
 * that uses the same name. Found by {@link java.util.ServiceLoader}; does no I/O.
 */
public final class InMemoryMetadataStoreProvider implements MetadataStoreProvider {
  /** Called by {@link java.util.ServiceLoader}. */
  public InMemoryMetadataStoreProvider() {}

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("memory");
  }

  @Override
  public int priority() {
    return 0;
  }

  @Override
  public String artifact() {
    return "dev.vectorcache:vectorcache-in-memory";
  }

  @Override
  public MetadataStore open(MetadataStoreConfig config) {
    config.checkAdapterOptions(name());
    String name = config.memoryName();
    return name.isEmpty() ? new InMemoryMetadataStore() : SharedStores.metadataStore(name);
  }
}
