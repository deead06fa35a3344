package dev.vectorcache.qdrant.testserver;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.inmemory.InMemoryVectorStore;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.OptimizersConfigDiff;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code on_disk_payload} through the server: a collection created without it gets Qdrant's default
 * (true) and its payloads go to a memory-mapped file of the embedded engine; one created with
 * {@code on_disk_payload=false} keeps them on the heap. Payloads read back the same either way. And
 * {@code memmap_threshold} as Qdrant applies it: it moves the vectors of a collection whose {@code
 * on_disk} is unset, and an explicit {@code on_disk=false} keeps them on the heap.
 */
class OnDiskPayloadServerTest {
  @TempDir Path dir;

  private InMemoryVectorStore engine;
  private QdrantTestServer server;
  private QdrantClient client;

  @BeforeEach
  void start() {
    engine = new InMemoryVectorStore(dir);
    server = QdrantTestServer.builder().port(0).backend(engine).start();
    client =
        new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false).build());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
    engine.close();
  }

  private void create(String name, @Nullable Boolean onDiskPayload) throws Exception {
    CreateCollection.Builder b =
        CreateCollection.newBuilder()
            .setCollectionName(name)
            .setVectorsConfig(
                VectorsConfig.newBuilder()
                    .setParams(VectorParams.newBuilder().setSize(4).setDistance(Distance.Cosine)));
    if (onDiskPayload != null) {
      b.setOnDiskPayload(onDiskPayload);
    }
    client.createCollectionAsync(b.build()).get(30, TimeUnit.SECONDS);
    List<PointStruct> points = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      points.add(
          PointStruct.newBuilder()
              .setId(id(i))
              .setVectors(vectors(0.1f * i, 1, (i % 5) * 0.2f, 0.5f))
              .putAllPayload(Map.of("city", value("c" + (i % 3)), "n", value(i)))
              .build());
    }
    client.upsertAsync(name, points).get(30, TimeUnit.SECONDS);
  }

  @Test
  void qdrantsDefaultPutsPayloadsOnDisk() throws Exception {
    create("dflt", null);
    create("ram", false);

    assertThat(engine.collectionInfo("dflt").config().onDiskPayload()).isTrue();
    assertThat(engine.collectionInfo("dflt").memory().mappedBytes()).isPositive();
    assertThat(engine.collectionInfo("ram").config().onDiskPayload()).isFalse();
    assertThat(engine.collectionInfo("ram").memory().mappedBytes()).isZero();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".payload")))
          .hasSize(1)
          .allSatisfy(f -> assertThat(f).startsWith("dflt-"));
    }
    for (String c : List.of("dflt", "ram")) {
      List<RetrievedPoint> got =
          client.retrieveAsync(c, List.of(id(7)), true, false, null).get(30, TimeUnit.SECONDS);
      Map<String, Value> payload = got.get(0).getPayloadMap();
      assertThat(payload.get("city").getStringValue()).isEqualTo("c1");
      assertThat(payload.get("n").getIntegerValue()).isEqualTo(7);
    }
  }

  @Test
  void memmapThresholdMovesVectorsUnlessOnDiskIsExplicitlyFalse() throws Exception {
    for (String name : List.of("unset", "pinned")) {
      VectorParams.Builder vp = VectorParams.newBuilder().setSize(4).setDistance(Distance.Cosine);
      if (name.equals("pinned")) {
        vp.setOnDisk(false);
      }
      client
          .createCollectionAsync(
              CreateCollection.newBuilder()
                  .setCollectionName(name)
                  .setVectorsConfig(VectorsConfig.newBuilder().setParams(vp))
                  .setOnDiskPayload(false)
                  .setOptimizersConfig(OptimizersConfigDiff.newBuilder().setMemmapThreshold(1))
                  .build())
          .get(30, TimeUnit.SECONDS);
      List<PointStruct> points = new ArrayList<>();
      for (int i = 0; i < 100; i++) { // 100 x 4 floats = 1,600 bytes, past the 1 KB threshold
        points.add(
            PointStruct.newBuilder().setId(id(i)).setVectors(vectors(1, 0.01f * i, 0, 1)).build());
      }
      client.upsertAsync(name, points).get(30, TimeUnit.SECONDS);
    }

    assertThat(engine.collectionInfo("unset").memory().mappedBytes()).isPositive();
    assertThat(engine.collectionInfo("pinned").memory().mappedBytes()).isZero();
    assertThat(engine.collectionInfo("pinned").config().optimizers().memmapThresholdKb()).isNull();
    // GetCollection echoes the request, threshold included, as Qdrant does
    assertThat(
            client
                .getCollectionInfoAsync("pinned")
                .get(30, TimeUnit.SECONDS)
                .getConfig()
                .getOptimizerConfig()
                .getMemmapThreshold())
        .isEqualTo(1L);
    for (String c : List.of("unset", "pinned")) {
      assertThat(
              client
                  .searchAsync(
                      io.qdrant.client.grpc.Points.SearchPoints.newBuilder()
                          .setCollectionName(c)
                          .addAllVector(List.of(1f, 0.5f, 0f, 1f))
                          .setLimit(1)
                          .build())
                  .get(30, TimeUnit.SECONDS)
                  .get(0)
                  .getId()
                  .getNum())
          .isEqualTo(50L);
    }
  }
}
