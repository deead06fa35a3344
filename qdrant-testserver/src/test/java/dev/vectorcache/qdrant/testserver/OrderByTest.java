package dev.vectorcache.qdrant.testserver;

import static dev.vectorcache.qdrant.testserver.Failures.failure;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.IntegerIndexParams;
import io.qdrant.client.grpc.Collections.PayloadIndexParams;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.Direction;
import io.qdrant.client.grpc.Points.OrderBy;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.StartFrom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scroll with {@code order_by} through the official client. */
class OrderByTest {
  private QdrantTestServer server;
  private QdrantClient client;

  @BeforeEach
  void start() throws Exception {
    server = QdrantTestServer.start();
    client =
        new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false).build());
    client
        .createCollectionAsync(
            "c", VectorParams.newBuilder().setDistance(Distance.Dot).setSize(2).build())
        .get();
    client
        .upsertAsync(
            "c",
            List.of(
                point(1, Map.of("price", value(30), "rating", value(4.5), "kind", value("a"))),
                point(
                    2,
                    Map.of(
                        "price",
                        list(List.of(value(10), value(50))),
                        "rating",
                        value(3.0),
                        "kind",
                        value("b"))),
                point(3, Map.of("price", value(20), "rating", value(4.5), "kind", value("a"))),
                point(4, Map.of("price", value(20), "kind", value("b"))),
                point(5, Map.of("price", value("cheap"), "kind", value("a"))),
                point(
                    6,
                    Map.of(
                        "when",
                        value("2024-01-02T00:00:00Z"),
                        "rating",
                        value(1),
                        "kind",
                        value("c"))),
                point(7, Map.of("when", value("2024-01-01 12:00:00"), "kind", value("c")))))
        .get();
    client
        .createPayloadIndexAsync("c", "price", PayloadSchemaType.Integer, null, true, null, null)
        .get();
    client
        .createPayloadIndexAsync("c", "rating", PayloadSchemaType.Float, null, true, null, null)
        .get();
    client
        .createPayloadIndexAsync("c", "when", PayloadSchemaType.Datetime, null, true, null, null)
        .get();
    client
        .createPayloadIndexAsync(
            "c",
            "lookup_only",
            PayloadSchemaType.Integer,
            PayloadIndexParams.newBuilder()
                .setIntegerIndexParams(
                    IntegerIndexParams.newBuilder().setLookup(true).setRange(false))
                .build(),
            true,
            null,
            null)
        .get();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static PointStruct point(long id, Map<String, Value> payload) {
    return PointStruct.newBuilder()
        .setId(id(id))
        .setVectors(vectors((float) id, 1f))
        .putAllPayload(payload)
        .build();
  }

  private ScrollResponse scroll(OrderBy orderBy, ScrollPoints.Builder b) throws Exception {
    return client.scrollAsync(b.setCollectionName("c").setOrderBy(orderBy).build()).get();
  }

  private static List<String> idsAndValues(ScrollResponse r) {
    return r.getResultList().stream()
        .map(
            p ->
                p.getId().getNum()
                    + "="
                    + (p.getOrderValue().hasInt()
                        ? String.valueOf(p.getOrderValue().getInt())
                        : String.valueOf(p.getOrderValue().getFloat())))
        .toList();
  }

  @Test
  void integerFieldAscendingRepeatsMultiValuedPointsAndBreaksTiesById() throws Exception {
    ScrollResponse r =
        scroll(OrderBy.newBuilder().setKey("price").build(), ScrollPoints.newBuilder());

    // point 2 has two prices, so it comes twice; 5's price is text and 6, 7 have none
    assertThat(idsAndValues(r)).containsExactly("2=10", "3=20", "4=20", "1=30", "2=50");
    assertThat(r.hasNextPageOffset()).isFalse();
    // Scroll's payload default (on) holds
    assertThat(r.getResult(0).getPayloadMap()).containsKey("kind");
  }

  @Test
  void descendingWithStartFromFilterAndLimit() throws Exception {
    ScrollResponse r =
        scroll(
            OrderBy.newBuilder()
                .setKey("price")
                .setDirection(Direction.Desc)
                .setStartFrom(StartFrom.newBuilder().setInteger(30))
                .build(),
            ScrollPoints.newBuilder().setLimit(10));
    assertThat(idsAndValues(r)).containsExactly("1=30", "4=20", "3=20", "2=10");

    ScrollResponse filtered =
        scroll(
            OrderBy.newBuilder().setKey("price").setDirection(Direction.Desc).build(),
            ScrollPoints.newBuilder()
                .setLimit(2)
                .setFilter(Filter.newBuilder().addMust(matchKeyword("kind", "b"))));
    assertThat(idsAndValues(filtered)).containsExactly("2=50", "4=20");
  }

  @Test
  void floatAndDatetimeFields() throws Exception {
    // integers in a float field count as floats
    assertThat(
            idsAndValues(
                scroll(OrderBy.newBuilder().setKey("rating").build(), ScrollPoints.newBuilder())))
        .containsExactly("6=1.0", "2=3.0", "1=4.5", "3=4.5");
    // datetimes order as microseconds since the epoch; no offset means UTC
    ScrollResponse when =
        scroll(OrderBy.newBuilder().setKey("when").build(), ScrollPoints.newBuilder());
    assertThat(idsAndValues(when)).containsExactly("7=1704110400000000", "6=1704153600000000");
    ScrollResponse later =
        scroll(
            OrderBy.newBuilder()
                .setKey("when")
                .setStartFrom(StartFrom.newBuilder().setDatetime("2024-01-01T18:00:00Z"))
                .build(),
            ScrollPoints.newBuilder());
    assertThat(idsAndValues(later)).containsExactly("6=1704153600000000");
  }

  @Test
  void withVectorsAndPayloadSelection() throws Exception {
    ScrollResponse r =
        scroll(
            OrderBy.newBuilder().setKey("price").build(),
            ScrollPoints.newBuilder()
                .setLimit(1)
                .setWithPayload(
                    io.qdrant.client.grpc.Points.WithPayloadSelector.newBuilder().setEnable(false))
                .setWithVectors(
                    io.qdrant.client.grpc.Points.WithVectorsSelector.newBuilder().setEnable(true)));
    RetrievedPoint p = r.getResult(0);
    assertThat(p.getId().getNum()).isEqualTo(2);
    assertThat(p.getPayloadMap()).isEmpty();
    assertThat(p.getVectors().getVector().getDense().getDataList()).containsExactly(2f, 1f);
  }

  @Test
  void refusalsAreQdrants() {
    StatusRuntimeException noIndex =
        failure(
            () -> scroll(OrderBy.newBuilder().setKey("kind").build(), ScrollPoints.newBuilder()));
    assertThat(noIndex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(noIndex.getStatus().getDescription())
        .startsWith("Wrong input: No range index for `order_by` key: `kind`.");

    StatusRuntimeException lookupOnly =
        failure(
            () ->
                scroll(
                    OrderBy.newBuilder().setKey("lookup_only").build(), ScrollPoints.newBuilder()));
    assertThat(lookupOnly.getStatus().getDescription()).contains("No range index");

    StatusRuntimeException offset =
        failure(
            () ->
                scroll(
                    OrderBy.newBuilder().setKey("price").build(),
                    ScrollPoints.newBuilder().setOffset(id(2))));
    assertThat(offset.getStatus().getDescription())
        .startsWith("Wrong input: Cannot use an `offset` when using `order_by`.");

    StatusRuntimeException missing =
        failure(
            () ->
                client
                    .scrollAsync(
                        ScrollPoints.newBuilder()
                            .setCollectionName("missing")
                            .setOrderBy(OrderBy.newBuilder().setKey("price"))
                            .build())
                    .get());
    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }
}
