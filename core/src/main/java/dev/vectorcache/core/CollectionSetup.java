package dev.vectorcache.core;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.CollectionConfigMismatchException;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.port.AsyncVectorStore;
import java.util.concurrent.CompletableFuture;

/**
 * Creates the cache's collection with its payload indexes, or verifies an existing one: a dimension
 * or distance mismatch is an error, never silently accepted.
 */
final class CollectionSetup {
  private final AsyncVectorStore vectors;
  private final String collection;
  private final CollectionConfig expected;

  CollectionSetup(AsyncVectorStore vectors, String collection, CollectionConfig expected) {
    this.vectors = vectors;
    this.collection = collection;
    this.expected = expected;
  }

  CompletableFuture<Void> run() {
    return vectors
        .collectionExists(collection)
        .thenCompose(exists -> exists ? verifyExisting() : create())
        .thenCompose(
            v ->
                vectors.createPayloadIndex(
                    collection, EntryPayload.EXPIRES_AT, PayloadSchemaType.INTEGER))
        .thenCompose(
            v ->
                vectors.createPayloadIndex(
                    collection, EntryPayload.KEY, PayloadSchemaType.KEYWORD));
  }

  private CompletableFuture<Void> create() {
    return vectors
        .createCollection(collection, expected)
        .exceptionallyCompose(
            e -> {
              // another instance created it first: verify it instead
              if (Futures.unwrap(e) instanceof CollectionAlreadyExistsException) {
                return verifyExisting();
              }
              return CompletableFuture.failedFuture(Futures.unwrap(e));
            });
  }

  private CompletableFuture<Void> verifyExisting() {
    return vectors.collectionInfo(collection).thenAccept(this::verify);
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
  }
}
