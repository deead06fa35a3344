package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchParams;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Scores the points of a collection for one query and returns them best first: a nearest query is
 * an ordinary search of the {@link Space} (Qdrant's scores, distances as distances); a custom score
 * ({@link ExampleScoring}) is computed over every point that passes the filter and has a vector in
 * the space, read by a scroll (a full scan: fine for a test server), and returned as computed,
 * larger first.
 */
final class Ranking {
  private static final int PAGE = 1000;

  private Ranking() {}

  /** How the points are scored. */
  sealed interface Plan permits Nearest, Custom {}

  /** An ordinary search for the nearest points to a vector. */
  record Nearest(SpaceVector vector) implements Plan {}

  /** A score computed from each point's stored vector, larger first. */
  record Custom(ExampleScoring.CustomScore score) implements Plan {}

  /** One scored read: which points, how many, and what to return of them. */
  record Read(
      @Nullable Filter filter,
      @Nullable Float threshold,
      SearchParams params,
      PayloadSelector payload,
      boolean vectors,
      long offset,
      long limit) {}

  /**
   * The points of {@code read}, best first: at most {@code limit} after skipping {@code offset},
   * cut at the score threshold as Qdrant cuts it (strictly better than the threshold, by the
   * collection's distance, custom scores included).
   */
  static List<ScoredPoint> rank(Space space, Plan plan, Read read) {
    if (read.limit() < 1) {
      return List.of();
    }
    if (plan instanceof Nearest nearest) {
      long fetch = read.limit();
      if (fetch > PAGE) {
        // a search for "every point": no larger than the collection
        fetch = Math.min(fetch, Math.max(1, space.count(read.filter())));
      }
      return space.nearest(
          nearest.vector(),
          (int) Math.min(Integer.MAX_VALUE, fetch),
          (int) Math.min(Integer.MAX_VALUE, read.offset()),
          read.filter(),
          read.threshold(),
          read.params(),
          read.payload(),
          read.vectors());
    }
    ExampleScoring.CustomScore score = ((Custom) plan).score();
    List<ScoredPoint> all = new ArrayList<>();
    for (Space.Held h : space.scan(read.filter(), read.payload())) {
      SpaceVector v = Objects.requireNonNull(h.vector(), "a scanned point has a vector");
      RetrievedPoint p = h.point();
      float s = score.score(v);
      all.add(
          read.vectors() // only a single-vector collection's hits carry their (dense) vector
              ? new ScoredPoint(p.id(), s, p.payload(), SpaceVector.dense(v))
              : ScoredPoint.withoutVector(p.id(), s, p.payload()));
    }
    // stable: equal scores keep the id order of the scan
    all.sort(Comparator.comparing(ScoredPoint::score, Comparator.reverseOrder()));
    List<ScoredPoint> out = new ArrayList<>();
    Float threshold = read.threshold();
    long skipped = 0;
    for (ScoredPoint p : all) {
      if (threshold != null && !space.distance().passes(p.score(), threshold)) {
        break; // Qdrant takes while the threshold holds
      }
      if (skipped < read.offset()) {
        skipped++;
        continue;
      }
      if (out.size() >= read.limit()) {
        break;
      }
      out.add(p);
    }
    return out;
  }

  /** Every point passing {@code filter}, in id order. */
  static List<RetrievedPoint> scan(
      Routed routed,
      String collection,
      @Nullable Filter filter,
      PayloadSelector payload,
      boolean vectors) {
    List<RetrievedPoint> out = new ArrayList<>();
    PointId offset = null;
    do {
      ScrollPage page =
          routed.scroll(collection, new ScrollRequest(filter, PAGE, offset, payload, vectors));
      out.addAll(page.points());
      offset = page.nextOffset();
    } while (offset != null);
    return out;
  }

  /** {@code filter} and also none of {@code ids} (Qdrant's {@code must_not: has_id}). */
  static @Nullable Filter excluding(@Nullable Filter filter, Collection<PointId> ids) {
    if (ids.isEmpty()) {
      return filter;
    }
    return and(filter, Filter.mustNot(new Condition.HasId(Set.copyOf(ids))));
  }

  /** Both filters; {@code null} is no filter. */
  static @Nullable Filter and(@Nullable Filter a, @Nullable Filter b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return Filter.must(Condition.filter(a), Condition.filter(b));
  }
}
