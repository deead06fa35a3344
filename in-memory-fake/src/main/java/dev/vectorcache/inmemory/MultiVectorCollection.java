package dev.vectorcache.inmemory;

import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.PointNotFoundException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.CollectionStatus;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.HybridQuery;
import dev.vectorcache.core.model.MemoryUsage;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.SparseSearch;
import dev.vectorcache.core.model.SparseVector;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.model.VectorSearch;
import dev.vectorcache.inmemory.VectorSpaces.Prepared;
import dev.vectorcache.inmemory.internal.FilterEvaluator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A collection of the embedded engine with named dense vectors and sparse vectors ({@link
 * MultiVectorConfig}). It is made of parts: its {@link VectorSpaces} (one {@link MemCollection} per
 * dense vector name, each holding only the points that have that vector, and one {@link
 * SparseSpace} per sparse name), and a {@link PointRegistry} of every point (id to payload, in
 * scroll order), since a point may hold no vector at all.
 *
 * <p>Payloads: the registry stores each one once. With payloads in RAM, the dense spaces hold the
 * same map objects by reference; with {@code on_disk_payload}, the registry keeps them in a
 * memory-mapped file and the dense spaces store none: they read them from the registry by id and
 * keep in memory only the columns of indexed and bookkeeping fields, as a single-vector collection
 * with payloads on disk does. (A collection converted from a single-vector one keeps the old
 * collection, with its own payload store, as its unnamed space.)
 *
 * <p>A read-write lock spans the parts: a write takes it exclusively, so a reader sees all or none
 * of an upsert across every space. Inputs are checked under the lock before the first change, so a
 * refused call leaves nothing behind.
 */
final class MultiVectorCollection {
  /** Rough heap charge of a registry entry: the tree map entry and the point id. */
  private static final long REGISTRY_ENTRY_BYTES = 40 + 32;

  private final String name;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Lock read = lock.readLock();
  private final Lock write = lock.writeLock();
  private final VectorSpaces spaces;
  private final PointRegistry points;
  private final Map<String, PayloadSchemaType> indexes = new LinkedHashMap<>();
  private boolean closed;

  private MultiVectorCollection(
      String name, PointRegistry points, Function<PointRegistry, VectorSpaces> spaces) {
    this.name = name;
    this.points = points;
    try {
      this.spaces = spaces.apply(points);
    } catch (RuntimeException e) {
      points.close();
      throw e;
    }
  }

  /** A new, empty collection with the spaces of {@code config}. */
  static MultiVectorCollection create(
      String name, MultiVectorConfig config, VectorSpaces.SpaceFactory factory) {
    return new MultiVectorCollection(
        name,
        new PointRegistry(factory.registryPayloads(config.onDiskPayload())),
        r -> VectorSpaces.create(name, config, factory, r::payloadOf));
  }

  /**
   * A single-vector collection made a multi-vector one: {@code single} becomes the dense space
   * {@code ""}, and the registry is filled from its points.
   */
  static MultiVectorCollection convert(
      String name,
      MemCollection single,
      Map<String, PayloadSchemaType> indexes,
      VectorSpaces.SpaceFactory factory) {
    MultiVectorCollection c =
        new MultiVectorCollection(
            name,
            new PointRegistry(factory.registryPayloads(single.config().onDiskPayload())),
            r -> VectorSpaces.of(name, single, factory, r::payloadOf));
    c.indexes.putAll(indexes);
    Lock lock = single.readLock();
    lock.lock();
    try {
      single.forEachPointLocked((id, vector, payload) -> c.points.put(id, payload));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the sink does no I/O
    } finally {
      lock.unlock();
    }
    return c;
  }

  // ---- configuration ----

  MultiVectorConfig vectorsConfig() {
    read.lock();
    try {
      return spaces.config();
    } finally {
      read.unlock();
    }
  }

  void createDense(String vectorName, DenseVectorConfig vectorConfig) {
    write.lock();
    try {
      spaces.createDense(vectorName, vectorConfig, indexes);
    } finally {
      write.unlock();
    }
  }

  void createSparse(String vectorName, SparseVectorParams params) {
    write.lock();
    try {
      spaces.createSparse(vectorName, params);
    } finally {
      write.unlock();
    }
  }

  void deleteVectorName(String vectorName) {
    write.lock();
    try {
      spaces.delete(vectorName);
    } finally {
      write.unlock();
    }
  }

  // ---- writes ----

  /** Replaces whole points: payload and every vector (those they lack are removed). */
  void upsert(@Nullable List<MultiVectorPoint> batch) {
    write.lock();
    try {
      Map<PointId, Prepared> byId = new LinkedHashMap<>();
      for (Prepared p : spaces.prepare(batch)) {
        byId.remove(p.id()); // the last of an id wins, as in one upsert after the other
        byId.put(p.id(), p);
      }
      for (Map.Entry<String, MemCollection> e : spaces.dense().entrySet()) {
        List<PointStruct> put = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<PointId> gone = new ArrayList<>();
        for (Prepared p : byId.values()) {
          float[] v = p.dense().get(e.getKey());
          if (v != null) {
            put.add(new PointStruct(p.id(), v, p.payload()));
            vectors.add(v);
          } else {
            gone.add(p.id());
          }
        }
        if (!gone.isEmpty()) {
          e.getValue().delete(gone);
        }
        if (!put.isEmpty()) {
          e.getValue().upsert(put, vectors.toArray(new float[0][]));
        }
      }
      for (Map.Entry<String, SparseSpace> e : spaces.sparse().entrySet()) {
        for (Prepared p : byId.values()) {
          SparseVector v = p.sparse().get(e.getKey());
          if (v != null) {
            e.getValue().put(p.id(), v);
          } else {
            e.getValue().remove(p.id());
          }
        }
      }
      for (Prepared p : byId.values()) {
        points.put(p.id(), p.payload());
      }
    } finally {
      write.unlock();
    }
  }

  /** The port's upsert: points with the unnamed vector only. */
  void upsertUnnamed(List<PointStruct> batch) {
    List<MultiVectorPoint> converted = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      PointStruct p = batch.get(i);
      if (p == null) {
        throw new InvalidInputException("points[" + i + "]", "a point", null);
      }
      converted.add(new MultiVectorPoint(p.id(), Map.of("", p.vector()), Map.of(), p.payload()));
    }
    write.lock();
    try {
      spaces.unnamed("points");
      upsert(converted);
    } finally {
      write.unlock();
    }
  }

  /** Replaces only the vectors each point holds; every point must exist. */
  void updateVectors(@Nullable List<MultiVectorPoint> batch) {
    write.lock();
    try {
      List<Prepared> prepared = spaces.prepare(batch);
      for (Prepared p : prepared) {
        if (!points.contains(p.id())) {
          throw new PointNotFoundException(name, p.id());
        }
      }
      for (Map.Entry<String, MemCollection> e : spaces.dense().entrySet()) {
        Map<PointId, float[]> put = new LinkedHashMap<>();
        for (Prepared p : prepared) {
          float[] v = p.dense().get(e.getKey());
          if (v != null) {
            put.remove(p.id());
            put.put(p.id(), v);
          }
        }
        if (!put.isEmpty()) {
          List<PointStruct> structs = new ArrayList<>(put.size());
          put.forEach((id, v) -> structs.add(new PointStruct(id, v, payloadOf(id))));
          e.getValue().upsert(structs, put.values().toArray(new float[0][]));
        }
      }
      for (Prepared p : prepared) {
        p.sparse().forEach((n, v) -> spaces.sparseSpace(n, "points").put(p.id(), v));
      }
    } finally {
      write.unlock();
    }
  }

  /** Removes the named vectors from the points that exist. */
  void deleteVectors(List<PointId> ids, @Nullable Set<String> vectorNames) {
    if (vectorNames == null) {
      throw new InvalidInputException("vectorNames", "a set of vector names", null);
    }
    write.lock();
    try {
      for (String n : vectorNames) {
        if (n == null || !spaces.has(n)) {
          throw spaces.unknown("vectorNames", String.valueOf(n));
        }
      }
      for (String n : vectorNames) {
        MemCollection space = spaces.dense().get(n);
        if (space != null) {
          space.delete(ids);
        } else {
          SparseSpace s = spaces.sparseSpace(n, "vectorNames");
          ids.forEach(s::remove);
        }
      }
    } finally {
      write.unlock();
    }
  }

  void delete(Collection<PointId> ids) {
    write.lock();
    try {
      deleteLocked(ids);
    } finally {
      write.unlock();
    }
  }

  private void deleteLocked(Collection<PointId> ids) {
    for (MemCollection space : spaces.dense().values()) {
      space.delete(ids);
    }
    for (SparseSpace s : spaces.sparse().values()) {
      ids.forEach(s::remove);
    }
    ids.forEach(points::remove);
  }

  void deleteByFilter(Filter filter) {
    write.lock();
    try {
      List<PointId> doomed = new ArrayList<>();
      for (PointId id : points.ids(null)) {
        if (FilterEvaluator.test(filter, id, points.payloadOf(id))) {
          doomed.add(id);
        }
      }
      deleteLocked(doomed);
    } finally {
      write.unlock();
    }
  }

  /**
   * Replaces the payload of each point by {@code change(old)}; throws {@link
   * PointNotFoundException} before changing anything when an id is missing.
   */
  void updatePayloads(List<PointId> ids, UnaryOperator<Map<String, Object>> change) {
    write.lock();
    try {
      for (PointId id : ids) {
        if (!points.contains(id)) {
          throw new PointNotFoundException(name, id);
        }
      }
      Map<PointId, Map<String, Object>> changed = new LinkedHashMap<>();
      for (PointId id : ids) {
        Map<String, Object> old = changed.get(id);
        changed.put(id, change.apply(old != null ? old : payloadOf(id)));
      }
      changed.forEach(points::put);
      for (MemCollection space : spaces.dense().values()) {
        space.replacePayloads(changed);
      }
    } finally {
      write.unlock();
    }
  }

  void createPayloadIndex(String field, PayloadSchemaType type) {
    write.lock();
    try {
      indexes.put(field, type);
      for (MemCollection space : spaces.dense().values()) {
        space.createPayloadIndex(field, type);
      }
    } finally {
      write.unlock();
    }
  }

  Map<String, PayloadSchemaType> payloadIndexes() {
    read.lock();
    try {
      return Map.copyOf(indexes);
    } finally {
      read.unlock();
    }
  }

  // ---- reads ----

  private Map<String, Object> payloadOf(PointId id) {
    return points.payloadOf(id);
  }

  long count(@Nullable Filter filter) {
    read.lock();
    try {
      if (filter == null || filter.isEmpty()) {
        return points.size();
      }
      long n = 0;
      for (PointId id : points.ids(null)) {
        if (FilterEvaluator.test(filter, id, points.payloadOf(id))) {
          n++;
        }
      }
      return n;
    } finally {
      read.unlock();
    }
  }

  /** The unnamed vectors of {@code ids} (as stored), for the port's reads with vectors. */
  private Map<PointId, float[]> unnamedVectors(Collection<PointId> ids) {
    Map<PointId, float[]> out = new LinkedHashMap<>();
    for (RetrievedPoint p :
        spaces.unnamed("withVectors").retrieve(ids, PayloadSelector.NONE, true)) {
      out.put(p.id(), p.vector());
    }
    return out;
  }

  /** The port's retrieve: with vectors, the unnamed one (a point without it has none). */
  List<RetrievedPoint> retrieve(List<PointId> ids, PayloadSelector selector, boolean withVectors) {
    read.lock();
    try {
      Map<PointId, float[]> vectors = withVectors ? unnamedVectors(ids) : Map.of();
      List<RetrievedPoint> out = new ArrayList<>();
      for (PointId id : new LinkedHashSet<>(ids)) {
        Map<String, Object> payload = points.get(id);
        if (payload != null) {
          out.add(retrieved(id, MemCollection.select(payload, selector), vectors.get(id)));
        }
      }
      return out;
    } finally {
      read.unlock();
    }
  }

  /** The port's scroll, in id order over every point; with vectors, the unnamed one. */
  ScrollPage scroll(ScrollRequest request) {
    read.lock();
    try {
      if (request.withVectors()) {
        spaces.unnamed("withVectors");
      }
      Filter filter = request.filter();
      boolean filtered = filter != null && !filter.isEmpty();
      // the payloads read to test the filter (decoded once when on disk); null when not read
      Map<PointId, @Nullable Map<String, Object>> page = new LinkedHashMap<>();
      PointId next = null;
      for (PointId id : points.ids(request.offset())) {
        Map<String, Object> payload = null;
        if (filtered) {
          payload = points.payloadOf(id);
          if (!FilterEvaluator.test(filter, id, payload)) {
            continue;
          }
        }
        if (page.size() == request.limit()) {
          next = id;
          break;
        }
        page.put(id, payload);
      }
      Map<PointId, float[]> vectors =
          request.withVectors() ? unnamedVectors(page.keySet()) : Map.of();
      PayloadSelector selector = request.withPayload();
      List<RetrievedPoint> out = new ArrayList<>(page.size());
      for (Map.Entry<PointId, @Nullable Map<String, Object>> e : page.entrySet()) {
        Map<String, Object> payload = e.getValue();
        Map<String, Object> selected =
            !selector.enabled()
                ? Map.of()
                : MemCollection.select(payload != null ? payload : payloadOf(e.getKey()), selector);
        out.add(retrieved(e.getKey(), selected, vectors.get(e.getKey())));
      }
      return new ScrollPage(out, next);
    } finally {
      read.unlock();
    }
  }

  private static RetrievedPoint retrieved(
      PointId id, Map<String, Object> payload, float @Nullable [] vector) {
    return vector == null
        ? RetrievedPoint.withoutVector(id, payload)
        : new RetrievedPoint(id, payload, vector);
  }

  /** The points with every vector they hold when {@code withVectors}. */
  List<MultiVectorPoint> retrieveAll(
      List<PointId> ids, PayloadSelector selector, boolean withVectors) {
    read.lock();
    try {
      Set<PointId> unique = new LinkedHashSet<>(ids);
      Map<String, Map<PointId, float[]>> denseById = new LinkedHashMap<>();
      if (withVectors) {
        for (Map.Entry<String, MemCollection> e : spaces.dense().entrySet()) {
          Map<PointId, float[]> byId = new LinkedHashMap<>();
          for (RetrievedPoint p : e.getValue().retrieve(unique, PayloadSelector.NONE, true)) {
            byId.put(p.id(), p.vector());
          }
          denseById.put(e.getKey(), byId);
        }
      }
      List<MultiVectorPoint> out = new ArrayList<>();
      for (PointId id : unique) {
        Map<String, Object> payload = points.get(id);
        if (payload == null) {
          continue;
        }
        out.add(
            MultiVectorPoint.of(
                id,
                withVectors ? denseOf(id, denseById) : Map.of(),
                withVectors ? sparseOf(id) : Map.of(),
                MemCollection.select(payload, selector)));
      }
      return out;
    } finally {
      read.unlock();
    }
  }

  /** A search of the dense space {@code using} ({@code ""} for the port's search). */
  List<ScoredPoint> search(String using, String field, SearchRequest request) {
    read.lock();
    try {
      MemCollection space =
          using.isEmpty() ? spaces.unnamed(field) : spaces.denseSpace(using, field);
      return space.search(request, space.prepare(request.vector(), "query"));
    } finally {
      read.unlock();
    }
  }

  List<ScoredPoint> searchSparse(String using, SparseSearch request) {
    read.lock();
    try {
      return spaces.sparseSpace(using, "using").search(request, this::payloadOf);
    } finally {
      read.unlock();
    }
  }

  /** Runs every search of {@code query} (all checked first) and fuses their hits. */
  List<ScoredPoint> query(HybridQuery query) {
    read.lock();
    try {
      List<VectorSearch> searches = query.searches();
      float[][] vectors = new float[searches.size()][];
      for (int i = 0; i < searches.size(); i++) {
        String field = "searches[" + i + "].using";
        if (searches.get(i) instanceof VectorSearch.Dense d) {
          vectors[i] =
              spaces
                  .denseSpace(d.using(), field)
                  .prepare(d.request().vector(), "searches[" + i + "].vector");
        } else {
          spaces.sparseSpace(searches.get(i).using(), field);
        }
      }
      List<List<ScoredPoint>> lists = new ArrayList<>(searches.size());
      for (int i = 0; i < searches.size(); i++) {
        VectorSearch search = searches.get(i);
        List<ScoredPoint> hits =
            search instanceof VectorSearch.Dense d
                ? spaces.denseSpace(d.using(), "using").search(d.request(), vectors[i])
                : spaces
                    .sparseSpace(search.using(), "using")
                    .search(((VectorSearch.Sparse) search).request(), this::payloadOf);
        lists.add(hits);
      }
      return FusedHits.of(query, lists, this::payloadOf);
    } finally {
      read.unlock();
    }
  }

  // ---- collection ----

  /**
   * The points and memory of every space. The configuration is the unnamed vector's (else the first
   * dense space's, else a placeholder of dimension 1): {@link #vectorsConfig()} tells the spaces.
   */
  CollectionInfo info() {
    read.lock();
    try {
      long heap = REGISTRY_ENTRY_BYTES * points.size() + points.heapBytes();
      long mapped = points.mappedBytes();
      for (MemCollection space : spaces.dense().values()) {
        MemoryUsage m = space.info().memory();
        heap += m.heapBytes();
        mapped += m.mappedBytes();
      }
      for (SparseSpace s : spaces.sparse().values()) {
        heap += s.heapBytes();
      }
      Map<String, MemCollection> dense = spaces.dense();
      MemCollection first = dense.containsKey("") ? dense.get("") : null;
      if (first == null && !dense.isEmpty()) {
        first = dense.values().iterator().next();
      }
      CollectionConfig shown =
          first != null
              ? first.config()
              : CollectionConfig.builder(1, Distance.DOT)
                  .onDiskPayload(spaces.config().onDiskPayload())
                  .optimizers(spaces.config().optimizers())
                  .build();
      return new CollectionInfo(
          name, shown, points.size(), CollectionStatus.GREEN, new MemoryUsage(heap, 0, mapped));
    } finally {
      read.unlock();
    }
  }

  // ---- snapshots ----

  /**
   * A point as stored, for snapshots: its dense vectors as the spaces hold them (Cosine vectors
   * normalised), its sparse vectors and its payload.
   */
  record StoredPoint(
      PointId id,
      Map<String, float[]> dense,
      Map<String, SparseVector> sparse,
      Map<String, Object> payload) {}

  /** Receives the collection at one point in time. */
  interface ConsistentReader {
    /**
     * Reads the collection.
     *
     * @param graphs the graph sections of the dense spaces that have a graph, by name, their nodes
     *     in the order of {@code points}
     */
    void read(
        MultiVectorConfig config,
        Map<String, PayloadSchemaType> indexes,
        List<StoredPoint> points,
        Map<String, EngineSnapshots.GraphImage> graphs)
        throws IOException;
  }

  /**
   * Hands {@code reader} the configuration, the payload indexes (in the order they were created)
   * and every point in id order, while no write can change them. The list of points builds each
   * point when read (decoding its payload when on disk): valid only during the call.
   *
   * @throws CollectionNotFoundException when the collection was deleted
   */
  void readConsistently(ConsistentReader reader) throws IOException {
    read.lock();
    try {
      if (closed) {
        throw new CollectionNotFoundException(name);
      }
      Map<String, Map<PointId, float[]>> denseById = new LinkedHashMap<>();
      for (Map.Entry<String, MemCollection> e : spaces.dense().entrySet()) {
        Map<PointId, float[]> byId = new java.util.HashMap<>();
        Lock spaceLock = e.getValue().readLock();
        spaceLock.lock();
        try {
          e.getValue().forEachPointLocked((id, vector, payload) -> byId.put(id, vector));
        } finally {
          spaceLock.unlock();
        }
        denseById.put(e.getKey(), byId);
      }
      // built point by point as the reader walks it: with payloads on disk, each payload is
      // decoded when its point is written, never all of them on the heap at once
      List<PointId> ids = new ArrayList<>(points.ids(null));
      // every write of a space runs under this collection's write lock: the read lock held here
      // keeps the graphs as they are until they are written
      Map<String, EngineSnapshots.GraphImage> graphs = new LinkedHashMap<>();
      for (Map.Entry<String, MemCollection> e : spaces.dense().entrySet()) {
        Lock spaceLock = e.getValue().readLock();
        spaceLock.lock();
        try {
          EngineSnapshots.GraphImage g = e.getValue().graphImageLocked(ids);
          if (g != null) {
            graphs.put(e.getKey(), g);
          }
        } finally {
          spaceLock.unlock();
        }
      }
      List<StoredPoint> out =
          new AbstractList<>() {
            @Override
            public StoredPoint get(int i) {
              return storedLocked(ids.get(i), denseById);
            }

            @Override
            public int size() {
              return ids.size();
            }
          };
      reader.read(
          spaces.config(),
          java.util.Collections.unmodifiableMap(new LinkedHashMap<>(indexes)),
          out,
          graphs);
    } finally {
      read.unlock();
    }
  }

  /** The point {@code id} as stored; the caller holds the read lock. */
  private StoredPoint storedLocked(PointId id, Map<String, Map<PointId, float[]>> denseById) {
    return new StoredPoint(id, denseOf(id, denseById), sparseOf(id), points.payloadOf(id));
  }

  /** The dense vectors {@code id} has, by space, from vectors read per space (read lock held). */
  private static Map<String, float[]> denseOf(
      PointId id, Map<String, Map<PointId, float[]>> denseById) {
    Map<String, float[]> d = new LinkedHashMap<>();
    denseById.forEach(
        (n, byId) -> {
          float[] v = byId.get(id);
          if (v != null) {
            d.put(n, v);
          }
        });
    return d;
  }

  /** The sparse vectors {@code id} has, by space (read lock held). */
  private Map<String, SparseVector> sparseOf(PointId id) {
    Map<String, SparseVector> s = new LinkedHashMap<>();
    spaces
        .sparse()
        .forEach(
            (n, space) -> {
              SparseVector v = space.get(id);
              if (v != null) {
                s.put(n, v);
              }
            });
    return s;
  }

  /**
   * Puts back points read from a snapshot into this new collection: dense vectors as stored (not
   * normalised again), every name one of the collection's spaces.
   */
  void restore(List<StoredPoint> batch) {
    write.lock();
    try {
      for (Map.Entry<String, MemCollection> e : spaces.dense().entrySet()) {
        List<PointStruct> put = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (StoredPoint p : batch) {
          float[] v = p.dense().get(e.getKey());
          if (v != null) {
            put.add(new PointStruct(p.id(), v, p.payload()));
            vectors.add(v);
          }
        }
        if (!put.isEmpty()) {
          e.getValue().upsert(put, vectors.toArray(new float[0][]));
        }
      }
      for (StoredPoint p : batch) {
        p.sparse().forEach((n, v) -> spaces.sparseSpace(n, "sparse").put(p.id(), v));
        points.put(p.id(), p.payload());
      }
    } finally {
      write.unlock();
    }
  }

  /** The dense space {@code name}, or null when there is none (snapshot restore). */
  @Nullable MemCollection denseSpace(String name) {
    return spaces.dense().get(name);
  }

  /** Deletes the dense spaces' files and drops everything. */
  void close() {
    write.lock();
    try {
      closed = true;
      spaces.close();
      points.close();
    } finally {
      write.unlock();
    }
  }
}
