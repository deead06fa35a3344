package dev.vectorcache.examples;

import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.TlsConfig;
import dev.vectorcache.spi.VectorStoreConfig;
import java.nio.file.Path;

/**
 * README "TLS": a Redis and a Qdrant configuration with a private CA and mutual TLS. {@link #main}
 * prints them and the adapter each resolves to (no I/O: the files are read when a store opens).
 */
public final class TlsConfigs {
  private TlsConfigs() {}

  /** Prints the configurations (the key password masked) and the adapter chosen for each. */
  public static void main(String[] args) {
    // tag::tls[]
    TlsConfig tls =
        TlsConfig.builder()
            .trustedCertificates(Path.of("/etc/vectorcache/tls/ca.crt")) // instead of the JVM's
            .clientCertificate(Path.of("/etc/vectorcache/tls/client.crt")) // mutual TLS
            .clientKey(Path.of("/etc/vectorcache/tls/client.key")) // PKCS#8 PEM
            .build(); // host name verified: the default
    MetadataStoreConfig redis =
        MetadataStoreConfig.builder().url("rediss://redis.internal:6380/0").tls(tls).build();
    VectorStoreConfig qdrant =
        VectorStoreConfig.builder().url("grpcs://qdrant.internal:6334").tls(tls).build();
    // end::tls[]
    Backends backends = Backends.discover();
    System.out.println(redis + " -> " + backends.resolveMetadataStore(redis).provider().name());
    System.out.println(qdrant + " -> " + backends.resolveVectorStore(qdrant).provider().name());
  }
}
