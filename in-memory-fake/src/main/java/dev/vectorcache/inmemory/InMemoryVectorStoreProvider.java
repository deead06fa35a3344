package dev.vectorcache.inmemory;

import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.spi.QdrantConfig;
import dev.vectorcache.spi.VectorStoreProvider;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens {@link InMemoryVectorStore}s for {@code memory:} URLs (and when no URL is given): {@code
 * memory:} is a new private store, {@code memory:NAME} the store shared by every caller in the JVM
 * that uses the same name. The option {@code mmap.dir} of {@link QdrantConfig#options()} sets the
 * directory for memory-mapped vectors of a private store. Found by {@link java.util.ServiceLoader};
 * does no I/O.
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
  public VectorStore open(QdrantConfig config) {
    String name = SharedStores.memoryName(config == null ? null : config.url());
    if (!name.isEmpty()) {
      return SharedStores.vectorStore(name);
    }
    String dir = config == null ? null : config.options().get(InMemoryVectorStore.MMAP_DIR_OPTION);
    return dir == null || dir.isBlank()
        ? new InMemoryVectorStore()
        : new InMemoryVectorStore(Path.of(dir.trim()));
  }
}
