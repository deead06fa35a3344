package dev.vectorcache.qdrant.testserver;

import static dev.vectorcache.qdrant.testserver.ProtoPoints.floats;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.noVectorName;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.params;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.payloadView;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.requireLimit;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.unsupported;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.withVectors;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.FusionScores;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.SparseSearch;
import dev.vectorcache.core.model.SparseVector;
import dev.vectorcache.core.port.MultiVectors;
import dev.vectorcache.qdrant.testserver.ProtoPoints.PayloadView;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.PrefetchQuery;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Qdrant's universal {@code Query} over the backing store, planned as Qdrant plans it:
 *
 * <ul>
 *   <li>A query without prefetches is a leaf: nearest neighbours (of a vector or of a stored
 *       point), nearest with MMR re-ranking, {@code order_by}, random {@code sample}, or, without a
 *       query, points in id order.
 *   <li>With prefetches, each prefetch is answered first (recursively, with the parent's filter
 *       joined to its own, default limit 10) and the main query works on their results only: {@code
 *       fusion} (RRF with k = 2, or DBSF) and {@code rrf} (k and weights) fuse the result lists;
 *       nearest, MMR, {@code order_by}, {@code sample} and {@code formula} ({@link FormulaScoring})
 *       re-rank the union of their points.
 *   <li>Points used as query inputs (by id) never come back as results, anywhere in the request;
 *       with {@code lookup_from} the ids are read from another collection (and not excluded).
 *   <li>{@code limit} and {@code offset}: the root takes {@code limit + offset} and drops the first
 *       {@code offset}; {@code score_threshold} applies where Qdrant applies it (searches and
 *       fusion).
 * </ul>
 *
 * <p>{@code relevance_feedback} (naive strategy) scores every point passing the filter. On a
 * collection with named or sparse vectors ({@link NamedVectors}), {@code using} names the space of
 * each level (the root's and every prefetch's own): nearest is a dense or a sparse search of that
 * space through the store's {@code MultiVectors}, so prefetches over dense and sparse spaces fused
 * with RRF or DBSF are a hybrid search; MMR, relevance feedback, recommend, discover and context
 * read the dense or sparse space {@code using} ({@link Space}). A point referenced by id is read
 * with all its vectors; {@code lookup_from} reads its {@code vector_name}, or the level's {@code
 * using} when it names none. A name the collection lacks is Qdrant's "Not existing vector name".
 * Fusion is core's {@link FusionScores}. Document, image and object inputs need Qdrant's inference
 * service, which is not configured here: answered as Qdrant answers then. Ties (equal scores) are
 * broken by point id, where Qdrant leaves the order open.
 */
final class UniversalQuery {
  static final int DEFAULT_LIMIT = 10;
  private static final int MAX_DEPTH = 64;
  private static final float MMR_LAMBDA = 0.5f;

  /** A result before its payload and vectors are fetched. */
  record Hit(PointId id, float score, Points.@Nullable OrderValue orderValue) {
    static Hit of(ScoredPoint p) {
      return new Hit(p.id(), p.score(), null);
    }
  }

  /**
   * The query kinds answered elsewhere (recommend, discover, context): given the request's filter
   * and optional candidate ids, the best {@code limit} hits.
   */
  interface ExampleSource {
    List<Hit> score(
        Query query,
        String using,
        Points.@Nullable LookupLocation lookup,
        @Nullable Filter filter,
        @Nullable Set<PointId> candidates,
        @Nullable SearchParams params,
        @Nullable Float threshold,
        int limit);
  }

  private final ServerState state;
  private final Routed routed;
  private final String collection;
  private final ExampleSource examples;

  /**
   * The points of this collection referenced by id, with all their vectors (the unnamed one as the
   * space {@code ""}), fetched once per request; they are left out of every result.
   */
  private final Map<PointId, MultiVectorPoint> referenced = new LinkedHashMap<>();

  /** Points looked up in other collections ({@code lookup_from}), by collection. */
  private final Map<String, Map<PointId, MultiVectorPoint>> lookedUp = new HashMap<>();

  /** Whether each lookup collection has named vectors, read once per request. */
  private final Map<String, Boolean> lookedUpNamed = new HashMap<>();

  /**
   * The spaces of a collection with named or sparse vectors ({@code null}: the single unnamed
   * vector, served through the port), read when the query starts.
   */
  private @Nullable MultiVectorConfig multi;

  UniversalQuery(ServerState state, Routed routed, String collection, ExampleSource examples) {
    this.state = state;
    this.routed = routed;
    this.collection = collection;
    this.examples = examples;
  }

  /**
   * A query of {@code collection}, with recommend, discover and context by {@link ExampleQueries}.
   */
  static UniversalQuery of(
      ServerState state, Routed routed, String collection, Points.@Nullable ReadConsistency rc) {
    return new UniversalQuery(
        state,
        routed,
        collection,
        (q, using, lookup, filter, candidates, params, threshold, limit) ->
            ExampleQueries.scoreForQuery(
                state,
                routed,
                collection,
                using,
                q,
                lookup,
                rc,
                filter,
                candidates,
                params,
                threshold,
                limit));
  }

  /** The answer to one {@code QueryPoints}: scored points with the payload and vectors asked. */
  List<Points.ScoredPoint> run(QueryPoints request) {
    List<Hit> hits = hits(request, null);
    WithVectorsSelector selector = request.hasWithVectors() ? request.getWithVectors() : null;
    PayloadView view =
        payloadView(request.hasWithPayload() ? request.getWithPayload() : null, false);
    if (multi == null) {
      return fill(hits, view, withVectors(selector));
    }
    return NamedVectors.withScoredVectors(
        state, collection, fill(hits, view, false), NamedVectors.selection(selector));
  }

  /**
   * The ranked results of one {@code QueryPoints} (after {@code offset}), nothing fetched; {@code
   * extra} is joined to the request's filter (QueryGroups keeps the points having its key).
   */
  List<Hit> hits(QueryPoints request, @Nullable Filter extra) {
    if (!state.store().collectionExists(collection)) {
      throw new CollectionNotFoundException(collection);
    }
    validateRoot(request);
    multi = NamedVectors.multi(state, collection);
    if (multi != null) {
      PointsService.refuseShardKeys(request.hasShardKeySelector());
    }
    String using = request.hasUsing() ? request.getUsing() : "";
    if (request.hasUsing()) {
      checkUsing(using); // the default "" is checked where a search uses it
    }
    long limit = request.hasLimit() ? request.getLimit() : DEFAULT_LIMIT;
    requireLimit(limit);
    long offset = request.hasOffset() ? request.getOffset() : 0;
    int fetch = (int) Math.min(Integer.MAX_VALUE, limit + offset);

    Points.LookupLocation rootLookup = request.hasLookupFrom() ? request.getLookupFrom() : null;
    collectReferences(
        request.getPrefetchList(), request.hasQuery() ? request.getQuery() : null, rootLookup, 0);
    Filter filter =
        both(request.hasFilter() ? ProtoFilters.toCore(request.getFilter()) : null, extra);
    Set<PointId> excluded = referenced.keySet();
    if (!excluded.isEmpty()) {
      filter = both(filter, Filter.mustNot(new Condition.HasId(excluded)));
    }
    List<Hit> hits =
        node(
            request.getPrefetchList(),
            request.hasQuery() ? request.getQuery() : null,
            using,
            filter,
            request.hasParams() ? request.getParams() : null,
            request.hasScoreThreshold() ? request.getScoreThreshold() : null,
            fetch,
            rootLookup,
            0);
    return hits.subList((int) Math.min(offset, hits.size()), hits.size());
  }

  // ---- validation, as Qdrant's collection-level checks ----

  private static void validateRoot(QueryPoints r) {
    if (r.getPrefetchCount() > 0 && !r.hasQuery()) {
      throw badRequest(
          "A query is needed to merge the prefetches. Can't have prefetches without defining a"
              + " query.");
    }
    if (r.hasScoreThreshold()) {
      if (!r.hasQuery()) {
        throw badRequest(
            "A query is needed to use the score_threshold. Can't have score_threshold without"
                + " defining a query.");
      }
      if (r.getQuery().getVariantCase() == Query.VariantCase.ORDER_BY) {
        throw badRequest("Can't use score_threshold with an order_by query.");
      }
    }
  }

  /**
   * A {@code using} the collection has: any name but {@code ""} is Qdrant's "Not existing vector
   * name" on a single-vector collection.
   */
  private void checkUsing(String using) {
    MultiVectorConfig spaces = multi;
    if (spaces == null ? !using.isEmpty() : !spaces.hasVector(using)) {
      throw noVectorName(using);
    }
  }

  /** Checks every level's inputs and fetches the vectors of the points named by id. */
  private void collectReferences(
      List<PrefetchQuery> prefetches,
      @Nullable Query q,
      Points.@Nullable LookupLocation lookup,
      int depth) {
    if (depth > MAX_DEPTH) {
      throw validation("prefetches depth " + depth + " exceeds max depth " + MAX_DEPTH);
    }
    if (q != null) {
      List<Points.VectorInput> inputs = new ArrayList<>();
      switch (q.getVariantCase()) {
        case NEAREST -> inputs.add(q.getNearest());
        case NEAREST_WITH_MMR -> inputs.add(q.getNearestWithMmr().getNearest());
        case RELEVANCE_FEEDBACK -> {
          inputs.add(q.getRelevanceFeedback().getTarget());
          q.getRelevanceFeedback().getFeedbackList().forEach(f -> inputs.add(f.getExample()));
        }
        case RECOMMEND -> {
          inputs.addAll(q.getRecommend().getPositiveList());
          inputs.addAll(q.getRecommend().getNegativeList());
        }
        case DISCOVER -> {
          inputs.add(q.getDiscover().getTarget());
          q.getDiscover()
              .getContext()
              .getPairsList()
              .forEach(
                  pair -> {
                    inputs.add(pair.getPositive());
                    inputs.add(pair.getNegative());
                  });
        }
        case CONTEXT ->
            q.getContext()
                .getPairsList()
                .forEach(
                    pair -> {
                      inputs.add(pair.getPositive());
                      inputs.add(pair.getNegative());
                    });
        default -> {
          // other inputs are resolved where they are scored
        }
      }
      for (Points.VectorInput in : inputs) {
        if (in.getVariantCase() == Points.VectorInput.VariantCase.ID) {
          reference(ProtoValues.id(in.getId()), lookup);
        }
      }
    }
    for (PrefetchQuery p : prefetches) {
      if (p.hasUsing()) {
        checkUsing(p.getUsing());
      }
      if (p.getPrefetchCount() > 0 && !p.hasQuery()) {
        throw validation("cannot have prefetches without a query");
      }
      collectReferences(
          p.getPrefetchList(),
          p.hasQuery() ? p.getQuery() : null,
          p.hasLookupFrom() ? p.getLookupFrom() : null,
          depth + 1);
    }
  }

  /**
   * Fetches a point named by id, with all its vectors: from this collection (it is then left out of
   * every result), or from the {@code lookup_from} collection (it is not).
   */
  private void reference(PointId id, Points.@Nullable LookupLocation lookup) {
    if (lookup == null) {
      if (!referenced.containsKey(id)) {
        referenced.put(id, fetch(routed, collection, multi != null, id));
      }
      return;
    }
    String other = lookup.getCollectionName();
    if (!state.store().collectionExists(other)) {
      // the lookup path's wording, not the collection-level one
      throw Status.NOT_FOUND
          .withDescription("Not found: Collection " + other + " not found")
          .asRuntimeException();
    }
    Map<PointId, MultiVectorPoint> there = lookedUp.computeIfAbsent(other, k -> new HashMap<>());
    if (!there.containsKey(id)) {
      Routed in =
          Routed.read(
              state.store(),
              lookup.hasShardKeySelector() ? lookup.getShardKeySelector() : null,
              null);
      boolean named =
          lookedUpNamed.computeIfAbsent(other, c -> NamedVectors.multi(state, c) != null);
      there.put(id, fetch(in, other, named, id));
    }
  }

  /**
   * A point with every vector it holds, read through {@code MultiVectors} when the collection has
   * named vectors ({@code named}); NOT_FOUND with Qdrant's text when there is none.
   */
  private MultiVectorPoint fetch(Routed routed, String collection, boolean named, PointId id) {
    List<MultiVectorPoint> found = new ArrayList<>(1);
    if (named) {
      found.addAll(
          Futures.join(
              NamedVectors.require(state, "named vectors")
                  .retrieve(collection, List.of(id), PayloadSelector.NONE, true)));
    } else {
      for (RetrievedPoint p :
          routed.retrieve(collection, List.of(id), PayloadSelector.NONE, true)) {
        float[] v = p.vector();
        found.add(
            MultiVectorPoint.of(p.id(), v == null ? Map.of() : Map.of("", v), Map.of(), Map.of()));
      }
    }
    if (found.isEmpty()) {
      throw Status.NOT_FOUND
          .withDescription("Not found: No point with id " + id + " found")
          .asRuntimeException();
    }
    return found.get(0);
  }

  /**
   * A referenced point's vector in the space {@code using}, or in the lookup's {@code vector_name}
   * when it names one (as Qdrant reads a lookup).
   */
  private <V> V referencedVector(
      Points.VectorInput in,
      Points.@Nullable LookupLocation lookup,
      String using,
      java.util.function.BiFunction<MultiVectorPoint, String, @Nullable V> get) {
    PointId id = ProtoValues.id(in.getId());
    String from = lookup == null ? collection : lookup.getCollectionName();
    Map<PointId, MultiVectorPoint> points =
        lookup == null ? referenced : lookedUp.getOrDefault(from, Map.of());
    MultiVectorPoint p = Objects.requireNonNull(points.get(id), "referenced");
    String name = lookup != null && lookup.hasVectorName() ? lookup.getVectorName() : using;
    V v = get.apply(p, name);
    if (v != null) {
      return v;
    }
    MultiVectorConfig spaces = from.equals(collection) ? multi : NamedVectors.multi(state, from);
    if (spaces == null ? !name.isEmpty() : !spaces.hasVector(name)) {
      throw noVectorName(name);
    }
    throw noVectorOf(id, name);
  }

  // ---- planning ----

  private List<Hit> node(
      List<PrefetchQuery> prefetches,
      @Nullable Query query,
      String using,
      @Nullable Filter filter,
      Points.@Nullable SearchParams params,
      @Nullable Float threshold,
      int limit,
      Points.@Nullable LookupLocation lookup,
      int depth) {
    if (prefetches.isEmpty()) {
      return leaf(query, using, filter, params, threshold, limit, lookup);
    }
    List<List<Hit>> sources = new ArrayList<>(prefetches.size());
    for (PrefetchQuery p : prefetches) {
      Filter own = p.hasFilter() ? ProtoFilters.toCore(p.getFilter()) : null;
      long pl = p.hasLimit() ? p.getLimit() : DEFAULT_LIMIT;
      requireLimit(pl);
      sources.add(
          node(
              p.getPrefetchList(),
              p.hasQuery() ? p.getQuery() : null,
              p.hasUsing() ? p.getUsing() : "",
              both(filter, own),
              p.hasParams() ? p.getParams() : null,
              p.hasScoreThreshold() ? p.getScoreThreshold() : null,
              (int) Math.min(Integer.MAX_VALUE, pl),
              p.hasLookupFrom() ? p.getLookupFrom() : null,
              depth + 1));
    }
    return rescore(
        Objects.requireNonNull(query, "query"), using, sources, params, threshold, limit, lookup);
  }

  private List<Hit> leaf(
      @Nullable Query q,
      String using,
      @Nullable Filter filter,
      Points.@Nullable SearchParams params,
      @Nullable Float threshold,
      int limit,
      Points.@Nullable LookupLocation lookup) {
    if (q == null) {
      return idOrder(filter, limit);
    }
    return switch (q.getVariantCase()) {
      case NEAREST -> nearest(q.getNearest(), using, filter, params, threshold, limit, lookup);
      case NEAREST_WITH_MMR ->
          mmr(q.getNearestWithMmr(), using, filter, params, threshold, limit, lookup);
      case ORDER_BY -> ordered(q.getOrderBy(), filter, limit);
      case SAMPLE -> sample(filter, limit);
      case RELEVANCE_FEEDBACK ->
          feedback(q.getRelevanceFeedback(), using, filter, threshold, limit, lookup);
      case FUSION, RRF -> throw validation("cannot apply Fusion without prefetches");
      case FORMULA -> throw validation("cannot apply Formula without prefetches");
      default -> exampleQuery(q, using, lookup, filter, null, params, threshold, limit);
    };
  }

  private List<Hit> rescore(
      Query q,
      String using,
      List<List<Hit>> sources,
      Points.@Nullable SearchParams params,
      @Nullable Float threshold,
      int limit,
      Points.@Nullable LookupLocation lookup) {
    switch (q.getVariantCase()) {
      case FUSION -> {
        return q.getFusion() == Points.Fusion.DBSF
            ? cut(dbsf(sources), threshold, limit)
            : cut(rrf(sources, FusionScores.RRF_K, List.of()), threshold, limit);
      }
      case RRF -> {
        Points.Rrf r = q.getRrf();
        return cut(
            rrf(sources, r.hasK() ? r.getK() : FusionScores.RRF_K, r.getWeightsList()),
            threshold,
            limit);
      }
      case FORMULA -> {
        return FormulaScoring.rescore(
            routed, collection, q.getFormula(), sources, threshold, limit);
      }
      default -> {
        // every other query re-ranks the union of the prefetched points
      }
    }
    Set<PointId> ids = new LinkedHashSet<>();
    sources.forEach(s -> s.forEach(h -> ids.add(h.id())));
    if (ids.isEmpty()) {
      return List.of();
    }
    Filter only = Filter.must(new Condition.HasId(ids));
    return switch (q.getVariantCase()) {
      case NEAREST -> nearest(q.getNearest(), using, only, params, threshold, limit, lookup);
      case NEAREST_WITH_MMR ->
          mmr(q.getNearestWithMmr(), using, only, params, threshold, limit, lookup);
      case ORDER_BY -> ordered(q.getOrderBy(), only, limit);
      case SAMPLE -> sample(only, limit);
      case RELEVANCE_FEEDBACK ->
          feedback(q.getRelevanceFeedback(), using, only, threshold, limit, lookup);
      default -> exampleQuery(q, using, lookup, null, ids, params, threshold, limit);
    };
  }

  private List<Hit> exampleQuery(
      Query q,
      String using,
      Points.@Nullable LookupLocation lookup,
      @Nullable Filter filter,
      @Nullable Set<PointId> candidates,
      Points.@Nullable SearchParams params,
      @Nullable Float threshold,
      int limit) {
    if (q.getVariantCase() == Query.VariantCase.VARIANT_NOT_SET) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Wrong input: query has no variant")
          .asRuntimeException();
    }
    if (!(q.getVariantCase() == Query.VariantCase.RECOMMEND
        || q.getVariantCase() == Query.VariantCase.DISCOVER
        || q.getVariantCase() == Query.VariantCase.CONTEXT)) {
      throw unsupported(q.getVariantCase().name().toLowerCase(java.util.Locale.ROOT) + " queries");
    }
    return examples.score(
        q,
        using,
        lookup,
        filter,
        candidates,
        params == null ? null : params(params),
        threshold,
        limit);
  }

  /** Nearest neighbours of {@code in} in the space {@code using}, dense or sparse. */
  private List<Hit> nearest(
      Points.VectorInput in,
      String using,
      @Nullable Filter filter,
      Points.@Nullable SearchParams params,
      @Nullable Float threshold,
      int limit,
      Points.@Nullable LookupLocation lookup) {
    checkUsing(using);
    MultiVectorConfig spaces = multi;
    if (spaces == null) {
      return search(vector(in, lookup, using), filter, params, threshold, limit);
    }
    MultiVectors mv = NamedVectors.require(state, "named vectors");
    List<ScoredPoint> found;
    if (spaces.sparse().containsKey(using)) {
      SparseVector v = sparseVector(in, lookup, using);
      found =
          Futures.join(
              mv.searchSparse(
                  collection,
                  using,
                  new SparseSearch(v, limit, 0, filter, threshold, PayloadSelector.NONE)));
    } else {
      float[] v;
      switch (in.getVariantCase()) {
        case SPARSE -> throw NamedVectors.conversion();
        default -> v = vector(in, lookup, using);
      }
      found =
          Futures.join(
              mv.search(collection, using, request(v, filter, params, threshold, limit, false)));
    }
    List<Hit> out = new ArrayList<>(found.size());
    found.forEach(p -> out.add(Hit.of(p)));
    return out;
  }

  private static StatusRuntimeException noVectorOf(PointId id, String using) {
    return Status.INVALID_ARGUMENT
        .withDescription(
            "Wrong input: the point " + id + " has no vector \"" + using + "\" to query with")
        .asRuntimeException();
  }

  // ---- sources ----

  /** A sparse query input: given, or the sparse vector of a referenced point. */
  private SparseVector sparseVector(
      Points.VectorInput in, Points.@Nullable LookupLocation lookup, String using) {
    return switch (in.getVariantCase()) {
      case SPARSE ->
          NamedVectors.sparse(in.getSparse().getIndicesList(), in.getSparse().getValuesList());
      case ID -> referencedVector(in, lookup, using, (p, name) -> p.sparse().get(name));
      case DENSE -> throw NamedVectors.conversion();
      default -> {
        vector(in, lookup, using); // the other inputs are answered as for the unnamed vector
        throw NamedVectors.conversion();
      }
    };
  }

  /** A query input in the kind of {@code space}: sparse or dense. */
  private SpaceVector spaceVector(
      Points.VectorInput in, Points.@Nullable LookupLocation lookup, String using, Space space) {
    return space.sparse()
        ? new SpaceVector.Sparse(sparseVector(in, lookup, using))
        : new SpaceVector.Dense(vector(in, lookup, using));
  }

  /** A dense query input: given, or the vector of a referenced point in the space {@code using}. */
  private float[] vector(
      Points.VectorInput in, Points.@Nullable LookupLocation lookup, String using) {
    return switch (in.getVariantCase()) {
      case DENSE -> floats(in.getDense().getDataList());
      case ID -> referencedVector(in, lookup, using, MultiVectorPoint::dense);
      case DOCUMENT, IMAGE, OBJECT ->
          throw Status.INTERNAL
              .withDescription(
                  "Service internal error: InferenceService is not initialized. Please check if"
                      + " it was properly configured and initialized during startup.")
              .asRuntimeException();
      case SPARSE -> throw unsupported("sparse vectors");
      case MULTI_DENSE -> throw unsupported("multivectors");
      default ->
          throw Status.INVALID_ARGUMENT
              .withDescription("Wrong input: the query's vector input is empty")
              .asRuntimeException();
    };
  }

  private List<Hit> search(
      float[] vector,
      @Nullable Filter filter,
      Points.@Nullable SearchParams params,
      @Nullable Float threshold,
      int limit) {
    List<Hit> out = new ArrayList<>();
    for (ScoredPoint p :
        routed.search(collection, request(vector, filter, params, threshold, limit, false))) {
      out.add(Hit.of(p));
    }
    return out;
  }

  private static SearchRequest request(
      float[] vector,
      @Nullable Filter filter,
      Points.@Nullable SearchParams params,
      @Nullable Float threshold,
      int limit,
      boolean withVectors) {
    return new SearchRequest(
        vector, limit, 0, filter, threshold, params(params), PayloadSelector.NONE, withVectors);
  }

  /** Points in id order, as a query without a query answers. */
  private List<Hit> idOrder(@Nullable Filter filter, int limit) {
    List<Hit> out = new ArrayList<>();
    PointId offset = null;
    do {
      int page = Math.min(1000, Math.max(1, limit - out.size()));
      ScrollPage p =
          routed.scroll(
              collection, new ScrollRequest(filter, page, offset, PayloadSelector.NONE, false));
      p.points().forEach(r -> out.add(new Hit(r.id(), 0f, null)));
      offset = p.nextOffset();
    } while (offset != null && out.size() < limit);
    return out.size() > limit ? out.subList(0, limit) : out;
  }

  private List<Hit> ordered(Points.OrderBy orderBy, @Nullable Filter filter, int limit) {
    List<Hit> out = new ArrayList<>();
    for (OrderedScroll.Entry e :
        OrderedScroll.entries(state, routed, collection, orderBy, filter, limit)) {
      out.add(new Hit(e.id(), 0f, e.orderValue()));
    }
    return out;
  }

  /** {@code limit} points drawn at random, without repeats, from those passing the filter. */
  private List<Hit> sample(@Nullable Filter filter, int limit) {
    List<Hit> all = idOrder(filter, Integer.MAX_VALUE);
    List<Hit> shuffled = new ArrayList<>(all);
    Collections.shuffle(shuffled, ThreadLocalRandom.current());
    return shuffled.subList(0, Math.min(limit, shuffled.size()));
  }

  /**
   * Relevance feedback with the naive strategy, as Qdrant scores it: {@code a * sim(target)} plus,
   * for every ordered pair of feedback items whose scores differ by more than 0, {@code (score
   * difference)^b * c * (sim(better) - sim(worse))}. Every point passing the filter is scored (an
   * exact scan).
   */
  private List<Hit> feedback(
      Points.RelevanceFeedbackInput in,
      String using,
      @Nullable Filter filter,
      @Nullable Float threshold,
      int limit,
      Points.@Nullable LookupLocation lookup) {
    if (in.getStrategy().getVariantCase() != Points.FeedbackStrategy.VariantCase.NAIVE) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Wrong input: relevance_feedback needs a strategy (naive)")
          .asRuntimeException();
    }
    Points.NaiveFeedbackStrategy naive = in.getStrategy().getNaive();
    Space space = Space.of(state, routed, collection, using, "relevance_feedback");
    ExampleScoring.Metric m = space.metric();
    SpaceVector target = m.preprocess(spaceVector(in.getTarget(), lookup, using, space));
    List<SpaceVector> better = new ArrayList<>();
    List<SpaceVector> worse = new ArrayList<>();
    List<Float> weight = new ArrayList<>();
    List<Points.FeedbackItem> items = in.getFeedbackList();
    for (int i = 0; i < items.size(); i++) {
      for (int j = 0; j < items.size(); j++) {
        float confidence = items.get(i).getScore() - items.get(j).getScore();
        if (i == j || confidence <= 0f) {
          continue;
        }
        better.add(m.preprocess(spaceVector(items.get(i).getExample(), lookup, using, space)));
        worse.add(m.preprocess(spaceVector(items.get(j).getExample(), lookup, using, space)));
        weight.add((float) Math.pow(confidence, naive.getB()) * naive.getC());
      }
    }
    List<Hit> scored = new ArrayList<>();
    for (Space.Held r : space.scan(filter, PayloadSelector.NONE)) {
      SpaceVector v =
          m.preprocess(Objects.requireNonNull(r.vector(), "a scanned point has a vector"));
      float score = naive.getA() * m.similarity(target, v);
      for (int k = 0; k < weight.size(); k++) {
        score += weight.get(k) * (m.similarity(better.get(k), v) - m.similarity(worse.get(k), v));
      }
      if (threshold == null || score >= threshold) {
        scored.add(new Hit(r.id(), score, null));
      }
    }
    scored.sort(
        (a, b) ->
            a.score() != b.score()
                ? Float.compare(b.score(), a.score())
                : a.id().compareTo(b.id()));
    return scored.subList(0, Math.min(limit, scored.size()));
  }

  // ---- fusion ----

  /**
   * Reciprocal rank fusion, core's {@link FusionScores#rrf}: 1 / ((rank + 1) / weight + k - 1)
   * summed over the lists; Qdrant's validation text when the weights do not match the prefetches.
   */
  static List<Hit> rrf(List<List<Hit>> sources, int k, List<Float> weights) {
    if (!weights.isEmpty() && weights.size() != sources.size()) {
      throw validation(
          "Number of weights in RRF should match number of pre-fetches: got "
              + weights.size()
              + ", expected "
              + sources.size());
    }
    return hits(FusionScores.rrf(ranked(sources), k, weights));
  }

  /**
   * Distribution-based score fusion, core's {@link FusionScores#dbsf}: each list's scores are
   * normalised to the range mean ± 3 standard deviations (sample variance; a single point scores
   * 0.5), then summed per point.
   */
  static List<Hit> dbsf(List<List<Hit>> sources) {
    return hits(FusionScores.dbsf(ranked(sources)));
  }

  private static List<List<FusionScores.Ranked>> ranked(List<List<Hit>> sources) {
    List<List<FusionScores.Ranked>> out = new ArrayList<>(sources.size());
    for (List<Hit> list : sources) {
      List<FusionScores.Ranked> r = new ArrayList<>(list.size());
      list.forEach(h -> r.add(new FusionScores.Ranked(h.id(), h.score())));
      out.add(r);
    }
    return out;
  }

  private static List<Hit> hits(List<FusionScores.Ranked> fused) {
    List<Hit> out = new ArrayList<>(fused.size());
    fused.forEach(r -> out.add(new Hit(r.id(), r.score(), null)));
    return out;
  }

  /** Fusion's threshold keeps the leading scores at or above it; then the limit. */
  private static List<Hit> cut(List<Hit> fused, @Nullable Float threshold, int limit) {
    List<Hit> out = new ArrayList<>(Math.min(limit, fused.size()));
    for (Hit h : fused) {
      if (out.size() >= limit || (threshold != null && h.score() < threshold)) {
        break;
      }
      out.add(h);
    }
    return out;
  }

  // ---- maximal marginal relevance ----

  /**
   * Nearest neighbours re-ranked by MMR: the {@code candidates_limit} nearest (default: the limit)
   * are found first; then, starting from the most relevant, each next pick maximises {@code lambda
   * * relevance - (1 - lambda) * (highest similarity to a point already picked)}, with {@code
   * lambda = 1 - diversity} (diversity 0.5 by default). Results keep their search scores, in MMR
   * order.
   */
  private List<Hit> mmr(
      Points.NearestInputWithMmr in,
      String using,
      @Nullable Filter filter,
      Points.@Nullable SearchParams params,
      @Nullable Float threshold,
      int limit,
      Points.@Nullable LookupLocation lookup) {
    Space space = Space.of(state, routed, collection, using, "MMR");
    SpaceVector query = spaceVector(in.getNearest(), lookup, using, space);
    Points.Mmr m = in.getMmr();
    if (m.hasDiversity() && !(m.getDiversity() >= 0f && m.getDiversity() <= 1f)) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "Validation error in body: [mmr.diversity: value "
                  + m.getDiversity()
                  + " invalid, must be from 0.0 to 1.0]")
          .asRuntimeException();
    }
    float lambda = m.hasDiversity() ? 1f - m.getDiversity() : MMR_LAMBDA;
    int candidates = m.hasCandidatesLimit() ? m.getCandidatesLimit() : limit;
    List<ScoredPoint> found = new ArrayList<>();
    List<SpaceVector> vectors = new ArrayList<>();
    readVectors(
        space,
        space.nearest(
            query, candidates, 0, filter, threshold, params(params), PayloadSelector.NONE, false),
        found,
        vectors);
    int n = found.size();
    if (n < 2) {
      return found.stream().map(Hit::of).toList();
    }
    // Qdrant compares the found points as stored: for a sparse space, without IDF
    ExampleScoring.Metric metric = space.plainMetric();
    float[] relevance = new float[n];
    SpaceVector q = metric.preprocess(query);
    for (int i = 0; i < n; i++) {
      relevance[i] = metric.similarity(q, vectors.get(i));
    }
    float[][] sim = new float[n][];
    List<Integer> picked = new ArrayList<>();
    List<Integer> left = new ArrayList<>();
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (relevance[i] > relevance[best]) {
        best = i;
      }
    }
    for (int i = 0; i < n; i++) {
      if (i != best) {
        left.add(i);
      }
    }
    picked.add(best);
    while (picked.size() < limit && !left.isEmpty()) {
      int choice = -1;
      float choiceScore = Float.NEGATIVE_INFINITY;
      for (int c : left) {
        float maxSim = Float.NEGATIVE_INFINITY;
        for (int s : picked) {
          maxSim = Math.max(maxSim, pairwise(sim, metric, vectors, c, s));
        }
        float score = lambda * relevance[c] - (1f - lambda) * maxSim;
        if (choice < 0 || score > choiceScore) {
          choice = c;
          choiceScore = score;
        }
      }
      picked.add(choice);
      left.remove(Integer.valueOf(choice));
    }
    List<Hit> out = new ArrayList<>(picked.size());
    for (int i : picked.subList(0, Math.min(limit, picked.size()))) {
      out.add(Hit.of(found.get(i)));
    }
    return out;
  }

  private static float pairwise(
      float[][] cache, ExampleScoring.Metric metric, List<SpaceVector> vectors, int a, int b) {
    int i = Math.max(a, b);
    int j = Math.min(a, b);
    if (cache[i] == null) {
      cache[i] = new float[i];
      java.util.Arrays.fill(cache[i], Float.NaN);
    }
    if (Float.isNaN(cache[i][j])) {
      cache[i][j] = metric.similarity(vectors.get(i), vectors.get(j));
    }
    return cache[i][j];
  }

  /**
   * Adds to {@code found} the hits whose vector in the space could be read, and their vectors
   * (preprocessed as stored) to {@code vectors}, in the same order.
   */
  private static void readVectors(
      Space space, List<ScoredPoint> hits, List<ScoredPoint> found, List<SpaceVector> vectors) {
    List<PointId> ids = new ArrayList<>(hits.size());
    hits.forEach(h -> ids.add(h.id()));
    Map<PointId, SpaceVector> held = new HashMap<>();
    for (Space.Held h : space.retrieve(ids, PayloadSelector.NONE)) {
      SpaceVector v = h.vector();
      if (v != null) {
        held.put(h.id(), space.plainMetric().preprocess(v));
      }
    }
    for (ScoredPoint h : hits) {
      SpaceVector v = held.get(h.id());
      if (v != null) {
        found.add(h);
        vectors.add(v);
      }
    }
  }

  // ---- results ----

  private List<Points.ScoredPoint> fill(List<Hit> hits, PayloadView view, boolean vectors) {
    if (hits.isEmpty()) {
      return List.of();
    }
    Map<PointId, RetrievedPoint> points = new HashMap<>();
    boolean needPayload = view.selector().enabled();
    if (needPayload || vectors) {
      Set<PointId> ids = new LinkedHashSet<>();
      hits.forEach(h -> ids.add(h.id()));
      for (RetrievedPoint r :
          routed.retrieve(collection, List.copyOf(ids), view.selector(), vectors)) {
        points.put(r.id(), r);
      }
    }
    List<Points.ScoredPoint> out = new ArrayList<>(hits.size());
    for (Hit h : hits) {
      RetrievedPoint r = points.get(h.id());
      if ((needPayload || vectors) && r == null) {
        continue; // deleted meanwhile
      }
      float[] v = r == null ? null : r.vector();
      Map<String, Object> payload = r == null ? Map.of() : r.payload();
      ScoredPoint p =
          v == null
              ? ScoredPoint.withoutVector(h.id(), h.score(), payload)
              : new ScoredPoint(h.id(), h.score(), payload, v);
      Points.ScoredPoint proto = ProtoPoints.scored(p, view);
      if (h.orderValue() != null) {
        proto = proto.toBuilder().setOrderValue(h.orderValue()).build();
      }
      out.add(proto);
    }
    return out;
  }

  // ---- helpers ----

  private static @Nullable Filter both(@Nullable Filter a, @Nullable Filter b) {
    if (a == null || a.isEmpty()) {
      return b;
    }
    if (b == null || b.isEmpty()) {
      return a;
    }
    return Filter.must(new Condition.Sub(a), new Condition.Sub(b));
  }

  private static StatusRuntimeException badRequest(String message) {
    return Status.INVALID_ARGUMENT.withDescription("Bad request: " + message).asRuntimeException();
  }

  private static StatusRuntimeException validation(String message) {
    return Status.INVALID_ARGUMENT
        .withDescription("Wrong input: Validation failed: " + message)
        .asRuntimeException();
  }
}
