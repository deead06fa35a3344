package dev.vectorcache.inmemory;

import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.CollectionStatus;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MemoryUsage;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.ShardingMethod;
import dev.vectorcache.core.model.TenantIndex;
import dev.vectorcache.core.model.Vectors;
import dev.vectorcache.core.model.WriteOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The shards of one collection, as Qdrant routes requests to them. With automatic sharding (the
 * default) a collection is one {@link MemCollection}: a single node holds every shard, and
 * splitting points by id hash would change no result. With {@link ShardingMethod#CUSTOM} each shard
 * key owns a {@link MemCollection} of its own, so its points are apart from the others' (the same
 * id under two keys is two points, as in Qdrant):
 *
 * <ul>
 *   <li>a write must name its keys ("Shard key not specified" otherwise) and is applied under each;
 *   <li>a read names keys or reads them all, and merges as Qdrant does: hits best first, retrieved
 *       and scrolled points once per id, counts summed;
 *   <li>a key the collection does not have is an error; with automatic sharding every key is.
 * </ul>
 *
 * <p>Thread-safe: the key map is guarded by this object; each shard has its own locks. Payload
 * indexes apply to every shard, those created later included. A gate orders the writes against the
 * collection's conversion to a multi-vector one ({@link #writeUnlessRetired}, {@link #retire}).
 */
final class MemShards {
  /** Qdrant orders number keys before keyword keys; any fixed order would do for merging. */
  private static final Comparator<ShardKey> ORDER =
      Comparator.comparing((ShardKey k) -> !k.isNumber())
          .thenComparing(k -> k.isNumber() ? String.format("%020d", k.number()) : k.keyword());

  private final String name;
  private final CollectionConfig config;
  private final Function<String, MemCollection> factory;
  private final @Nullable MemCollection single;
  private final TreeMap<ShardKey, MemCollection> byKey = new TreeMap<>(ORDER);
  private final Map<String, PayloadSchemaType> indexes = new LinkedHashMap<>();
  private boolean closed; // guarded by this

  /** Held shared by each write, exclusively while the collection is made a multi-vector one. */
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();

  private boolean retired; // guarded by gate

  /** {@code factory} makes the collection of one shard from a name for its files. */
  MemShards(String name, CollectionConfig config, Function<String, MemCollection> factory) {
    this.name = name;
    this.config = config;
    this.factory = factory;
    if (config.shardingMethod() == ShardingMethod.CUSTOM) {
      single = null;
      try {
        for (ShardKey k : config.shardKeys()) {
          createKey(k);
        }
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    } else {
      single = factory.apply(name);
    }
    TenantIndex tenant = config.tenantIndex();
    if (tenant != null) {
      // a real index (a column the filters read); Qdrant's tenant layout only changes speed
      createPayloadIndex(tenant.field(), tenant.type());
    }
  }

  CollectionConfig config() {
    return config;
  }

  boolean custom() {
    return single == null;
  }

  /** The one collection of an automatically sharded collection, for tests. */
  MemCollection single() {
    if (single == null) {
      throw new IllegalStateException(name + " uses custom sharding: it has one shard per key");
    }
    return single;
  }

  // ---- shard keys ----

  synchronized void createKey(ShardKey key) {
    requireCustom();
    if (byKey.containsKey(key)) {
      throw new InvalidInputException(
          "shardKey", "a key collection '" + name + "' does not have yet", key);
    }
    MemCollection shard = factory.apply(name + "-" + key);
    indexes.forEach(shard::createPayloadIndex);
    byKey.put(key, shard);
  }

  synchronized void deleteKey(ShardKey key) {
    requireCustom();
    MemCollection shard = byKey.remove(key);
    if (shard == null) {
      throw unknownKey(key);
    }
    shard.close();
  }

  synchronized List<ShardKey> keys() {
    return List.copyOf(byKey.keySet());
  }

  private void requireCustom() {
    if (single != null) {
      throw new InvalidInputException(
          "collection " + name, "a collection with CUSTOM sharding", "automatic sharding");
    }
  }

  // ---- conversion ----

  /**
   * Runs {@code write} unless this collection was retired (made a multi-vector collection); a
   * retirement waits until it is done.
   *
   * @return false, without running {@code write}, when retired: look the collection up again
   */
  boolean writeUnlessRetired(Runnable write) {
    Lock shared = gate.readLock();
    shared.lock();
    try {
      if (retired) {
        return false;
      }
      write.run();
      return true;
    } finally {
      shared.unlock();
    }
  }

  /**
   * Waits for the writes in flight, runs {@code handover} (which takes this collection's contents
   * over) while no write can start, and then refuses every later write; when {@code handover}
   * throws, this collection stays in use.
   */
  <T> T retire(Supplier<T> handover) {
    Lock exclusive = gate.writeLock();
    exclusive.lock();
    try {
      T taken = handover.get();
      retired = true;
      return taken;
    } finally {
      exclusive.unlock();
    }
  }

  // ---- routing ----

  /** Qdrant's rule: a write must name its keys on a custom-sharded collection. */
  synchronized List<MemCollection> forWrite(WriteOptions options) {
    if (single != null || !options.shardKeys().isEmpty()) {
      return select(options.shardKeys());
    }
    throw new InvalidInputException(
        "shardKeys",
        "a shard key: collection '" + name + "' uses custom sharding (keys " + byKey.keySet() + ")",
        "none",
        "pass WriteOptions.builder().shardKeys(key)");
  }

  /** Qdrant's rule: a read without keys reads every key. */
  synchronized List<MemCollection> forRead(ReadOptions options) {
    return select(options.shardKeys());
  }

  private List<MemCollection> select(List<ShardKey> keys) {
    if (single != null) {
      if (!keys.isEmpty()) {
        throw new InvalidInputException(
            "shardKeys",
            "none: collection '" + name + "' uses automatic sharding",
            keys,
            "create it with CollectionConfig.builder(...).customSharding(keys)");
      }
      return List.of(single);
    }
    if (keys.isEmpty()) {
      return List.copyOf(byKey.values());
    }
    List<MemCollection> out = new ArrayList<>(keys.size());
    for (ShardKey k : keys) {
      MemCollection shard = byKey.get(k);
      if (shard == null) {
        throw unknownKey(k);
      }
      out.add(shard);
    }
    return out;
  }

  private InvalidInputException unknownKey(ShardKey key) {
    return new InvalidInputException(
        "shardKey", "a key of collection '" + name + "' " + byKey.keySet(), key);
  }

  /** The vector as stored (checked, normalised for Cosine): shard-independent. */
  float[] prepare(float[] vector, String field) {
    Vectors.check(vector, field, config.vectors());
    return config.distance() == Distance.COSINE
        ? Vectors.normalizeForCosineInPlace(vector)
        : vector;
  }

  // ---- merged reads ----

  List<ScoredPoint> search(SearchRequest request, float[] query, ReadOptions options) {
    List<MemCollection> shards = forRead(options);
    if (shards.size() == 1) {
      return shards.get(0).search(request, query);
    }
    // each shard's best offset+limit, then the best of all, once per id
    long wanted = (long) request.offset() + request.limit();
    SearchRequest perShard =
        new SearchRequest(
            request.vector(),
            (int) Math.min(Integer.MAX_VALUE, wanted),
            0,
            request.filter(),
            request.scoreThreshold(),
            request.params(),
            request.withPayload(),
            request.withVectors());
    Map<PointId, ScoredPoint> best = new LinkedHashMap<>();
    Distance d = config.distance();
    for (MemCollection shard : shards) {
      for (ScoredPoint p : shard.search(perShard, query.clone())) {
        best.merge(p.id(), p, (a, b) -> d.compareBestFirst(a.score(), b.score()) <= 0 ? a : b);
      }
    }
    List<ScoredPoint> all = new ArrayList<>(best.values());
    all.sort((a, b) -> d.compareBestFirst(a.score(), b.score()));
    int from = Math.min(all.size(), request.offset());
    return List.copyOf(all.subList(from, (int) Math.min(all.size(), wanted)));
  }

  List<RetrievedPoint> retrieve(
      List<PointId> ids, PayloadSelector withPayload, boolean withVectors, ReadOptions options) {
    List<MemCollection> shards = forRead(options);
    if (shards.size() == 1) {
      return shards.get(0).retrieve(ids, withPayload, withVectors);
    }
    Map<PointId, RetrievedPoint> found = new LinkedHashMap<>();
    for (MemCollection shard : shards) {
      for (RetrievedPoint p : shard.retrieve(ids, withPayload, withVectors)) {
        found.putIfAbsent(p.id(), p);
      }
    }
    // in the order asked, each id once
    List<RetrievedPoint> out = new ArrayList<>(found.size());
    for (PointId id : ids) {
      RetrievedPoint p = found.remove(id);
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  long count(@Nullable Filter filter, ReadOptions options) {
    long n = 0;
    for (MemCollection shard : forRead(options)) {
      n += shard.count(filter);
    }
    return n;
  }

  ScrollPage scroll(ScrollRequest request, ReadOptions options) {
    List<MemCollection> shards = forRead(options);
    if (shards.size() == 1) {
      return shards.get(0).scroll(request);
    }
    TreeMap<PointId, RetrievedPoint> merged = new TreeMap<>();
    PointId firstUnseen = null; // the smallest id some shard holds beyond its page
    for (MemCollection shard : shards) {
      ScrollPage page = shard.scroll(request);
      for (RetrievedPoint p : page.points()) {
        merged.putIfAbsent(p.id(), p);
      }
      PointId next = page.nextOffset();
      if (next != null && (firstUnseen == null || next.compareTo(firstUnseen) < 0)) {
        firstUnseen = next;
      }
    }
    List<RetrievedPoint> out = new ArrayList<>(request.limit());
    PointId next = null;
    for (RetrievedPoint p : merged.values()) {
      if (out.size() == request.limit()) {
        next = p.id();
        break;
      }
      out.add(p);
    }
    if (firstUnseen != null && (next == null || firstUnseen.compareTo(next) < 0)) {
      // every shard's page ends before its next offset, so nothing below it is missing
      next = firstUnseen;
    }
    return new ScrollPage(out, next);
  }

  // ---- collection ----

  synchronized void createPayloadIndex(String field, PayloadSchemaType type) {
    indexes.put(field, type);
    for (MemCollection shard : single != null ? List.of(single) : byKey.values()) {
      shard.createPayloadIndex(field, type);
    }
  }

  synchronized Map<String, PayloadSchemaType> payloadIndexes() {
    return Map.copyOf(indexes);
  }

  /** Every shard's points and memory; the config as created, with the keys it has now. */
  synchronized CollectionInfo info() {
    if (single != null) {
      return single.info();
    }
    long points = 0;
    long heap = 0;
    long mapped = 0;
    for (MemCollection shard : byKey.values()) {
      CollectionInfo i = shard.info();
      points += i.pointsCount();
      heap += i.memory().heapBytes();
      mapped += i.memory().mappedBytes();
    }
    return new CollectionInfo(
        name,
        config.toBuilder().shardKeys(List.copyOf(byKey.keySet())).build(),
        points,
        CollectionStatus.GREEN,
        new MemoryUsage(heap, 0, mapped));
  }

  // ---- snapshots ----

  /** One shard as a snapshot sees it: its key ({@code null} for automatic sharding). */
  record Shard(@Nullable ShardKey key, MemCollection collection) {}

  /** Reads a collection at one point in time. */
  interface ConsistentReader {
    /**
     * Reads the collection; nothing changes it meanwhile.
     *
     * @param config the configuration, with the shard keys the collection has now
     * @param indexes the payload indexes, in the order they were created
     * @param shards every shard, keys in order
     */
    void read(CollectionConfig config, Map<String, PayloadSchemaType> indexes, List<Shard> shards)
        throws IOException;
  }

  /**
   * Runs {@code reader} while no write can change the collection: shard keys and payload indexes
   * are held by this object's monitor, and the points by every shard's read lock, taken in key
   * order (writers hold one shard's lock at a time, so the order cannot deadlock).
   *
   * @throws CollectionNotFoundException when the collection was dropped meanwhile
   */
  synchronized void readConsistently(ConsistentReader reader) throws IOException {
    if (closed) {
      throw new CollectionNotFoundException(name);
    }
    List<Shard> shards = new ArrayList<>();
    if (single != null) {
      shards.add(new Shard(null, single));
    } else {
      byKey.forEach((k, c) -> shards.add(new Shard(k, c)));
    }
    CollectionConfig current =
        single != null ? config : config.toBuilder().shardKeys(List.copyOf(byKey.keySet())).build();
    Map<String, PayloadSchemaType> indexesNow =
        Collections.unmodifiableMap(new LinkedHashMap<>(indexes));
    readLocked(shards, 0, () -> reader.read(current, indexesNow, List.copyOf(shards)));
  }

  private interface IoAction {
    void run() throws IOException;
  }

  /** Takes the read locks of {@code shards} from {@code from} on, then runs {@code action}. */
  private static void readLocked(List<Shard> shards, int from, IoAction action) throws IOException {
    if (from == shards.size()) {
      action.run();
      return;
    }
    Lock lock = shards.get(from).collection().readLock();
    lock.lock();
    try {
      readLocked(shards, from + 1, action);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The shard that holds {@code key}'s points ({@code null}: the one shard of an automatically
   * sharded collection), for a restore.
   */
  synchronized MemCollection shard(@Nullable ShardKey key) {
    if (key == null) {
      return single();
    }
    MemCollection shard = byKey.get(key);
    if (shard == null) {
      throw unknownKey(key);
    }
    return shard;
  }

  synchronized void close() {
    closed = true;
    if (single != null) {
      single.close();
    }
    for (MemCollection shard : byKey.values()) {
      shard.close();
    }
    byKey.clear();
  }
}
