package dev.vectorcache.spi;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link Backends} needs to know about one kind of store to resolve it and explain failures:
 * the artifacts behind each scheme and client name, and example URLs of this role only (a vector
 * store error never suggests {@code redis://}, a metadata store error never {@code grpc://}).
 */
record Role(
    String what,
    Map<String, String> schemeArtifacts,
    Map<String, String> clientArtifacts,
    String examples) {

  private static final String IN_MEMORY = "dev.vectorcache:vectorcache-in-memory";
  private static final String QDRANT = "dev.vectorcache:vectorcache-qdrant-grpc";
  private static final String LETTUCE = "dev.vectorcache:vectorcache-redis-lettuce";
  private static final String JEDIS = "dev.vectorcache:vectorcache-redis-jedis";

  static final Role VECTOR =
      new Role(
          "vector store",
          Map.of(
              "memory", IN_MEMORY, "http", QDRANT, "https", QDRANT, "grpc", QDRANT, "grpcs",
              QDRANT),
          Map.of("memory", IN_MEMORY, "qdrant-grpc", QDRANT),
          "grpc://localhost:6334, http://localhost:6333 or memory:");

  static final Role METADATA =
      new Role(
          "metadata store",
          Map.of(
              "memory", IN_MEMORY,
              "redis", LETTUCE + " (or " + JEDIS + ")",
              "rediss", LETTUCE + " (or " + JEDIS + ")",
              "redis-sentinel", LETTUCE + " (or " + JEDIS + ")",
              "rediss-sentinel", LETTUCE + " (or " + JEDIS + ")"),
          Map.of("memory", IN_MEMORY, "lettuce", LETTUCE, "jedis", JEDIS),
          "redis://localhost:6379, rediss://localhost:6380 or memory:");

  /** The schemes known to this role, sorted, for messages. */
  Set<String> knownSchemes() {
    return new TreeSet<>(schemeArtifacts.keySet());
  }

  /** The other role, to say that a client name belongs there. */
  Role other() {
    return equals(VECTOR) ? METADATA : VECTOR;
  }
}
