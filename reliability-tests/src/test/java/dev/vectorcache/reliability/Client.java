package dev.vectorcache.reliability;

import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.MetadataStoreConfig;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The two Redis clients every Redis scenario runs with, opened through the front door ({@link
 * Backends}) as an application does.
 */
enum Client {
  LETTUCE("lettuce"),
  JEDIS("jedis");

  private final String providerName;

  /** The provider name, as given to {@code MetadataStoreConfig.Builder.client}. */
  String providerName() {
    return providerName;
  }

  Client(String providerName) {
    this.providerName = providerName;
  }

  /** The configuration for {@code node} with this client, the node's password and a timeout. */
  MetadataStoreConfig.Builder config(RedisNode node, String keyPrefix, Duration commandTimeout) {
    return MetadataStoreConfig.builder()
        .url(node.url())
        .client(providerName)
        .password(node.password())
        .keyPrefix(keyPrefix)
        .commandTimeout(commandTimeout)
        .connectTimeout(commandTimeout.multipliedBy(2));
  }

  /** Opens the store for {@code node}. */
  AsyncMetadataStore open(RedisNode node, String keyPrefix, Duration commandTimeout) {
    return open(node, keyPrefix, commandTimeout, UnaryOperator.identity());
  }

  /** Opens the store for {@code node}, the configuration adjusted by {@code more}. */
  AsyncMetadataStore open(
      RedisNode node,
      String keyPrefix,
      Duration commandTimeout,
      UnaryOperator<MetadataStoreConfig.Builder> more) {
    return Backends.discover()
        .openAsyncMetadataStore(more.apply(config(node, keyPrefix, commandTimeout)).build());
  }
}
