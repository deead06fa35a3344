package dev.vectorcache.qdrant.testserver;

import static dev.vectorcache.qdrant.testserver.ProtoPoints.floats;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.params;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.payloadView;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.requireLimit;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.unsupported;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.qdrant.testserver.ProtoPoints.PayloadView;
import io.grpc.Status;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.BatchResult;
import io.qdrant.client.grpc.Points.DiscoverBatchPoints;
import io.qdrant.client.grpc.Points.DiscoverBatchResponse;
import io.qdrant.client.grpc.Points.DiscoverPoints;
import io.qdrant.client.grpc.Points.DiscoverResponse;
import io.qdrant.client.grpc.Points.LookupLocation;
import io.qdrant.client.grpc.Points.ReadConsistency;
import io.qdrant.client.grpc.Points.RecommendBatchPoints;
import io.qdrant.client.grpc.Points.RecommendBatchResponse;
import io.qdrant.client.grpc.Points.RecommendPoints;
import io.qdrant.client.grpc.Points.RecommendResponse;
import io.qdrant.client.grpc.Points.RecommendStrategy;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Queries by example, as Qdrant 1.18 answers them: Recommend (average vector, best score, sum
 * scores), Discover (target and context pairs; context pairs alone are a context search), their
 * batches, and the {@code recommend}, {@code discover} and {@code context} variants of Query.
 *
 * <p>Examples are point ids, read from the searched collection (or {@code lookup_from}'s) and left
 * out of the results when they come from the searched collection, or vectors. The average-vector
 * strategy is an ordinary search of the backing store; the other scores are computed by {@link
 * ExampleScoring} over every point that passes the filter ({@link Ranking}).
 */
final class ExampleQueries {
  private ExampleQueries() {}

  /** An example: a stored point's id, or a vector. */
  sealed interface Example permits ById, ByVector {}

  record ById(PointId id) implements Example {}

  record ByVector(SpaceVector vector) implements Example {}

  /** A context pair of examples. */
  record ExamplePair(Example positive, Example negative) {}

  /** A query ready to rank: how to score, and the filter with the examples left out. */
  record Prepared(Ranking.Plan plan, @Nullable Filter filter) {}

  /**
   * The examples' vectors by id (a point without a vector in the space has none), and the ids to
   * leave out of the results.
   */
  private record Resolved(Map<PointId, SpaceVector> vectors, Set<PointId> exclude) {}

  // ---- the RPCs ----

  static RecommendResponse recommend(ServerState state, RecommendPoints request) {
    long start = System.nanoTime();
    return RecommendResponse.newBuilder()
        .addAllResult(
            recommendHits(
                state,
                request.getCollectionName(),
                request,
                request.hasReadConsistency() ? request.getReadConsistency() : null))
        .setTime(ServerState.seconds(start))
        .build();
  }

  static RecommendBatchResponse recommendBatch(ServerState state, RecommendBatchPoints request) {
    long start = System.nanoTime();
    ReadConsistency rc = request.hasReadConsistency() ? request.getReadConsistency() : null;
    RecommendBatchResponse.Builder b = RecommendBatchResponse.newBuilder();
    for (RecommendPoints r : request.getRecommendPointsList()) {
      b.addResult(batchResult(recommendHits(state, request.getCollectionName(), r, rc)));
    }
    return b.setTime(ServerState.seconds(start)).build();
  }

  static DiscoverResponse discover(ServerState state, DiscoverPoints request) {
    long start = System.nanoTime();
    return DiscoverResponse.newBuilder()
        .addAllResult(
            discoverHits(
                state,
                request.getCollectionName(),
                request,
                request.hasReadConsistency() ? request.getReadConsistency() : null))
        .setTime(ServerState.seconds(start))
        .build();
  }

  static DiscoverBatchResponse discoverBatch(ServerState state, DiscoverBatchPoints request) {
    long start = System.nanoTime();
    ReadConsistency rc = request.hasReadConsistency() ? request.getReadConsistency() : null;
    DiscoverBatchResponse.Builder b = DiscoverBatchResponse.newBuilder();
    for (DiscoverPoints d : request.getDiscoverPointsList()) {
      b.addResult(batchResult(discoverHits(state, request.getCollectionName(), d, rc)));
    }
    return b.setTime(ServerState.seconds(start)).build();
  }

  private static BatchResult batchResult(List<Points.ScoredPoint> hits) {
    return BatchResult.newBuilder().addAllResult(hits).build();
  }

  /**
   * A {@code recommend}, {@code discover} or {@code context} query of the universal Query ({@link
   * UniversalQuery}): the best {@code limit} points passing {@code filter}, and among {@code
   * candidates} when the query re-ranks prefetched points, in the space {@code using}. Ids are read
   * from {@code lookup}'s collection when given; ids of the searched collection are left out of the
   * results.
   */
  static List<UniversalQuery.Hit> scoreForQuery(
      ServerState state,
      Routed routed,
      String collection,
      String using,
      Points.Query q,
      @Nullable LookupLocation lookup,
      @Nullable ReadConsistency rc,
      @Nullable Filter filter,
      @Nullable Set<PointId> candidates,
      @Nullable SearchParams params,
      @Nullable Float threshold,
      int limit) {
    // parse first: Qdrant refuses a malformed query before it looks for the collection
    Prepare prepare =
        switch (q.getVariantCase()) {
          case RECOMMEND -> {
            Points.RecommendInput in = q.getRecommend();
            List<Example> positive = inputs(in.getPositiveList());
            List<Example> negative = inputs(in.getNegativeList());
            // an unknown strategy is the default one in Qdrant's Query API
            RecommendStrategy strategy =
                in.hasStrategy() && in.getStrategy() != RecommendStrategy.UNRECOGNIZED
                    ? in.getStrategy()
                    : RecommendStrategy.AverageVector;
            yield (t, l, c) ->
                prepareRecommend(t, positive, negative, strategy, l, c, filter, true);
          }
          case DISCOVER -> {
            Points.DiscoverInput in = q.getDiscover();
            if (!in.hasTarget()) {
              throw invalid("DiscoverInput target is missing");
            }
            Example target = input(in.getTarget());
            if (!in.hasContext()) {
              throw invalid("DiscoverInput context is missing");
            }
            List<ExamplePair> pairs = inputPairs(in.getContext());
            yield (t, l, c) -> prepareDiscover(t, target, pairs, l, c, filter, true);
          }
          case CONTEXT -> {
            List<ExamplePair> pairs = inputPairs(q.getContext());
            yield (t, l, c) -> prepareDiscover(t, null, pairs, l, c, filter, true);
          }
          case VARIANT_NOT_SET -> throw invalid("Query variant is missing");
          default -> throw unsupported("query variant " + q.getVariantCase());
        };
    Space t = Space.of(state, routed, collection, using, q.getVariantCase().name() + " queries");
    Prepared p = prepare.apply(t, lookup, rc);
    Filter f =
        candidates == null
            ? p.filter()
            : Ranking.and(p.filter(), Filter.must(new Condition.HasId(candidates)));
    List<UniversalQuery.Hit> out = new ArrayList<>();
    for (ScoredPoint hit :
        Ranking.rank(
            t,
            p.plan(),
            new Ranking.Read(
                f,
                threshold,
                params == null ? SearchParams.DEFAULT : params,
                PayloadSelector.NONE,
                false,
                0,
                limit))) {
      out.add(UniversalQuery.Hit.of(hit));
    }
    return out;
  }

  @FunctionalInterface
  private interface Prepare {
    Prepared apply(Space t, @Nullable LookupLocation lookup, @Nullable ReadConsistency rc);
  }

  // ---- Recommend ----

  private static List<Points.ScoredPoint> recommendHits(
      ServerState state, String name, RecommendPoints r, @Nullable ReadConsistency rc) {
    PayloadView view = payloadView(r.hasWithPayload() ? r.getWithPayload() : null, false);
    List<Example> positive = examples(r.getPositiveList(), r.getPositiveVectorsList());
    List<Example> negative = examples(r.getNegativeList(), r.getNegativeVectorsList());
    RecommendStrategy strategy = strategy(r.hasStrategy(), r.getStrategyValue());
    Routed routed =
        Routed.read(state.store(), r.hasShardKeySelector() ? r.getShardKeySelector() : null, rc);
    Space t = Space.of(state, routed, name, r.hasUsing() ? r.getUsing() : "", "Recommend");
    if (r.getLimit() == 0) {
      return List.of(); // Qdrant answers a limit of 0 with nothing
    }
    WithVectorsSelector vectors = r.hasWithVectors() ? r.getWithVectors() : null;
    Prepared p =
        prepareRecommend(
            t,
            positive,
            negative,
            strategy,
            r.hasLookupFrom() ? r.getLookupFrom() : null,
            rc,
            r.hasFilter() ? ProtoFilters.toCore(r.getFilter()) : null,
            false);
    List<ScoredPoint> hits =
        Ranking.rank(
            t,
            p.plan(),
            new Ranking.Read(
                p.filter(),
                r.hasScoreThreshold() ? r.getScoreThreshold() : null,
                params(r.hasParams() ? r.getParams() : null),
                view.selector(),
                t.readsVectors(vectors),
                r.hasOffset() ? r.getOffset() : 0,
                r.getLimit()));
    return t.answer(hits, view, vectors);
  }

  /** A request's strategy: absent is AverageVector, an unknown number is INVALID_ARGUMENT. */
  static RecommendStrategy strategy(boolean present, int value) {
    if (!present) {
      return RecommendStrategy.AverageVector;
    }
    RecommendStrategy s = RecommendStrategy.forNumber(value);
    if (s == null) {
      throw invalid("Unknown recommend strategy: " + value);
    }
    return s;
  }

  /** The positive or negative examples of a Recommend request: its ids, then its vectors. */
  static List<Example> examples(
      List<io.qdrant.client.grpc.Common.PointId> ids, List<Points.Vector> vectors) {
    List<Example> out = new ArrayList<>(ids.size() + vectors.size());
    for (io.qdrant.client.grpc.Common.PointId id : ids) {
      out.add(new ById(ProtoValues.id(id)));
    }
    for (Points.Vector v : vectors) {
      out.add(new ByVector(vector(v)));
    }
    return out;
  }

  /** A vector example: sparse when it has indices, dense otherwise. */
  // clients may still send the deprecated `data` and `indices` fields, which Qdrant accepts
  @SuppressWarnings("deprecation")
  static SpaceVector vector(Points.Vector v) {
    if (v.hasSparse()) {
      return new SpaceVector.Sparse(
          NamedVectors.sparse(v.getSparse().getIndicesList(), v.getSparse().getValuesList()));
    }
    if (v.hasIndices() && !v.hasDense()) {
      return new SpaceVector.Sparse(
          NamedVectors.sparse(v.getIndices().getDataList(), v.getDataList()));
    }
    return new SpaceVector.Dense(ProtoPoints.vector(v));
  }

  /**
   * Checks the examples for the strategy, reads the examples' vectors and builds the plan: the
   * average vector searched normally, or the best-score or sum-scores objective. The Query API
   * ({@code queryApi}) normalises each example before averaging (for Cosine); the Recommend RPC
   * averages the vectors as given and stored, and the search normalises the average.
   */
  static Prepared prepareRecommend(
      Space t,
      List<Example> positive,
      List<Example> negative,
      RecommendStrategy strategy,
      @Nullable LookupLocation lookup,
      @Nullable ReadConsistency rc,
      @Nullable Filter filter,
      boolean queryApi) {
    boolean average = strategy == RecommendStrategy.AverageVector;
    if (average && positive.isEmpty() && !queryApi) {
      throw badRequest("At least one positive vector ID required with this strategy");
    }
    if (!average && positive.isEmpty() && negative.isEmpty()) {
      throw badRequest("At least one positive or negative vector ID required with this strategy");
    }
    List<Example> all = new ArrayList<>(positive);
    all.addAll(negative);
    Resolved res = resolve(t, lookup, rc, all, queryApi);
    List<SpaceVector> pos = vectors(t, res, positive);
    List<SpaceVector> neg = vectors(t, res, negative);
    Filter excluded = Ranking.excluding(filter, res.exclude());
    ExampleScoring.Metric m = t.metric();
    if (average) {
      if (pos.isEmpty()) {
        throw Status.INVALID_ARGUMENT
            .withDescription(
                "Wrong input: Positive vectors should not be empty with `average` strategy")
            .asRuntimeException();
      }
      SpaceVector query =
          queryApi
              ? ExampleScoring.averageVector(m.preprocess(pos), m.preprocess(neg))
              : ExampleScoring.averageVector(pos, neg);
      return new Prepared(new Ranking.Nearest(query), excluded);
    }
    List<SpaceVector> p = m.preprocess(pos);
    List<SpaceVector> n = m.preprocess(neg);
    ExampleScoring.CustomScore score =
        strategy == RecommendStrategy.BestScore
            ? ExampleScoring.bestScore(m, p, n)
            : ExampleScoring.sumScores(m, p, n);
    return new Prepared(new Ranking.Custom(score), excluded);
  }

  // ---- Discover ----

  private static List<Points.ScoredPoint> discoverHits(
      ServerState state, String name, DiscoverPoints d, @Nullable ReadConsistency rc) {
    requireLimit(d.getLimit());
    PayloadView view = payloadView(d.hasWithPayload() ? d.getWithPayload() : null, false);
    Example target = d.hasTarget() ? target(d.getTarget()) : null;
    List<ExamplePair> pairs = new ArrayList<>();
    for (Points.ContextExamplePair pair : d.getContextList()) {
      Example positive = pair.hasPositive() ? example(pair.getPositive()) : null;
      Example negative = pair.hasNegative() ? example(pair.getNegative()) : null;
      if (positive == null || negative == null) {
        throw invalid("Both positive and negative are required in a context pair");
      }
      pairs.add(new ExamplePair(positive, negative));
    }
    Routed routed =
        Routed.read(state.store(), d.hasShardKeySelector() ? d.getShardKeySelector() : null, rc);
    Space t = Space.of(state, routed, name, d.hasUsing() ? d.getUsing() : "", "Discover");
    WithVectorsSelector vectors = d.hasWithVectors() ? d.getWithVectors() : null;
    Prepared p =
        prepareDiscover(
            t,
            target,
            pairs,
            d.hasLookupFrom() ? d.getLookupFrom() : null,
            rc,
            d.hasFilter() ? ProtoFilters.toCore(d.getFilter()) : null,
            false);
    List<ScoredPoint> hits =
        Ranking.rank(
            t,
            p.plan(),
            new Ranking.Read(
                p.filter(),
                null, // Discover has no score threshold
                params(d.hasParams() ? d.getParams() : null),
                view.selector(),
                t.readsVectors(vectors),
                d.hasOffset() ? d.getOffset() : 0,
                d.getLimit()));
    return t.answer(hits, view, vectors);
  }

  /**
   * Discovery with a target, context search without one. The Discover RPC refuses a request with
   * neither; the Query API's context query may have no pair (every score is then 0).
   */
  static Prepared prepareDiscover(
      Space t,
      @Nullable Example target,
      List<ExamplePair> pairs,
      @Nullable LookupLocation lookup,
      @Nullable ReadConsistency rc,
      @Nullable Filter filter,
      boolean queryApi) {
    if (target == null && pairs.isEmpty() && !queryApi) {
      throw badRequest("target and/or context_pairs must be specified");
    }
    List<Example> all = new ArrayList<>();
    if (target != null) {
      all.add(target);
    }
    for (ExamplePair pair : pairs) {
      all.add(pair.positive());
      all.add(pair.negative());
    }
    Resolved res = resolve(t, lookup, rc, all, queryApi);
    if (target instanceof ById byId && !res.vectors().containsKey(byId.id())) {
      target = null; // a target point without a vector in the space: a context search, as in Qdrant
    }
    ExampleScoring.Metric m = t.metric();
    List<ExampleScoring.Pair> vectors = new ArrayList<>(pairs.size());
    for (ExamplePair pair : pairs) {
      vectors.add(
          new ExampleScoring.Pair(
              m.preprocess(vector(t, res, pair.positive())),
              m.preprocess(vector(t, res, pair.negative()))));
    }
    ExampleScoring.CustomScore score =
        target == null
            ? ExampleScoring.context(m, vectors)
            : ExampleScoring.discover(m, m.preprocess(vector(t, res, target)), vectors);
    return new Prepared(new Ranking.Custom(score), Ranking.excluding(filter, res.exclude()));
  }

  private static Example target(Points.TargetVector target) {
    if (!target.hasSingle()) {
      throw invalid("Target vector is malformed");
    }
    return example(target.getSingle());
  }

  private static Example example(Points.VectorExample e) {
    return switch (e.getExampleCase()) {
      case ID -> new ById(ProtoValues.id(e.getId()));
      case VECTOR -> new ByVector(vector(e.getVector()));
      default -> throw invalid("Vector example, which can be id or bare vector, is malformed");
    };
  }

  // ---- Query API inputs ----

  private static Example input(Points.VectorInput in) {
    return switch (in.getVariantCase()) {
      case ID -> new ById(ProtoValues.id(in.getId()));
      case DENSE -> new ByVector(new SpaceVector.Dense(floats(in.getDense().getDataList())));
      case SPARSE ->
          new ByVector(
              new SpaceVector.Sparse(
                  NamedVectors.sparse(
                      in.getSparse().getIndicesList(), in.getSparse().getValuesList())));
      case VARIANT_NOT_SET -> throw invalid("VectorInput variant is missing");
      default -> throw unsupported("query inputs other than dense or sparse vectors and point ids");
    };
  }

  private static List<Example> inputs(List<Points.VectorInput> in) {
    List<Example> out = new ArrayList<>(in.size());
    for (Points.VectorInput v : in) {
      out.add(input(v));
    }
    return out;
  }

  private static List<ExamplePair> inputPairs(Points.ContextInput context) {
    List<ExamplePair> out = new ArrayList<>();
    for (Points.ContextInputPair pair : context.getPairsList()) {
      if (!pair.hasPositive()) {
        throw invalid("ContextPair positive is missing");
      }
      if (!pair.hasNegative()) {
        throw invalid("ContextPair negative is missing");
      }
      out.add(new ExamplePair(input(pair.getPositive()), input(pair.getNegative())));
    }
    return out;
  }

  // ---- shared ----

  /**
   * Reads the vectors of the examples given as ids, from the searched space or {@code lookup}'s: a
   * lookup collection that does not exist and an id without a point are NOT_FOUND, as in Qdrant
   * (the first missing id in the request's order). Ids read from the searched collection are left
   * out of the results. The lookup reads its {@code vector_name}, or when it has none the unnamed
   * vector (the Recommend and Discover RPCs) or the searched space ({@code queryApi}), as Qdrant.
   */
  private static Resolved resolve(
      Space t,
      @Nullable LookupLocation lookup,
      @Nullable ReadConsistency rc,
      List<Example> examples,
      boolean queryApi) {
    Set<PointId> ids = new LinkedHashSet<>();
    for (Example e : examples) {
      if (e instanceof ById byId) {
        ids.add(byId.id());
      }
    }
    if (ids.isEmpty()) {
      return new Resolved(Map.of(), Set.of());
    }
    Space source = t;
    if (lookup != null) {
      String from = lookup.getCollectionName();
      if (!from.equals(t.name()) && !t.store().collectionExists(from)) {
        throw Status.NOT_FOUND
            .withDescription("Not found: Collection " + from + " not found")
            .asRuntimeException();
      }
      String using = lookup.hasVectorName() ? lookup.getVectorName() : queryApi ? t.using() : "";
      source =
          t.other(
              Routed.read(
                  t.store(),
                  lookup.hasShardKeySelector() ? lookup.getShardKeySelector() : null,
                  rc),
              from,
              using);
    }
    Map<PointId, SpaceVector> vectors = new HashMap<>();
    Set<PointId> found = new HashSet<>();
    for (Space.Held p : source.retrieve(ids, PayloadSelector.NONE)) {
      found.add(p.id());
      SpaceVector v = p.vector();
      if (v != null) {
        vectors.put(p.id(), v);
      }
    }
    for (PointId id : ids) {
      if (!found.contains(id)) {
        throw Status.NOT_FOUND
            .withDescription("Not found: No point with id " + id + " found")
            .asRuntimeException();
      }
    }
    return new Resolved(vectors, source.name().equals(t.name()) ? ids : Set.of());
  }

  /** The examples' vectors; an example point without a vector in the space adds none (Qdrant). */
  private static List<SpaceVector> vectors(Space t, Resolved res, List<Example> examples) {
    List<SpaceVector> out = new ArrayList<>(examples.size());
    for (Example e : examples) {
      if (!(e instanceof ById byId) || res.vectors().containsKey(byId.id())) {
        out.add(vector(t, res, e));
      }
    }
    return out;
  }

  /**
   * An example's vector, of the space's kind (Qdrant's conversion error otherwise) and dimension
   * (Qdrant's dimension error otherwise).
   */
  private static SpaceVector vector(Space t, Resolved res, Example e) {
    SpaceVector found =
        e instanceof ById byId ? res.vectors().get(byId.id()) : ((ByVector) e).vector();
    if (found == null) {
      // a context pair needs both vectors; Qdrant fails such a request too
      throw badRequest(
          "the point "
              + ((ById) e).id()
              + " has no vector \""
              + t.using()
              + "\" for a context pair");
    }
    if (found instanceof SpaceVector.Sparse != t.sparse()) {
      throw NamedVectors.conversion();
    }
    if (found instanceof SpaceVector.Sparse) {
      return found; // its values were checked when it was made
    }
    float[] v = SpaceVector.dense(found);
    if (v.length != t.dimension()) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "Wrong input: Vector dimension error: expected dim: "
                  + t.dimension()
                  + ", got "
                  + v.length)
          .asRuntimeException();
    }
    for (float x : v) {
      if (!Float.isFinite(x)) {
        throw invalid("Wrong input: a vector component is NaN or infinite");
      }
    }
    return found;
  }

  static RuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  static RuntimeException badRequest(String description) {
    return Status.INVALID_ARGUMENT
        .withDescription("Bad request: " + description)
        .asRuntimeException();
  }
}
