package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import org.jspecify.annotations.Nullable;

/**
 * One page of a scroll through a collection in id order.
 *
 * @param filter payload filter, or {@code null}
 * @param limit points per page, 1 or more (Qdrant's default is 10)
 * @param offset the first id of the page (the previous page's {@code nextOffset}), or {@code null}
 * @param withPayload which payload to return (Qdrant's default for scroll is all)
 * @param withVectors whether to return vectors
 */
public record ScrollRequest(
    @Nullable Filter filter,
    int limit,
    @Nullable PointId offset,
    PayloadSelector withPayload,
    boolean withVectors) {
  public ScrollRequest {
    if (limit < 1) {
      throw new InvalidInputException("limit", "1 or more", limit);
    }
    withPayload = withPayload == null ? PayloadSelector.ALL : withPayload;
  }

  /** The first page: no filter, {@code limit} points, payload, no vectors. */
  public static ScrollRequest firstPage(int limit) {
    return new ScrollRequest(null, limit, null, PayloadSelector.ALL, false);
  }

  public ScrollRequest withOffset(@Nullable PointId offset) {
    return new ScrollRequest(filter, limit, offset, withPayload, withVectors);
  }

  public ScrollRequest withFilter(Filter filter) {
    return new ScrollRequest(filter, limit, offset, withPayload, withVectors);
  }
}
