package dev.vectorcache.qdrant.testserver;

import static dev.vectorcache.qdrant.testserver.Failures.failure;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.dense;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.named;
import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.WithVectorsSelectorFactory;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointVectors;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.UpdateMode;
import io.qdrant.client.grpc.Points.UpsertPoints;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Upsert's {@code update_mode} and {@code update_filter}, and UpdateVectors' {@code update_filter}
 * on a collection with named vectors, as Qdrant documents them: the filter decides which existing
 * points are replaced and never stops an insert; {@code InsertOnly} leaves existing points alone,
 * {@code UpdateOnly} inserts nothing. Collection "c" has one unnamed vector, "n" the named "a".
 * Each holds points 1 and 2 with payload {@code v} = their id.
 */
class ConditionalWritesTest extends ServerPerTest {
  @BeforeEach
  void collections() throws Exception {
    client
        .createCollectionAsync(
            "c", VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build())
        .get();
    client
        .createCollectionAsync(
            CreateCollection.newBuilder()
                .setCollectionName("n")
                .setVectorsConfig(
                    VectorsConfig.newBuilder()
                        .setParamsMap(
                            VectorParamsMap.newBuilder()
                                .putMap(
                                    "a",
                                    VectorParams.newBuilder()
                                        .setSize(2)
                                        .setDistance(Distance.Dot)
                                        .build())))
                .build())
        .get();
    for (String c : List.of("c", "n")) {
      client.upsertAsync(c, List.of(point(c, 1, 1), point(c, 2, 2))).get();
    }
  }

  private static PointStruct point(String collection, long id, long v) {
    PointStruct.Builder b = PointStruct.newBuilder().setId(id(id)).putPayload("v", value(v));
    return collection.equals("c")
        ? b.setVectors(vectors(1f, (float) v)).build()
        : b.setVectors(named(Map.of("a", dense(1f, (float) v)))).build();
  }

  private static UpsertPoints.Builder upsert(String collection, long... idAndV) {
    UpsertPoints.Builder b = UpsertPoints.newBuilder().setCollectionName(collection).setWait(true);
    for (int i = 0; i < idAndV.length; i += 2) {
      b.addPoints(point(collection, idAndV[i], idAndV[i + 1]));
    }
    return b;
  }

  private static Filter vIs(long v) {
    return Filter.newBuilder().addMust(match("v", v)).build();
  }

  /** Every point's payload {@code v}, by id. */
  private Map<Long, Long> values(String collection) throws Exception {
    Map<Long, Long> out = new TreeMap<>();
    List<RetrievedPoint> points =
        client
            .retrieveAsync(
                collection,
                List.of(id(1), id(2), id(3), id(4), id(5)),
                WithPayloadSelectorFactory.enable(true),
                WithVectorsSelectorFactory.enable(false),
                null)
            .get();
    for (RetrievedPoint p : points) {
      out.put(p.getId().getNum(), p.getPayloadMap().get("v").getIntegerValue());
    }
    return out;
  }

  @DisplayName("update_filter replaces the existing points it matches and inserts new ones")
  @Test
  void updateFilterDecidesWhichExistingPointsAreReplaced() throws Exception {
    for (String c : List.of("c", "n")) {
      client.upsertAsync(upsert(c, 1, 10, 2, 20, 3, 30).setUpdateFilter(vIs(1)).build()).get();
      assertThat(values(c)).as(c).isEqualTo(Map.of(1L, 10L, 2L, 2L, 3L, 30L));
    }
  }

  @DisplayName("InsertOnly leaves existing points alone; UpdateOnly inserts nothing")
  @Test
  void updateModes() throws Exception {
    for (String c : List.of("c", "n")) {
      client
          .upsertAsync(upsert(c, 1, 100, 4, 40).setUpdateMode(UpdateMode.InsertOnly).build())
          .get();
      assertThat(values(c)).as(c).isEqualTo(Map.of(1L, 1L, 2L, 2L, 4L, 40L));
      client
          .upsertAsync(upsert(c, 2, 200, 5, 50).setUpdateMode(UpdateMode.UpdateOnly).build())
          .get();
      assertThat(values(c)).as(c).isEqualTo(Map.of(1L, 1L, 2L, 200L, 4L, 40L));
      // UpdateOnly with a filter: only existing points that match it
      client
          .upsertAsync(
              upsert(c, 1, 11, 2, 22, 5, 55)
                  .setUpdateMode(UpdateMode.UpdateOnly)
                  .setUpdateFilter(vIs(200))
                  .build())
          .get();
      assertThat(values(c)).as(c).isEqualTo(Map.of(1L, 1L, 2L, 22L, 4L, 40L));
    }
  }

  @DisplayName("UpdateBatch passes an upsert's mode and filter on")
  @Test
  void updateBatchHonoursModeAndFilter() throws Exception {
    client
        .batchUpdateAsync(
            "c",
            List.of(
                PointsUpdateOperation.newBuilder()
                    .setUpsert(
                        PointsUpdateOperation.PointStructList.newBuilder()
                            .addPoints(point("c", 1, 10))
                            .addPoints(point("c", 3, 30))
                            .setUpdateMode(UpdateMode.InsertOnly))
                    .build(),
                PointsUpdateOperation.newBuilder()
                    .setUpsert(
                        PointsUpdateOperation.PointStructList.newBuilder()
                            .addPoints(point("c", 2, 20))
                            .setUpdateFilter(vIs(99)))
                    .build()))
        .get();
    assertThat(values("c")).isEqualTo(Map.of(1L, 1L, 2L, 2L, 3L, 30L));
  }

  @DisplayName("UpdateVectors with update_filter on named vectors updates only what matches")
  @Test
  void namedUpdateVectorsWithUpdateFilter() throws Exception {
    client
        .updateVectorsAsync(
            Points.UpdatePointVectors.newBuilder()
                .setCollectionName("n")
                .setWait(true)
                .addPoints(
                    PointVectors.newBuilder()
                        .setId(id(1))
                        .setVectors(named(Map.of("a", dense(9f, 9f)))))
                .addPoints(
                    PointVectors.newBuilder()
                        .setId(id(2))
                        .setVectors(named(Map.of("a", dense(8f, 8f)))))
                .setUpdateFilter(vIs(2))
                .build())
        .get();
    List<RetrievedPoint> points =
        client
            .retrieveAsync(
                "n",
                List.of(id(1), id(2)),
                WithPayloadSelectorFactory.enable(false),
                WithVectorsSelectorFactory.enable(true),
                null)
            .get();
    assertThat(points)
        .extracting(
            p -> p.getVectors().getVectors().getVectorsMap().get("a").getDense().getDataList())
        .containsExactly(List.of(1f, 1f), List.of(8f, 8f));

    StatusRuntimeException missing =
        failure(
            () ->
                client
                    .updateVectorsAsync(
                        Points.UpdatePointVectors.newBuilder()
                            .setCollectionName("n")
                            .addPoints(
                                PointVectors.newBuilder()
                                    .setId(id(2))
                                    .setVectors(named(Map.of("a", dense(7f, 7f)))))
                            .addPoints(
                                PointVectors.newBuilder()
                                    .setId(id(42))
                                    .setVectors(named(Map.of("a", dense(7f, 7f)))))
                            .setUpdateFilter(vIs(2))
                            .build())
                    .get());
    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(missing.getStatus().getDescription())
        .isEqualTo("Not found: No point with id 42 found");
  }
}
