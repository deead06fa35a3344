package dev.vectorcache.inmemory;

import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.testkit.VectorCacheContract;
import dev.vectorcache.testkit.VectorStoreContract;
import org.junit.jupiter.api.Nested;

/**
 * The VectorStore and VectorCache contract kits, unchanged, in every storage mode × quantization of
 * the engine (the plain in-memory float mode runs in {@link InMemoryVectorStoreContractTest}).
 * Quantized modes rescore with the originals, so the contract's exact scores must still hold.
 */
class StorageModeContractTest {

  @Nested
  class InMemoryInt8Store extends VectorStoreContract {
    @Override
    protected VectorStore createStore() {
      return new ModeForcingVectorStore(StorageMode.IN_MEMORY, QuantizationConfig.scalarInt8());
    }
  }

  @Nested
  class InMemoryInt8Cache extends VectorCacheContract {
    @Override
    protected VectorStore createVectorStore() {
      return new ModeForcingVectorStore(StorageMode.IN_MEMORY, QuantizationConfig.scalarInt8());
    }

    @Override
    protected MetadataStore createMetadataStore() {
      return new InMemoryMetadataStore();
    }
  }

  @Nested
  class InMemoryBinaryStore extends VectorStoreContract {
    @Override
    protected VectorStore createStore() {
      return new ModeForcingVectorStore(StorageMode.IN_MEMORY, QuantizationConfig.binary(true));
    }
  }

  @Nested
  class InMemoryBinaryCache extends VectorCacheContract {
    @Override
    protected VectorStore createVectorStore() {
      return new ModeForcingVectorStore(StorageMode.IN_MEMORY, QuantizationConfig.binary(true));
    }

    @Override
    protected MetadataStore createMetadataStore() {
      return new InMemoryMetadataStore();
    }
  }

  @Nested
  class MmapFloatStore extends VectorStoreContract {
    @Override
    protected VectorStore createStore() {
      return new ModeForcingVectorStore(StorageMode.MMAP, null);
    }
  }

  @Nested
  class MmapFloatCache extends VectorCacheContract {
    @Override
    protected VectorStore createVectorStore() {
      return new ModeForcingVectorStore(StorageMode.MMAP, null);
    }

    @Override
    protected MetadataStore createMetadataStore() {
      return new InMemoryMetadataStore();
    }
  }

  @Nested
  class MmapInt8Store extends VectorStoreContract {
    @Override
    protected VectorStore createStore() {
      return new ModeForcingVectorStore(StorageMode.MMAP, QuantizationConfig.scalarInt8());
    }
  }

  @Nested
  class MmapInt8Cache extends VectorCacheContract {
    @Override
    protected VectorStore createVectorStore() {
      return new ModeForcingVectorStore(StorageMode.MMAP, QuantizationConfig.scalarInt8());
    }

    @Override
    protected MetadataStore createMetadataStore() {
      return new InMemoryMetadataStore();
    }
  }

  @Nested
  class MmapInt8CodesMappedStore extends VectorStoreContract {
    @Override
    protected VectorStore createStore() {
      return new ModeForcingVectorStore(
          StorageMode.MMAP, QuantizationConfig.scalarInt8(0.99f, false));
    }
  }

  @Nested
  class MmapInt8CodesMappedCache extends VectorCacheContract {
    @Override
    protected VectorStore createVectorStore() {
      return new ModeForcingVectorStore(
          StorageMode.MMAP, QuantizationConfig.scalarInt8(0.99f, false));
    }

    @Override
    protected MetadataStore createMetadataStore() {
      return new InMemoryMetadataStore();
    }
  }

  @Nested
  class MmapBinaryStore extends VectorStoreContract {
    @Override
    protected VectorStore createStore() {
      return new ModeForcingVectorStore(StorageMode.MMAP, QuantizationConfig.binary(true));
    }
  }

  @Nested
  class MmapBinaryCache extends VectorCacheContract {
    @Override
    protected VectorStore createVectorStore() {
      return new ModeForcingVectorStore(StorageMode.MMAP, QuantizationConfig.binary(true));
    }

    @Override
    protected MetadataStore createMetadataStore() {
      return new InMemoryMetadataStore();
    }
  }

  @Nested
  class OnDiskFloatStore extends VectorStoreContract {
    @Override
    protected VectorStore createStore() {
      return new ModeForcingVectorStore(StorageMode.ON_DISK, null);
    }
  }

  @Nested
  class OnDiskFloatCache extends VectorCacheContract {
    @Override
    protected VectorStore createVectorStore() {
      return new ModeForcingVectorStore(StorageMode.ON_DISK, null);
    }

    @Override
    protected MetadataStore createMetadataStore() {
      return new InMemoryMetadataStore();
    }
  }

  @Nested
  class OnDiskInt8Store extends VectorStoreContract {
    @Override
    protected VectorStore createStore() {
      return new ModeForcingVectorStore(StorageMode.ON_DISK, QuantizationConfig.scalarInt8());
    }
  }

  @Nested
  class OnDiskInt8Cache extends VectorCacheContract {
    @Override
    protected VectorStore createVectorStore() {
      return new ModeForcingVectorStore(StorageMode.ON_DISK, QuantizationConfig.scalarInt8());
    }

    @Override
    protected MetadataStore createMetadataStore() {
      return new InMemoryMetadataStore();
    }
  }

  @Nested
  class OnDiskInt8CodesMappedStore extends VectorStoreContract {
    @Override
    protected VectorStore createStore() {
      return new ModeForcingVectorStore(
          StorageMode.ON_DISK, QuantizationConfig.scalarInt8(0.99f, false));
    }
  }

  @Nested
  class OnDiskInt8CodesMappedCache extends VectorCacheContract {
    @Override
    protected VectorStore createVectorStore() {
      return new ModeForcingVectorStore(
          StorageMode.ON_DISK, QuantizationConfig.scalarInt8(0.99f, false));
    }

    @Override
    protected MetadataStore createMetadataStore() {
      return new InMemoryMetadataStore();
    }
  }

  @Nested
  class OnDiskBinaryStore extends VectorStoreContract {
    @Override
    protected VectorStore createStore() {
      return new ModeForcingVectorStore(StorageMode.ON_DISK, QuantizationConfig.binary(true));
    }
  }

  @Nested
  class OnDiskBinaryCache extends VectorCacheContract {
    @Override
    protected VectorStore createVectorStore() {
      return new ModeForcingVectorStore(StorageMode.ON_DISK, QuantizationConfig.binary(true));
    }

    @Override
    protected MetadataStore createMetadataStore() {
      return new InMemoryMetadataStore();
    }
  }
}
