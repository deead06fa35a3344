package dev.vectorcache.inmemory;

import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.testkit.VectorCacheContract;
import dev.vectorcache.testkit.VectorStoreContract;
import org.junit.jupiter.api.Nested;

/**
 * The VectorStore and VectorCache contract kits, unchanged, with every plain collection created
 * with {@code on_disk_payload=true}: payloads in a memory-mapped file, read on demand.
 */
class OnDiskPayloadContractTest {

  @Nested
  class Store extends VectorStoreContract {
    @Override
    protected VectorStore createStore() {
      return new ModeForcingVectorStore(StorageMode.IN_MEMORY, null, true);
    }
  }

  @Nested
  class Cache extends VectorCacheContract {
    @Override
    protected VectorStore createVectorStore() {
      return new ModeForcingVectorStore(StorageMode.IN_MEMORY, null, true);
    }

    @Override
    protected MetadataStore createMetadataStore() {
      return new InMemoryMetadataStore();
    }
  }
}
