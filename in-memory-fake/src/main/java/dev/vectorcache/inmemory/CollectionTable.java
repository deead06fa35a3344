package dev.vectorcache.inmemory;

import dev.vectorcache.core.exception.AliasNotFoundException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.model.AliasAction;
import dev.vectorcache.core.model.CollectionAlias;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.ShardKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The collections of an {@link InMemoryVectorStore} by name, and its aliases: single-vector
 * collections ({@link MemShards}) and those with named or sparse vectors ({@link
 * MultiVectorCollection}), whose names are unique across both. It resolves aliases, dispatches a
 * call to the form a collection has, and makes a single-vector collection a multi-vector one.
 *
 * <p>Creating and deleting collections, converting them and changing aliases are serialised by one
 * monitor; readers see the aliases of one batch all at once. A conversion is atomic with respect to
 * writes: each write to a single-vector collection holds its {@link MemShards#writeUnlessRetired
 * write gate}, the conversion waits for those in flight and turns later ones to the new form, so
 * every acknowledged write is in the multi-vector collection.
 */
final class CollectionTable {
  private final ConcurrentSkipListMap<String, MemShards> singles = new ConcurrentSkipListMap<>();

  /** Collections with named or sparse vectors; their names are unique across both maps. */
  private final ConcurrentSkipListMap<String, MultiVectorCollection> multi =
      new ConcurrentSkipListMap<>();

  /** Makes the dense spaces of the multi-vector collection of a name. */
  private final Function<String, VectorSpaces.SpaceFactory> spaces;

  /** Guards the names: creating, converting and deleting collections, and every alias change. */
  private final Object names = new Object();

  /** Alias to collection; replaced whole under {@link #names}, so readers see whole batches. */
  private volatile Map<String, String> aliases = Map.of();

  private volatile boolean closed;

  CollectionTable(Function<String, VectorSpaces.SpaceFactory> spaces) {
    this.spaces = spaces;
  }

  // ---- collections ----

  /** A new single-vector collection named {@code name}, made once the name is known free. */
  void add(String name, Supplier<MemShards> make) {
    synchronized (names) {
      checkFree(name);
      singles.put(name, make.get());
    }
  }

  /** A new, empty multi-vector collection named {@code name}. */
  void addMulti(String name, MultiVectorConfig config) {
    synchronized (names) {
      checkFree(name);
      multi.put(name, MultiVectorCollection.create(name, config, spaces.apply(name)));
    }
  }

  /** Called under {@link #names}: no collection or alias has {@code name}. */
  private void checkFree(String name) {
    if (holds(name)) {
      throw new CollectionAlreadyExistsException(name, null);
    }
    if (aliases.containsKey(name)) {
      // Qdrant: "Can't create collection with name X. Alias with the same name already exists"
      throw new CollectionAlreadyExistsException(
          name, "an alias has this name; delete or rename the alias first", null);
    }
  }

  /** Whether a collection (not an alias) is named {@code name}. */
  boolean holds(String name) {
    return singles.containsKey(name) || multi.containsKey(name);
  }

  /** Whether {@code name}, resolved, names a collection. */
  boolean exists(String name) {
    return holds(resolve(name));
  }

  /**
   * Deletes the collection named {@code name} (never resolved, as in Qdrant) and the aliases of it.
   */
  boolean delete(String name) {
    MemShards c;
    MultiVectorCollection m;
    synchronized (names) {
      c = singles.remove(name);
      m = c == null ? multi.remove(name) : null;
      if (c == null && m == null) {
        return false;
      }
      dropAliasesOf(name);
    }
    if (c != null) {
      c.close();
    }
    if (m != null) {
      m.close();
    }
    return true;
  }

  /** Every collection's name, sorted. */
  List<String> names() {
    List<String> all = new ArrayList<>(singles.keySet());
    all.addAll(multi.keySet());
    Collections.sort(all);
    return List.copyOf(all);
  }

  /** The single-vector collections by name, in name order, for a full snapshot. */
  Map<String, MemShards> singles() {
    return Collections.unmodifiableMap(singles);
  }

  /** The multi-vector collections by name, in name order, for a full snapshot. */
  Map<String, MultiVectorCollection> multis() {
    return Collections.unmodifiableMap(multi);
  }

  /**
   * Makes restored collections visible, all or none: under the lock on names, so no collection of
   * those names appears meanwhile. With {@code replaceExisting} a collection of the same name, of
   * either form, is dropped once the new ones are in.
   */
  void install(
      Map<String, MemShards> built,
      Map<String, MultiVectorCollection> builtMulti,
      boolean replaceExisting) {
    List<MemShards> oldSingles = new ArrayList<>();
    List<MultiVectorCollection> oldMulti = new ArrayList<>();
    synchronized (names) {
      checkOpen();
      if (!replaceExisting) {
        for (String n : built.keySet()) {
          checkNotTaken(n);
        }
        for (String n : builtMulti.keySet()) {
          checkNotTaken(n);
        }
      }
      built.forEach(
          (n, shards) -> {
            addIfPresent(oldSingles, singles.put(n, shards));
            addIfPresent(oldMulti, multi.remove(n));
          });
      builtMulti.forEach(
          (n, m) -> {
            addIfPresent(oldMulti, multi.put(n, m));
            addIfPresent(oldSingles, singles.remove(n));
          });
    }
    oldSingles.forEach(MemShards::close);
    oldMulti.forEach(MultiVectorCollection::close);
  }

  /** Called under the lock on names. */
  private void checkNotTaken(String name) {
    if (singles.containsKey(name) || multi.containsKey(name)) {
      throw new CollectionAlreadyExistsException(name, null);
    }
  }

  private static <T> void addIfPresent(List<T> list, @Nullable T value) {
    if (value != null) {
      list.add(value);
    }
  }

  // ---- lookup and dispatch ----

  /**
   * Answers a read of the collection behind {@code name} (an alias is resolved) with {@code
   * onMulti} or {@code onShards}, whichever form it has; shard keys are refused on a multi-vector
   * collection.
   */
  <T> T read(
      String name,
      List<ShardKey> shardKeys,
      Function<MultiVectorCollection, T> onMulti,
      Function<MemShards, T> onShards) {
    InMemoryVectorStore.checkName(name);
    checkOpen();
    String target = resolve(name);
    // singles first: a conversion adds the multi-vector form before it removes the other
    MemShards c = singles.get(target);
    return c != null ? onShards.apply(c) : onMulti.apply(multi(name, target, shardKeys));
  }

  /**
   * Applies a write to the collection behind {@code name} as {@link #read} does. A write to a
   * single-vector collection holds its gate: when the collection was converted meanwhile, it is
   * looked up again and applied to the multi-vector form.
   */
  void write(
      String name,
      List<ShardKey> shardKeys,
      Consumer<MultiVectorCollection> onMulti,
      Consumer<MemShards> onShards) {
    InMemoryVectorStore.checkName(name);
    while (true) {
      checkOpen();
      String target = resolve(name);
      MemShards c = singles.get(target);
      if (c == null) {
        onMulti.accept(multi(name, target, shardKeys));
        return;
      }
      if (c.writeUnlessRetired(() -> onShards.accept(c))) {
        return;
      }
    }
  }

  private MultiVectorCollection multi(String name, String target, List<ShardKey> shardKeys) {
    MultiVectorCollection m = multi.get(target);
    if (m == null) {
      throw new CollectionNotFoundException(name);
    }
    if (!shardKeys.isEmpty()) {
      throw new UnsupportedCapabilityException(
          "collection '"
              + name
              + "' has named or sparse vectors (MultiVectors): the embedded engine offers no"
              + " shard keys on such a collection (asked for "
              + shardKeys
              + ")");
    }
    return m;
  }

  /** The single-vector collection behind {@code name}, for shard keys and snapshots. */
  MemShards shards(String name) {
    InMemoryVectorStore.checkName(name);
    checkOpen();
    String target = resolve(name);
    MemShards c = singles.get(target);
    if (c == null) {
      if (multi.containsKey(target)) {
        throw new UnsupportedCapabilityException(
            "collection '"
                + name
                + "' has named or sparse vectors (MultiVectors): the embedded engine offers no"
                + " shard keys on such a collection");
      }
      throw new CollectionNotFoundException(name);
    }
    return c;
  }

  /**
   * The multi-vector collection behind {@code name}; a single-vector collection is made one (its
   * vector becomes the dense space {@code ""}), unless it uses custom sharding. The conversion
   * waits for the writes in flight on the single-vector form, and later ones go to the new form.
   */
  MultiVectorCollection multiFor(String name) {
    InMemoryVectorStore.checkName(name);
    checkOpen();
    synchronized (names) {
      String target = resolve(name);
      MultiVectorCollection m = multi.get(target);
      if (m != null) {
        return m;
      }
      MemShards c = singles.get(target);
      if (c == null) {
        throw new CollectionNotFoundException(name);
      }
      if (c.custom()) {
        throw new UnsupportedCapabilityException(
            "collection '"
                + name
                + "' uses custom sharding: the embedded engine keeps named and sparse vectors"
                + " (MultiVectors) in collections with automatic sharding only");
      }
      return c.retire(
          () -> {
            MultiVectorCollection converted =
                MultiVectorCollection.convert(
                    target, c.single(), c.payloadIndexes(), spaces.apply(target));
            multi.put(target, converted); // before the removal: see read()
            singles.remove(target, c);
            return converted;
          });
    }
  }

  // ---- aliases ----

  /**
   * Applies the actions in order under {@link #names}; readers see the aliases before the batch or
   * after it. As in Qdrant, the first failing action ends the batch: the ones before it stay.
   */
  void updateAliases(List<AliasAction> actions) {
    if (actions == null) {
      throw new InvalidInputException("actions", "a list of alias actions", null);
    }
    List<AliasAction> checked = new ArrayList<>(actions.size());
    for (int i = 0; i < actions.size(); i++) {
      AliasAction a = actions.get(i);
      if (a == null) {
        throw new InvalidInputException("actions[" + i + "]", "an alias action", null);
      }
      checked.add(a);
    }
    checkOpen();
    synchronized (names) {
      Map<String, String> next = new HashMap<>(aliases);
      try {
        for (AliasAction a : checked) {
          apply(next, a);
        }
      } finally {
        aliases = Map.copyOf(next);
      }
    }
  }

  /** One action on {@code next}, which it changes only when it succeeds. */
  private void apply(Map<String, String> next, AliasAction action) {
    if (action instanceof AliasAction.Create create) {
      if (!holds(create.collection())) {
        // a collection, not an alias: Qdrant checks the collections only
        throw new CollectionNotFoundException(create.collection());
      }
      if (holds(create.alias())) {
        throw new CollectionAlreadyExistsException(create.alias(), null);
      }
      next.put(create.alias(), create.collection());
    } else if (action instanceof AliasAction.Rename rename) {
      String collection = next.remove(rename.oldAlias());
      if (collection == null) {
        throw new AliasNotFoundException(rename.oldAlias());
      }
      next.put(rename.newAlias(), collection);
    } else if (action instanceof AliasAction.Delete delete) {
      next.remove(delete.alias());
    }
  }

  /** Every alias and the collection it names (a durable store's checkpoint and log keep it). */
  Map<String, String> aliasMap() {
    return aliases;
  }

  /** Replaces every alias at once (a durable store's recovery); the names are not checked. */
  void replaceAliases(Map<String, String> next) {
    checkOpen();
    synchronized (names) {
      aliases = Map.copyOf(next);
    }
  }

  /** Called under {@link #names}. */
  private void dropAliasesOf(String collection) {
    if (aliases.containsValue(collection)) {
      Map<String, String> next = new HashMap<>(aliases);
      next.values().removeIf(collection::equals);
      aliases = Map.copyOf(next);
    }
  }

  List<CollectionAlias> listAliases() {
    checkOpen();
    List<CollectionAlias> out = new ArrayList<>();
    for (Map.Entry<String, String> e : aliases.entrySet()) {
      out.add(new CollectionAlias(e.getKey(), e.getValue()));
    }
    out.sort(
        Comparator.comparing(CollectionAlias::collection).thenComparing(CollectionAlias::alias));
    return out;
  }

  /** As Qdrant: the aliases naming exactly {@code collection}, which is not resolved or checked. */
  List<String> listAliases(String collection) {
    InMemoryVectorStore.checkName(collection);
    checkOpen();
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : aliases.entrySet()) {
      if (e.getValue().equals(collection)) {
        out.add(e.getKey());
      }
    }
    Collections.sort(out);
    return out;
  }

  /** The collection an alias names, else the name itself (an alias wins, as in Qdrant). */
  private String resolve(String name) {
    String target = aliases.get(name);
    return target != null ? target : name;
  }

  // ---- lifecycle ----

  void checkOpen() {
    if (closed) {
      throw new BackendUnavailableException(
          "memory", "this in-memory vector store is closed", null);
    }
  }

  /** Drops every alias and collection; later calls fail. */
  void close() {
    closed = true;
    synchronized (names) {
      aliases = Map.of();
    }
    closeAll(singles, MemShards::close);
    closeAll(multi, MultiVectorCollection::close);
  }

  private static <C> void closeAll(Map<String, C> map, Consumer<C> close) {
    for (String c : List.copyOf(map.keySet())) {
      @Nullable C removed = map.remove(c);
      if (removed != null) {
        close.accept(removed);
      }
    }
  }

  /** Collections of both forms, for the store's description. */
  int size() {
    return singles.size() + multi.size();
  }

  @Override
  public String toString() {
    return singles.keySet() + (multi.isEmpty() ? "" : ", multi-vector " + multi.keySet());
  }
}
