package dev.vectorcache.inmemory;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.model.AliasAction;
import dev.vectorcache.core.model.CollectionAlias;
import dev.vectorcache.core.port.CollectionAliases;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link CollectionAliases} of the embedded engine, run inline like its async form: Qdrant's
 * aliases, kept by {@link InMemoryVectorStore}, which resolves them wherever it reads a collection
 * name.
 */
final class EmbeddedAliases implements CollectionAliases {
  private final InMemoryVectorStore store;

  EmbeddedAliases(InMemoryVectorStore store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<Void> updateAliases(List<AliasAction> actions) {
    return Futures.run(() -> store.updateAliases(actions));
  }

  @Override
  public CompletableFuture<List<CollectionAlias>> listAliases() {
    return Futures.now(() -> store.listAliases());
  }

  @Override
  public CompletableFuture<List<String>> listAliases(String collection) {
    return Futures.now(() -> store.listAliases(collection));
  }
}
