package dev.vectorcache.core.testing;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.adapter.InlineAsyncVectorStore;
import dev.vectorcache.core.exception.AliasNotFoundException;
import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.DimensionMismatchException;
import dev.vectorcache.core.exception.PointNotFoundException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Match;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.AliasAction;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionAlias;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.CollectionStatus;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MemoryUsage;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.Vectors;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.CollectionAliases;
import dev.vectorcache.core.port.VectorStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory {@link VectorStore} for the core's unit tests: brute-force scoring (Cosine vectors
 * normalised on insert, as in Qdrant), strict score thresholds, and the filters the cache sends
 * (must, should, must_not, min_should, match, range, is_empty, is_null, has_id) on top-level keys.
 * Nested filters and key paths are not implemented. Every call is recorded in {@link #log()}, where
 * a test can also plan a failure.
 */
public final class FakeVectorStore implements VectorStore {
  private static final class Coll {
    final CollectionConfig config;
    final TreeMap<PointId, PointStruct> points = new TreeMap<>();
    final Map<String, PayloadSchemaType> indexes = new LinkedHashMap<>();

    Coll(CollectionConfig config) {
      this.config = config;
    }
  }

  private final Map<String, Coll> collections = new TreeMap<>();
  private final Map<String, String> aliases = new TreeMap<>();
  private final CallLog log = new CallLog();
  private final Set<Capability> supported = EnumSet.noneOf(Capability.class);
  private final AsyncVectorStore async = new InlineAsyncVectorStore(this);
  private @Nullable SearchRequest lastSearch;
  private boolean deletesApplied = true;
  private boolean closed;

  /** The calls received, and the failures planned for the next ones. */
  public CallLog log() {
    return log;
  }

  /** Declares capabilities that {@link #isSupported} reports. */
  public synchronized FakeVectorStore supports(Capability... capabilities) {
    supported.addAll(List.of(capabilities));
    return this;
  }

  /** When false, deletes by id are accepted and do nothing (a store that loses deletes). */
  public synchronized void applyDeletes(boolean applied) {
    this.deletesApplied = applied;
  }

  /** The last search request received. */
  public synchronized @Nullable SearchRequest lastSearch() {
    return lastSearch;
  }

  /** The payload indexes created on a collection, by field. */
  public synchronized Map<String, PayloadSchemaType> indexes(String collection) {
    return Map.copyOf(coll(collection).indexes);
  }

  /** How many points a collection holds. */
  public synchronized int size(String collection) {
    return coll(collection).points.size();
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void createCollection(String name, CollectionConfig config) {
    log.enter("createCollection");
    if (collections.containsKey(name) || aliases.containsKey(name)) {
      throw new CollectionAlreadyExistsException(name, null);
    }
    collections.put(name, new Coll(config));
  }

  @Override
  public synchronized boolean collectionExists(String name) {
    log.enter("collectionExists");
    return collections.containsKey(name) || aliases.containsKey(name);
  }

  @Override
  public synchronized CollectionInfo collectionInfo(String name) {
    log.enter("collectionInfo");
    Coll c = coll(name);
    return new CollectionInfo(
        name, c.config, c.points.size(), CollectionStatus.GREEN, MemoryUsage.UNKNOWN);
  }

  @Override
  public synchronized boolean deleteCollection(String name) {
    log.enter("deleteCollection");
    boolean deleted = collections.remove(name) != null;
    aliases.values().removeIf(name::equals);
    return deleted;
  }

  @Override
  public synchronized List<String> listCollections() {
    log.enter("listCollections");
    return List.copyOf(collections.keySet());
  }

  @Override
  public synchronized void upsert(String collection, List<PointStruct> points) {
    log.enter("upsert");
    Coll c = coll(collection);
    for (int i = 0; i < points.size(); i++) {
      PointStruct p = points.get(i);
      if (p.dimension() != c.config.dimension()) {
        throw new DimensionMismatchException(
            "points[" + i + "].vector", c.config.dimension(), p.dimension());
      }
    }
    for (PointStruct p : points) {
      float[] v =
          c.config.distance() == Distance.COSINE
              ? Vectors.normalizeForCosine(p.vector())
              : p.vector();
      c.points.put(p.id(), new PointStruct(p.id(), v, p.payload()));
    }
  }

  @Override
  public synchronized List<RetrievedPoint> retrieve(
      String collection,
      Collection<PointId> ids,
      PayloadSelector withPayload,
      boolean withVectors) {
    log.enter("retrieve");
    Coll c = coll(collection);
    List<RetrievedPoint> out = new ArrayList<>();
    for (PointId id : ids) {
      PointStruct p = c.points.get(id);
      if (p != null) {
        out.add(new RetrievedPoint(id, select(p.payload(), withPayload), vector(p, withVectors)));
      }
    }
    return out;
  }

  @Override
  public synchronized void delete(String collection, Collection<PointId> ids) {
    log.enter("delete");
    Coll c = coll(collection);
    if (deletesApplied) {
      ids.forEach(c.points::remove);
    }
  }

  @Override
  public synchronized void deleteByFilter(String collection, Filter filter) {
    log.enter("deleteByFilter");
    coll(collection).points.values().removeIf(p -> matches(filter, p.id(), p.payload()));
  }

  @Override
  public synchronized List<ScoredPoint> search(String collection, SearchRequest request) {
    log.enter("search");
    lastSearch = request;
    Coll c = coll(collection);
    Distance d = c.config.distance();
    float[] q = request.vector();
    if (q.length != c.config.dimension()) {
      throw new DimensionMismatchException("query", c.config.dimension(), q.length);
    }
    float[] query = d == Distance.COSINE ? Vectors.normalizeForCosine(q) : q;
    List<ScoredPoint> hits = new ArrayList<>();
    for (PointStruct p : c.points.values()) {
      if (!matches(request.filter(), p.id(), p.payload())) {
        continue;
      }
      float score = score(d, query, p.vector());
      if (request.scoreThreshold() == null || d.passes(score, request.scoreThreshold())) {
        hits.add(
            new ScoredPoint(
                p.id(),
                score,
                select(p.payload(), request.withPayload()),
                vector(p, request.withVectors())));
      }
    }
    hits.sort((a, b) -> d.compareBestFirst(a.score(), b.score()));
    int from = Math.min(request.offset(), hits.size());
    int to = Math.min(from + request.limit(), hits.size());
    return List.copyOf(hits.subList(from, to));
  }

  @Override
  public synchronized long count(String collection, @Nullable Filter filter) {
    log.enter("count");
    return coll(collection).points.values().stream()
        .filter(p -> matches(filter, p.id(), p.payload()))
        .count();
  }

  @Override
  public synchronized ScrollPage scroll(String collection, ScrollRequest request) {
    log.enter("scroll");
    Coll c = coll(collection);
    Map<PointId, PointStruct> from =
        request.offset() == null ? c.points : c.points.tailMap(request.offset(), true);
    List<RetrievedPoint> page = new ArrayList<>();
    PointId next = null;
    for (PointStruct p : from.values()) {
      if (!matches(request.filter(), p.id(), p.payload())) {
        continue;
      }
      if (page.size() == request.limit()) {
        next = p.id();
        break;
      }
      page.add(
          new RetrievedPoint(
              p.id(),
              select(p.payload(), request.withPayload()),
              vector(p, request.withVectors())));
    }
    return new ScrollPage(page, next);
  }

  @Override
  public synchronized void setPayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload) {
    log.enter("setPayload");
    rewrite(
        collection,
        ids,
        old -> {
          Map<String, Object> merged = new LinkedHashMap<>(old);
          merged.putAll(payload);
          return merged;
        });
  }

  @Override
  public synchronized void overwritePayload(
      String collection, Collection<PointId> ids, Map<String, ?> payload) {
    log.enter("overwritePayload");
    rewrite(collection, ids, old -> new LinkedHashMap<>(payload));
  }

  @Override
  public synchronized void deletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys) {
    log.enter("deletePayloadKeys");
    rewrite(
        collection,
        ids,
        old -> {
          Map<String, Object> kept = new LinkedHashMap<>(old);
          kept.keySet().removeAll(keys);
          return kept;
        });
  }

  @Override
  public synchronized void clearPayload(String collection, Collection<PointId> ids) {
    log.enter("clearPayload");
    rewrite(collection, ids, old -> Map.of());
  }

  @Override
  public synchronized void createPayloadIndex(
      String collection, String field, PayloadSchemaType type) {
    log.enter("createPayloadIndex");
    coll(collection).indexes.put(field, type);
  }

  @Override
  public BackendInfo ping() {
    log.enter("ping");
    return new BackendInfo("memory", "fake", "test", Duration.ZERO, Map.of());
  }

  @Override
  public synchronized boolean isSupported(Capability capability) {
    return supported.contains(capability);
  }

  @Override
  public AsyncVectorStore async() {
    return async;
  }

  /**
   * {@link CollectionAliases} once {@link Capability#ALIASES} is declared with {@link #supports}.
   */
  @Override
  public synchronized <T> Optional<T> extension(Class<T> type) {
    if (type == CollectionAliases.class && supported.contains(Capability.ALIASES)) {
      return Optional.of(type.cast(new Aliases()));
    }
    return Optional.empty();
  }

  /** Qdrant's aliases, applied under the store's lock. */
  private final class Aliases implements CollectionAliases {
    @Override
    public CompletableFuture<Void> updateAliases(List<AliasAction> actions) {
      return Futures.run(() -> apply(actions));
    }

    @Override
    public CompletableFuture<List<CollectionAlias>> listAliases() {
      return Futures.now(
          () -> {
            synchronized (FakeVectorStore.this) {
              log.enter("listAliases");
              return aliases.entrySet().stream()
                  .map(e -> new CollectionAlias(e.getKey(), e.getValue()))
                  .sorted(
                      Comparator.comparing(CollectionAlias::collection)
                          .thenComparing(CollectionAlias::alias))
                  .toList();
            }
          });
    }

    @Override
    public CompletableFuture<List<String>> listAliases(String collection) {
      return Futures.now(
          () -> {
            synchronized (FakeVectorStore.this) {
              return aliases.entrySet().stream()
                  .filter(e -> e.getValue().equals(collection))
                  .map(Map.Entry::getKey)
                  .toList();
            }
          });
    }
  }

  private synchronized void apply(List<AliasAction> actions) {
    log.enter("updateAliases");
    for (AliasAction a : actions) {
      if (a instanceof AliasAction.Create c) {
        if (!collections.containsKey(c.collection())) {
          throw new CollectionNotFoundException(c.collection());
        }
        if (collections.containsKey(c.alias())) {
          throw new CollectionAlreadyExistsException(c.alias(), null);
        }
        aliases.put(c.alias(), c.collection());
      } else if (a instanceof AliasAction.Delete d) {
        aliases.remove(d.alias());
      } else if (a instanceof AliasAction.Rename r) {
        String target = aliases.remove(r.oldAlias());
        if (target == null) {
          throw new AliasNotFoundException(r.oldAlias());
        }
        aliases.put(r.newAlias(), target);
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  // ------------------------------------------------------------------ helpers

  private Coll coll(String name) {
    Coll c = collections.get(aliases.getOrDefault(name, name));
    if (c == null) {
      throw new CollectionNotFoundException(name);
    }
    return c;
  }

  private interface PayloadChange {
    Map<String, ?> apply(Map<String, Object> old);
  }

  private void rewrite(String collection, Collection<PointId> ids, PayloadChange change) {
    Coll c = coll(collection);
    for (PointId id : ids) {
      if (!c.points.containsKey(id)) {
        throw new PointNotFoundException(collection, id);
      }
    }
    for (PointId id : ids) {
      PointStruct p = c.points.get(id);
      c.points.put(id, PointStruct.of(id, p.vector(), change.apply(p.payload())));
    }
  }

  private static Map<String, Object> select(Map<String, Object> payload, PayloadSelector s) {
    if (!s.enabled()) {
      return Map.of();
    }
    if (s.include().isEmpty()) {
      return payload;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    payload.forEach(
        (k, v) -> {
          if (s.include().contains(k)) {
            out.put(k, v);
          }
        });
    return out;
  }

  private static float @Nullable [] vector(PointStruct p, boolean wanted) {
    return wanted ? p.vector() : null;
  }

  private static float score(Distance d, float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      switch (d) {
        case COSINE, DOT -> s += (double) a[i] * b[i];
        case EUCLID -> s += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
        case MANHATTAN -> s += Math.abs((double) a[i] - b[i]);
      }
    }
    return (float) (d == Distance.EUCLID ? Math.sqrt(s) : s);
  }

  /** Qdrant's boolean filter semantics; an empty list is no constraint. */
  static boolean matches(@Nullable Filter f, PointId id, Map<String, Object> payload) {
    if (f == null) {
      return true;
    }
    boolean must = f.must().stream().allMatch(c -> holds(c, id, payload));
    boolean mustNot = f.mustNot().stream().noneMatch(c -> holds(c, id, payload));
    boolean should =
        f.should().isEmpty() || f.should().stream().anyMatch(c -> holds(c, id, payload));
    boolean minShould =
        f.minShould() == null
            || f.minShould().conditions().stream().filter(c -> holds(c, id, payload)).count()
                >= f.minShould().minCount();
    return must && mustNot && should && minShould;
  }

  private static boolean holds(Condition c, PointId id, Map<String, Object> payload) {
    if (c instanceof Condition.HasId h) {
      return h.ids().contains(id);
    }
    if (c instanceof Condition.Sub s) {
      return matches(s.filter(), id, payload);
    }
    if (c instanceof Condition.IsEmpty e) {
      return values(payload.get(e.key())).stream()
          .allMatch(v -> v == null || (v instanceof List<?> l && l.isEmpty()));
    }
    if (c instanceof Condition.IsNull n) {
      Object v = payload.get(n.key());
      return payload.containsKey(n.key())
          && (v == null || (v instanceof List<?> l && l.contains(null)));
    }
    if (c instanceof Condition.FieldCondition fc) {
      List<Object> values = values(payload.get(fc.key()));
      if (fc.range() != null) {
        return values.stream()
            .anyMatch(
                v ->
                    (v instanceof Long || v instanceof Double)
                        && fc.range().test(((Number) v).doubleValue()));
      }
      return values.stream().anyMatch(v -> v != null && matchOne(fc.match(), v));
    }
    throw new UnsupportedOperationException("the fake store does not implement " + c);
  }

  /** The values at a key: a list's elements, or the single value; none when missing. */
  private static List<Object> values(@Nullable Object v) {
    if (v instanceof List<?> list) {
      return new ArrayList<>(list);
    }
    List<Object> one = new ArrayList<>();
    one.add(v);
    return v == null ? List.of() : one;
  }

  private static boolean matchOne(@Nullable Match m, Object v) {
    if (m instanceof Match.Keyword k) {
      return k.value().equals(v);
    }
    if (m instanceof Match.IntegerValue i) {
      return v instanceof Long l && l == i.value();
    }
    if (m instanceof Match.Bool b) {
      return v instanceof Boolean x && x == b.value();
    }
    if (m instanceof Match.AnyKeywords a) {
      return v instanceof String s && a.values().contains(s);
    }
    if (m instanceof Match.AnyIntegers a) {
      return v instanceof Long l && a.values().contains(l);
    }
    if (m instanceof Match.ExceptKeywords e) {
      return !(v instanceof String s && e.values().contains(s));
    }
    if (m instanceof Match.ExceptIntegers e) {
      return !(v instanceof Long l && e.values().contains(l));
    }
    if (m instanceof Match.Text t) {
      return v instanceof String s && s.contains(t.text());
    }
    throw new UnsupportedOperationException("the fake store does not implement " + m);
  }
}
