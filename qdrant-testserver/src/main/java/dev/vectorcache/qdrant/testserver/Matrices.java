package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchParams;
import io.grpc.Status;
import io.qdrant.client.grpc.Points.SearchMatrixOffsets;
import io.qdrant.client.grpc.Points.SearchMatrixOffsetsResponse;
import io.qdrant.client.grpc.Points.SearchMatrixPair;
import io.qdrant.client.grpc.Points.SearchMatrixPairs;
import io.qdrant.client.grpc.Points.SearchMatrixPairsResponse;
import io.qdrant.client.grpc.Points.SearchMatrixPoints;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SearchMatrixPairs and SearchMatrixOffsets, as Qdrant 1.18 answers them: a random sample of {@code
 * sample} points (default 10) passing the filter, sorted by id, and for each of them its {@code
 * limit} (default 3) nearest neighbours among the sample, itself left out, best first, with the
 * collection's scores (distances for Euclid and Manhattan). Fewer than two points give an empty
 * matrix. When the filter passes no more points than the sample, the sample is all of them, so the
 * answer is deterministic.
 */
final class Matrices {
  private static final long DEFAULT_SAMPLE = 10;
  private static final long DEFAULT_LIMIT = 3;

  private Matrices() {}

  /** The sampled ids, sorted, and the neighbours of each. */
  private record Matrix(List<PointId> ids, List<List<ScoredPoint>> nearest) {}

  static SearchMatrixPairsResponse pairs(ServerState state, SearchMatrixPoints r) {
    long start = System.nanoTime();
    Matrix m = matrix(state, r);
    SearchMatrixPairs.Builder pairs = SearchMatrixPairs.newBuilder();
    for (int i = 0; i < m.ids().size(); i++) {
      for (ScoredPoint p : m.nearest().get(i)) {
        pairs.addPairs(
            SearchMatrixPair.newBuilder()
                .setA(ProtoValues.toProto(m.ids().get(i)))
                .setB(ProtoValues.toProto(p.id()))
                .setScore(p.score()));
      }
    }
    return SearchMatrixPairsResponse.newBuilder()
        .setResult(pairs)
        .setTime(ServerState.seconds(start))
        .build();
  }

  static SearchMatrixOffsetsResponse offsets(ServerState state, SearchMatrixPoints r) {
    long start = System.nanoTime();
    Matrix m = matrix(state, r);
    Map<PointId, Integer> offsetOf = new HashMap<>();
    SearchMatrixOffsets.Builder offsets = SearchMatrixOffsets.newBuilder();
    for (int i = 0; i < m.ids().size(); i++) {
      offsetOf.put(m.ids().get(i), i);
      offsets.addIds(ProtoValues.toProto(m.ids().get(i)));
    }
    for (int row = 0; row < m.ids().size(); row++) {
      for (ScoredPoint p : m.nearest().get(row)) {
        offsets.addOffsetsRow(row);
        offsets.addOffsetsCol(Objects.requireNonNull(offsetOf.get(p.id()), "a sampled id"));
        offsets.addScores(p.score());
      }
    }
    return SearchMatrixOffsetsResponse.newBuilder()
        .setResult(offsets)
        .setTime(ServerState.seconds(start))
        .build();
  }

  private static Matrix matrix(ServerState state, SearchMatrixPoints r) {
    long sample = r.hasSample() ? r.getSample() : DEFAULT_SAMPLE;
    long limit = r.hasLimit() ? r.getLimit() : DEFAULT_LIMIT;
    if (r.hasSample() && Long.compareUnsigned(sample, 2) < 0) {
      throw validation("sample: value " + sample + " invalid, must be 2 or larger");
    }
    if (r.hasLimit() && limit == 0) {
      throw validation("limit: value 0 invalid, must be 1 or larger");
    }
    if (sample < 0) {
      sample = Long.MAX_VALUE; // an unsigned number above 2^63: every point
    }
    if (limit < 0) {
      limit = Long.MAX_VALUE;
    }
    Routed routed =
        Routed.read(
            state.store(),
            r.hasShardKeySelector() ? r.getShardKeySelector() : null,
            r.hasReadConsistency() ? r.getReadConsistency() : null);
    Space space =
        Space.of(
            state,
            routed,
            r.getCollectionName(),
            r.hasUsing() ? r.getUsing() : "",
            "the distance matrix (SearchMatrix)");
    Filter filter = r.hasFilter() ? ProtoFilters.toCore(r.getFilter()) : null;
    List<Space.Held> candidates = space.scan(filter, PayloadSelector.NONE);
    if (candidates.size() > sample) {
      List<Space.Held> shuffled = new ArrayList<>(candidates);
      Collections.shuffle(shuffled, ThreadLocalRandom.current());
      candidates = new ArrayList<>(shuffled.subList(0, (int) sample));
      candidates.sort((a, b) -> a.id().compareTo(b.id()));
    }
    if (candidates.size() < 2) {
      return new Matrix(List.of(), List.of());
    }
    List<PointId> ids = new ArrayList<>();
    for (Space.Held p : candidates) {
      ids.add(p.id());
    }
    Filter amongSample = Filter.must(new Condition.HasId(new HashSet<>(ids)));
    int fetch = limit >= ids.size() ? ids.size() : (int) limit + 1;
    List<List<ScoredPoint>> nearest = new ArrayList<>();
    for (Space.Held p : candidates) {
      // a sparse point's neighbours are those sharing an index with it, as Qdrant searches them
      List<ScoredPoint> hits =
          new ArrayList<>(
              space.nearest(
                  Objects.requireNonNull(p.vector(), "a scanned point has a vector"),
                  fetch,
                  0,
                  amongSample,
                  null,
                  SearchParams.DEFAULT,
                  PayloadSelector.NONE,
                  false));
      // the point itself is left out; when a tie kept it out of the results, the last one goes
      int self = -1;
      for (int i = 0; i < hits.size(); i++) {
        if (hits.get(i).id().equals(p.id())) {
          self = i;
          break;
        }
      }
      if (self >= 0) {
        hits.remove(self);
      } else if (hits.size() - 1 == limit) {
        hits.remove(hits.size() - 1);
      }
      nearest.add(hits);
    }
    return new Matrix(ids, nearest);
  }

  private static RuntimeException validation(String detail) {
    return Status.INVALID_ARGUMENT
        .withDescription("Validation error in body: [" + detail + "]")
        .asRuntimeException();
  }
}
