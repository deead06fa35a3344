package dev.vectorcache.core;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.CollectionConfigMismatchException;
import dev.vectorcache.core.model.AliasAction;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.ShardingMethod;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.CollectionAliases;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Creates the cache's collection with its payload indexes (as {@code <name>__g0} behind the alias
 * {@code <name>} when given the aliases port), or verifies an existing one: a dimension or distance
 * mismatch is an error, never silently accepted, and so is a cluster setting the cache asks for
 * that the collection does not have (shard number, replication and write consistency factors,
 * sharding method, shard keys, tenant index). Cluster settings the cache leaves unset are not
 * checked: the server chose them.
 */
final class CollectionSetup {
  private final AsyncVectorStore vectors;
  private final String collection;
  private final CollectionConfig expected;
  private final @Nullable CollectionAliases aliases; // non-null: a new collection goes behind one

  CollectionSetup(
      AsyncVectorStore vectors,
      String collection,
      CollectionConfig expected,
      @Nullable CollectionAliases aliases) {
    this.vectors = vectors;
    this.collection = collection;
    this.expected = expected;
    this.aliases = aliases;
  }

  CompletableFuture<Void> run() {
    return vectors
        .collectionExists(collection)
        .thenCompose(
            exists -> {
              if (exists) {
                return verifyExisting(collection).thenCompose(v -> indexes(collection));
              }
              CollectionAliases a = aliases;
              if (a == null) {
                return create(collection).thenCompose(v -> indexes(collection));
              }
              // the first generation, set up whole before the name points at it; a second
              // instance racing this one verifies it and creates the same alias
              String first = Migrator.generation(collection, 0);
              return create(first)
                  .thenCompose(v -> indexes(first))
                  .thenCompose(
                      v -> a.updateAliases(List.of(AliasAction.create(collection, first))));
            });
  }

  private CompletableFuture<Void> indexes(String name) {
    return vectors
        .createPayloadIndex(name, EntryPayload.EXPIRES_AT, PayloadSchemaType.INTEGER)
        .thenCompose(
            v -> vectors.createPayloadIndex(name, EntryPayload.KEY, PayloadSchemaType.KEYWORD));
  }

  private CompletableFuture<Void> create(String name) {
    return vectors
        .createCollection(name, expected)
        .exceptionallyCompose(
            e -> {
              // another instance created it first: verify it instead
              if (Futures.unwrap(e) instanceof CollectionAlreadyExistsException) {
                return verifyExisting(name);
              }
              return CompletableFuture.failedFuture(Futures.unwrap(e));
            });
  }

  private CompletableFuture<Void> verifyExisting(String name) {
    return vectors.collectionInfo(name).thenAccept(this::verify);
  }

  private void verify(CollectionInfo info) {
    CollectionConfig found = info.config();
    if (found.dimension() != expected.dimension()) {
      throw new CollectionConfigMismatchException(
          collection, "dimension", expected.dimension(), found.dimension());
    }
    if (found.distance() != expected.distance()) {
      throw new CollectionConfigMismatchException(
          collection, "distance", expected.distance(), found.distance());
    }
    if (expected.shardNumber() != null && found.shardNumber() != null) {
      same("shardNumber", expected.shardNumber(), found.shardNumber());
    }
    // Qdrant's default for both factors is 1; a server that does not report one uses it
    if (expected.replicationFactor() != null) {
      same("replicationFactor", expected.replicationFactor(), orOne(found.replicationFactor()));
    }
    if (expected.writeConsistencyFactor() != null) {
      same(
          "writeConsistencyFactor",
          expected.writeConsistencyFactor(),
          orOne(found.writeConsistencyFactor()));
    }
    same("shardingMethod", method(expected), method(found));
    if (!found.shardKeys().containsAll(expected.shardKeys())) {
      throw new CollectionConfigMismatchException(
          collection, "shardKeys (at least)", expected.shardKeys(), found.shardKeys());
    }
    if (expected.tenantIndex() != null) {
      same("tenantIndex", expected.tenantIndex(), found.tenantIndex());
    }
  }

  private void same(String field, Object expectedValue, @Nullable Object foundValue) {
    if (!expectedValue.equals(foundValue)) {
      throw new CollectionConfigMismatchException(
          collection, field, expectedValue, String.valueOf(foundValue));
    }
  }

  private static int orOne(@Nullable Integer value) {
    return value == null ? 1 : value;
  }

  private static ShardingMethod method(CollectionConfig c) {
    return c.shardingMethod() == null ? ShardingMethod.AUTO : c.shardingMethod();
  }
}
