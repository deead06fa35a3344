package dev.vectorcache.examples;

import dev.vectorcache.redis.jedis.JedisOptions;
import dev.vectorcache.redis.lettuce.LettuceOptions;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.MetadataStoreConfig;
import java.time.Duration;
import java.util.List;

/**
 * docs/redis.md "Choosing and configuring": a Lettuce and a Jedis configuration. {@link #main}
 * prints which provider each resolves to (no I/O: opening connects to the server).
 */
public final class RedisClients {
  private RedisClients() {}

  /** The two configurations of the doc. */
  static List<MetadataStoreConfig> configs() {
    // tag::configs[]
    // Lettuce: the default when both jars are present
    MetadataStoreConfig lettuce =
        MetadataStoreConfig.builder()
            .url("redis://app:s3cret@redis.internal:6379/2") // ACL user, password, database 2
            .keyPrefix("tenant-a:") // keys "tenant-a:<key>", channels "tenant-a:events:<coll.>"
            .clientName("orders-service") // CLIENT SETNAME
            .commandTimeout(Duration.ofMillis(500)) // every command, async ones too
            .connectTimeout(Duration.ofSeconds(1))
            .adapterOptions(
                LettuceOptions.builder()
                    // bounded (default 10,000); plain Lettuce's queue is unbounded
                    .requestQueueSize(1_000)
                    .build())
            .build();

    // Jedis: name it explicitly
    MetadataStoreConfig jedis =
        MetadataStoreConfig.builder()
            .url("rediss://redis.internal:6380/0") // TLS, host name verified by default
            .client("jedis")
            .password(System.getenv("REDIS_PASSWORD"))
            .commandTimeout(Duration.ofMillis(500)) // socket timeout
            .adapterOptions(
                JedisOptions.builder()
                    .maxConnections(32) // pool maxTotal (default 16)
                    .maxWait(Duration.ofMillis(200)) // wait for a free pooled connection
                    .build())
            .build();
    // end::configs[]
    return List.of(lettuce, jedis);
  }

  /** Prints each configuration (password masked) and the provider it resolves to. */
  public static void main(String[] args) {
    Backends backends = Backends.discover();
    for (MetadataStoreConfig c : configs()) {
      System.out.println(
          c
              + " -> "
              + backends.resolveMetadataStore(c).provider().name()
              + ": "
              + backends.resolveMetadataStore(c).reason());
    }
  }
}
