package dev.vectorcache.inmemory;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.model.AliasAction;
import dev.vectorcache.core.model.CollectionAlias;
import dev.vectorcache.core.port.CollectionAliases;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link CollectionAliases} of the embedded engine, run inline like its async form: Qdrant's
 * aliases, kept by the store's {@link CollectionTable}, which resolves them wherever a collection
 * name is read.
 */
final class EmbeddedAliases implements CollectionAliases {
  private final CollectionTable table;

  EmbeddedAliases(CollectionTable table) {
    this.table = table;
  }

  @Override
  public CompletableFuture<Void> updateAliases(List<AliasAction> actions) {
    return Futures.run(() -> table.updateAliases(actions));
  }

  @Override
  public CompletableFuture<List<CollectionAlias>> listAliases() {
    return Futures.now(() -> table.listAliases());
  }

  @Override
  public CompletableFuture<List<String>> listAliases(String collection) {
    return Futures.now(() -> table.listAliases(collection));
  }
}
