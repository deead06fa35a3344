package dev.vectorcache.qdrant;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.AliasAction;
import dev.vectorcache.core.model.CollectionAlias;
import dev.vectorcache.core.port.CollectionAliases;
import io.qdrant.client.grpc.Collections;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link CollectionAliases} of {@link QdrantVectorStore}: Qdrant's {@code UpdateAliases}, {@code
 * ListAliases} and {@code ListCollectionAliases}, on the raw stubs like every call of the store.
 * {@code UpdateAliases} is sent once (a second attempt after a lost reply could fail where the
 * first succeeded: a renamed alias is gone); the listings are retried like any read.
 *
 * <p>The store caches each collection's vector parameters by the name it was used with; every alias
 * name an update touches is forgotten, so the next write or search through it reads the parameters
 * of the collection it names now.
 */
final class QdrantAliases implements CollectionAliases {
  private final QdrantVectorStore store;

  QdrantAliases(QdrantVectorStore store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<Void> updateAliases(List<AliasAction> actions) {
    if (actions == null) {
      throw new InvalidInputException("actions", "a list of alias actions", null);
    }
    Collections.ChangeAliases.Builder request = Collections.ChangeAliases.newBuilder();
    List<String> touched = new ArrayList<>();
    for (int i = 0; i < actions.size(); i++) {
      AliasAction a = actions.get(i);
      if (a == null) {
        throw new InvalidInputException("actions[" + i + "]", "an alias action", null);
      }
      request.addActions(operation(a, touched));
    }
    if (actions.isEmpty()) {
      return CompletableFuture.completedFuture(null); // nothing to change, nothing sent
    }
    Collections.ChangeAliases change = request.build();
    touched.forEach(store::forget);
    CompletableFuture<Collections.CollectionOperationResponse> sent =
        store.callOnce(
            "update aliases", null, t -> store.stubs.collections(t).updateAliases(change));
    // a side stage: cancelling the returned future still reaches the gRPC call
    CompletableFuture<?> unused = sent.whenComplete((r, e) -> touched.forEach(store::forget));
    return QdrantVectorStore.done(sent);
  }

  private static Collections.AliasOperations operation(AliasAction action, List<String> touched) {
    Collections.AliasOperations.Builder op = Collections.AliasOperations.newBuilder();
    if (action instanceof AliasAction.Create c) {
      touched.add(c.alias());
      op.setCreateAlias(
          Collections.CreateAlias.newBuilder()
              .setAliasName(c.alias())
              .setCollectionName(c.collection()));
    } else if (action instanceof AliasAction.Rename r) {
      touched.add(r.oldAlias());
      touched.add(r.newAlias());
      op.setRenameAlias(
          Collections.RenameAlias.newBuilder()
              .setOldAliasName(r.oldAlias())
              .setNewAliasName(r.newAlias()));
    } else if (action instanceof AliasAction.Delete d) {
      touched.add(d.alias());
      op.setDeleteAlias(Collections.DeleteAlias.newBuilder().setAliasName(d.alias()));
    }
    return op.build();
  }

  @Override
  public CompletableFuture<List<CollectionAlias>> listAliases() {
    var request = Collections.ListAliasesRequest.getDefaultInstance();
    return store
        .call("list aliases", null, t -> store.stubs.collections(t).listAliases(request))
        .thenApply(
            r -> {
              List<CollectionAlias> out = new ArrayList<>(r.getAliasesCount());
              for (Collections.AliasDescription d : r.getAliasesList()) {
                out.add(new CollectionAlias(d.getAliasName(), d.getCollectionName()));
              }
              // Qdrant lists by collection, each collection's aliases in no set order
              out.sort(
                  Comparator.comparing(CollectionAlias::collection)
                      .thenComparing(CollectionAlias::alias));
              return out;
            });
  }

  @Override
  public CompletableFuture<List<String>> listAliases(String collection) {
    QdrantRequests.checkName(collection);
    var request =
        Collections.ListCollectionAliasesRequest.newBuilder().setCollectionName(collection).build();
    return store
        .call(
            "list aliases",
            collection,
            t -> store.stubs.collections(t).listCollectionAliases(request))
        .thenApply(
            r -> {
              List<String> out = new ArrayList<>(r.getAliasesCount());
              for (Collections.AliasDescription d : r.getAliasesList()) {
                out.add(d.getAliasName());
              }
              out.sort(Comparator.naturalOrder());
              return out;
            });
  }
}
