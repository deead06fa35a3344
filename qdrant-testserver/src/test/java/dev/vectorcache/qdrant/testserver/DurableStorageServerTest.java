package dev.vectorcache.qdrant.testserver;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --storage DIR}: the command-line server, in a child JVM, keeps what a client wrote across
 * a stop and a start on the same directory.
 */
class DurableStorageServerTest {

  private static void serve(Path storage, ServerMainProcess.Session session) throws Exception {
    ServerMainProcess.serve(session, "--port", "0", "--storage", storage.toString());
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
