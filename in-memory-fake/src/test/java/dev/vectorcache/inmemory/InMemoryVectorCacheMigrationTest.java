package dev.vectorcache.inmemory;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.testkit.VectorCacheMigrationContract;

/** The model-migration contract over the in-memory stores, the embedded default. */
class InMemoryVectorCacheMigrationTest extends VectorCacheMigrationContract {
  @Override
  protected VectorStore createVectorStore() {
    return new InMemoryVectorStore();
  }

  @Override
  protected MetadataStore createMetadataStore() {
    return new InMemoryMetadataStore();
  }
}
