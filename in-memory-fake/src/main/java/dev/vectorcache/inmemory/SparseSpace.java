package dev.vectorcache.inmemory;

import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SparseModifier;
import dev.vectorcache.core.model.SparseSearch;
import dev.vectorcache.core.model.SparseVector;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.inmemory.internal.FilterEvaluator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One sparse vector space of a {@link MultiVectorCollection}: each point's {@link SparseVector} and
 * an inverted index from a sparse index to the points holding it (their postings), which also gives
 * the document frequencies of {@link SparseModifier#IDF}.
 *
 * <p>A search collects the points sharing at least one index with the query from the postings of
 * the query's indices, then scores each candidate exactly: the dot product over the shared indices,
 * the query's values weighted by {@code ln(1 + (N - n + 0.5) / (n + 0.5))} with IDF ({@code N}
 * points in the space, {@code n} of them holding the index), as Qdrant does. The filter is tested
 * per candidate; the threshold is strict ({@code score > threshold}); hits are ordered by score,
 * ties by id.
 *
 * <p>Not thread-safe: the collection's lock guards it.
 */
final class SparseSpace {
  /** Rough heap charge of a hash map entry with its boxed key or value. */
  private static final long ENTRY_BYTES = 48;

  private final SparseVectorParams params;
  private final Map<PointId, SparseVector> vectors = new HashMap<>();
  private final Map<Integer, Map<PointId, Float>> postings = new HashMap<>();
  private long components;

  SparseSpace(SparseVectorParams params) {
    this.params = params;
  }

  SparseVectorParams params() {
    return params;
  }

  /** Stores (or replaces) the vector of {@code id}. */
  void put(PointId id, SparseVector vector) {
    remove(id);
    vectors.put(id, vector);
    for (int i = 0; i < vector.size(); i++) {
      postings.computeIfAbsent(vector.indexAt(i), k -> new HashMap<>()).put(id, vector.valueAt(i));
    }
    components += vector.size();
  }

  /** Removes the vector of {@code id}, if any. */
  void remove(PointId id) {
    SparseVector old = vectors.remove(id);
    if (old == null) {
      return;
    }
    for (int i = 0; i < old.size(); i++) {
      Map<PointId, Float> list = postings.get(old.indexAt(i));
      if (list != null) {
        list.remove(id);
        if (list.isEmpty()) {
          postings.remove(old.indexAt(i));
        }
      }
    }
    components -= old.size();
  }

  @Nullable SparseVector get(PointId id) {
    return vectors.get(id);
  }

  /** How many points have a vector here ({@code N} of the IDF). */
  int size() {
    return vectors.size();
  }

  /** Qdrant's inverse document frequency of {@code index} in this space. */
  double idf(int index) {
    Map<PointId, Float> list = postings.get(index);
    int n = list == null ? 0 : list.size();
    int total = vectors.size();
    return Math.log(1 + (total - n + 0.5) / (n + 0.5));
  }

  /**
   * The hits of {@code request}, best first; {@code payloads} gives a point's payload (for the
   * filter and the hits).
   */
  List<ScoredPoint> search(SparseSearch request, Function<PointId, Map<String, Object>> payloads) {
    SparseVector query = request.vector();
    double[] weights = new double[query.size()];
    Set<PointId> candidates = new HashSet<>();
    for (int i = 0; i < query.size(); i++) {
      weights[i] =
          params.modifier() == SparseModifier.IDF
              ? query.valueAt(i) * idf(query.indexAt(i))
              : query.valueAt(i);
      Map<PointId, Float> list = postings.get(query.indexAt(i));
      if (list != null) {
        candidates.addAll(list.keySet());
      }
    }
    Filter filter = request.filter();
    Float threshold = request.scoreThreshold();
    List<ScoredPoint> hits = new ArrayList<>();
    for (PointId id : candidates) {
      Map<String, Object> payload = payloads.apply(id);
      SparseVector stored = vectors.get(id);
      if (stored == null || (filter != null && !FilterEvaluator.test(filter, id, payload))) {
        continue;
      }
      float score = (float) score(query, weights, stored);
      if (threshold != null && !(score > threshold)) {
        continue;
      }
      hits.add(
          ScoredPoint.withoutVector(
              id, score, MemCollection.select(payload, request.withPayload())));
    }
    hits.sort(
        (a, b) ->
            a.score() != b.score()
                ? Float.compare(b.score(), a.score())
                : a.id().compareTo(b.id()));
    int from = Math.min(hits.size(), request.offset());
    int to = (int) Math.min(hits.size(), (long) request.offset() + request.limit());
    return List.copyOf(hits.subList(from, to));
  }

  /** The weighted dot product over the indices the query and {@code v} share. */
  private static double score(SparseVector query, double[] weights, SparseVector v) {
    double sum = 0;
    int i = 0;
    int j = 0;
    while (i < query.size() && j < v.size()) {
      int a = query.indexAt(i);
      int b = v.indexAt(j);
      if (a == b) {
        sum += weights[i++] * v.valueAt(j++);
      } else if (a < b) {
        i++;
      } else {
        j++;
      }
    }
    return sum;
  }

  /**
   * A rough heap charge: each stored vector (two arrays and its map entry) and each posting (a map
   * entry with a boxed value).
   */
  long heapBytes() {
    return vectors.size() * (ENTRY_BYTES + 24 + 2 * 16L)
        + components * (8 + ENTRY_BYTES + 16)
        + postings.size() * (ENTRY_BYTES + 64L);
  }
}
