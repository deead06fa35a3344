package dev.vectorcache.qdrant;

import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.spi.VectorStoreConfig;
import dev.vectorcache.spi.VectorStoreProvider;
import java.util.Set;

/**
 * The {@code qdrant-grpc} provider: {@code http(s)://} (REST port 6333 mapped to gRPC 6334) and
 * {@code grpc(s)://} URLs, over the official Qdrant Java client. Found by {@link
 * java.util.ServiceLoader}; the constructor does no I/O.
 */
public final class QdrantVectorStoreProvider implements VectorStoreProvider {
  public QdrantVectorStoreProvider() {}

  @Override
  public String name() {
    return "qdrant-grpc";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("http", "https", "grpc", "grpcs");
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public String artifact() {
    return "dev.vectorcache:vectorcache-qdrant-grpc";
  }

  /** The blocking form of a new {@link QdrantVectorStore}. */
  @Override
  public VectorStore open(VectorStoreConfig config) {
    return QdrantVectorStore.open(config).blocking();
  }

  /** A new {@link QdrantVectorStore}, natively asynchronous. */
  @Override
  public AsyncVectorStore openAsync(VectorStoreConfig config) {
    return QdrantVectorStore.open(config);
  }
}
