package dev.vectorcache.qdrant.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    QdrantTestServerMain.class.getName(),
                    "--port",
                    "0",
                    "--api-key",
                    "k3y"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = assertTimeoutPreemptively(Duration.ofSeconds(60), out::readLine);
      int port = Integer.parseInt(first.trim());
      assertThat(port).isPositive();
      try (QdrantClient client =
          new QdrantClient(
              QdrantGrpcClient.newBuilder("127.0.0.1", port, false).withApiKey("k3y").build())) {
        assertThat(client.listCollectionsAsync().get(10, TimeUnit.SECONDS)).isEmpty();
      }
      // the "done when": a program using only io.qdrant:client against the main
      OfficialClientEndToEndTest.runPlainQdrantProgram(port, "k3y");
      p.getOutputStream().close();
      assertThat(p.waitFor(30, TimeUnit.SECONDS))
          .as("the server exits after stdin closes")
          .isTrue();
    } finally {
      p.destroyForcibly();
    }
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
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    QdrantTestServerMain.class.getName(),
                    "--snapshots",
                    snapshots.toString(),
                    "--restore",
                    file.toString()))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      int port =
          Integer.parseInt(assertTimeoutPreemptively(Duration.ofSeconds(60), out::readLine).trim());
      try (QdrantClient client =
          new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", port, false).build())) {
        assertThat(client.countAsync("seeded").get(10, TimeUnit.SECONDS)).isEqualTo(1);
        String name = client.createSnapshotAsync("seeded").get(10, TimeUnit.SECONDS).getName();
        assertThat(snapshots.resolve("seeded").resolve(name)).isRegularFile();
      }
      p.getOutputStream().close();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
  }
}
