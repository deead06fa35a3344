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
 * fused hits carry the fused score. The searches have no offset, payload or vectors of their own
 * (refused when set): the query's limit and payload selector apply to the fused hits.
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
      checkPart(s, i);
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

  /**
   * A fused search has no offset, payload or vectors of its own (Qdrant's prefetches have none):
   * the query's limit and payload selector apply to the fused hits. Refused rather than ignored.
   */
  private static void checkPart(VectorSearch s, int i) {
    int offset;
    PayloadSelector payload;
    boolean vectors;
    if (s instanceof VectorSearch.Dense d) {
      offset = d.request().offset();
      payload = d.request().withPayload();
      vectors = d.request().withVectors();
    } else {
      SparseSearch r = ((VectorSearch.Sparse) s).request();
      offset = r.offset();
      payload = r.withPayload();
      vectors = false;
    }
    String field = "searches[" + i + "]";
    if (offset != 0) {
      throw new InvalidInputException(
          field + ".offset", "0 (a fused search has no offset; page the fused hits)", offset);
    }
    if (!payload.equals(PayloadSelector.NONE)) {
      throw new InvalidInputException(
          field + ".withPayload",
          "PayloadSelector.NONE (the query's withPayload selects the fused hits' payload)",
          payload);
    }
    if (vectors) {
      throw new InvalidInputException(
          field + ".withVectors", "false (fused hits carry no vectors)", true);
    }
  }

  /** The searches fused with {@code fusion}, returning {@code limit} hits without payload. */
  public static HybridQuery of(Fusion fusion, int limit, VectorSearch... searches) {
    return new HybridQuery(List.of(searches), fusion, limit, PayloadSelector.NONE);
  }

  public HybridQuery withPayload(PayloadSelector selector) {
    return new HybridQuery(searches, fusion, limit, selector);
  }
}
