package dev.vectorcache.qdrant;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import com.google.common.util.concurrent.ListenableFuture;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.PointsGrpc;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckRequest;
import java.time.Duration;

/**
 * The raw stubs (with the client's call credentials), not QdrantClient's methods: those log every
 * failure at ERROR with a stack trace, which an outage would turn into a flood; the store reports
 * failures as exceptions and leaves logging to the caller. Each stub gets the call's deadline.
 */
final class QdrantStubs {
  private final QdrantClient client;

  QdrantStubs(QdrantClient client) {
    this.client = client;
  }

  ListenableFuture<HealthCheckReply> health(Duration deadline) {
    return client
        .grpcClient()
        .qdrant()
        .withDeadlineAfter(deadline.toNanos(), NANOSECONDS)
        .healthCheck(HealthCheckRequest.getDefaultInstance());
  }

  CollectionsGrpc.CollectionsFutureStub collections(Duration deadline) {
    return client.grpcClient().collections().withDeadlineAfter(deadline.toNanos(), NANOSECONDS);
  }

  PointsGrpc.PointsFutureStub points(Duration deadline) {
    return client.grpcClient().points().withDeadlineAfter(deadline.toNanos(), NANOSECONDS);
  }
}
