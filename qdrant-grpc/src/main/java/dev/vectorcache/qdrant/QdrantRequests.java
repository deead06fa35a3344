package dev.vectorcache.qdrant;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.VectorParams;
import dev.vectorcache.core.model.Vectors;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Points;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The input checks and the request messages of {@link QdrantVectorStore}: everything here runs
 * before any I/O, so bad input fails without touching the server. Writes are built with {@code
 * wait=true}, so they return once applied.
 */
final class QdrantRequests {
  private static final String ILLEGAL_NAME_CHARS = "<>:\"/\\|?*";

  private QdrantRequests() {}

  /** Qdrant's collection name rule. */
  static String checkName(@Nullable String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException(
          "collection name", "a non-blank name of 1 to 255 characters", name);
    }
    if (name.length() > 255) {
      throw new InvalidInputException(
          "collection name", "at most 255 characters", name.length() + " characters");
    }
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ILLEGAL_NAME_CHARS.indexOf(ch) >= 0 || Character.isISOControl(ch)) {
        throw new InvalidInputException(
            "collection name",
            "a name without control characters or any of " + ILLEGAL_NAME_CHARS,
            name,
            "Qdrant uses the name as a directory name");
      }
    }
    return name;
  }

  /** The ids without duplicates, in their first order; a null id is invalid input. */
  static List<PointId> checkIds(Collection<PointId> ids) {
    Objects.requireNonNull(ids, "ids");
    LinkedHashSet<PointId> out = new LinkedHashSet<>();
    int i = 0;
    for (PointId id : ids) {
      if (id == null) {
        throw new InvalidInputException("ids[" + i + "]", "a point id", null);
      }
      out.add(id);
      i++;
    }
    return List.copyOf(out);
  }

  /** Checks that no point is null (their vectors are checked where they are mapped). */
  static void checkPoints(List<?> points) {
    Objects.requireNonNull(points, "points");
    for (int i = 0; i < points.size(); i++) {
      if (points.get(i) == null) {
        throw new InvalidInputException("points[" + i + "]", "a point", null);
      }
    }
  }

  static Points.UpsertPoints upsert(
      String collection, List<PointStruct> points, VectorParams vectors) {
    Points.UpsertPoints.Builder b =
        Points.UpsertPoints.newBuilder().setCollectionName(collection).setWait(true);
    for (int i = 0; i < points.size(); i++) {
      PointStruct p = points.get(i);
      Vectors.check(p.vector(), "points[" + i + "].vector", vectors);
      Points.PointStruct.Builder point =
          b.addPointsBuilder()
              .setId(QdrantMapping.id(p.id()))
              .setVectors(QdrantMapping.vectors(p.vector()));
      QdrantMapping.payload(p.payload(), point::putPayload);
    }
    return b.build();
  }

  static Points.GetPoints get(
      String collection,
      List<PointId> ids,
      @Nullable PayloadSelector withPayload,
      boolean withVectors) {
    return Points.GetPoints.newBuilder()
        .setCollectionName(collection)
        .addAllIds(QdrantMapping.ids(ids))
        .setWithPayload(
            QdrantMapping.withPayload(withPayload == null ? PayloadSelector.NONE : withPayload))
        .setWithVectors(QdrantMapping.withVectors(withVectors))
        .build();
  }

  static Points.DeletePoints delete(String collection, List<PointId> ids) {
    return Points.DeletePoints.newBuilder()
        .setCollectionName(collection)
        .setWait(true)
        .setPoints(QdrantMapping.selector(ids))
        .build();
  }

  static Points.DeletePoints deleteByFilter(String collection, @Nullable Filter filter) {
    if (filter == null) {
      throw new InvalidInputException(
          "filter", "a filter", null, "pass a filter; to empty a collection, delete it");
    }
    return Points.DeletePoints.newBuilder()
        .setCollectionName(collection)
        .setWait(true)
        .setPoints(Points.PointsSelector.newBuilder().setFilter(QdrantMapping.filter(filter)))
        .build();
  }

  static Collections.DeleteCollection deleteCollection(String name) {
    return Collections.DeleteCollection.newBuilder().setCollectionName(name).build();
  }

  static Points.QueryPoints query(
      String collection, SearchRequest request, VectorParams vectors, IndexType indexType) {
    float[] query = request.vector();
    Vectors.check(query, "query", vectors);
    Points.QueryPoints.Builder q =
        Points.QueryPoints.newBuilder()
            .setCollectionName(collection)
            .setQuery(Points.Query.newBuilder().setNearest(QdrantMapping.vectorInput(query)))
            .setLimit(request.limit())
            .setWithPayload(QdrantMapping.withPayload(request.withPayload()))
            .setWithVectors(QdrantMapping.withVectors(request.withVectors()))
            .setParams(QdrantMapping.searchParams(request.params(), indexType));
    if (request.offset() > 0) {
      q.setOffset(request.offset());
    }
    if (request.filter() != null) {
      q.setFilter(QdrantMapping.filter(request.filter()));
    }
    if (request.scoreThreshold() != null) {
      q.setScoreThreshold(request.scoreThreshold());
    }
    return q.build();
  }

  /**
   * One {@code SearchBatch} for the requests, each checked against the collection's vector params
   * (its field named {@code requests[i].vector}). Every search names the collection too: Qdrant
   * validates each one as a whole {@code SearchPoints} (qdrant/qdrant#2880, which the official
   * client works around the same way).
   */
  static Points.SearchBatchPoints searchBatch(
      String collection, List<SearchRequest> requests, VectorParams vectors, IndexType indexType) {
    Points.SearchBatchPoints.Builder b =
        Points.SearchBatchPoints.newBuilder().setCollectionName(collection);
    for (int i = 0; i < requests.size(); i++) {
      SearchRequest request = requests.get(i);
      float[] query = request.vector();
      Vectors.check(query, "requests[" + i + "].vector", vectors);
      Points.SearchPoints.Builder s =
          b.addSearchPointsBuilder()
              .setCollectionName(collection)
              .setLimit(request.limit())
              .setWithPayload(QdrantMapping.withPayload(request.withPayload()))
              .setWithVectors(QdrantMapping.withVectors(request.withVectors()))
              .setParams(QdrantMapping.searchParams(request.params(), indexType));
      for (float x : query) {
        s.addVector(x);
      }
      if (request.offset() > 0) {
        s.setOffset(request.offset());
      }
      if (request.filter() != null) {
        s.setFilter(QdrantMapping.filter(request.filter()));
      }
      if (request.scoreThreshold() != null) {
        s.setScoreThreshold(request.scoreThreshold());
      }
    }
    return b.build();
  }

  static Points.CountPoints count(String collection, @Nullable Filter filter) {
    Points.CountPoints.Builder b =
        Points.CountPoints.newBuilder().setCollectionName(collection).setExact(true);
    if (filter != null) {
      b.setFilter(QdrantMapping.filter(filter));
    }
    return b.build();
  }

  static Points.ScrollPoints scroll(String collection, ScrollRequest request) {
    Points.ScrollPoints.Builder b =
        Points.ScrollPoints.newBuilder()
            .setCollectionName(collection)
            .setLimit(request.limit())
            .setWithPayload(QdrantMapping.withPayload(request.withPayload()))
            .setWithVectors(QdrantMapping.withVectors(request.withVectors()));
    if (request.filter() != null) {
      b.setFilter(QdrantMapping.filter(request.filter()));
    }
    if (request.offset() != null) {
      b.setOffset(QdrantMapping.id(request.offset()));
    }
    return b.build();
  }

  static Points.SetPayloadPoints setPayload(
      String collection, List<PointId> ids, Map<String, Object> payload) {
    Points.SetPayloadPoints.Builder b =
        Points.SetPayloadPoints.newBuilder()
            .setCollectionName(collection)
            .setWait(true)
            .setPointsSelector(QdrantMapping.selector(ids));
    QdrantMapping.payload(payload, b::putPayload);
    return b.build();
  }

  static Points.DeletePayloadPoints deletePayload(
      String collection, List<PointId> ids, Collection<String> keys) {
    return Points.DeletePayloadPoints.newBuilder()
        .setCollectionName(collection)
        .setWait(true)
        .addAllKeys(keys)
        .setPointsSelector(QdrantMapping.selector(ids))
        .build();
  }

  static Points.ClearPayloadPoints clearPayload(String collection, List<PointId> ids) {
    return Points.ClearPayloadPoints.newBuilder()
        .setCollectionName(collection)
        .setWait(true)
        .setPoints(QdrantMapping.selector(ids))
        .build();
  }

  static Points.CreateFieldIndexCollection createIndex(
      String collection,
      @Nullable String field,
      dev.vectorcache.core.model.PayloadSchemaType type) {
    if (field == null || field.isBlank()) {
      throw new InvalidInputException("field", "a non-blank payload key", field);
    }
    Objects.requireNonNull(type, "type");
    return Points.CreateFieldIndexCollection.newBuilder()
        .setCollectionName(collection)
        .setWait(true)
        .setFieldName(field)
        .setFieldType(QdrantMapping.fieldType(type))
        .build();
  }
}
