package dev.vectorcache.inmemory;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Makes the engine collections of one {@link InMemoryVectorStore} and owns the directory of their
 * memory-mapped files: the configured one, or a temporary one made on first use and deleted when
 * the store is closed.
 */
final class CollectionMaker {
  private final @Nullable Path configuredDir; // null: a temporary directory, created on first use
  private final boolean deleteOnExit;
  private @Nullable Path tempDir; // guarded by this

  /**
   * @param configuredDir the directory for mapped files; {@code null} for a temporary one
   * @param deleteOnExit whether a temporary directory is deleted when the JVM exits (for a store
   *     that is never closed)
   */
  CollectionMaker(@Nullable Path configuredDir, boolean deleteOnExit) {
    this.configuredDir = configuredDir;
    this.deleteOnExit = deleteOnExit;
  }

  /** The shards of a new single-vector collection. */
  MemShards shards(String name, CollectionConfig config) {
    return new MemShards(
        name, config, files -> new MemCollection(files, config, this::directory, Kernels.active()));
  }

  /**
   * The dense spaces of the multi-vector collection {@code collection}: a {@link MemCollection}
   * each, files named after both. With payloads on disk, a space reads them from the collection's
   * registry, which keeps them once in a mapped file ({@code <collection>-points-<uuid>.payload});
   * with payloads in RAM, a space holds the same map objects as the registry.
   */
  VectorSpaces.SpaceFactory spaces(String collection) {
    return new VectorSpaces.SpaceFactory() {
      @Override
      public MemCollection create(
          String vectorName,
          CollectionConfig config,
          Function<PointId, Map<String, Object>> sharedPayloads) {
        String spaceName = vectorName.isEmpty() ? collection : collection + "-" + vectorName;
        return config.onDiskPayload()
            ? new MemCollection(
                spaceName,
                config,
                CollectionMaker.this::directory,
                Kernels.active(),
                sharedPayloads)
            : new MemCollection(
                spaceName, config, CollectionMaker.this::directory, Kernels.active(), false);
      }

      @Override
      public PayloadStore registryPayloads(boolean onDisk) {
        return CollectionParts.payloads(
            onDisk,
            CollectionMaker.this::directory,
            CollectionParts.fileBase(collection + "-points"));
      }
    };
  }

  /** The directory for mapped files: the configured one, or a temporary one made on first use. */
  private synchronized Path directory() {
    try {
      if (configuredDir != null) {
        return Files.createDirectories(configuredDir);
      }
      if (tempDir == null) {
        tempDir = Files.createTempDirectory("vectorcache-mmap-");
        if (deleteOnExit) {
          tempDir.toFile().deleteOnExit();
        }
      }
      return tempDir;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the directory for memory-mapped vectors"
              + (configuredDir == null ? "" : " " + configuredDir)
              + "; set EmbeddedOptions.mmapDirectory to a writable directory",
          e);
    }
  }

  /** Deletes the temporary directory, if one was made (the collections deleted their files). */
  synchronized void deleteTemporaryDirectory() {
    if (tempDir != null) {
      try {
        Files.deleteIfExists(tempDir);
      } catch (IOException e) {
        // a file still open elsewhere; the OS temp cleaner will get it
      }
      tempDir = null;
    }
  }
}
