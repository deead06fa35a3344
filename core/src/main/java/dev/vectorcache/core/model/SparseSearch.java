package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.filter.Filter;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A search of a sparse vector space. The score of a point is the dot product of its sparse vector
 * with the query (the query's values weighted by IDF when the space has that modifier); only points
 * sharing at least one index with the query are hits, as in Qdrant.
 *
 * @param vector the query
 * @param limit how many hits at most, 1 or more
 * @param offset hits to skip first, 0 or more
 * @param filter payload filter, or {@code null}
 * @param scoreThreshold minimum score, or {@code null}
 * @param withPayload which payload to return
 */
public record SparseSearch(
    SparseVector vector,
    int limit,
    int offset,
    @Nullable Filter filter,
    @Nullable Float scoreThreshold,
    PayloadSelector withPayload) {

  public SparseSearch {
    Objects.requireNonNull(vector, "vector");
    if (limit < 1) {
      throw new InvalidInputException("limit", "1 or more", limit);
    }
    if (offset < 0) {
      throw new InvalidInputException("offset", "0 or more", offset);
    }
    if (scoreThreshold != null && !Float.isFinite(scoreThreshold)) {
      throw new InvalidInputException("scoreThreshold", "a finite number", scoreThreshold);
    }
    withPayload = withPayload == null ? PayloadSelector.NONE : withPayload;
  }

  /** The {@code limit} best matches, no filter, no payload. */
  public static SparseSearch of(SparseVector vector, int limit) {
    return new SparseSearch(vector, limit, 0, null, null, PayloadSelector.NONE);
  }

  public SparseSearch withFilter(@Nullable Filter f) {
    return new SparseSearch(vector, limit, offset, f, scoreThreshold, withPayload);
  }

  public SparseSearch withPayload(PayloadSelector selector) {
    return new SparseSearch(vector, limit, offset, filter, scoreThreshold, selector);
  }
}
