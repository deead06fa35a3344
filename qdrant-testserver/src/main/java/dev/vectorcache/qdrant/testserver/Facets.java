package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.RetrievedPoint;
import io.grpc.Status;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Points.FacetCounts;
import io.qdrant.client.grpc.Points.FacetHit;
import io.qdrant.client.grpc.Points.FacetResponse;
import io.qdrant.client.grpc.Points.FacetValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Facet, as Qdrant 1.18 answers it: how many points (passing the filter) hold each value of a
 * payload key, each value counted once per point, the most frequent first and equal counts by
 * ascending value, at most {@code limit} (default 10) values.
 *
 * <p>As in Qdrant the key needs a payload index that can list its values: keyword, integer (with
 * {@code lookup}, the default), bool or uuid; values of another type than the index's are not
 * counted. Without one the request is INVALID_ARGUMENT with Qdrant's text (unless the collection
 * has no point, which Qdrant answers with no hits). Counts are always exact: {@code exact=false}
 * lets Qdrant approximate on a large distributed collection, which a one-node test server never is.
 */
final class Facets {
  private static final long DEFAULT_LIMIT = 10;

  private Facets() {}

  /** A value of the facet: its proto form and the key it sorts by among values of its type. */
  private record Value(FacetValue proto, Object sortKey) {}

  static FacetResponse facet(ServerState state, FacetCounts r) {
    long start = System.nanoTime();
    String key = r.getKey();
    if (key.isEmpty()) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "Validation error in body: [key: value \"\" invalid, must be at least 1 characters]")
          .asRuntimeException();
    }
    Routed routed =
        Routed.read(
            state.store(),
            r.hasShardKeySelector() ? r.getShardKeySelector() : null,
            r.hasReadConsistency() ? r.getReadConsistency() : null);
    String name = r.getCollectionName();
    if (!state.store().collectionExists(name)) {
      throw new CollectionNotFoundException(name);
    }
    long limit = r.hasLimit() ? r.getLimit() : DEFAULT_LIMIT;
    FacetResponse.Builder b = FacetResponse.newBuilder();
    if (limit == 0) {
      return b.setTime(ServerState.seconds(start)).build();
    }
    PayloadSchemaType type = facetType(state.payloadSchema(name).get(key));
    if (type == null) {
      if (routed.count(name, null) == 0) {
        return b.setTime(ServerState.seconds(start)).build();
      }
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "Wrong input: No appropriate index for faceting: `"
                  + key
                  + "`. Please create one to facet on this field. Check"
                  + " https://qdrant.tech/documentation/concepts/indexing/#payload-index to see"
                  + " which payload schemas support Match conditions")
          .asRuntimeException();
    }
    Filter filter = r.hasFilter() ? ProtoFilters.toCore(r.getFilter()) : null;
    Map<Value, Long> counts = new HashMap<>();
    for (RetrievedPoint p : Ranking.scan(routed, name, filter, PayloadSelector.ALL, false)) {
      Set<Value> values = new LinkedHashSet<>();
      for (Object v : PayloadPaths.values(p.payload(), key)) {
        Value value = value(type, v);
        if (value != null) {
          values.add(value);
        }
      }
      for (Value v : values) {
        counts.merge(v, 1L, Long::sum);
      }
    }
    List<Map.Entry<Value, Long>> hits = new ArrayList<>(counts.entrySet());
    hits.sort(
        Comparator.<Map.Entry<Value, Long>, Long>comparing(Map.Entry::getValue)
            .reversed()
            .thenComparing(e -> e.getKey(), Facets::compareValues));
    for (int i = 0; i < hits.size() && i < limit; i++) {
      b.addHits(
          FacetHit.newBuilder()
              .setValue(hits.get(i).getKey().proto())
              .setCount(hits.get(i).getValue()));
    }
    return b.setTime(ServerState.seconds(start)).build();
  }

  /** The type of values an index can facet on, or {@code null} when it cannot. */
  private static @Nullable PayloadSchemaType facetType(@Nullable PayloadSchemaInfo info) {
    if (info == null) {
      return null;
    }
    return switch (info.getDataType()) {
      case Keyword, Bool, Uuid -> info.getDataType();
      case Integer -> {
        // an integer index without lookup has no value map
        boolean lookup =
            !info.hasParams()
                || !info.getParams().hasIntegerIndexParams()
                || !info.getParams().getIntegerIndexParams().hasLookup()
                || info.getParams().getIntegerIndexParams().getLookup();
        yield lookup ? PayloadSchemaType.Integer : null;
      }
      default -> null;
    };
  }

  /** A payload value as the index holds it, or {@code null} when the index does not hold it. */
  private static @Nullable Value value(PayloadSchemaType type, Object v) {
    switch (type) {
      case Keyword -> {
        if (v instanceof String s) {
          return new Value(FacetValue.newBuilder().setStringValue(s).build(), s);
        }
      }
      case Integer -> {
        if (v instanceof Long n) {
          return new Value(FacetValue.newBuilder().setIntegerValue(n).build(), n);
        }
      }
      case Bool -> {
        if (v instanceof Boolean bool) {
          return new Value(FacetValue.newBuilder().setBoolValue(bool).build(), bool);
        }
      }
      case Uuid -> {
        if (v instanceof String s) {
          try {
            // the canonical text sorts as the 128-bit number Qdrant sorts by
            String canonical = UUID.fromString(s).toString();
            return new Value(FacetValue.newBuilder().setStringValue(canonical).build(), canonical);
          } catch (IllegalArgumentException e) {
            return null;
          }
        }
      }
      default -> {}
    }
    return null;
  }

  /** Ascending, among the values of one facet (all of the index's one type). */
  private static int compareValues(Value a, Value b) {
    Object x = a.sortKey();
    Object y = b.sortKey();
    if (x instanceof Long l && y instanceof Long m) {
      return Long.compare(l, m);
    }
    if (x instanceof Boolean p && y instanceof Boolean q) {
      return Boolean.compare(p, q);
    }
    return x.toString().compareTo(y.toString());
  }
}
