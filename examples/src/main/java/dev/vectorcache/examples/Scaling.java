package dev.vectorcache.examples;

import dev.vectorcache.redis.jedis.JedisOptions;
import dev.vectorcache.redis.lettuce.LettuceOptions;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.Topology;
import java.util.List;

/**
 * docs/scaling.md and docs/redis.md "Redis Cluster and Sentinel": the URL and builder forms of a
 * cluster and a Sentinel group. {@link #main} prints each topology and the provider it resolves to
 * (no I/O: opening connects to the servers).
 */
public final class Scaling {
  private Scaling() {}

  /** The configurations of the docs. */
  static List<MetadataStoreConfig> configs() {
    // tag::configs[]
    // A Redis Cluster from its seeds (database 0 only), with Lettuce reading from replicas
    MetadataStoreConfig cluster =
        MetadataStoreConfig.builder()
            .url("redis://app:s3cret@10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000?cluster=true")
            .adapterOptions(
                LettuceOptions.builder()
                    .replicaReads(LettuceOptions.ReplicaReads.REPLICA_PREFERRED) // default PRIMARY
                    .build())
            .build();

    // The same cluster in the builder form, with Jedis
    MetadataStoreConfig clusterJedis =
        MetadataStoreConfig.builder()
            .url("redis://app:s3cret@10.0.0.1:7000") // scheme and credentials only
            .topology(
                Topology.cluster(
                    List.of(HostAndPort.of("10.0.0.1", 7000), HostAndPort.of("10.0.0.2", 7000))))
            .client("jedis")
            .adapterOptions(JedisOptions.builder().maxConnections(8).build()) // per node
            .build();

    // The primary three sentinels know as "orders", over TLS, database 2
    MetadataStoreConfig sentinel =
        MetadataStoreConfig.builder()
            .url(
                "rediss-sentinel://app:s3cret@s1:26379,s2:26379,s3:26379/2?sentinelMasterId=orders")
            .build();
    // end::configs[]
    return List.of(cluster, clusterJedis, sentinel);
  }

  /** Prints each configuration's topology and the provider it resolves to. */
  public static void main(String[] args) {
    Backends backends = Backends.discover();
    for (MetadataStoreConfig c : configs()) {
      System.out.println(
          c.topology().orElseThrow().kind()
              + " "
              + c.maskedUrl()
              + " -> "
              + backends.resolveMetadataStore(c).provider().name());
    }
  }
}
