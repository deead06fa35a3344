package dev.vectorcache.qdrant.testserver;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.QueryFactory.nearest;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;
import static org.assertj.core.api.Assertions.assertThat;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A program written only against io.qdrant:client, run against the test server through the JUnit
 * extension: create a collection, upsert, search with a filter, scroll and count.
 */
@ExtendWith(QdrantTestServerExtension.class)
class OfficialClientEndToEndTest {

  @Test
  void aPlainQdrantProgramWorks(QdrantTestServer server) throws Exception {
    runPlainQdrantProgram(server.port(), null);
    assertThat(server.requestCount("Upsert")).isEqualTo(1);
  }

  /**
   * Creates a collection, upserts, searches with a filter, scrolls and counts with nothing but the
   * official client, asserting each answer. Also run against the server started from its {@code
   * main} ({@link QdrantTestServerMainTest}).
   */
  static void runPlainQdrantProgram(int port, String apiKey) throws Exception {
    QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder("127.0.0.1", port, false);
    if (apiKey != null) {
      grpc.withApiKey(apiKey);
    }
    try (QdrantClient client = new QdrantClient(grpc.build())) {
      client
          .createCollectionAsync(
              "docs", VectorParams.newBuilder().setDistance(Distance.Cosine).setSize(4).build())
          .get();
      client
          .upsertAsync(
              "docs",
              List.of(
                  PointStruct.newBuilder()
                      .setId(id(1))
                      .setVectors(vectors(0.05f, 0.61f, 0.76f, 0.74f))
                      .putAllPayload(Map.of("city", value("Berlin")))
                      .build(),
                  PointStruct.newBuilder()
                      .setId(id(2))
                      .setVectors(vectors(0.19f, 0.81f, 0.75f, 0.11f))
                      .putAllPayload(Map.of("city", value("London")))
                      .build(),
                  PointStruct.newBuilder()
                      .setId(id(3))
                      .setVectors(vectors(0.36f, 0.55f, 0.47f, 0.94f))
                      .putAllPayload(Map.of("city", value("Moscow")))
                      .build()))
          .get();

      List<ScoredPoint> hits =
          client
              .queryAsync(
                  QueryPoints.newBuilder()
                      .setCollectionName("docs")
                      .setLimit(3)
                      .setFilter(Filter.newBuilder().addMust(matchKeyword("city", "London")))
                      .setQuery(nearest(0.2f, 0.1f, 0.9f, 0.7f))
                      .setWithPayload(enable(true))
                      .build())
              .get();
      assertThat(hits).hasSize(1);
      assertThat(hits.get(0).getId()).isEqualTo(id(2));
      assertThat(hits.get(0).getPayloadMap().get("city").getStringValue()).isEqualTo("London");

      ScrollResponse page =
          client
              .scrollAsync(ScrollPoints.newBuilder().setCollectionName("docs").setLimit(2).build())
              .get();
      assertThat(page.getResultList()).extracting(p -> p.getId().getNum()).containsExactly(1L, 2L);
      assertThat(page.getNextPageOffset()).isEqualTo(id(3));

      assertThat(client.countAsync("docs").get()).isEqualTo(3L);
    }
  }

  @Test
  void theExtensionInjectsOneServerPerClass(QdrantTestServer server) {
    assertThat(server.isRunning()).isTrue();
    assertThat(server.port()).isPositive();
    assertThat(server.url()).isEqualTo("grpc://127.0.0.1:" + server.port());
  }
}
