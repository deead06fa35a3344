package dev.vectorcache.qdrant.testserver;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
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
 * {@code --storage DIR}: the command-line server, in a child JVM, keeps what a client wrote across
 * a stop and a start on the same directory.
 */
class DurableStorageServerTest {

  /** Runs the main on {@code storage}, hands its port to {@code session}, then stops it. */
  private static void serve(Path storage, Session session) throws Exception {
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
                    "--storage",
                    storage.toString()))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = assertTimeoutPreemptively(Duration.ofSeconds(60), out::readLine);
      session.run(Integer.parseInt(first.trim()));
      p.getOutputStream().close(); // a clean stop: the server closes its store
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the server exits").isTrue();
    } finally {
      p.destroyForcibly();
    }
  }

  interface Session {
    void run(int port) throws Exception;
  }

  @Test
  void aServerStartedAgainOnItsStorageDirectoryHasWhatWasWritten(@TempDir Path dir)
      throws Exception {
    Path storage = dir.resolve("storage");
    serve(storage, port -> OfficialClientEndToEndTest.runPlainQdrantProgram(port, null));
    serve(
        storage,
        port -> {
          try (QdrantClient client =
              new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", port, false).build())) {
            assertThat(client.listCollectionsAsync().get(10, TimeUnit.SECONDS))
                .containsExactly("docs");
            assertThat(client.countAsync("docs").get(10, TimeUnit.SECONDS)).isEqualTo(3L);
            List<RetrievedPoint> london =
                client
                    .scrollAsync(
                        ScrollPoints.newBuilder()
                            .setCollectionName("docs")
                            .setLimit(10)
                            .setFilter(Filter.newBuilder().addMust(matchKeyword("city", "London")))
                            .build())
                    .get(10, TimeUnit.SECONDS)
                    .getResultList();
            assertThat(london).extracting(RetrievedPoint::getId).containsExactly(id(2));
          }
        });
  }
}
