package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.id.PointId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The arithmetic of {@link Fusion}, as Qdrant defines it, shared by every store that fuses on its
 * own side (the embedded engine, the Qdrant test server). Fused lists are ordered by score, highest
 * first, ties by id.
 */
public final class FusionScores {
  /** Qdrant's default {@code k} of reciprocal rank fusion. */
  public static final int RRF_K = 2;

  private FusionScores() {}

  /**
   * One hit of a ranked list.
   *
   * @param id the point
   * @param score its score in that list
   */
  public record Ranked(PointId id, float score) {
    public Ranked {
      Objects.requireNonNull(id, "id");
    }
  }

  /** The lists fused with {@code fusion} (RRF with {@link #RRF_K} and equal weights). */
  public static List<Ranked> fuse(Fusion fusion, List<? extends List<Ranked>> lists) {
    return switch (fusion) {
      case RRF -> rrf(lists, RRF_K, List.of());
      case DBSF -> dbsf(lists);
    };
  }

  /**
   * Reciprocal rank fusion: {@code 1 / ((rank + 1) / weight + k - 1)} summed over the lists (rank
   * from 0; with weight 1 and k = 2 that is {@code 1 / (rank + 2)}); a weight of 0 or less
   * contributes 0.
   *
   * @param weights one per list, or empty for weight 1 everywhere
   * @throws InvalidInputException when {@code weights} is neither empty nor one per list
   */
  public static List<Ranked> rrf(List<? extends List<Ranked>> lists, int k, List<Float> weights) {
    if (!weights.isEmpty() && weights.size() != lists.size()) {
      throw new InvalidInputException(
          "weights", "one weight per list (" + lists.size() + ")", weights.size());
    }
    Map<PointId, Float> fused = new LinkedHashMap<>();
    for (int s = 0; s < lists.size(); s++) {
      float weight = weights.isEmpty() ? 1f : weights.get(s);
      List<Ranked> list = lists.get(s);
      for (int rank = 0; rank < list.size(); rank++) {
        float score = weight <= 0f ? 0f : 1f / ((rank + 1) / weight + k - 1f);
        fused.merge(list.get(rank).id(), score, Float::sum);
      }
    }
    return sorted(fused);
  }

  /**
   * Distribution-based score fusion: each list's scores are normalised to the range mean ± 3
   * standard deviations (sample variance, Welford's running form as Qdrant computes it; a list of
   * one point scores it 0.5), then summed per point.
   */
  public static List<Ranked> dbsf(List<? extends List<Ranked>> lists) {
    Map<PointId, Float> fused = new LinkedHashMap<>();
    for (List<Ranked> list : lists) {
      int n = list.size();
      if (n == 0) {
        continue;
      }
      if (n == 1) {
        fused.merge(list.get(0).id(), 0.5f, Float::sum);
        continue;
      }
      float mean = 0f;
      float aggregate = 0f;
      int i = 1;
      for (Ranked h : list) {
        float oldDelta = h.score() - mean;
        mean += oldDelta / i;
        aggregate += oldDelta * (h.score() - mean);
        i++;
      }
      float std = (float) Math.sqrt(aggregate / (n - 1f));
      float min = mean - 3f * std;
      float max = mean + 3f * std;
      for (Ranked h : list) {
        float norm = min == max ? 0.5f : (h.score() - min) / (max - min);
        fused.merge(h.id(), norm, Float::sum);
      }
    }
    return sorted(fused);
  }

  private static List<Ranked> sorted(Map<PointId, Float> fused) {
    List<Ranked> out = new ArrayList<>(fused.size());
    fused.forEach((id, score) -> out.add(new Ranked(id, score)));
    out.sort(
        (a, b) ->
            a.score() != b.score()
                ? Float.compare(b.score(), a.score())
                : a.id().compareTo(b.id()));
    return out;
  }
}
