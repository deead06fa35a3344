package dev.vectorcache.spi;

import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.VectorStore;
import java.util.Set;

/**
 * A {@link VectorStore} implementation that {@link Backends} finds with {@link
 * java.util.ServiceLoader}. Register it in {@code
 * META-INF/services/dev.vectorcache.spi.VectorStoreProvider}. The constructor must do no I/O.
 */
public interface VectorStoreProvider {
  /** Short unique name, used to choose this provider explicitly ({@code "qdrant-grpc"}). */
  String name();

  /** URL schemes this provider opens ({@code "grpc"}, {@code "http"}, {@code "memory"}). */
  Set<String> schemes();

  /** When several providers claim a scheme and none is named, the highest priority wins. */
  int priority();

  /** The Maven artifact that holds this provider, for messages. */
  String artifact();

  /**
   * Opens a store in its native form; the other form is reached with {@code async()}/{@code
   * blocking()}.
   */
  VectorStore open(VectorStoreConfig config);

  /** Opens the non-blocking form. */
  default AsyncVectorStore openAsync(VectorStoreConfig config) {
    return open(config).async();
  }
}
