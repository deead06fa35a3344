package dev.vectorcache.inmemory;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.model.AliasAction;
import dev.vectorcache.core.model.CollectionAlias;
import dev.vectorcache.core.port.CollectionAliases;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@link CollectionAliases} of the embedded engine, run inline like its async form: Qdrant's
 * aliases, kept by the store's {@link CollectionTable}, which resolves them wherever a collection
 * name is read.
 */
final class EmbeddedAliases implements CollectionAliases {
  private final CollectionTable table;
  private final Consumer<List<AliasAction>> update;

  /** Reads {@code table}; changes go through {@code update} (which logs them when durable). */
  EmbeddedAliases(CollectionTable table, Consumer<List<AliasAction>> update) {
    this.table = table;
    this.update = update;
  }

  @Override
  public CompletableFuture<Void> updateAliases(List<AliasAction> actions) {
    return Futures.run(() -> update.accept(actions));
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
