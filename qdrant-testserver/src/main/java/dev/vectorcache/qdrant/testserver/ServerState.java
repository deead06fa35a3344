package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.model.CollectionAlias;
import dev.vectorcache.core.port.CollectionAliases;
import dev.vectorcache.core.port.VectorStore;
import io.grpc.Status;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the services share: the backing store and what Qdrant keeps beside the points. The maps are
 * keyed by collection name; an alias (the store's {@link CollectionAliases}) is resolved to its
 * collection first, so a request naming an alias reads and writes the collection's entries.
 */
final class ServerState {
  private final VectorStore store;
  private final Map<String, CreateCollection> configs = new ConcurrentHashMap<>();
  private final Map<String, Map<String, PayloadSchemaInfo>> schemas = new ConcurrentHashMap<>();
  private final AtomicLong operationIds = new AtomicLong();

  /** This peer's id, random as Qdrant's (a positive uint64 that fits a Java long). */
  private final long peerId = 1 + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE - 1);

  ServerState(VectorStore store) {
    this.store = store;
  }

  VectorStore store() {
    return store;
  }

  /**
   * The CreateCollection request of each collection created through the server, by collection name:
   * look names up with {@link #resolve(String)}.
   */
  Map<String, CreateCollection> configs() {
    return configs;
  }

  /** The payload indexes of a collection, or of the collection an alias names. */
  Map<String, PayloadSchemaInfo> payloadSchema(String collection) {
    return schemas.computeIfAbsent(resolve(collection), k -> new ConcurrentHashMap<>());
  }

  /**
   * The collection {@code name} stands for: the collection an alias names (an alias wins, as in
   * Qdrant), else {@code name} itself.
   */
  String resolve(String name) {
    for (CollectionAlias a : aliases()) {
      if (a.alias().equals(name)) {
        return a.collection();
      }
    }
    return name;
  }

  /** Whether {@code name} is an alias of the backing store. */
  boolean isAlias(String name) {
    return aliases().stream().anyMatch(a -> a.alias().equals(name));
  }

  private List<CollectionAlias> aliases() {
    Optional<CollectionAliases> aliases = store.extension(CollectionAliases.class);
    return aliases.isPresent() ? Futures.join(aliases.get().listAliases()) : List.of();
  }

  void dropPayloadSchema(String collection) {
    schemas.remove(collection);
  }

  /** The id of the one peer this server is. */
  long peerId() {
    return peerId;
  }

  long nextOperationId() {
    return operationIds.incrementAndGet();
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Qdrant's collection name rule: 1 to 255 characters, none of them a path separator. */
  static String checkName(String name) {
    if (name.isEmpty() || name.length() > 255 || name.matches(".*[/\\\\<>:\"|?*\\x00].*")) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "Validation error in body: [collection_name: length must be between 1 and 255"
                  + " and contain no illegal characters]")
          .asRuntimeException();
    }
    return name;
  }
}
