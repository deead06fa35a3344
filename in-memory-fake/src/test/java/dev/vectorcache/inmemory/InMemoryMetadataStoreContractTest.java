package dev.vectorcache.inmemory;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.testkit.MetadataStoreContract;
import dev.vectorcache.testkit.MutableClock;
import dev.vectorcache.testkit.TimeControl;

class InMemoryMetadataStoreContractTest extends MetadataStoreContract {
  private final MutableClock clock = MutableClock.startingNow();

  @Override
  protected TimeControl timeControl() {
    return TimeControl.manual(clock);
  }

  @Override
  protected MetadataStore createStore() {
    return new InMemoryMetadataStore(clock);
  }
}
