package dev.vectorcache.inmemory;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.FusionScores;
import dev.vectorcache.core.model.HybridQuery;
import dev.vectorcache.core.model.ScoredPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The answer of a hybrid query: its searches' hit lists fused with {@link FusionScores}. */
final class FusedHits {
  private FusedHits() {}

  /**
   * The hit lists of {@code query}'s searches fused, cut to its limit, with the payload it selects
   * ({@code payloads} gives a point's payload).
   */
  static List<ScoredPoint> of(
      HybridQuery query,
      List<List<ScoredPoint>> hitLists,
      Function<PointId, Map<String, Object>> payloads) {
    List<List<FusionScores.Ranked>> lists = new ArrayList<>(hitLists.size());
    for (List<ScoredPoint> hits : hitLists) {
      List<FusionScores.Ranked> ranked = new ArrayList<>(hits.size());
      for (ScoredPoint h : hits) {
        ranked.add(new FusionScores.Ranked(h.id(), h.score()));
      }
      lists.add(ranked);
    }
    List<FusionScores.Ranked> fused = FusionScores.fuse(query.fusion(), lists);
    List<ScoredPoint> out = new ArrayList<>(Math.min(fused.size(), query.limit()));
    for (FusionScores.Ranked r : fused.subList(0, Math.min(fused.size(), query.limit()))) {
      out.add(
          ScoredPoint.withoutVector(
              r.id(),
              r.score(),
              MemCollection.select(payloads.apply(r.id()), query.withPayload())));
    }
    return out;
  }
}
