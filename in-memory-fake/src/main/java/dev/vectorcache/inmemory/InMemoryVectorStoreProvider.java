package dev.vectorcache.inmemory;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.spi.VectorStoreConfig;
import dev.vectorcache.spi.VectorStoreProvider;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Opens {@link InMemoryVectorStore}s for {@code memory:} URLs (and when no URL is given): {@code
 * memory:} is a new private store, {@code memory:NAME} the store shared by every caller in the JVM
 * that uses the same name. {@link EmbeddedOptions#mmapDirectory()} sets the directory for
 * memory-mapped vectors of a private store. Found by {@link java.util.ServiceLoader}; does no I/O.
 */
public final class InMemoryVectorStoreProvider implements VectorStoreProvider {
  /** Called by {@link java.util.ServiceLoader}. */
  public InMemoryVectorStoreProvider() {}

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
  public VectorStore open(VectorStoreConfig config) {
    config.checkAdapterOptions(name());
    String name = config.memoryName();
    Optional<Path> dir =
        config.adapterOptions(EmbeddedOptions.class).flatMap(EmbeddedOptions::mmapDirectory);
    if (!name.isEmpty()) {
      if (dir.isPresent()) {
        throw new ConfigurationException(
            "invalid EmbeddedOptions.mmapDirectory: expected a private store (memory:), found the"
                + " shared store memory:"
                + name
                + "; its directory is chosen by its first opener, drop the option or use memory:");
      }
      return SharedStores.vectorStore(name);
    }
    return dir.map(InMemoryVectorStore::new).orElseGet(InMemoryVectorStore::new);
  }
}
