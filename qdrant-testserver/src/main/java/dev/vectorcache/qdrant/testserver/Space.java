package dev.vectorcache.qdrant.testserver;

import static dev.vectorcache.qdrant.testserver.ProtoPoints.noVectorName;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.scored;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.SparseModifier;
import dev.vectorcache.core.model.SparseSearch;
import dev.vectorcache.core.model.SparseVector;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.port.MultiVectors;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.qdrant.testserver.ProtoPoints.PayloadView;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The vectors one request reads, Qdrant's {@code using} (or {@code vector_name}): the unnamed
 * vector of a single-vector collection, read through the routed port, or one dense or sparse space
 * of a collection with named vectors, read through the store's {@link MultiVectors}. Queries by
 * example, groups, distance matrices, MMR and relevance feedback read through it, so they answer
 * alike on every kind of space. A point without a vector in the space is never a candidate; an
 * example point without one contributes no vector (as in Qdrant).
 *
 * <p>A sparse space compares by the dot product (Qdrant's distance of sparse vectors is Dot); its
 * nearest searches weight the query by IDF when the space has that modifier, and so does its {@link
 * #metric()} for the examples of custom scores, as Qdrant does.
 */
final class Space {
  private static final int PAGE = 1000;

  private final ServerState state;
  private final Routed routed;
  private final String name;
  private final String using;
  private final @Nullable MultiVectors multi;
  private final int dimension;
  private final Distance distance;
  private final @Nullable SparseVectorParams sparse;
  private ExampleScoring.@Nullable Metric metric;

  /** A point of the space with its vector there ({@code null} when it has none). */
  record Held(RetrievedPoint point, @Nullable SpaceVector vector) {
    PointId id() {
      return point.id();
    }
  }

  private Space(
      ServerState state,
      Routed routed,
      String name,
      String using,
      @Nullable MultiVectors multi,
      int dimension,
      Distance distance,
      @Nullable SparseVectorParams sparse) {
    this.state = state;
    this.routed = routed;
    this.name = name;
    this.using = using;
    this.multi = multi;
    this.dimension = dimension;
    this.distance = distance;
    this.sparse = sparse;
  }

  /**
   * The space {@code using} of {@code collection}, which must exist (Qdrant's NOT_FOUND otherwise);
   * a name it lacks is Qdrant's "Not existing vector name"; the store's {@link MultiVectors} is
   * required (naming {@code feature}) for a collection with named vectors.
   */
  static Space of(
      ServerState state, Routed routed, String collection, String using, String feature) {
    VectorStore store = state.store();
    if (!store.collectionExists(collection)) {
      throw new CollectionNotFoundException(collection);
    }
    MultiVectorConfig config = NamedVectors.multi(state, collection);
    if (config == null) {
      if (!using.isEmpty()) {
        throw noVectorName(using);
      }
      CollectionConfig c = store.collectionInfo(collection).config();
      return new Space(state, routed, collection, using, null, c.dimension(), c.distance(), null);
    }
    SparseVectorParams sparse = config.sparse().get(using);
    if (sparse != null) {
      return new Space(
          state,
          routed,
          collection,
          using,
          NamedVectors.require(state, feature),
          0,
          Distance.DOT,
          sparse);
    }
    DenseVectorConfig dense = config.dense().get(using);
    if (dense == null) {
      throw noVectorName(using);
    }
    return new Space(
        state,
        routed,
        collection,
        using,
        NamedVectors.require(state, feature),
        dense.dimension(),
        dense.distance(),
        null);
  }

  /**
   * The space {@code using} of another collection ({@code lookup_from}), read with {@code routed}.
   */
  Space other(Routed routed, String collection, String using) {
    return of(state, routed, collection, using, "lookup_from");
  }

  String name() {
    return name;
  }

  String using() {
    return using;
  }

  /** Whether the space holds sparse vectors. */
  boolean sparse() {
    return sparse != null;
  }

  /**
   * How examples compare with the space's vectors: the dense distance's similarity, or for a sparse
   * space the dot product, the example weighted by IDF when the space has that modifier ({@code N}
   * points with a vector in the space, {@code n} of them holding the index: {@code ln(1 + (N - n +
   * 0.5) / (n + 0.5))}, as Qdrant weights a query).
   */
  ExampleScoring.Metric metric() {
    ExampleScoring.Metric m = metric;
    if (m == null) {
      m = sparse == null ? ExampleScoring.dense(distance) : sparseMetric();
      metric = m;
    }
    return m;
  }

  /** The metric without IDF: how Qdrant compares found points with each other (MMR). */
  ExampleScoring.Metric plainMetric() {
    return sparse == null ? metric() : ExampleScoring.sparse(null);
  }

  private ExampleScoring.Metric sparseMetric() {
    if (Objects.requireNonNull(sparse).modifier() != SparseModifier.IDF) {
      return ExampleScoring.sparse(null);
    }
    Map<Integer, Integer> frequency = new HashMap<>();
    List<Held> all = scan(null, PayloadSelector.NONE);
    for (Held h : all) {
      for (int index : SpaceVector.sparse(Objects.requireNonNull(h.vector())).indices()) {
        frequency.merge(index, 1, Integer::sum);
      }
    }
    double total = all.size();
    return ExampleScoring.sparse(
        index -> {
          double n = frequency.getOrDefault(index, 0);
          return Math.log(1 + (total - n + 0.5) / (n + 0.5));
        });
  }

  int dimension() {
    return dimension;
  }

  Distance distance() {
    return distance;
  }

  VectorStore store() {
    return state.store();
  }

  Routed routed() {
    return routed;
  }

  /**
   * An ordinary search of the space for the nearest points to {@code query}: at most {@code limit}
   * after {@code offset}, passing {@code filter} and the threshold. A sparse search finds only
   * points sharing an index with the query (its hits never carry vectors); {@code params} and
   * {@code vectors} are for dense searches.
   */
  @SuppressWarnings("TooManyParameters") // a search request's fields
  List<ScoredPoint> nearest(
      SpaceVector query,
      int limit,
      int offset,
      @Nullable Filter filter,
      @Nullable Float threshold,
      SearchParams params,
      PayloadSelector payload,
      boolean vectors) {
    MultiVectors mv = multi;
    if (query instanceof SpaceVector.Sparse s) {
      return Futures.join(
          Objects.requireNonNull(mv, "a sparse space is named")
              .searchSparse(
                  name,
                  using,
                  new SparseSearch(s.vector(), limit, offset, filter, threshold, payload)));
    }
    SearchRequest r =
        new SearchRequest(
            SpaceVector.dense(query), limit, offset, filter, threshold, params, payload, vectors);
    return mv == null ? routed.search(name, r) : Futures.join(mv.search(name, using, r));
  }

  /** How many points pass {@code filter} (with or without a vector in the space). */
  long count(@Nullable Filter filter) {
    return routed.count(name, filter);
  }

  /** Every point passing {@code filter} that has a vector in the space, with it, in id order. */
  List<Held> scan(@Nullable Filter filter, PayloadSelector payload) {
    List<Held> out = new ArrayList<>();
    if (multi == null) {
      for (RetrievedPoint p : Ranking.scan(routed, name, filter, payload, true)) {
        out.add(new Held(p, new SpaceVector.Dense(Objects.requireNonNull(p.vector(), "vector"))));
      }
      return out;
    }
    List<RetrievedPoint> points = Ranking.scan(routed, name, filter, payload, false);
    for (int from = 0; from < points.size(); from += PAGE) {
      List<RetrievedPoint> page = points.subList(from, Math.min(points.size(), from + PAGE));
      List<PointId> ids = new ArrayList<>(page.size());
      page.forEach(p -> ids.add(p.id()));
      Map<PointId, SpaceVector> vectors = new HashMap<>();
      for (Held h : retrieve(ids, PayloadSelector.NONE)) {
        SpaceVector v = h.vector();
        if (v != null) {
          vectors.put(h.id(), v);
        }
      }
      for (RetrievedPoint p : page) {
        SpaceVector v = vectors.get(p.id());
        if (v != null) {
          out.add(new Held(p, v));
        }
      }
    }
    return out;
  }

  /**
   * The points of {@code ids} that exist, in the order given, each with its vector in the space
   * ({@code null} when it has none).
   */
  List<Held> retrieve(Collection<PointId> ids, PayloadSelector payload) {
    MultiVectors mv = multi;
    List<Held> out = new ArrayList<>(ids.size());
    if (mv == null) {
      for (RetrievedPoint p : routed.retrieve(name, ids, payload, true)) {
        float[] v = p.vector();
        out.add(new Held(p, v == null ? null : new SpaceVector.Dense(v)));
      }
      return out;
    }
    for (MultiVectorPoint p : Futures.join(mv.retrieve(name, ids, payload, true))) {
      RetrievedPoint point = RetrievedPoint.withoutVector(p.id(), p.payload());
      if (sparse != null) {
        SparseVector v = p.sparse().get(using);
        out.add(new Held(point, v == null ? null : new SpaceVector.Sparse(v)));
      } else {
        float[] v = p.dense(using);
        out.add(new Held(point, v == null ? null : new SpaceVector.Dense(v)));
      }
    }
    return out;
  }

  /** Whether this is a space of a collection with named or sparse vectors. */
  boolean named() {
    return multi != null;
  }

  /**
   * Whether a read should carry each hit's vector for {@code selector}: on a single-vector
   * collection the hit's vector is the answer's; a collection with named vectors ({@code named})
   * answers with the vectors asked, attached by {@link #answer}.
   */
  static boolean readsVectors(boolean named, @Nullable WithVectorsSelector selector) {
    return !named && ProtoPoints.withVectors(selector);
  }

  boolean readsVectors(@Nullable WithVectorsSelector selector) {
    return readsVectors(named(), selector);
  }

  /**
   * Hits of {@code collection} as answered, with the payload of {@code view} and the vectors {@code
   * selector} asks: those the hits carry, or on a collection with named vectors ({@code named})
   * those read for them by name.
   */
  static List<Points.ScoredPoint> answer(
      ServerState state,
      String collection,
      boolean named,
      List<ScoredPoint> hits,
      PayloadView view,
      @Nullable WithVectorsSelector selector) {
    List<Points.ScoredPoint> out = new ArrayList<>(hits.size());
    hits.forEach(p -> out.add(scored(p, view)));
    if (!named) {
      return out;
    }
    return NamedVectors.withScoredVectors(state, collection, out, NamedVectors.selection(selector));
  }

  List<Points.ScoredPoint> answer(
      List<ScoredPoint> hits, PayloadView view, @Nullable WithVectorsSelector selector) {
    return answer(state, name, named(), hits, view, selector);
  }
}
