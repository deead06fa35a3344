package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.filter.Filter;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A nearest-neighbour search. Build with {@link #builder(float[], int)}.
 *
 * @param vector the query (copied); non-null here, and checked (finite, dimension, non-zero for
 *     Cosine) once, by whoever owns the collection's settings: the store, or {@code VectorCache}
 *     before any I/O
 * @param limit how many hits at most, 1 or more
 * @param offset hits to skip first (paging), 0 or more
 * @param filter payload filter, or {@code null}
 * @param scoreThreshold strict bound on the score (a minimum similarity for Cosine/Dot, a maximum
 *     distance for Euclid/Manhattan), or {@code null}
 * @param params accuracy/speed settings
 * @param withPayload which payload to return
 * @param withVectors whether to return vectors
 */
@SuppressWarnings(
    "ArrayRecordComponent") // the array is copied in and out; equals/hashCode compare contents
public record SearchRequest(
    float[] vector,
    int limit,
    int offset,
    @Nullable Filter filter,
    @Nullable Float scoreThreshold,
    SearchParams params,
    PayloadSelector withPayload,
    boolean withVectors) {

  public SearchRequest {
    if (vector == null || vector.length == 0) {
      Vectors.checkFinite(vector, "query"); // throws the usual error for a missing vector
    }
    // only copied: the store checks the components against the collection (a second pass here
    // would repeat that check on every search)
    vector = vector.clone();
    if (limit < 1) {
      throw new InvalidInputException("limit", "1 or more", limit);
    }
    if (offset < 0) {
      throw new InvalidInputException("offset", "0 or more", offset);
    }
    if (scoreThreshold != null && !Float.isFinite(scoreThreshold)) {
      throw new InvalidInputException("scoreThreshold", "a finite number", scoreThreshold);
    }
    params = params == null ? SearchParams.DEFAULT : params;
    withPayload = withPayload == null ? PayloadSelector.NONE : withPayload;
  }

  public static Builder builder(float[] vector, int limit) {
    return new Builder(vector, limit);
  }

  @Override
  public float[] vector() {
    return vector.clone();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SearchRequest r
        && Arrays.equals(vector, r.vector)
        && limit == r.limit
        && offset == r.offset
        && Objects.equals(filter, r.filter)
        && Objects.equals(scoreThreshold, r.scoreThreshold)
        && params.equals(r.params)
        && withPayload.equals(r.withPayload)
        && withVectors == r.withVectors;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(vector), limit, offset, filter, scoreThreshold, params);
  }

  @Override
  public String toString() {
    return "SearchRequest[dimension="
        + vector.length
        + ", limit="
        + limit
        + ", offset="
        + offset
        + ", filter="
        + filter
        + ", scoreThreshold="
        + scoreThreshold
        + ", params="
        + params
        + "]";
  }

  /** Builder for {@link SearchRequest}. Search without payload or vectors unless asked. */
  public static final class Builder {
    private final float[] vector;
    private final int limit;
    private int offset;
    private @Nullable Filter filter;
    private @Nullable Float scoreThreshold;
    private SearchParams params = SearchParams.DEFAULT;
    private PayloadSelector withPayload = PayloadSelector.NONE;
    private boolean withVectors;

    private Builder(float[] vector, int limit) {
      this.vector = vector;
      this.limit = limit;
    }

    public Builder offset(int offset) {
      this.offset = offset;
      return this;
    }

    public Builder filter(@Nullable Filter filter) {
      this.filter = filter;
      return this;
    }

    public Builder scoreThreshold(@Nullable Float scoreThreshold) {
      this.scoreThreshold = scoreThreshold;
      return this;
    }

    public Builder params(SearchParams params) {
      this.params = params;
      return this;
    }

    public Builder withPayload(boolean withPayload) {
      this.withPayload = PayloadSelector.of(withPayload);
      return this;
    }

    public Builder withPayload(PayloadSelector withPayload) {
      this.withPayload = withPayload;
      return this;
    }

    public Builder withVectors(boolean withVectors) {
      this.withVectors = withVectors;
      return this;
    }

    public SearchRequest build() {
      return new SearchRequest(
          vector, limit, offset, filter, scoreThreshold, params, withPayload, withVectors);
    }
  }
}
