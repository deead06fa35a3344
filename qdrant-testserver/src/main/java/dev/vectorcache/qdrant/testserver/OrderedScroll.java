package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.Payloads;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.qdrant.testserver.ProtoPoints.PayloadView;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.Direction;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Points ordered by a payload field ({@code order_by} of Scroll, and of Query), as Qdrant orders
 * them:
 *
 * <ul>
 *   <li>the field needs a range index: integer (with {@code range} not turned off), float or
 *       datetime; without one the call is {@code INVALID_ARGUMENT} with Qdrant's message;
 *   <li>a point appears once per value it has (an array of three numbers: three times), each time
 *       with that value as its {@code order_value}; points without a value of the index's type are
 *       left out;
 *   <li>{@code start_from} keeps the values from it on (inclusive) in the direction of the order;
 *   <li>ties are broken by point id in the same direction; there is no next-page offset, and an
 *       {@code offset} is refused: paging goes by {@code start_from} and a filter.
 * </ul>
 *
 * <p>Integer and datetime fields order as integers (datetimes as microseconds since the epoch, UTC
 * when the text has no offset), float fields as doubles.
 */
final class OrderedScroll {
  private static final int PAGE = 1000;

  private OrderedScroll() {}

  /** One value of one point. */
  private record Ordered(Number value, PointId id) {}

  private enum Kind {
    INTEGER,
    FLOAT,
    DATETIME
  }

  /** A point at one of its values, with that value as Qdrant reports it. */
  record Entry(PointId id, Points.OrderValue orderValue) {}

  /** Up to {@code limit} ordered entries, with the payload and vectors the view asks for. */
  static List<Points.RetrievedPoint> scroll(
      ServerState state,
      Routed routed,
      String collection,
      Points.OrderBy orderBy,
      @Nullable Filter filter,
      int limit,
      PayloadView view,
      boolean withVectors) {
    List<Entry> top = entries(state, routed, collection, orderBy, filter, limit);
    Set<PointId> ids = new LinkedHashSet<>();
    top.forEach(e -> ids.add(e.id()));
    Map<PointId, RetrievedPoint> points = new HashMap<>();
    if (!ids.isEmpty()) {
      for (RetrievedPoint r :
          routed.retrieve(collection, List.copyOf(ids), view.selector(), withVectors)) {
        points.put(r.id(), r);
      }
    }
    List<Points.RetrievedPoint> out = new ArrayList<>(top.size());
    for (Entry e : top) {
      RetrievedPoint r = points.get(e.id());
      if (r != null) { // else deleted between the two reads
        out.add(ProtoPoints.retrieved(r, view).toBuilder().setOrderValue(e.orderValue()).build());
      }
    }
    return out;
  }

  /** The first {@code limit} entries in order: ids with their order values, nothing fetched. */
  static List<Entry> entries(
      ServerState state,
      Routed routed,
      String collection,
      Points.OrderBy orderBy,
      @Nullable Filter filter,
      int limit) {
    if (!state.store().collectionExists(collection)) {
      throw new CollectionNotFoundException(collection);
    }
    String key = orderBy.getKey();
    Kind kind = rangeIndex(state.payloadSchema(collection).get(key), key);
    boolean descending = orderBy.hasDirection() && orderBy.getDirection() == Direction.Desc;
    @Nullable Number startFrom = orderBy.hasStartFrom() ? startFrom(orderBy.getStartFrom()) : null;

    Comparator<Ordered> order =
        Comparator.<Ordered, Number>comparing(Ordered::value, OrderedScroll::compare)
            .thenComparing(Ordered::id);
    if (descending) {
      order = order.reversed();
    }
    List<Ordered> all = new ArrayList<>();
    ScrollRequest page =
        new ScrollRequest(filter, PAGE, null, PayloadSelector.include(topLevel(key)), false);
    while (true) {
      ScrollPage p = routed.scroll(collection, page);
      for (RetrievedPoint r : p.points()) {
        Set<Number> seen = new LinkedHashSet<>();
        for (Object v : Payloads.valuesAt(r.payload(), key)) {
          Number n = value(kind, v);
          if (n == null || !seen.add(n)) {
            continue; // not of the index's type, or a value the point already has
          }
          if (startFrom != null) {
            int c = compare(n, startFrom);
            if (descending ? c > 0 : c < 0) {
              continue;
            }
          }
          all.add(new Ordered(n, r.id()));
        }
      }
      if (p.nextOffset() == null) {
        break;
      }
      page = page.withOffset(p.nextOffset());
    }
    all.sort(order);
    List<Entry> top = new ArrayList<>(Math.min(limit, all.size()));
    for (Ordered o : all.subList(0, Math.min(limit, all.size()))) {
      top.add(new Entry(o.id(), orderValue(kind, o)));
    }
    return top;
  }

  /** The kind of range index on {@code key}, or Qdrant's refusal. */
  private static Kind rangeIndex(@Nullable PayloadSchemaInfo info, String key) {
    if (info != null) {
      PayloadSchemaType t = info.getDataType();
      if (t == PayloadSchemaType.Integer) {
        boolean range =
            !info.hasParams()
                || !info.getParams().hasIntegerIndexParams()
                || !info.getParams().getIntegerIndexParams().hasRange()
                || info.getParams().getIntegerIndexParams().getRange();
        if (range) {
          return Kind.INTEGER;
        }
      } else if (t == PayloadSchemaType.Float) {
        return Kind.FLOAT;
      } else if (t == PayloadSchemaType.Datetime) {
        return Kind.DATETIME;
      }
    }
    throw Status.INVALID_ARGUMENT
        .withDescription(
            "Wrong input: No range index for `order_by` key: `"
                + key
                + "`. Please create one to use `order_by`. Check"
                + " https://qdrant.tech/documentation/concepts/indexing/#payload-index to see which"
                + " payload schemas support Range conditions")
        .asRuntimeException();
  }

  static StatusRuntimeException offsetRefused() {
    return Status.INVALID_ARGUMENT
        .withDescription(
            "Wrong input: Cannot use an `offset` when using `order_by`. The alternative for paging"
                + " is to use `order_by.start_from` and a filter to exclude the IDs that you've"
                + " already seen for the `order_by.start_from` value")
        .asRuntimeException();
  }

  private static String topLevel(String key) {
    int end = key.length();
    int dot = key.indexOf('.');
    int bracket = key.indexOf('[');
    if (dot >= 0) {
      end = dot;
    }
    if (bracket >= 0 && bracket < end) {
      end = bracket;
    }
    return key.substring(0, end);
  }

  /** A payload value as the index reads it, or null when the index would not hold it. */
  private static @Nullable Number value(Kind kind, @Nullable Object v) {
    return switch (kind) {
      case INTEGER ->
          v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
              ? (Number) Long.valueOf(((Number) v).longValue())
              : null;
      case FLOAT -> v instanceof Number n ? (Number) Double.valueOf(n.doubleValue()) : null;
      case DATETIME -> v instanceof String s ? micros(s) : null;
    };
  }

  private static Number startFrom(Points.StartFrom s) {
    return switch (s.getValueCase()) {
      case FLOAT -> s.getFloat();
      case INTEGER -> s.getInteger();
      case TIMESTAMP -> {
        com.google.protobuf.Timestamp t = s.getTimestamp();
        yield ChronoUnit.MICROS.between(
            Instant.EPOCH, Instant.ofEpochSecond(t.getSeconds(), t.getNanos()));
      }
      case DATETIME -> {
        Long m = micros(s.getDatetime());
        if (m == null) {
          throw Status.INVALID_ARGUMENT
              .withDescription(
                  "Wrong input: start_from: '" + s.getDatetime() + "' is not a datetime")
              .asRuntimeException();
        }
        yield m;
      }
      default ->
          throw Status.INVALID_ARGUMENT
              .withDescription("Wrong input: start_from has no value")
              .asRuntimeException();
    };
  }

  /** Microseconds since the epoch of an RFC 3339 datetime (UTC without an offset), or null. */
  static @Nullable Long micros(String text) {
    String t = text.trim();
    if (t.length() > 10 && t.charAt(10) == ' ') {
      t = t.substring(0, 10) + 'T' + t.substring(11);
    }
    Instant at;
    try {
      at = OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      try {
        at = LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        try {
          at = LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e3) {
          return null;
        }
      }
    }
    return ChronoUnit.MICROS.between(Instant.EPOCH, at);
  }

  private static int compare(Number a, Number b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    return Double.compare(a.doubleValue(), b.doubleValue());
  }

  private static Points.OrderValue orderValue(Kind kind, Ordered e) {
    return kind == Kind.FLOAT
        ? Points.OrderValue.newBuilder().setFloat(e.value().doubleValue()).build()
        : Points.OrderValue.newBuilder().setInt(e.value().longValue()).build();
  }
}
