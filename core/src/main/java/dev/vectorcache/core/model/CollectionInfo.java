package dev.vectorcache.core.model;

import java.util.Objects;

/**
 * A collection's state as the backend reports it.
 *
 * @param name collection name
 * @param config the configuration the collection was created with, as read back from the backend
 * @param pointsCount number of points (approximate on Qdrant)
 * @param status health
 * @param memory bytes held, or {@link MemoryUsage#UNKNOWN}
 */
public record CollectionInfo(
    String name,
    CollectionConfig config,
    long pointsCount,
    CollectionStatus status,
    MemoryUsage memory) {
  public CollectionInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(memory, "memory");
  }
}
