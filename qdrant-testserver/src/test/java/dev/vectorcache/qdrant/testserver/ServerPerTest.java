package dev.vectorcache.qdrant.testserver;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh test server and an official client for every test, for test classes that make their own
 * collections in a {@code @BeforeEach} of theirs (JUnit runs this class's first).
 */
abstract class ServerPerTest {
  QdrantTestServer server;
  QdrantClient client;

  @BeforeEach
  final void startServer() throws Exception {
    server = QdrantTestServer.start();
    client =
        new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false).build());
  }

  @AfterEach
  final void stopServer() {
    client.close();
    server.close();
  }
}
