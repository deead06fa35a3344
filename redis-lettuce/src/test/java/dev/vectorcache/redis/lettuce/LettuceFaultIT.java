package dev.vectorcache.redis.lettuce;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisMetadataStoreFaultContract;
import java.util.Optional;

/**
 * The Lettuce adapter against a real redis-server: batch writes, error classes, pub/sub through
 * disconnects and races, no password at TRACE.
 */
class LettuceFaultIT extends RedisMetadataStoreFaultContract {
  @Override
  protected MetadataStore open(MetadataStoreConfig config) {
    return LettuceMetadataStore.open(config);
  }

  @Override
  protected String client() {
    return "lettuce";
  }

  /** Lettuce's CommandHandler prints every byte it reads at TRACE. */
  @Override
  protected Optional<String> wireTraceMarker() {
    return Optional.of("TRACE io.lettuce.core.protocol.CommandHandler");
  }

  @Override
  protected void beforeNextUnsubscribe(MetadataStore store, Runnable action) {
    store.unwrap(LettuceAsyncMetadataStore.class).channelRegistry().beforeNextUnsubscribe(action);
  }
}
