package dev.vectorcache.inmemory;

import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.testkit.VectorStoreContract;

class InMemoryVectorStoreContractTest extends VectorStoreContract {
  @Override
  protected VectorStore createStore() {
    return new InMemoryVectorStore();
  }
}
