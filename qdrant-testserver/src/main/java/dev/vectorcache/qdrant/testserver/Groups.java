package dev.vectorcache.qdrant.testserver;

import static dev.vectorcache.qdrant.testserver.ProtoPoints.floats;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.params;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.payloadView;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.retrieved;

import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.qdrant.testserver.ExampleQueries.Example;
import dev.vectorcache.qdrant.testserver.ProtoPoints.PayloadView;
import io.grpc.Status;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.GroupId;
import io.qdrant.client.grpc.Points.GroupsResult;
import io.qdrant.client.grpc.Points.PointGroup;
import io.qdrant.client.grpc.Points.ReadConsistency;
import io.qdrant.client.grpc.Points.RecommendGroupsResponse;
import io.qdrant.client.grpc.Points.RecommendPointGroups;
import io.qdrant.client.grpc.Points.SearchGroupsResponse;
import io.qdrant.client.grpc.Points.SearchPointGroups;
import io.qdrant.client.grpc.Points.WithLookup;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * SearchGroups and RecommendGroups, as Qdrant 1.18 answers them: the hits of the search (or
 * recommendation) grouped by the values of a payload key, at most {@code group_size} hits per group
 * and {@code limit} groups, the groups ordered by their best hit and each group's hits best first.
 *
 * <p>A point whose key holds an array is in the group of each of its values; strings and integers
 * are group ids (a non-negative integer is an {@code unsigned_value}, a negative one an {@code
 * integer_value}), other values are ignored, and points without the key are left out. With {@code
 * with_lookup}, each group carries the point of the lookup collection whose id is the group id (a
 * number, or a string holding a UUID). Qdrant fills its groups with a few bounded searches; the
 * test server groups every hit of one exhaustive ranking, which gives the same groups whenever
 * Qdrant's searches find them all.
 */
final class Groups {
  private Groups() {}

  static SearchGroupsResponse searchGroups(ServerState state, SearchPointGroups r) {
    long start = System.nanoTime();
    long groupSize = Integer.toUnsignedLong(r.getGroupSize());
    long limit = Integer.toUnsignedLong(r.getLimit());
    validate(r.getGroupBy(), groupSize, limit);
    ReadConsistency rc = r.hasReadConsistency() ? r.getReadConsistency() : null;
    Routed routed =
        Routed.read(state.store(), r.hasShardKeySelector() ? r.getShardKeySelector() : null, rc);
    Space t =
        Space.of(
            state,
            routed,
            r.getCollectionName(),
            r.hasVectorName() ? r.getVectorName() : "",
            "SearchGroups");
    if (r.hasSparseIndices() != t.sparse()) {
      throw NamedVectors.conversion();
    }
    SpaceVector query =
        r.hasSparseIndices()
            ? new SpaceVector.Sparse(
                NamedVectors.sparse(r.getSparseIndices().getDataList(), r.getVectorList()))
            : new SpaceVector.Dense(floats(r.getVectorList()));
    Filter filter = r.hasFilter() ? ProtoFilters.toCore(r.getFilter()) : null;
    GroupsResult result =
        group(
            state,
            t,
            new ExampleQueries.Prepared(new Ranking.Nearest(query), filter),
            new Spec(
                r.getGroupBy(),
                groupSize,
                limit,
                r.hasScoreThreshold() ? r.getScoreThreshold() : null,
                params(r.hasParams() ? r.getParams() : null),
                payloadView(r.hasWithPayload() ? r.getWithPayload() : null, false),
                r.hasWithVectors() ? r.getWithVectors() : null,
                r.hasWithLookup() ? r.getWithLookup() : null),
            rc);
    return SearchGroupsResponse.newBuilder()
        .setResult(result)
        .setTime(ServerState.seconds(start))
        .build();
  }

  static RecommendGroupsResponse recommendGroups(ServerState state, RecommendPointGroups r) {
    long start = System.nanoTime();
    long groupSize = Integer.toUnsignedLong(r.getGroupSize());
    long limit = Integer.toUnsignedLong(r.getLimit());
    validate(r.getGroupBy(), groupSize, limit);
    List<Example> positive =
        ExampleQueries.examples(r.getPositiveList(), r.getPositiveVectorsList());
    List<Example> negative =
        ExampleQueries.examples(r.getNegativeList(), r.getNegativeVectorsList());
    Points.RecommendStrategy strategy =
        ExampleQueries.strategy(r.hasStrategy(), r.getStrategyValue());
    ReadConsistency rc = r.hasReadConsistency() ? r.getReadConsistency() : null;
    Routed routed =
        Routed.read(state.store(), r.hasShardKeySelector() ? r.getShardKeySelector() : null, rc);
    Space t =
        Space.of(
            state,
            routed,
            r.getCollectionName(),
            r.hasUsing() ? r.getUsing() : "",
            "RecommendGroups");
    ExampleQueries.Prepared prepared =
        ExampleQueries.prepareRecommend(
            t,
            positive,
            negative,
            strategy,
            r.hasLookupFrom() ? r.getLookupFrom() : null,
            rc,
            r.hasFilter() ? ProtoFilters.toCore(r.getFilter()) : null,
            false);
    GroupsResult result =
        group(
            state,
            t,
            prepared,
            new Spec(
                r.getGroupBy(),
                groupSize,
                limit,
                r.hasScoreThreshold() ? r.getScoreThreshold() : null,
                params(r.hasParams() ? r.getParams() : null),
                payloadView(r.hasWithPayload() ? r.getWithPayload() : null, false),
                r.hasWithVectors() ? r.getWithVectors() : null,
                r.hasWithLookup() ? r.getWithLookup() : null),
            rc);
    return RecommendGroupsResponse.newBuilder()
        .setResult(result)
        .setTime(ServerState.seconds(start))
        .build();
  }

  /** What a grouping asks for beyond its query. */
  private record Spec(
      String groupBy,
      long groupSize,
      long limit,
      @Nullable Float threshold,
      SearchParams params,
      PayloadView view,
      @Nullable WithVectorsSelector vectors,
      @Nullable WithLookup lookup) {}

  /** Qdrant's validation of the request: in its order, the first error alone. */
  private static void validate(String groupBy, long groupSize, long limit) {
    if (groupBy.isEmpty()) {
      throw validation("group_by: value \"\" invalid, must be at least 1 characters");
    }
    if (groupSize < 1) {
      throw validation("group_size: value " + groupSize + " invalid, must be 1 or larger");
    }
    if (limit < 1) {
      throw validation("limit: value " + limit + " invalid, must be 1 or larger");
    }
  }

  private static RuntimeException validation(String detail) {
    return Status.INVALID_ARGUMENT
        .withDescription("Validation error in body: [" + detail + "]")
        .asRuntimeException();
  }

  private static GroupsResult group(
      ServerState state,
      Space t,
      ExampleQueries.Prepared prepared,
      Spec spec,
      @Nullable ReadConsistency rc) {
    String key = PayloadPaths.stripWildcard(spec.groupBy());
    // only points with a value at the key take part
    Filter filter = Ranking.and(prepared.filter(), Filter.mustNot(Condition.isEmpty(key)));
    List<ScoredPoint> ranked =
        Ranking.rank(
            t,
            prepared.plan(),
            new Ranking.Read(
                filter,
                spec.threshold(),
                spec.params(),
                PayloadSelector.ALL,
                false,
                0,
                Long.MAX_VALUE));
    return grouped(state, t.routed(), t.name(), t.named(), key, ranked, spec, rc);
  }

  /**
   * QueryGroups: the hits of a universal Query ({@link UniversalQuery}) grouped as SearchGroups
   * groups them; {@code group_size} 3 and {@code limit} 10 groups by default, as in Qdrant.
   */
  static Points.QueryGroupsResponse queryGroups(ServerState state, Points.QueryPointGroups r) {
    long start = System.nanoTime();
    long groupSize = r.hasGroupSize() ? r.getGroupSize() : 3;
    long limit = r.hasLimit() ? r.getLimit() : 10;
    validate(r.getGroupBy(), groupSize, limit);
    ReadConsistency rc = r.hasReadConsistency() ? r.getReadConsistency() : null;
    Routed routed =
        Routed.read(state.store(), r.hasShardKeySelector() ? r.getShardKeySelector() : null, rc);
    String name = r.getCollectionName();
    if (!state.store().collectionExists(name)) {
      throw new CollectionNotFoundException(name);
    }
    boolean named = NamedVectors.multi(state, name) != null;
    String key = PayloadPaths.stripWildcard(r.getGroupBy());
    // only points with a value at the key take part; every such point is ranked
    Filter own = r.hasFilter() ? ProtoFilters.toCore(r.getFilter()) : null;
    Filter filter = Ranking.and(own, Filter.mustNot(Condition.isEmpty(key)));
    long all = Math.max(1, routed.count(name, filter));
    Points.QueryPoints.Builder q =
        Points.QueryPoints.newBuilder()
            .setCollectionName(r.getCollectionName())
            .addAllPrefetch(r.getPrefetchList())
            .setLimit(all);
    if (r.hasQuery()) {
      q.setQuery(r.getQuery());
    }
    if (r.hasUsing()) {
      q.setUsing(r.getUsing());
    }
    if (r.hasFilter()) {
      q.setFilter(r.getFilter());
    }
    if (r.hasParams()) {
      q.setParams(r.getParams());
    }
    if (r.hasScoreThreshold()) {
      q.setScoreThreshold(r.getScoreThreshold());
    }
    if (r.hasLookupFrom()) {
      q.setLookupFrom(r.getLookupFrom());
    }
    List<UniversalQuery.Hit> hits =
        UniversalQuery.of(state, routed, r.getCollectionName(), rc)
            .hits(q.build(), Filter.mustNot(Condition.isEmpty(key)));
    // the payload the grouping reads
    Set<PointId> ids = new LinkedHashSet<>();
    hits.forEach(h -> ids.add(h.id()));
    Map<PointId, RetrievedPoint> payloads = new HashMap<>();
    if (!ids.isEmpty()) {
      for (RetrievedPoint p : routed.retrieve(name, ids, PayloadSelector.ALL, false)) {
        payloads.put(p.id(), p);
      }
    }
    List<ScoredPoint> ranked = new ArrayList<>(hits.size());
    for (UniversalQuery.Hit h : hits) {
      RetrievedPoint p = payloads.get(h.id());
      if (p != null) {
        ranked.add(ScoredPoint.withoutVector(h.id(), h.score(), p.payload()));
      }
    }
    Spec spec =
        new Spec(
            r.getGroupBy(),
            groupSize,
            limit,
            r.hasScoreThreshold() ? r.getScoreThreshold() : null,
            params(r.hasParams() ? r.getParams() : null),
            payloadView(r.hasWithPayload() ? r.getWithPayload() : null, false),
            r.hasWithVectors() ? r.getWithVectors() : null,
            r.hasWithLookup() ? r.getWithLookup() : null);
    return Points.QueryGroupsResponse.newBuilder()
        .setResult(grouped(state, routed, name, named, key, ranked, spec, rc))
        .setTime(ServerState.seconds(start))
        .build();
  }

  /**
   * Groups ranked hits (with their payload) of {@code name} by the values at {@code key}; {@code
   * named}: the collection has named vectors, which the hits are answered with.
   */
  private static GroupsResult grouped(
      ServerState state,
      Routed routed,
      String name,
      boolean named,
      String key,
      List<ScoredPoint> ranked,
      Spec spec,
      @Nullable ReadConsistency rc) {
    // groups in the order of their best hit; hits best first
    Map<Object, List<ScoredPoint>> groups = new LinkedHashMap<>();
    for (ScoredPoint p : ranked) {
      for (Object id : groupIds(PayloadPaths.values(p.payload(), key))) {
        List<ScoredPoint> hits = groups.get(id);
        if (hits == null) {
          if (groups.size() >= spec.limit()) {
            continue; // enough groups: a new one would rank below all of them
          }
          hits = new ArrayList<>();
          groups.put(id, hits);
        }
        if (hits.size() < spec.groupSize()) {
          hits.add(p);
        }
      }
    }
    // the hits as asked for: payload and vectors read again, as Qdrant does
    Set<PointId> ids = new LinkedHashSet<>();
    groups.values().forEach(hits -> hits.forEach(h -> ids.add(h.id())));
    Map<PointId, RetrievedPoint> filled = new HashMap<>();
    if (!ids.isEmpty()) {
      for (RetrievedPoint p :
          routed.retrieve(
              name, ids, spec.view().selector(), Space.readsVectors(named, spec.vectors()))) {
        filled.put(p.id(), p);
      }
    }
    WithLookup withLookup = spec.lookup();
    Map<Object, RetrievedPoint> lookups = lookups(state, withLookup, groups, rc);
    GroupsResult.Builder out = GroupsResult.newBuilder();
    for (Map.Entry<Object, List<ScoredPoint>> group : groups.entrySet()) {
      PointGroup.Builder g = PointGroup.newBuilder().setId(groupId(group.getKey()));
      List<ScoredPoint> hits = new ArrayList<>(group.getValue().size());
      for (ScoredPoint hit : group.getValue()) {
        RetrievedPoint p = filled.get(hit.id());
        if (p == null) {
          continue; // deleted meanwhile
        }
        float[] v = p.vector();
        hits.add(
            v == null
                ? ScoredPoint.withoutVector(p.id(), hit.score(), p.payload())
                : new ScoredPoint(p.id(), hit.score(), p.payload(), v));
      }
      g.addAllHits(Space.answer(state, name, named, hits, spec.view(), spec.vectors()));
      RetrievedPoint lookup = lookups.get(group.getKey());
      if (lookup != null && withLookup != null) {
        g.setLookup(lookupPoint(state, withLookup, lookup));
      }
      out.addGroups(g);
    }
    return out.build();
  }

  /**
   * The group ids among a point's values at the key, each once: strings, and integers as {@link
   * Long}.
   */
  private static Set<Object> groupIds(List<Object> values) {
    Set<Object> out = new LinkedHashSet<>();
    for (Object v : values) {
      if (v instanceof String || v instanceof Long) {
        out.add(v);
      }
    }
    return out;
  }

  private static GroupId groupId(Object id) {
    if (id instanceof String s) {
      return GroupId.newBuilder().setStringValue(s).build();
    }
    long n = (Long) id;
    return n >= 0
        ? GroupId.newBuilder().setUnsignedValue(n).build()
        : GroupId.newBuilder().setIntegerValue(n).build();
  }

  private static PayloadView lookupView(WithLookup lookup) {
    // with_lookup's payload defaults to true
    return payloadView(lookup.hasWithPayload() ? lookup.getWithPayload() : null, true);
  }

  /**
   * The points of the lookup collection whose ids are the group ids: a number, or a string holding
   * a UUID; other group ids have none. A lookup collection that does not exist is NOT_FOUND.
   */
  private static Map<Object, RetrievedPoint> lookups(
      ServerState state,
      @Nullable WithLookup lookup,
      Map<Object, List<ScoredPoint>> groups,
      @Nullable ReadConsistency rc) {
    if (lookup == null) {
      return Map.of();
    }
    String name = lookup.getCollection();
    if (!state.store().collectionExists(name)) {
      throw Status.NOT_FOUND
          .withDescription("Not found: Collection " + name + " not found")
          .asRuntimeException();
    }
    Map<PointId, Object> byPoint = new LinkedHashMap<>();
    for (Object id : groups.keySet()) {
      PointId point = pointId(id);
      if (point != null) {
        byPoint.put(point, id);
      }
    }
    if (byPoint.isEmpty()) {
      return Map.of();
    }
    Routed routed = Routed.read(state.store(), null, rc);
    Map<Object, RetrievedPoint> out = new HashMap<>();
    boolean named = NamedVectors.multi(state, name) != null;
    for (RetrievedPoint p :
        routed.retrieve(
            name,
            byPoint.keySet(),
            lookupView(lookup).selector(),
            Space.readsVectors(named, lookup.hasWithVectors() ? lookup.getWithVectors() : null))) {
      Object id = byPoint.get(p.id());
      if (id != null) {
        out.put(id, p);
      }
    }
    return out;
  }

  /** A group's lookup point, with the named vectors asked when the lookup collection has them. */
  private static Points.RetrievedPoint lookupPoint(
      ServerState state, WithLookup lookup, RetrievedPoint p) {
    Points.RetrievedPoint out = retrieved(p, lookupView(lookup));
    String name = lookup.getCollection();
    if (NamedVectors.multi(state, name) == null) {
      return out;
    }
    return NamedVectors.withRetrievedVectors(
            state,
            name,
            List.of(out),
            NamedVectors.selection(lookup.hasWithVectors() ? lookup.getWithVectors() : null))
        .get(0);
  }

  private static @Nullable PointId pointId(Object groupId) {
    if (groupId instanceof Long n) {
      return n >= 0 ? PointId.of(n) : null;
    }
    try {
      UUID uuid = UUID.fromString((String) groupId);
      // Qdrant compares the lookup's id with the group id as text: only the canonical form matches
      return uuid.toString().equals(groupId) ? PointId.of(uuid) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
