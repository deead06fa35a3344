package dev.vectorcache.core.port;

import dev.vectorcache.core.model.AliasAction;
import dev.vectorcache.core.model.CollectionAlias;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Extension of the vector-store port (reached with {@code extension(CollectionAliases.class)},
 * advertised as {@link dev.vectorcache.core.model.Capability#ALIASES}): Qdrant's collection
 * aliases, alternative names that can be switched from one collection to another in one step, for
 * example to rebuild an index in a new collection and move readers to it at once.
 *
 * <p>Semantics follow Qdrant:
 *
 * <ul>
 *   <li>An alias is accepted wherever the store reads a collection name: the point operations
 *       (upsert, retrieve, delete, search, count, scroll, the payload writes, payload indexes, the
 *       {@link ClusterRequests} forms and shard keys), {@code collectionInfo} (which describes the
 *       collection) and {@code collectionExists} (true for an alias). It is not a collection:
 *       {@code listCollections} does not list it, {@code deleteCollection(alias)} deletes nothing
 *       and returns false, and {@code createCollection} with the name of an alias fails with {@link
 *       dev.vectorcache.core.exception.CollectionAlreadyExistsException}.
 *   <li>Deleting a collection deletes its aliases.
 *   <li>The actions of one {@link #updateAliases} call are applied in order, under one lock: no
 *       other call of the store runs between them, so no reader sees some of them applied and not
 *       the others. The first action that fails ends the call with its error; the actions before it
 *       stay applied and the ones after it are not applied. This is what Qdrant does (it applies a
 *       batch action by action and does not roll back), so check a batch's names first when a
 *       partial switch would hurt.
 * </ul>
 *
 * <p>Invalid input (a bad name, a null action) throws at once, before any I/O, as on the port.
 */
public interface CollectionAliases {

  /**
   * Applies {@code actions} in order, as one step for every other call (see the class comment for
   * what happens when one fails).
   *
   * @throws dev.vectorcache.core.exception.InvalidInputException for a null list or action, before
   *     any I/O; names are checked when the actions are made ({@link AliasAction})
   * @return a future failed with {@link dev.vectorcache.core.exception.CollectionNotFoundException}
   *     when a created alias names a collection that does not exist, {@link
   *     dev.vectorcache.core.exception.CollectionAlreadyExistsException} when a created alias has
   *     the name of a collection, {@link dev.vectorcache.core.exception.AliasNotFoundException}
   *     when a renamed alias does not exist
   */
  CompletableFuture<Void> updateAliases(List<AliasAction> actions);

  /** Every alias of the store, ordered by collection, then alias. */
  CompletableFuture<List<CollectionAlias>> listAliases();

  /**
   * The aliases of one collection, in name order. As in Qdrant, the name is not resolved and not
   * checked for existence: a collection that does not exist, or an alias, has no aliases (an empty
   * list).
   *
   * @throws dev.vectorcache.core.exception.InvalidInputException for a bad collection name, before
   *     any I/O
   */
  CompletableFuture<List<String>> listAliases(String collection);
}
