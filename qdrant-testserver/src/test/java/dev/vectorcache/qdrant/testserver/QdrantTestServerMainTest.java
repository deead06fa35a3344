package dev.vectorcache.qdrant.testserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line entry point, in a child JVM: prints its port, serves a plain io.qdrant:client
 * program (create, upsert, filtered search, scroll, count), stops when stdin closes.
 */
class QdrantTestServerMainTest {

  @Test
  void runsAsAProcessAndStopsWhenStdinCloses() throws Exception {
    ServerMainProcess.serve(
        port -> {
          assertThat(port).isPositive();
          try (QdrantClient client =
              new QdrantClient(
                  QdrantGrpcClient.newBuilder("127.0.0.1", port, false)
                      .withApiKey("k3y")
                      .build())) {
            assertThat(client.listCollectionsAsync().get(10, TimeUnit.SECONDS)).isEmpty();
          }
          // the "done when": a program using only io.qdrant:client against the main
          OfficialClientEndToEndTest.runPlainQdrantProgram(port, "k3y");
        },
        "--port",
        "0",
        "--api-key",
        "k3y");
  }

  @Test
  void restoresSnapshotsAndKeepsNewOnesInTheGivenDirectory(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("seed.snapshot");
    try (InMemoryVectorStore engine = new InMemoryVectorStore()) {
      engine.createCollection("seeded", CollectionConfig.builder(2, Distance.EUCLID).build());
      engine.upsert("seeded", List.of(PointStruct.of(1, new float[] {1, 2})));
      engine.snapshot("seeded", file);
    }
    Path snapshots = dir.resolve("snapshots");
    ServerMainProcess.serve(
        port -> {
          try (QdrantClient client =
              new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", port, false).build())) {
            assertThat(client.countAsync("seeded").get(10, TimeUnit.SECONDS)).isEqualTo(1);
            String name = client.createSnapshotAsync("seeded").get(10, TimeUnit.SECONDS).getName();
            assertThat(snapshots.resolve("seeded").resolve(name)).isRegularFile();
          }
        },
        "--snapshots",
        snapshots.toString(),
        "--restore",
        file.toString());
  }
}
