package dev.vectorcache.examples;

import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.qdrant.testserver.FaultMode;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.spi.Backends;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Points;
import java.time.Duration;
import java.util.Map;

/** docs/qdrant.md "The test server": starting it from Java, and its faults and counters. */
public final class QdrantTestServerExamples {
  private QdrantTestServerExamples() {}

  /** Starts servers, talks to them, injects faults; prints what the counters saw. */
  public static void main(String[] args) throws Exception {
    // tag::start[]
    try (QdrantTestServer server = QdrantTestServer.start()) { // free port; start(6334): fixed
      QdrantClient client =
          new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false).build());
      VectorStore store = Backends.discover().openVectorStore(server.url()); // grpc://127.0.0.1:N
      // end::start[]
      System.out.println("collections: " + client.listCollectionsAsync().get().size());
      System.out.println("store lists " + store.listCollections().size() + " collections");
      faults(server);
      store.close();
      client.close();
      // tag::start[]
    }
    // end::start[]
    VectorStore myStore = new InMemoryVectorStore();
    // tag::start-secured[]
    try (QdrantTestServer secured =
        QdrantTestServer.builder().port(0).apiKey("secret").backend(myStore).start()) {
      // every call must now send the key: VectorStoreConfig.builder().apiKey("secret")
      // end::start-secured[]
      System.out.println("secured: " + secured.apiKeyRequired());
      // tag::start-secured[]
    }
    // end::start-secured[]
  }

  static void faults(QdrantTestServer server) {
    // tag::faults[]
    server.faults().inject(FaultMode.UNAVAILABLE); // every call, HealthCheck too, until clear()
    server.faults().spare("HealthCheck"); // ...but let stores open (until clear())
    server.faults().injectOnce(FaultMode.APPLY_THEN_FAIL, "Upsert"); // apply, answer UNAVAILABLE
    server.faults().injectTimes(FaultMode.DEADLINE_EXCEEDED, 2, "Query"); // hold past the deadline
    server.faults().inject(FaultMode.HANG, "Get"); // accept, never answer: the client's deadline
    server.faults().inject(FaultMode.slow(Duration.ofMillis(300))); // hold every reply
    // 10 % of calls fail, in a mode drawn from all of them, seeded: the same run every time
    server.faults().injectRandomly(42, 0.10, FaultMode.all(Duration.ofMillis(300)));
    Map<FaultMode, Long> injected = server.faults().injected(); // what was drawn, per mode
    server.faults().clear();
    server.resetRequestCounts();
    long upserts = server.requestCount("Upsert"); // "0 requests reached the server"
    long total = server.totalRequests();
    long undisciplined = server.requestsWithoutDeadline(); // calls that came without a deadline
    Points.QueryPoints last = server.lastRequest("Query", Points.QueryPoints.class); // as sent
    // end::faults[]
    System.out.println(
        "after reset: "
            + upserts
            + " upserts, "
            + total
            + " requests ("
            + undisciplined
            + " without a deadline), last "
            + last
            + "; faults injected: "
            + injected);
  }
}
