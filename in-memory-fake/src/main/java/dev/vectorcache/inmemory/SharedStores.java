package dev.vectorcache.inmemory;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The JVM-wide registry behind {@code memory:NAME} URLs: every caller that opens the same name gets
 * the same store. Named stores are never closed by a handle, so one caller's {@code close()} cannot
 * pull the data from under another; they live as long as the class loader.
 */
final class SharedStores {
  private static final ConcurrentHashMap<String, InMemoryVectorStore> VECTOR =
      new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, InMemoryMetadataStore> METADATA =
      new ConcurrentHashMap<>();

  private SharedStores() {}

  static InMemoryVectorStore vectorStore(String name) {
    return VECTOR.computeIfAbsent(name, InMemoryVectorStore::shared);
  }

  static InMemoryMetadataStore metadataStore(String name) {
    return METADATA.computeIfAbsent(name, InMemoryMetadataStore::shared);
  }
}
