package dev.vectorcache.qdrant;

import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.CollectionStatus;
import dev.vectorcache.core.model.MemoryUsage;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.SearchRequest;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The replies of Qdrant read back into the core model, for {@link QdrantVectorStore}. */
final class QdrantReplies {
  private QdrantReplies() {}

  /** The points found, in the order of {@code wanted}; ids Qdrant did not find are left out. */
  static List<RetrievedPoint> retrieved(
      List<Points.RetrievedPoint> found, List<PointId> wanted, boolean withVectors) {
    Map<PointId, RetrievedPoint> byId = new HashMap<>();
    for (Points.RetrievedPoint p : found) {
      RetrievedPoint r = retrieved(p, withVectors);
      byId.put(r.id(), r);
    }
    List<RetrievedPoint> out = new ArrayList<>(byId.size());
    for (PointId id : wanted) {
      RetrievedPoint r = byId.get(id);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  private static RetrievedPoint retrieved(Points.RetrievedPoint p, boolean withVectors) {
    PointId id = QdrantMapping.id(p.getId());
    Map<String, Object> payload = QdrantMapping.payloadFromProto(p.getPayloadMap());
    float[] vector = withVectors ? QdrantMapping.vector(p.getVectors()) : null;
    return vector == null
        ? RetrievedPoint.withoutVector(id, payload)
        : new RetrievedPoint(id, payload, vector);
  }

  static List<ScoredPoint> scored(List<Points.ScoredPoint> hits, boolean withVectors) {
    List<ScoredPoint> out = new ArrayList<>(hits.size());
    for (Points.ScoredPoint h : hits) {
      PointId id = QdrantMapping.id(h.getId());
      Map<String, Object> payload = QdrantMapping.payloadFromProto(h.getPayloadMap());
      float[] vector = withVectors ? QdrantMapping.vector(h.getVectors()) : null;
      out.add(
          vector == null
              ? ScoredPoint.withoutVector(id, h.getScore(), payload)
              : new ScoredPoint(id, h.getScore(), payload, vector));
    }
    return out;
  }

  /**
   * The hits of a search batch, one list per request in order.
   *
   * @throws BackendException when the server answered another number of lists than it was asked
   */
  static List<List<ScoredPoint>> batch(
      List<Points.BatchResult> results, List<SearchRequest> requests) {
    if (results.size() != requests.size()) {
      throw new BackendException(
          QdrantErrors.BACKEND,
          "Qdrant answered "
              + results.size()
              + " result lists to a batch of "
              + requests.size()
              + " searches",
          null);
    }
    List<List<ScoredPoint>> out = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      out.add(scored(results.get(i).getResultList(), requests.get(i).withVectors()));
    }
    return List.copyOf(out);
  }

  static ScrollPage page(Points.ScrollResponse r, boolean withVectors) {
    List<RetrievedPoint> points = new ArrayList<>(r.getResultCount());
    for (Points.RetrievedPoint p : r.getResultList()) {
      points.add(retrieved(p, withVectors));
    }
    return new ScrollPage(
        points, r.hasNextPageOffset() ? QdrantMapping.id(r.getNextPageOffset()) : null);
  }

  /** The collection's config as the core model, or a {@link BackendException} saying why not. */
  static CollectionConfig config(String name, Collections.CollectionInfo info) {
    try {
      CollectionConfig config = QdrantMapping.config(info.getConfig());
      return config.toBuilder()
          .tenantIndex(QdrantClusterMapping.tenantIndex(info.getPayloadSchemaMap()))
          .build();
    } catch (RuntimeException e) {
      throw new BackendException(
          QdrantErrors.BACKEND,
          "cannot read the config of Qdrant collection '" + name + "': " + e.getMessage(),
          e);
    }
  }

  static CollectionInfo info(
      String name, CollectionConfig config, Collections.CollectionInfo info) {
    return new CollectionInfo(
        name,
        config,
        info.hasPointsCount() ? info.getPointsCount() : 0,
        status(info.getStatus()),
        MemoryUsage.UNKNOWN);
  }

  private static CollectionStatus status(Collections.CollectionStatus s) {
    return switch (s) {
      case Yellow -> CollectionStatus.YELLOW;
      case Grey -> CollectionStatus.GREY;
      case Red -> CollectionStatus.RED;
      default -> CollectionStatus.GREEN;
    };
  }

  static BackendInfo backendInfo(HealthCheckReply reply, String target, long startNanos) {
    Map<String, String> details = new HashMap<>();
    details.put("title", reply.getTitle());
    details.put("target", target);
    if (reply.hasCommit()) {
      details.put("commit", reply.getCommit());
    }
    return new BackendInfo(
        "qdrant",
        "qdrant-grpc",
        reply.getVersion(),
        Duration.ofNanos(System.nanoTime() - startNanos),
        details);
  }
}
