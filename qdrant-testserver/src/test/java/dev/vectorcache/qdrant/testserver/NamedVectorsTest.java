package dev.vectorcache.qdrant.testserver;

import static dev.vectorcache.qdrant.testserver.Failures.failure;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.all;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.dense;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.denseInput;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.ids;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.named;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.nearest;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.only;
import static dev.vectorcache.qdrant.testserver.NamedFixtures.sparse;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.UpdateCollection;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsDiff;
import io.qdrant.client.grpc.Collections.VectorParamsDiffMap;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Collections.VectorsConfigDiff;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.DeletePointVectors;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointVectors;
import io.qdrant.client.grpc.Points.PointsIdsList;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.PrefetchQuery;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SparseIndices;
import io.qdrant.client.grpc.Points.UpdatePointVectors;
import io.qdrant.client.grpc.Points.VectorInput;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.VectorsSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Named dense vectors, sparse vectors with IDF and hybrid queries through the official client,
 * against Qdrant's documented behaviour. Collection "h": dense "text" (2-d, Dot), dense "img" (3-d,
 * Cosine), sparse "bm" (IDF modifier). The expected scores are worked out by hand beside each case.
 */
class NamedVectorsTest {
  private static final double LN2 = Math.log(2);

  /** idf(3) with N = 4 points in "bm", one of them holding index 3: ln(1 + 3.5 / 1.5). */
  private static final double IDF3 = Math.log(1 + 3.5 / 1.5);

  private QdrantTestServer server;
  private QdrantClient client;

  @BeforeEach
  void start() throws Exception {
    server = QdrantTestServer.start();
    client =
        new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false).build());
    client.createCollectionAsync(hybrid("h")).get();
    // "bm" holders: 1, 2, 3, 4 (N = 4); index 1 in 1 and 2, index 2 in 2 and 3, index 3 in 4
    client
        .upsertAsync(
            "h",
            List.of(
                point(
                    1,
                    Map.of("text", dense(1f, 0f), "img", dense(1f, 0f, 0f), "bm", sparse(1, 1f))),
                point(
                    2,
                    Map.of(
                        "text",
                        dense(0.8f, 0.2f),
                        "img",
                        dense(0f, 1f, 0f),
                        "bm",
                        sparse2(1, 0.5f, 2, 1f))),
                point(3, Map.of("text", dense(0.5f, 0.5f), "bm", sparse(2, 2f))),
                point(4, Map.of("text", dense(0.1f, 0.9f), "bm", sparse(3, 1f))),
                point(5, Map.of("text", dense(0f, 1f)))))
        .get();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  // ---- builders ----

  static CreateCollection hybrid(String name) {
    return CreateCollection.newBuilder()
        .setCollectionName(name)
        .setVectorsConfig(
            VectorsConfig.newBuilder()
                .setParamsMap(
                    VectorParamsMap.newBuilder()
                        .putMap(
                            "text",
                            VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build())
                        .putMap(
                            "img",
                            VectorParams.newBuilder()
                                .setSize(3)
                                .setDistance(Distance.Cosine)
                                .build())))
        .setSparseVectorsConfig(
            SparseVectorConfig.newBuilder()
                .putMap("bm", SparseVectorParams.newBuilder().setModifier(Modifier.Idf).build()))
        .build();
  }

  static Points.Vector sparse2(int i1, float v1, int i2, float v2) {
    return Points.Vector.newBuilder()
        .setSparse(
            Points.SparseVector.newBuilder()
                .addIndices(i1)
                .addValues(v1)
                .addIndices(i2)
                .addValues(v2))
        .build();
  }

  static PointStruct point(long id, Map<String, Points.Vector> vectors) {
    return PointStruct.newBuilder()
        .setId(id(id))
        .setVectors(named(vectors))
        .putPayload("n", value(id))
        .build();
  }

  /** The sparse query {1: 1, 3: 2} as a universal-query input. */
  static VectorInput sparseQuery() {
    return VectorInput.newBuilder()
        .setSparse(
            Points.SparseVector.newBuilder()
                .addIndices(1)
                .addValues(1f)
                .addIndices(3)
                .addValues(2f))
        .build();
  }

  static PrefetchQuery prefetch(String using, VectorInput in, int limit) {
    return PrefetchQuery.newBuilder().setUsing(using).setQuery(nearest(in)).setLimit(limit).build();
  }

  private List<ScoredPoint> query(QueryPoints.Builder b) throws Exception {
    return client.queryAsync(b.setCollectionName("h").build()).get();
  }

  private RetrievedPoint get(long id, WithVectorsSelector vectors) throws Exception {
    List<RetrievedPoint> found =
        client
            .retrieveAsync(
                GetPoints.newBuilder()
                    .setCollectionName("h")
                    .addIds(id(id))
                    .setWithVectors(vectors)
                    .build(),
                null)
            .get();
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private static Map<String, VectorOutput> vectorsOf(RetrievedPoint p) {
    assertThat(p.getVectors().hasVectors()).isTrue();
    return p.getVectors().getVectors().getVectorsMap();
  }

  private static void assertFails(StatusRuntimeException e, Status.Code code, String description) {
    assertThat(e.getStatus().getCode()).isEqualTo(code);
    assertThat(e.getStatus().getDescription()).isEqualTo(description);
  }

  // ---- collections ----

  @DisplayName("Create with named dense and sparse vectors; Get echoes the config")
  @Test
  void createAndGetEchoTheConfig() throws Exception {
    CollectionInfo info = client.getCollectionInfoAsync("h").get();
    Map<String, VectorParams> dense =
        info.getConfig().getParams().getVectorsConfig().getParamsMap().getMapMap();
    assertThat(dense.keySet()).containsExactlyInAnyOrder("text", "img");
    assertThat(dense.get("img").getSize()).isEqualTo(3);
    assertThat(dense.get("img").getDistance()).isEqualTo(Distance.Cosine);
    assertThat(
            info.getConfig()
                .getParams()
                .getSparseVectorsConfig()
                .getMapMap()
                .get("bm")
                .getModifier())
        .isEqualTo(Modifier.Idf);
    assertThat(info.getPointsCount()).isEqualTo(5);

    // the unnamed vector beside a sparse one: the dense space ""
    client
        .createCollectionAsync(
            CreateCollection.newBuilder()
                .setCollectionName("u")
                .setVectorsConfig(
                    VectorsConfig.newBuilder()
                        .setParams(VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot)))
                .setSparseVectorsConfig(
                    SparseVectorConfig.newBuilder()
                        .putMap("s", SparseVectorParams.getDefaultInstance()))
                .build())
        .get();
    client
        .upsertAsync(
            "u",
            List.of(
                PointStruct.newBuilder()
                    .setId(id(1))
                    .setVectors(named(Map.of("", dense(1f, 2f), "s", sparse(7, 3f))))
                    .build()))
        .get();
    List<ScoredPoint> hits =
        client
            .searchAsync(
                SearchPoints.newBuilder()
                    .setCollectionName("u")
                    .addAllVector(List.of(1f, 1f))
                    .setLimit(3)
                    .build())
            .get();
    assertThat(ids(hits)).containsExactly(1L);
    assertThat(hits.get(0).getScore()).isCloseTo(3f, within(1e-6f));
    // no modifier: the plain dot product 3 * 2
    List<ScoredPoint> sparseHits =
        client
            .searchAsync(
                SearchPoints.newBuilder()
                    .setCollectionName("u")
                    .setVectorName("s")
                    .addVector(2f)
                    .setSparseIndices(SparseIndices.newBuilder().addData(7))
                    .setLimit(3)
                    .build())
            .get();
    assertThat(sparseHits.get(0).getScore()).isCloseTo(6f, within(1e-6f));
  }

  // ---- points ----

  @DisplayName("Get and Scroll answer the named vectors asked, sparse ones with their indices")
  @Test
  void getAndScrollAnswerNamedVectors() throws Exception {
    Map<String, VectorOutput> one = vectorsOf(get(2, all()));
    assertThat(one.keySet()).containsExactlyInAnyOrder("text", "img", "bm");
    assertThat(one.get("text").getDense().getDataList()).containsExactly(0.8f, 0.2f);
    assertThat(one.get("img").getDense().getDataList()).containsExactly(0f, 1f, 0f);
    assertThat(one.get("bm").getSparse().getIndicesList()).containsExactly(1, 2);
    assertThat(one.get("bm").getSparse().getValuesList()).containsExactly(0.5f, 1f);

    // an include selector: those names only; a point without a vector in a space has none there
    assertThat(vectorsOf(get(2, only("bm"))).keySet()).containsExactly("bm");
    assertThat(vectorsOf(get(5, all())).keySet()).containsExactly("text");
    // without with_vectors, no vectors
    assertThat(get(1, WithVectorsSelector.newBuilder().setEnable(false).build()).hasVectors())
        .isFalse();

    List<RetrievedPoint> page =
        client
            .scrollAsync(
                ScrollPoints.newBuilder()
                    .setCollectionName("h")
                    .setLimit(2)
                    .setWithVectors(only("img"))
                    .build())
            .get()
            .getResultList();
    assertThat(page).hasSize(2);
    assertThat(vectorsOf(page.get(0)).get("img").getDense().getDataList())
        .containsExactly(1f, 0f, 0f);
    assertThat(page.get(0).getPayloadMap()).containsEntry("n", value(1));
  }

  @DisplayName("Search by vector name: only points holding a vector there are hits")
  @Test
  void searchByName() throws Exception {
    List<ScoredPoint> hits =
        client
            .searchAsync(
                SearchPoints.newBuilder()
                    .setCollectionName("h")
                    .setVectorName("img")
                    .addAllVector(List.of(2f, 1f, 0f))
                    .setLimit(10)
                    .build())
            .get();
    // cosine with (2, 1, 0): point 1 2/sqrt(5), point 2 1/sqrt(5); 3, 4 and 5 have no "img"
    assertThat(ids(hits)).containsExactly(1L, 2L);
    assertThat(hits.get(0).getScore()).isCloseTo((float) (2 / Math.sqrt(5)), within(1e-5f));
    assertThat(hits.get(1).getScore()).isCloseTo((float) (1 / Math.sqrt(5)), within(1e-5f));

    List<ScoredPoint> text =
        query(
            QueryPoints.newBuilder()
                .setUsing("text")
                .setQuery(nearest(denseInput(1f, 0f)))
                .setLimit(3)
                .setWithVectors(only("text")));
    assertThat(ids(text)).containsExactly(1L, 2L, 3L);
    assertThat(text.get(1).getScore()).isCloseTo(0.8f, within(1e-6f));
    assertThat(text.get(1).getVectors().getVectors().getVectorsMap().get("text").getDense())
        .isEqualTo(Points.DenseVector.newBuilder().addData(0.8f).addData(0.2f).build());
  }

  @DisplayName("Sparse search with IDF scores query value * idf * stored value")
  @Test
  void sparseSearchWithIdf() throws Exception {
    // query {1: 1, 3: 2}: point 4 = 2 * idf(3) * 1, point 1 = 1 * idf(1) * 1, point 2 = 0.5 *
    // idf(1); idf(1) = ln(1 + (4 - 2 + 0.5) / (2 + 0.5)) = ln 2; point 3 shares no index
    List<ScoredPoint> hits =
        client
            .searchAsync(
                SearchPoints.newBuilder()
                    .setCollectionName("h")
                    .setVectorName("bm")
                    .addAllVector(List.of(1f, 2f))
                    .setSparseIndices(SparseIndices.newBuilder().addData(1).addData(3))
                    .setLimit(10)
                    .build())
            .get();
    assertThat(ids(hits)).containsExactly(4L, 1L, 2L);
    assertThat(hits.get(0).getScore()).isCloseTo((float) (2 * IDF3), within(1e-5f));
    assertThat(hits.get(1).getScore()).isCloseTo((float) LN2, within(1e-5f));
    assertThat(hits.get(2).getScore()).isCloseTo((float) (0.5 * LN2), within(1e-5f));

    // the same through the universal query
    List<ScoredPoint> queried =
        query(QueryPoints.newBuilder().setUsing("bm").setQuery(nearest(sparseQuery())));
    assertThat(ids(queried)).containsExactly(4L, 1L, 2L);
    assertThat(queried.get(0).getScore()).isCloseTo((float) (2 * IDF3), within(1e-5f));
  }

  @DisplayName("Hybrid query: dense and sparse prefetches fused with RRF, 1 / (rank + 2) summed")
  @Test
  void hybridRrf() throws Exception {
    // dense "text" (1, 0) top 3: 1, 2, 3; sparse "bm" top 3: 4, 1, 2
    // 1: 1/2 + 1/3; 2: 1/3 + 1/4; 4: 1/2; 3: 1/4
    List<ScoredPoint> hits =
        query(
            QueryPoints.newBuilder()
                .addPrefetch(prefetch("text", denseInput(1f, 0f), 3))
                .addPrefetch(prefetch("bm", sparseQuery(), 3))
                .setQuery(Query.newBuilder().setFusion(Points.Fusion.RRF))
                .setWithPayload(Points.WithPayloadSelector.newBuilder().setEnable(true).build()));
    assertThat(ids(hits)).containsExactly(1L, 2L, 4L, 3L);
    assertThat(hits.get(0).getScore()).isCloseTo(1f / 2 + 1f / 3, within(1e-6f));
    assertThat(hits.get(1).getScore()).isCloseTo(1f / 3 + 1f / 4, within(1e-6f));
    assertThat(hits.get(2).getScore()).isCloseTo(1f / 2, within(1e-6f));
    assertThat(hits.get(3).getScore()).isCloseTo(1f / 4, within(1e-6f));
    assertThat(hits.get(0).getPayloadMap()).containsEntry("n", value(1));

    // DBSF over the same lists ranks point 1, found by both, first
    List<ScoredPoint> dbsf =
        query(
            QueryPoints.newBuilder()
                .addPrefetch(prefetch("text", denseInput(1f, 0f), 3))
                .addPrefetch(prefetch("bm", sparseQuery(), 3))
                .setQuery(Query.newBuilder().setFusion(Points.Fusion.DBSF)));
    // each list normalised to mean ± 3 sample standard deviations, then summed:
    // 1: 0.654 + 0.431, 2: 0.522 + 0.379, 4: 0.690, 3: 0.323
    assertThat(ids(dbsf)).containsExactly(1L, 2L, 4L, 3L);

    // nearest by id in a named space: the point's own "text" vector, itself left out
    List<ScoredPoint> byId =
        query(
            QueryPoints.newBuilder()
                .setUsing("text")
                .setQuery(nearest(VectorInput.newBuilder().setId(id(1)).build()))
                .setLimit(2));
    assertThat(ids(byId)).containsExactly(2L, 3L);
  }

  @DisplayName("UpdateVectors and DeleteVectors of named vectors keep the other vectors")
  @Test
  void updateAndDeleteNamedVectors() throws Exception {
    client
        .updateVectorsAsync(
            UpdatePointVectors.newBuilder()
                .setCollectionName("h")
                .setWait(true)
                .addPoints(
                    PointVectors.newBuilder()
                        .setId(id(3))
                        .setVectors(named(Map.of("img", dense(0f, 0f, 1f)))))
                .build())
        .get();
    Map<String, VectorOutput> three = vectorsOf(get(3, all()));
    assertThat(three.keySet()).containsExactlyInAnyOrder("text", "img", "bm");
    assertThat(three.get("img").getDense().getDataList()).containsExactly(0f, 0f, 1f);
    assertThat(three.get("text").getDense().getDataList()).containsExactly(0.5f, 0.5f);

    client
        .deleteVectorsAsync(
            DeletePointVectors.newBuilder()
                .setCollectionName("h")
                .setWait(true)
                .setPointsSelector(
                    PointsSelector.newBuilder().setPoints(PointsIdsList.newBuilder().addIds(id(1))))
                .setVectors(VectorsSelector.newBuilder().addNames("img"))
                .build(),
            null)
        .get();
    assertThat(vectorsOf(get(1, all())).keySet()).containsExactlyInAnyOrder("text", "bm");
    List<ScoredPoint> img =
        client
            .searchAsync(
                SearchPoints.newBuilder()
                    .setCollectionName("h")
                    .setVectorName("img")
                    .addAllVector(List.of(1f, 0f, 0f))
                    .setLimit(10)
                    .build())
            .get();
    assertThat(ids(img)).containsExactlyInAnyOrder(2L, 3L);
    assertThat(get(1, WithVectorsSelector.newBuilder().setEnable(false).build()).getPayloadMap())
        .isEmpty(); // Get's payload default is off; the point is still there
  }

  @DisplayName("CreateVectorName and DeleteVectorName add and drop spaces")
  @Test
  void createAndDeleteVectorNames() throws Exception {
    client
        .createVectorNameAsync(
            Points.CreateVectorNameRequest.newBuilder()
                .setCollectionName("h")
                .setVectorName("extra")
                .setDenseConfig(
                    Points.DenseVectorCreationConfig.newBuilder()
                        .setSize(2)
                        .setDistance(Distance.Euclid))
                .build())
        .get();
    client
        .createVectorNameAsync(
            Points.CreateVectorNameRequest.newBuilder()
                .setCollectionName("h")
                .setVectorName("kw")
                .setSparseConfig(Points.SparseVectorCreationConfig.getDefaultInstance())
                .build())
        .get();
    CollectionInfo info = client.getCollectionInfoAsync("h").get();
    assertThat(info.getConfig().getParams().getVectorsConfig().getParamsMap().getMapMap())
        .containsKeys("text", "img", "extra");
    assertThat(info.getConfig().getParams().getSparseVectorsConfig().getMapMap())
        .containsKeys("bm", "kw");
    // existing points have no vector in the new space; a new vector can be written there
    assertThat(vectorsOf(get(5, all())).keySet()).containsExactly("text");
    client
        .updateVectorsAsync(
            UpdatePointVectors.newBuilder()
                .setCollectionName("h")
                .addPoints(
                    PointVectors.newBuilder()
                        .setId(id(5))
                        .setVectors(named(Map.of("extra", dense(3f, 4f), "kw", sparse(9, 1f)))))
                .build())
        .get();
    assertThat(vectorsOf(get(5, all())).keySet()).containsExactlyInAnyOrder("text", "extra", "kw");

    // the same settings again change nothing; other settings are refused
    client
        .createVectorNameAsync(
            Points.CreateVectorNameRequest.newBuilder()
                .setCollectionName("h")
                .setVectorName("extra")
                .setDenseConfig(
                    Points.DenseVectorCreationConfig.newBuilder()
                        .setSize(2)
                        .setDistance(Distance.Euclid))
                .build())
        .get();
    assertFails(
        failure(
            () ->
                client
                    .createVectorNameAsync(
                        Points.CreateVectorNameRequest.newBuilder()
                            .setCollectionName("h")
                            .setVectorName("text")
                            .setDenseConfig(
                                Points.DenseVectorCreationConfig.newBuilder()
                                    .setSize(4)
                                    .setDistance(Distance.Dot))
                            .build())
                    .get()),
        Status.Code.INVALID_ARGUMENT,
        "Wrong input: Vector `text` already exists with a different configuration");
    assertFails(
        failure(
            () ->
                client
                    .createVectorNameAsync(
                        Points.CreateVectorNameRequest.newBuilder()
                            .setCollectionName("h")
                            .setVectorName("bm")
                            .setDenseConfig(
                                Points.DenseVectorCreationConfig.newBuilder()
                                    .setSize(2)
                                    .setDistance(Distance.Dot))
                            .build())
                    .get()),
        Status.Code.INVALID_ARGUMENT,
        "Wrong input: Vector `bm` already exists as a sparse vector");

    client
        .deleteVectorNameAsync(
            Points.DeleteVectorNameRequest.newBuilder()
                .setCollectionName("h")
                .setVectorName("extra")
                .build())
        .get();
    assertThat(
            client
                .getCollectionInfoAsync("h")
                .get()
                .getConfig()
                .getParams()
                .getVectorsConfig()
                .getParamsMap()
                .getMapMap())
        .doesNotContainKey("extra");
    assertThat(vectorsOf(get(5, all())).keySet()).containsExactlyInAnyOrder("text", "kw");
    // deleting a name the collection lacks changes nothing, as in Qdrant
    client
        .deleteVectorNameAsync(
            Points.DeleteVectorNameRequest.newBuilder()
                .setCollectionName("h")
                .setVectorName("extra")
                .build())
        .get();
    assertFails(
        failure(
            () -> client.upsertAsync("h", List.of(point(9, Map.of("extra", dense(1f, 1f))))).get()),
        Status.Code.INVALID_ARGUMENT,
        "Wrong input: Not existing vector name error: extra");
  }

  @DisplayName("Unknown vector names are Qdrant's \"Not existing vector name\"")
  @Test
  void unknownVectorNames() {
    String expected = "Wrong input: Not existing vector name error: nope";
    assertFails(
        failure(() -> client.upsertAsync("h", List.of(point(9, Map.of("nope", dense(1f))))).get()),
        Status.Code.INVALID_ARGUMENT,
        expected);
    assertFails(
        failure(
            () ->
                client
                    .searchAsync(
                        SearchPoints.newBuilder()
                            .setCollectionName("h")
                            .setVectorName("nope")
                            .addVector(1f)
                            .setLimit(1)
                            .build())
                    .get()),
        Status.Code.INVALID_ARGUMENT,
        expected);
    assertFails(
        failure(
            () ->
                query(
                    QueryPoints.newBuilder()
                        .addPrefetch(prefetch("nope", denseInput(1f, 0f), 3))
                        .setQuery(Query.newBuilder().setFusion(Points.Fusion.RRF)))),
        Status.Code.INVALID_ARGUMENT,
        expected);
    assertFails(
        failure(
            () ->
                client
                    .deleteVectorsAsync(
                        DeletePointVectors.newBuilder()
                            .setCollectionName("h")
                            .setPointsSelector(
                                PointsSelector.newBuilder()
                                    .setPoints(PointsIdsList.newBuilder().addIds(id(1))))
                            .setVectors(VectorsSelector.newBuilder().addNames("nope"))
                            .build(),
                        null)
                    .get()),
        Status.Code.INVALID_ARGUMENT,
        expected);
    // the collection has no unnamed vector
    assertFails(
        failure(
            () ->
                client
                    .searchAsync(
                        SearchPoints.newBuilder()
                            .setCollectionName("h")
                            .addAllVector(List.of(1f, 0f))
                            .setLimit(1)
                            .build())
                    .get()),
        Status.Code.INVALID_ARGUMENT,
        "Wrong input: Not existing vector name error: ");
    // a dense vector for the sparse space
    assertFails(
        failure(
            () -> client.upsertAsync("h", List.of(point(9, Map.of("bm", dense(1f, 1f))))).get()),
        Status.Code.INVALID_ARGUMENT,
        "Wrong input: Conversion between sparse and regular vectors failed");
  }

  @DisplayName("Queries by example and MMR on a sparse vector weight by IDF; a dense example fails")
  @Test
  void examplesOnSparseVectors() throws Exception {
    // sparseQuery {1: 1, 3: 2}, searched with IDF (N = 4): 4 -> 2 * idf(3) = 2.408, 1 -> idf(1) =
    // ln 2, 2 -> 0.5 * ln 2; 3 shares no index. MMR compares them without IDF: 4 (relevance 2)
    // first, then 1 (0.5 * 1 - 0.5 * 0) before 2 (0.5 * 0.5 - 0.5 * 0)
    List<ScoredPoint> mmr =
        query(
            QueryPoints.newBuilder()
                .setUsing("bm")
                .setQuery(
                    Query.newBuilder()
                        .setNearestWithMmr(
                            Points.NearestInputWithMmr.newBuilder()
                                .setNearest(sparseQuery())
                                .setMmr(Points.Mmr.getDefaultInstance()))));
    assertThat(mmr).extracting(p -> p.getId().getNum()).containsExactly(4L, 1L, 2L);
    assertThat(mmr.get(0).getScore()).isCloseTo((float) (2 * IDF3), within(1e-5f));

    // best score of positive 1 = {1: 1}: 2 shares index 1: sigmoid(0.5 * ln 2); 3 and 4 share
    // none: sigmoid(0) = 0.5
    List<ScoredPoint> best =
        client
            .recommendAsync(
                Points.RecommendPoints.newBuilder()
                    .setCollectionName("h")
                    .setUsing("bm")
                    .addPositive(id(1))
                    .setStrategy(Points.RecommendStrategy.BestScore)
                    .setLimit(3)
                    .build())
            .get();
    assertThat(best).extracting(p -> p.getId().getNum()).containsExactly(2L, 3L, 4L);
    float half = (float) (0.5 * Math.log(2));
    assertThat(best.get(0).getScore())
        .isCloseTo(ExampleScoring.scaledFastSigmoid(half), within(1e-5f));
    assertThat(best.get(1).getScore()).isEqualTo(0.5f);

    StatusRuntimeException dense =
        failure(
            () ->
                client
                    .recommendAsync(
                        Points.RecommendPoints.newBuilder()
                            .setCollectionName("h")
                            .setUsing("bm")
                            .addPositiveVectors(dense(1f, 0f))
                            .setLimit(2)
                            .build())
                    .get());
    assertThat(dense.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(dense.getStatus().getDescription())
        .isEqualTo("Wrong input: Conversion between sparse and regular vectors failed");
  }

  @DisplayName("Update merges per-name diffs into the echoed config; a new modifier is refused")
  @Test
  void updateMergesNamedDiffs() throws Exception {
    client
        .updateCollectionAsync(
            UpdateCollection.newBuilder()
                .setCollectionName("h")
                .setVectorsConfig(
                    VectorsConfigDiff.newBuilder()
                        .setParamsMap(
                            VectorParamsDiffMap.newBuilder()
                                .putMap(
                                    "text", VectorParamsDiff.newBuilder().setOnDisk(true).build())))
                .build())
        .get();
    Map<String, VectorParams> dense =
        client
            .getCollectionInfoAsync("h")
            .get()
            .getConfig()
            .getParams()
            .getVectorsConfig()
            .getParamsMap()
            .getMapMap();
    assertThat(dense.get("text").getOnDisk()).isTrue();
    assertThat(dense.get("img").hasOnDisk()).isFalse();

    StatusRuntimeException modifier =
        failure(
            () ->
                client
                    .updateCollectionAsync(
                        UpdateCollection.newBuilder()
                            .setCollectionName("h")
                            .setSparseVectorsConfig(
                                SparseVectorConfig.newBuilder()
                                    .putMap(
                                        "bm",
                                        SparseVectorParams.newBuilder()
                                            .setModifier(Modifier.None)
                                            .build()))
                            .build())
                    .get());
    assertThat(modifier.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(modifier.getStatus().getDescription()).contains("modifier of a sparse vector");
  }

  @DisplayName("A store without MultiVectors refuses named and sparse vectors as UNIMPLEMENTED")
  @Test
  void aStoreWithoutMultiVectorsRefusesThem() throws Exception {
    InMemoryVectorStore engine = new InMemoryVectorStore();
    VectorStore plain =
        (VectorStore)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {VectorStore.class},
                (proxy, method, args) ->
                    method.getName().equals("extension")
                        ? Optional.empty()
                        : method.invoke(engine, args));
    try (QdrantTestServer other = QdrantTestServer.builder().port(0).backend(plain).start();
        QdrantClient c =
            new QdrantClient(
                QdrantGrpcClient.newBuilder("127.0.0.1", other.port(), false).build())) {
      StatusRuntimeException create = failure(() -> c.createCollectionAsync(hybrid("x")).get());
      assertThat(create.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
      assertThat(create.getStatus().getDescription())
          .contains("does not offer named and sparse vectors");

      c.createCollectionAsync(
              "p", VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build())
          .get();
      StatusRuntimeException name =
          failure(
              () ->
                  c.createVectorNameAsync(
                          Points.CreateVectorNameRequest.newBuilder()
                              .setCollectionName("p")
                              .setVectorName("s")
                              .setSparseConfig(
                                  Points.SparseVectorCreationConfig.getDefaultInstance())
                              .build())
                      .get());
      assertThat(name.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
      // a single-vector collection has no other name, as in Qdrant
      assertFails(
          failure(
              () ->
                  c.searchAsync(
                          SearchPoints.newBuilder()
                              .setCollectionName("p")
                              .setVectorName("s")
                              .addAllVector(List.of(1f, 0f))
                              .setLimit(1)
                              .build())
                      .get()),
          Status.Code.INVALID_ARGUMENT,
          "Wrong input: Not existing vector name error: s");
    } finally {
      engine.close();
    }
  }
}
