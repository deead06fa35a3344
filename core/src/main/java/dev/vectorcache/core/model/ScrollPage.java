package dev.vectorcache.core.model;

import dev.vectorcache.core.id.PointId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A page of points in id order.
 *
 * @param points the points of this page
 * @param nextOffset the id to pass as the next page's offset, or {@code null} on the last page
 */
public record ScrollPage(List<RetrievedPoint> points, @Nullable PointId nextOffset) {
  public ScrollPage {
    points = List.copyOf(points);
  }
}
