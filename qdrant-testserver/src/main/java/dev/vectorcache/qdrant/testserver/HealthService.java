package dev.vectorcache.qdrant.testserver;

import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.QdrantGrpc;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckRequest;

/** qdrant.Qdrant/HealthCheck, answering with a version the client's compatibility check accepts. */
final class HealthService extends QdrantGrpc.QdrantImplBase {
  @Override
  public void healthCheck(HealthCheckRequest request, StreamObserver<HealthCheckReply> observer) {
    observer.onNext(
        HealthCheckReply.newBuilder()
            .setTitle("qdrant - vector search engine (vectorcache test server)")
            .setVersion(QdrantTestServer.VERSION)
            .setCommit("vectorcache-testserver")
            .build());
    observer.onCompleted();
  }
}
