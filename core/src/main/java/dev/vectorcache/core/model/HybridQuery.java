package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Several searches, each of its own vector space, fused into one ranking (Qdrant's {@code Query}
 * with prefetches and a fusion): the usual hybrid search runs a dense and a sparse search and fuses
 * them with {@link Fusion#RRF}. Each search's own limit says how many of its hits take part; the
 * fused hits carry the fused score.
 *
 * @param searches the searches fused, at least one
 * @param fusion how their lists are merged
 * @param limit how many fused hits at most, 1 or more
 * @param withPayload which payload to return with the fused hits
 */
public record HybridQuery(
    List<VectorSearch> searches, Fusion fusion, int limit, PayloadSelector withPayload) {

  public HybridQuery {
    Objects.requireNonNull(searches, "searches");
    Objects.requireNonNull(fusion, "fusion");
    List<VectorSearch> copy = new ArrayList<>(searches.size());
    for (int i = 0; i < searches.size(); i++) {
      VectorSearch s = searches.get(i);
      if (s == null) {
        throw new InvalidInputException("searches[" + i + "]", "a search", null);
      }
      copy.add(s);
    }
    if (copy.isEmpty()) {
      throw new InvalidInputException("searches", "at least one search to fuse", "none");
    }
    if (limit < 1) {
      throw new InvalidInputException("limit", "1 or more", limit);
    }
    searches = Collections.unmodifiableList(copy);
    withPayload = withPayload == null ? PayloadSelector.NONE : withPayload;
  }

  /** The searches fused with {@code fusion}, returning {@code limit} hits without payload. */
  public static HybridQuery of(Fusion fusion, int limit, VectorSearch... searches) {
    return new HybridQuery(List.of(searches), fusion, limit, PayloadSelector.NONE);
  }

  public HybridQuery withPayload(PayloadSelector selector) {
    return new HybridQuery(searches, fusion, limit, selector);
  }
}
