package dev.vectorcache.qdrant.testserver;

import static io.qdrant.client.ConditionFactory.hasId;
import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.FacetCounts;
import io.qdrant.client.grpc.Points.FacetHit;
import io.qdrant.client.grpc.Points.GroupId;
import io.qdrant.client.grpc.Points.PointGroup;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RecommendPointGroups;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchMatrixOffsets;
import io.qdrant.client.grpc.Points.SearchMatrixPair;
import io.qdrant.client.grpc.Points.SearchMatrixPairs;
import io.qdrant.client.grpc.Points.SearchMatrixPoints;
import io.qdrant.client.grpc.Points.SearchPointGroups;
import io.qdrant.client.grpc.Points.WithLookup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SearchGroups, RecommendGroups, Facet and the search matrices through the official client.
 *
 * <p>Collection "items" (Dot, 2 dimensions), points on the x axis so that the search for (1,0)
 * scores each point its x: 1 (1.0, red, shop 10), 2 (0.9, red, shop 20), 3 (0.8, blue, shop 10), 4
 * (0.7, red, shop 20), 5 (0.6, green, shop 30), 6 (0.5, [blue, green], shop 30), 7 (0.4, neither
 * key), 8 (0.3, color 7, shop -5).
 */
class GroupsFacetsMatricesTest {
  private QdrantTestServer server;
  private QdrantClient client;

  @BeforeEach
  void start() throws Exception {
    server = QdrantTestServer.start();
    client =
        new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false).build());
    create("items", Distance.Dot);
    client
        .upsertAsync(
            "items",
            List.of(
                point(1, 1.0f, value("red"), 10),
                point(2, 0.9f, value("red"), 20),
                point(3, 0.8f, value("blue"), 10),
                point(4, 0.7f, value("red"), 20),
                point(5, 0.6f, value("green"), 30),
                point(6, 0.5f, list(List.of(value("blue"), value("green"))), 30),
                point(7, 0.4f, null, null),
                point(8, 0.3f, value(7), -5L)))
        .get();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private void create(String name, Distance distance) throws Exception {
    client
        .createCollectionAsync(
            name, VectorParams.newBuilder().setSize(2).setDistance(distance).build())
        .get();
  }

  private static PointStruct point(long id, float x, Value color, Long shop) {
    Map<String, Value> payload = new HashMap<>();
    if (color != null) {
      payload.put("color", color);
    }
    if (shop != null) {
      payload.put("shop", value(shop));
    }
    return PointStruct.newBuilder()
        .setId(id(id))
        .setVectors(vectors(x, 0))
        .putAllPayload(payload)
        .build();
  }

  private static PointStruct point(long id, float x, Value color, int shop) {
    return point(id, x, color, (long) shop);
  }

  private static SearchPointGroups.Builder byColor() {
    return SearchPointGroups.newBuilder()
        .setCollectionName("items")
        .addAllVector(List.of(1f, 0f))
        .setGroupBy("color")
        .setGroupSize(2)
        .setLimit(3);
  }

  private static List<Long> ids(List<ScoredPoint> hits) {
    List<Long> out = new ArrayList<>();
    for (ScoredPoint p : hits) {
      out.add(p.getId().getNum());
    }
    return out;
  }

  private static GroupId group(String s) {
    return GroupId.newBuilder().setStringValue(s).build();
  }

  private static StatusRuntimeException grpcError(Future<?> f) {
    Throwable t = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, f::get);
    Throwable c = t.getCause();
    while (c != null && !(c instanceof StatusRuntimeException)) {
      c = c.getCause();
    }
    assertThat(c).as("a gRPC status error in %s", t).isInstanceOf(StatusRuntimeException.class);
    return (StatusRuntimeException) c;
  }

  private static void assertError(Future<?> f, Status.Code code, String message) {
    StatusRuntimeException e = grpcError(f);
    assertThat(e.getStatus().getCode()).isEqualTo(code);
    assertThat(e.getStatus().getDescription()).isEqualTo(message);
  }

  // ---- groups ----

  @Test
  void searchGroupsFillsTheBestGroupsUpToTheirSize() throws Exception {
    List<PointGroup> groups = client.searchGroupsAsync(byColor().build()).get();
    // red is full after 1 and 2 (4 is left out), 6 is in blue and in green, 7 has no color
    assertThat(groups)
        .extracting(PointGroup::getId)
        .containsExactly(group("red"), group("blue"), group("green"));
    assertThat(ids(groups.get(0).getHitsList())).containsExactly(1L, 2L);
    assertThat(ids(groups.get(1).getHitsList())).containsExactly(3L, 6L);
    assertThat(ids(groups.get(2).getHitsList())).containsExactly(5L, 6L);
    assertThat(groups.get(0).getHits(1).getScore()).isEqualTo(0.9f);
    assertThat(groups.get(0).getHits(0).getPayloadMap()).isEmpty(); // no payload unless asked
    assertThat(groups.get(0).hasLookup()).isFalse();

    // a fourth group: the integer 7 (an unsigned group id)
    List<PointGroup> four = client.searchGroupsAsync(byColor().setLimit(4).build()).get();
    assertThat(four).hasSize(4);
    assertThat(four.get(3).getId()).isEqualTo(GroupId.newBuilder().setUnsignedValue(7).build());
    assertThat(ids(four.get(3).getHitsList())).containsExactly(8L);

    // the threshold cuts hits before they are grouped
    List<PointGroup> above =
        client
            .searchGroupsAsync(
                byColor()
                    .setScoreThreshold(0.75f)
                    .setWithPayload(WithPayloadSelectorFactory.enable(true))
                    .build())
            .get();
    assertThat(above).extracting(PointGroup::getId).containsExactly(group("red"), group("blue"));
    assertThat(ids(above.get(1).getHitsList())).containsExactly(3L);
    assertThat(above.get(1).getHits(0).getPayloadMap().get("color").getStringValue())
        .isEqualTo("blue");
  }

  @Test
  void groupsByIntegersWithLookup() throws Exception {
    create("shops", Distance.Dot);
    client
        .upsertAsync(
            "shops",
            List.of(
                PointStruct.newBuilder()
                    .setId(id(10))
                    .setVectors(vectors(1, 0))
                    .putAllPayload(Map.of("name", value("A")))
                    .build(),
                PointStruct.newBuilder()
                    .setId(id(20))
                    .setVectors(vectors(1, 0))
                    .putAllPayload(Map.of("name", value("B")))
                    .build()))
        .get();
    List<PointGroup> groups =
        client
            .searchGroupsAsync(
                byColor()
                    .setGroupBy("shop")
                    .setLimit(10)
                    .setWithLookup(WithLookup.newBuilder().setCollection("shops"))
                    .build())
            .get();
    assertThat(groups)
        .extracting(PointGroup::getId)
        .containsExactly(
            GroupId.newBuilder().setUnsignedValue(10).build(),
            GroupId.newBuilder().setUnsignedValue(20).build(),
            GroupId.newBuilder().setUnsignedValue(30).build(),
            GroupId.newBuilder().setIntegerValue(-5).build());
    assertThat(ids(groups.get(0).getHitsList())).containsExactly(1L, 3L);
    assertThat(ids(groups.get(2).getHitsList())).containsExactly(5L, 6L);
    // the lookup's payload comes by default
    assertThat(groups.get(0).getLookup().getId()).isEqualTo(id(10));
    assertThat(groups.get(0).getLookup().getPayloadMap().get("name").getStringValue())
        .isEqualTo("A");
    assertThat(groups.get(1).getLookup().getPayloadMap().get("name").getStringValue())
        .isEqualTo("B");
    assertThat(groups.get(2).hasLookup()).isFalse(); // no shop 30
    assertThat(groups.get(3).hasLookup()).isFalse(); // a negative id names no point

    assertError(
        client.searchGroupsAsync(
            byColor().setWithLookup(WithLookup.newBuilder().setCollection("nope")).build()),
        Status.Code.NOT_FOUND,
        "Not found: Collection nope not found");
  }

  @Test
  void recommendGroupsLeavesTheExamplesOut() throws Exception {
    List<PointGroup> groups =
        client
            .recommendGroupsAsync(
                RecommendPointGroups.newBuilder()
                    .setCollectionName("items")
                    .addPositive(id(1))
                    .setGroupBy("color")
                    .setGroupSize(2)
                    .setLimit(2)
                    .build())
            .get();
    assertThat(groups).extracting(PointGroup::getId).containsExactly(group("red"), group("blue"));
    assertThat(ids(groups.get(0).getHitsList())).containsExactly(2L, 4L);
    assertThat(ids(groups.get(1).getHitsList())).containsExactly(3L, 6L);
  }

  @Test
  void groupRequestsAreValidatedAsQdrantDoes() throws Exception {
    assertError(
        client.searchGroupsAsync(byColor().setGroupSize(0).build()),
        Status.Code.INVALID_ARGUMENT,
        "Validation error in body: [group_size: value 0 invalid, must be 1 or larger]");
    assertError(
        client.searchGroupsAsync(byColor().setGroupBy("").build()),
        Status.Code.INVALID_ARGUMENT,
        "Validation error in body: [group_by: value \"\" invalid, must be at least 1 characters]");
    assertError(
        client.searchGroupsAsync(byColor().setLimit(0).build()),
        Status.Code.INVALID_ARGUMENT,
        "Validation error in body: [limit: value 0 invalid, must be 1 or larger]");
    assertError(
        client.searchGroupsAsync(byColor().setCollectionName("nope").build()),
        Status.Code.NOT_FOUND,
        "Not found: Collection `nope` doesn't exist!");
    assertError(
        client.recommendGroupsAsync(
            RecommendPointGroups.newBuilder()
                .setCollectionName("items")
                .addPositive(id(99))
                .setGroupBy("color")
                .setGroupSize(1)
                .setLimit(1)
                .build()),
        Status.Code.NOT_FOUND,
        "Not found: No point with id 99 found");
  }

  // ---- facets ----

  @Test
  void facetCountsEachValueOncePerPoint() throws Exception {
    client
        .createPayloadIndexAsync(
            "items", "color", PayloadSchemaType.Keyword, null, true, null, null)
        .get();
    List<FacetHit> hits =
        client
            .facetAsync(FacetCounts.newBuilder().setCollectionName("items").setKey("color").build())
            .get();
    // red 1, 2, 4; blue 3, 6; green 5, 6 (equal counts by ascending value); 8's integer is not
    // in a keyword index
    assertThat(hits)
        .extracting(h -> h.getValue().getStringValue())
        .containsExactly("red", "blue", "green");
    assertThat(hits).extracting(FacetHit::getCount).containsExactly(3L, 2L, 2L);

    List<FacetHit> inShop10 =
        client
            .facetAsync(
                FacetCounts.newBuilder()
                    .setCollectionName("items")
                    .setKey("color")
                    .setFilter(Filter.newBuilder().addMust(match("shop", 10)))
                    .build())
            .get();
    assertThat(inShop10)
        .extracting(h -> h.getValue().getStringValue())
        .containsExactly("blue", "red");
    assertThat(
            client
                .facetAsync(
                    FacetCounts.newBuilder()
                        .setCollectionName("items")
                        .setKey("color")
                        .setLimit(1)
                        .setExact(true)
                        .build())
                .get())
        .extracting(h -> h.getValue().getStringValue())
        .containsExactly("red");

    client
        .createPayloadIndexAsync("items", "shop", PayloadSchemaType.Integer, null, true, null, null)
        .get();
    List<FacetHit> shops =
        client
            .facetAsync(FacetCounts.newBuilder().setCollectionName("items").setKey("shop").build())
            .get();
    assertThat(shops)
        .extracting(h -> h.getValue().getIntegerValue())
        .containsExactly(10L, 20L, 30L, -5L);
    assertThat(shops).extracting(FacetHit::getCount).containsExactly(2L, 2L, 2L, 1L);
  }

  @Test
  void facetNeedsAnIndexAsInQdrant() throws Exception {
    assertError(
        client.facetAsync(
            FacetCounts.newBuilder().setCollectionName("items").setKey("color").build()),
        Status.Code.INVALID_ARGUMENT,
        "Wrong input: No appropriate index for faceting: `color`. Please create one to facet on"
            + " this field. Check"
            + " https://qdrant.tech/documentation/concepts/indexing/#payload-index to see which"
            + " payload schemas support Match conditions");
    assertError(
        client.facetAsync(FacetCounts.newBuilder().setCollectionName("items").setKey("").build()),
        Status.Code.INVALID_ARGUMENT,
        "Validation error in body: [key: value \"\" invalid, must be at least 1 characters]");
    // an empty collection has no values to count, index or not
    create("empty", Distance.Dot);
    assertThat(
            client
                .facetAsync(
                    FacetCounts.newBuilder().setCollectionName("empty").setKey("color").build())
                .get())
        .isEmpty();
  }

  // ---- matrices ----

  /*
   * Collection "line" (Euclid): 1 (0,0), 2 (1,0), 3 (3,0), 4 (7,0). Two nearest neighbours of
   * each, by distance: 1 -> 2 (1), 3 (3); 2 -> 1 (1), 3 (2); 3 -> 2 (2), 1 (3); 4 -> 3 (4), 2 (6).
   */
  private void line() throws Exception {
    create("line", Distance.Euclid);
    client
        .upsertAsync(
            "line",
            List.of(
                PointStruct.newBuilder().setId(id(1)).setVectors(vectors(0, 0)).build(),
                PointStruct.newBuilder().setId(id(2)).setVectors(vectors(1, 0)).build(),
                PointStruct.newBuilder().setId(id(3)).setVectors(vectors(3, 0)).build(),
                PointStruct.newBuilder().setId(id(4)).setVectors(vectors(7, 0)).build()))
        .get();
  }

  private static SearchMatrixPoints.Builder matrix() {
    return SearchMatrixPoints.newBuilder().setCollectionName("line").setLimit(2);
  }

  @Test
  void searchMatrixPairsListTheNeighboursOfEachSampledPoint() throws Exception {
    line();
    SearchMatrixPairs pairs = client.searchMatrixPairsAsync(matrix().build()).get();
    List<String> got = new ArrayList<>();
    for (SearchMatrixPair p : pairs.getPairsList()) {
      got.add(p.getA().getNum() + "-" + p.getB().getNum() + ":" + p.getScore());
    }
    assertThat(got)
        .containsExactly(
            "1-2:1.0", "1-3:3.0", "2-1:1.0", "2-3:2.0", "3-2:2.0", "3-1:3.0", "4-3:4.0", "4-2:6.0");
  }

  @Test
  void searchMatrixOffsetsIndexTheSampledIds() throws Exception {
    line();
    SearchMatrixOffsets m = client.searchMatrixOffsetsAsync(matrix().build()).get();
    assertThat(m.getIdsList()).containsExactly(id(1), id(2), id(3), id(4));
    assertThat(m.getOffsetsRowList()).containsExactly(0L, 0L, 1L, 1L, 2L, 2L, 3L, 3L);
    assertThat(m.getOffsetsColList()).containsExactly(1L, 2L, 0L, 2L, 1L, 0L, 2L, 1L);
    assertThat(m.getScoresList()).containsExactly(1f, 3f, 1f, 2f, 2f, 3f, 4f, 6f);

    // the default limit is 3: every other point here
    SearchMatrixOffsets all = client.searchMatrixOffsetsAsync(matrix().clearLimit().build()).get();
    assertThat(all.getScoresCount()).isEqualTo(12);

    // a sample of 2 of the 4 points: each the other's neighbour
    SearchMatrixOffsets two = client.searchMatrixOffsetsAsync(matrix().setSample(2).build()).get();
    assertThat(two.getIdsCount()).isEqualTo(2);
    assertThat(two.getOffsetsRowList()).containsExactly(0L, 1L);
    assertThat(two.getOffsetsColList()).containsExactly(1L, 0L);
    assertThat(two.getIds(0).getNum()).isLessThan(two.getIds(1).getNum());
  }

  @Test
  void searchMatricesOfFewerThanTwoPointsAreEmptyAndInputIsChecked() throws Exception {
    line();
    SearchMatrixPairs one =
        client
            .searchMatrixPairsAsync(
                matrix().setFilter(Filter.newBuilder().addMust(hasId(id(3)))).build())
            .get();
    assertThat(one.getPairsList()).isEmpty();
    assertError(
        client.searchMatrixPairsAsync(matrix().setSample(1).build()),
        Status.Code.INVALID_ARGUMENT,
        "Validation error in body: [sample: value 1 invalid, must be 2 or larger]");
    assertError(
        client.searchMatrixOffsetsAsync(matrix().setLimit(0).build()),
        Status.Code.INVALID_ARGUMENT,
        "Validation error in body: [limit: value 0 invalid, must be 1 or larger]");
    assertError(
        client.searchMatrixPairsAsync(matrix().setUsing("image").build()),
        Status.Code.INVALID_ARGUMENT,
        "Wrong input: Not existing vector name error: image");
  }
}
