package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.port.VectorStore;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.ClearPayloadPoints;
import io.qdrant.client.grpc.Points.CountPoints;
import io.qdrant.client.grpc.Points.CountResponse;
import io.qdrant.client.grpc.Points.CountResult;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeleteFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePayloadPoints;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.GetResponse;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.QueryResponse;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SearchResponse;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import io.qdrant.client.grpc.PointsGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** qdrant.Points over the backing store, with the server's defaults. */
final class PointsService extends PointsGrpc.PointsImplBase {
  private static final int SCROLL_DEFAULT_LIMIT = 10;
  private static final int QUERY_DEFAULT_LIMIT = 10;

  private final ServerState state;

  PointsService(ServerState state) {
    this.state = state;
  }

  private VectorStore store() {
    return state.store();
  }

  // ---- writes ----

  @Override
  public void upsert(UpsertPoints request, StreamObserver<PointsOperationResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          if (request.hasUpdateFilter() || request.hasShardKeySelector()) {
            throw unsupported("update_filter and shard keys");
          }
          List<PointStruct> points = new ArrayList<>(request.getPointsCount());
          for (Points.PointStruct p : request.getPointsList()) {
            points.add(
                PointStruct.of(
                    ProtoValues.id(p.getId()),
                    vector(p.getVectors()),
                    ProtoValues.toJava(p.getPayloadMap())));
          }
          store().upsert(request.getCollectionName(), points);
          return updated(request.hasWait() && request.getWait(), start);
        });
  }

  @Override
  public void delete(DeletePoints request, StreamObserver<PointsOperationResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          String name = request.getCollectionName();
          PointsSelector sel = request.getPoints();
          switch (sel.getPointsSelectorOneOfCase()) {
            case POINTS -> store().delete(name, ProtoValues.ids(sel.getPoints().getIdsList()));
            case FILTER -> {
              Filter f = ProtoFilters.toCore(sel.getFilter());
              if (f == null) {
                // an empty filter matches every point
                deleteAll(name);
              } else {
                store().deleteByFilter(name, f);
              }
            }
            default -> throw noSelector();
          }
          return updated(request.hasWait() && request.getWait(), start);
        });
  }

  private void deleteAll(String name) {
    store().delete(name, idsMatching(name, null));
  }

  @Override
  public void setPayload(
      SetPayloadPoints request, StreamObserver<PointsOperationResponse> observer) {
    payloadWrite(request, false, observer);
  }

  @Override
  public void overwritePayload(
      SetPayloadPoints request, StreamObserver<PointsOperationResponse> observer) {
    payloadWrite(request, true, observer);
  }

  private void payloadWrite(
      SetPayloadPoints request,
      boolean overwrite,
      StreamObserver<PointsOperationResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          if (request.hasKey()) {
            throw unsupported("set_payload with a nested key");
          }
          String name = request.getCollectionName();
          List<PointId> ids = selected(name, request.getPointsSelector());
          Map<String, Object> payload = ProtoValues.toJava(request.getPayloadMap());
          if (overwrite) {
            store().overwritePayload(name, ids, payload);
          } else {
            store().setPayload(name, ids, payload);
          }
          return updated(request.hasWait() && request.getWait(), start);
        });
  }

  @Override
  public void deletePayload(
      DeletePayloadPoints request, StreamObserver<PointsOperationResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          String name = request.getCollectionName();
          store()
              .deletePayloadKeys(
                  name, selected(name, request.getPointsSelector()), request.getKeysList());
          return updated(request.hasWait() && request.getWait(), start);
        });
  }

  @Override
  public void clearPayload(
      ClearPayloadPoints request, StreamObserver<PointsOperationResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          String name = request.getCollectionName();
          store().clearPayload(name, selected(name, request.getPoints()));
          return updated(request.hasWait() && request.getWait(), start);
        });
  }

  @Override
  public void createFieldIndex(
      CreateFieldIndexCollection request, StreamObserver<PointsOperationResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          String name = request.getCollectionName();
          if (!request.hasFieldType()) {
            throw Status.INVALID_ARGUMENT
                .withDescription("Wrong input: field_type is required to create a payload index")
                .asRuntimeException();
          }
          PayloadSchemaType type = schemaType(request.getFieldType());
          store().createPayloadIndex(name, request.getFieldName(), type);
          Collections.PayloadSchemaInfo.Builder info =
              Collections.PayloadSchemaInfo.newBuilder()
                  .setDataType(
                      Collections.PayloadSchemaType.forNumber(request.getFieldTypeValue() + 1));
          if (request.hasFieldIndexParams()) {
            info.setParams(request.getFieldIndexParams());
          }
          state.payloadSchema(name).put(request.getFieldName(), info.build());
          return updated(request.hasWait() && request.getWait(), start);
        });
  }

  @Override
  public void deleteFieldIndex(
      DeleteFieldIndexCollection request, StreamObserver<PointsOperationResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          String name = request.getCollectionName();
          requireCollection(name);
          // indexes change speed, not results: forgetting it is all there is to do
          state.payloadSchema(name).remove(request.getFieldName());
          return updated(request.hasWait() && request.getWait(), start);
        });
  }

  // ---- reads ----

  @Override
  public void get(GetPoints request, StreamObserver<GetResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          // Get's with_payload defaults to false on the server
          PayloadView view =
              payloadView(request.hasWithPayload() ? request.getWithPayload() : null, false);
          boolean vectors = withVectors(request.hasWithVectors() ? request.getWithVectors() : null);
          List<RetrievedPoint> found =
              store()
                  .retrieve(
                      request.getCollectionName(),
                      ProtoValues.ids(request.getIdsList()),
                      view.selector(),
                      vectors);
          GetResponse.Builder b = GetResponse.newBuilder();
          for (RetrievedPoint p : found) {
            b.addResult(retrieved(p, view));
          }
          return b.setTime(ServerState.seconds(start)).build();
        });
  }

  @Override
  public void search(SearchPoints request, StreamObserver<SearchResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          if (request.hasVectorName() && !request.getVectorName().isEmpty()) {
            throw noVectorName(request.getVectorName());
          }
          if (request.hasSparseIndices()) {
            throw unsupported("sparse vectors");
          }
          requireLimit(request.getLimit());
          PayloadView view =
              payloadView(request.hasWithPayload() ? request.getWithPayload() : null, false);
          SearchRequest search =
              new SearchRequest(
                  floats(request.getVectorList()),
                  (int) Math.min(Integer.MAX_VALUE, request.getLimit()),
                  request.hasOffset() ? (int) Math.min(Integer.MAX_VALUE, request.getOffset()) : 0,
                  request.hasFilter() ? ProtoFilters.toCore(request.getFilter()) : null,
                  request.hasScoreThreshold() ? request.getScoreThreshold() : null,
                  params(request.hasParams() ? request.getParams() : null),
                  view.selector(),
                  withVectors(request.hasWithVectors() ? request.getWithVectors() : null));
          SearchResponse.Builder b = SearchResponse.newBuilder();
          for (ScoredPoint p : store().search(request.getCollectionName(), search)) {
            b.addResult(scored(p, view));
          }
          return b.setTime(ServerState.seconds(start)).build();
        });
  }

  @Override
  public void query(QueryPoints request, StreamObserver<QueryResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          String name = request.getCollectionName();
          if (request.getPrefetchCount() > 0 || request.hasLookupFrom()) {
            throw unsupported("prefetch and lookup_from");
          }
          if (request.hasUsing() && !request.getUsing().isEmpty()) {
            throw noVectorName(request.getUsing());
          }
          long limit = request.hasLimit() ? request.getLimit() : QUERY_DEFAULT_LIMIT;
          requireLimit(limit);
          long offset = request.hasOffset() ? request.getOffset() : 0;
          Filter filter = request.hasFilter() ? ProtoFilters.toCore(request.getFilter()) : null;
          PayloadView view =
              payloadView(request.hasWithPayload() ? request.getWithPayload() : null, false);
          boolean vectors = withVectors(request.hasWithVectors() ? request.getWithVectors() : null);
          QueryResponse.Builder b = QueryResponse.newBuilder();
          if (!request.hasQuery()) {
            if (request.hasScoreThreshold()) {
              throw Status.INVALID_ARGUMENT
                  .withDescription("Bad request: score_threshold requires a query")
                  .asRuntimeException();
            }
            // no query: points in id order, like a scroll
            List<RetrievedPoint> page =
                scrollFrom(
                    name,
                    filter,
                    (int) Math.min(Integer.MAX_VALUE - 1, offset + limit),
                    view.selector(),
                    vectors);
            for (int i = (int) Math.min(offset, page.size()); i < page.size(); i++) {
              RetrievedPoint p = page.get(i);
              float[] vector = p.vector();
              ScoredPoint hit =
                  vector == null
                      ? ScoredPoint.withoutVector(p.id(), 0f, p.payload())
                      : new ScoredPoint(p.id(), 0f, p.payload(), vector);
              b.addResult(scored(hit, view));
            }
            return b.setTime(ServerState.seconds(start)).build();
          }
          Points.Query q = request.getQuery();
          float[] vector;
          PointId exclude = null;
          if (q.getVariantCase() != Points.Query.VariantCase.NEAREST) {
            throw unsupported("query variants other than nearest");
          }
          Points.VectorInput in = q.getNearest();
          switch (in.getVariantCase()) {
            case DENSE -> vector = floats(in.getDense().getDataList());
            case ID -> {
              // nearest to a stored point, which is left out of the results
              exclude = ProtoValues.id(in.getId());
              List<RetrievedPoint> ref =
                  store().retrieve(name, List.of(exclude), PayloadSelector.NONE, true);
              if (ref.isEmpty()) {
                throw Status.NOT_FOUND
                    .withDescription("Not found: No point with id " + exclude + " found")
                    .asRuntimeException();
              }
              // retrieved with vectors: a stored point always has one
              vector = Objects.requireNonNull(ref.get(0).vector(), "vector");
            }
            default -> throw unsupported("query inputs other than dense vectors and point ids");
          }
          long fetch = exclude == null ? limit : limit + 1;
          SearchRequest search =
              new SearchRequest(
                  vector,
                  (int) Math.min(Integer.MAX_VALUE, fetch),
                  (int) Math.min(Integer.MAX_VALUE, offset),
                  filter,
                  request.hasScoreThreshold() ? request.getScoreThreshold() : null,
                  params(request.hasParams() ? request.getParams() : null),
                  view.selector(),
                  vectors);
          int n = 0;
          for (ScoredPoint p : store().search(name, search)) {
            if (p.id().equals(exclude) || n >= limit) {
              continue;
            }
            b.addResult(scored(p, view));
            n++;
          }
          return b.setTime(ServerState.seconds(start)).build();
        });
  }

  @Override
  public void scroll(ScrollPoints request, StreamObserver<ScrollResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          if (request.hasOrderBy()) {
            throw unsupported("order_by");
          }
          int limit = request.hasLimit() ? request.getLimit() : SCROLL_DEFAULT_LIMIT;
          requireLimit(limit);
          // Scroll's with_payload defaults to true on the server
          PayloadView view =
              payloadView(request.hasWithPayload() ? request.getWithPayload() : null, true);
          ScrollPage page =
              store()
                  .scroll(
                      request.getCollectionName(),
                      new ScrollRequest(
                          request.hasFilter() ? ProtoFilters.toCore(request.getFilter()) : null,
                          limit,
                          request.hasOffset() ? ProtoValues.id(request.getOffset()) : null,
                          view.selector(),
                          withVectors(request.hasWithVectors() ? request.getWithVectors() : null)));
          ScrollResponse.Builder b = ScrollResponse.newBuilder();
          for (RetrievedPoint p : page.points()) {
            b.addResult(retrieved(p, view));
          }
          if (page.nextOffset() != null) {
            b.setNextPageOffset(ProtoValues.toProto(page.nextOffset()));
          }
          return b.setTime(ServerState.seconds(start)).build();
        });
  }

  @Override
  public void count(CountPoints request, StreamObserver<CountResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          long n =
              store()
                  .count(
                      request.getCollectionName(),
                      request.hasFilter() ? ProtoFilters.toCore(request.getFilter()) : null);
          return CountResponse.newBuilder()
              .setResult(CountResult.newBuilder().setCount(n))
              .setTime(ServerState.seconds(start))
              .build();
        });
  }

  // ---- helpers ----

  private PointsOperationResponse updated(boolean wait, long start) {
    return PointsOperationResponse.newBuilder()
        .setResult(
            UpdateResult.newBuilder()
                .setOperationId(state.nextOperationId())
                .setStatus(wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged))
        .setTime(ServerState.seconds(start))
        .build();
  }

  private void requireCollection(String name) {
    if (!store().collectionExists(name)) {
      throw new dev.vectorcache.core.exception.CollectionNotFoundException(name);
    }
  }

  private List<PointId> selected(String name, PointsSelector sel) {
    return switch (sel.getPointsSelectorOneOfCase()) {
      case POINTS -> ProtoValues.ids(sel.getPoints().getIdsList());
      case FILTER -> idsMatching(name, ProtoFilters.toCore(sel.getFilter()));
      default -> throw noSelector();
    };
  }

  private List<PointId> idsMatching(String name, @Nullable Filter filter) {
    List<PointId> ids = new ArrayList<>();
    for (RetrievedPoint p :
        scrollFrom(name, filter, Integer.MAX_VALUE, PayloadSelector.NONE, false)) {
      ids.add(p.id());
    }
    return ids;
  }

  /** Up to {@code max} points in id order, fetched page by page. */
  private List<RetrievedPoint> scrollFrom(
      String name, @Nullable Filter filter, int max, PayloadSelector payload, boolean vectors) {
    List<RetrievedPoint> out = new ArrayList<>();
    PointId offset = null;
    do {
      int pageSize = Math.min(1000, Math.max(1, max - out.size()));
      ScrollPage page =
          store().scroll(name, new ScrollRequest(filter, pageSize, offset, payload, vectors));
      out.addAll(page.points());
      offset = page.nextOffset();
    } while (offset != null && out.size() < max);
    return out;
  }

  private static float[] vector(Points.Vectors v) {
    switch (v.getVectorsOptionsCase()) {
      case VECTOR -> {
        return vector(v.getVector());
      }
      case VECTORS -> {
        Map<String, Points.Vector> named = v.getVectors().getVectorsMap();
        for (String key : named.keySet()) {
          if (!key.isEmpty()) {
            throw noVectorName(key);
          }
        }
        if (named.containsKey("")) {
          return vector(named.get(""));
        }
      }
      default -> {}
    }
    throw Status.INVALID_ARGUMENT
        .withDescription("Validation error in body: [vectors: a vector is required]")
        .asRuntimeException();
  }

  // clients may still send the deprecated `data` field, which Qdrant accepts
  @SuppressWarnings("deprecation")
  private static float[] vector(Points.Vector v) {
    if (v.hasDense()) {
      return floats(v.getDense().getDataList());
    }
    if (v.hasSparse() || v.hasMultiDense() || v.hasDocument() || v.hasImage() || v.hasObject()) {
      throw unsupported("sparse, multi-dense and inference vectors");
    }
    // the deprecated `data` field
    return floats(v.getDataList());
  }

  private static float[] floats(List<Float> list) {
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  private static SearchParams params(Points.@Nullable SearchParams p) {
    if (p == null) {
      return SearchParams.DEFAULT;
    }
    Points.QuantizationSearchParams q = p.getQuantization();
    return new SearchParams(
        p.hasHnswEf() ? (int) Math.min(Integer.MAX_VALUE, p.getHnswEf()) : null,
        p.hasExact() && p.getExact(),
        q.hasIgnore() && q.getIgnore(),
        q.hasRescore() ? q.getRescore() : null,
        q.hasOversampling() ? q.getOversampling() : null);
  }

  private static void requireLimit(long limit) {
    if (limit < 1) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "Validation error in body: [limit: value 0 invalid, must be 1 or larger]")
          .asRuntimeException();
    }
  }

  private static PayloadSchemaType schemaType(Points.FieldType t) {
    return switch (t) {
      case FieldTypeKeyword -> PayloadSchemaType.KEYWORD;
      case FieldTypeInteger -> PayloadSchemaType.INTEGER;
      case FieldTypeFloat -> PayloadSchemaType.FLOAT;
      case FieldTypeText -> PayloadSchemaType.TEXT;
      case FieldTypeBool -> PayloadSchemaType.BOOL;
      case FieldTypeDatetime -> PayloadSchemaType.DATETIME;
      case FieldTypeUuid -> PayloadSchemaType.UUID;
      default -> throw unsupported("geo payload indexes");
    };
  }

  /** What a read returns of the payload: the selector for the store and keys to strip after. */
  private record PayloadView(PayloadSelector selector, Set<String> exclude) {}

  private static PayloadView payloadView(@Nullable WithPayloadSelector s, boolean defaultEnabled) {
    if (s == null) {
      return new PayloadView(PayloadSelector.of(defaultEnabled), Set.of());
    }
    return switch (s.getSelectorOptionsCase()) {
      case ENABLE -> new PayloadView(PayloadSelector.of(s.getEnable()), Set.of());
      case INCLUDE ->
          new PayloadView(
              PayloadSelector.include(s.getInclude().getFieldsList().toArray(new String[0])),
              Set.of());
      case EXCLUDE ->
          new PayloadView(PayloadSelector.ALL, Set.copyOf(s.getExclude().getFieldsList()));
      default -> new PayloadView(PayloadSelector.of(defaultEnabled), Set.of());
    };
  }

  private static boolean withVectors(@Nullable WithVectorsSelector s) {
    if (s == null) {
      return false;
    }
    return switch (s.getSelectorOptionsCase()) {
      case ENABLE -> s.getEnable();
      case INCLUDE -> s.getInclude().getNamesCount() > 0;
      default -> false;
    };
  }

  private static Map<String, Value> payload(Map<String, Object> payload, PayloadView view) {
    Map<String, Value> out = ProtoValues.toProto(payload);
    out.keySet().removeAll(view.exclude());
    return out;
  }

  private static Points.VectorsOutput vectorsOut(float[] v) {
    Points.DenseVector.Builder dense = Points.DenseVector.newBuilder();
    for (float x : v) {
      dense.addData(x);
    }
    // the server fills only `dense`; the deprecated `data` field stays empty
    return Points.VectorsOutput.newBuilder()
        .setVector(Points.VectorOutput.newBuilder().setDense(dense))
        .build();
  }

  private static Points.ScoredPoint scored(ScoredPoint p, PayloadView view) {
    Points.ScoredPoint.Builder b =
        Points.ScoredPoint.newBuilder()
            .setId(ProtoValues.toProto(p.id()))
            .setScore(p.score())
            .putAllPayload(payload(p.payload(), view));
    float[] v = p.vector();
    if (v != null) {
      b.setVectors(vectorsOut(v));
    }
    return b.build();
  }

  private static Points.RetrievedPoint retrieved(RetrievedPoint p, PayloadView view) {
    Points.RetrievedPoint.Builder b =
        Points.RetrievedPoint.newBuilder()
            .setId(ProtoValues.toProto(p.id()))
            .putAllPayload(payload(p.payload(), view));
    float[] v = p.vector();
    if (v != null) {
      b.setVectors(vectorsOut(v));
    }
    return b.build();
  }

  private static RuntimeException noVectorName(String name) {
    return Status.INVALID_ARGUMENT
        .withDescription("Wrong input: Not existing vector name error: " + name)
        .asRuntimeException();
  }

  private static RuntimeException noSelector() {
    return Status.INVALID_ARGUMENT
        .withDescription("Validation error in body: [points_selector: field is required]")
        .asRuntimeException();
  }

  private static RuntimeException unsupported(String what) {
    return Status.UNIMPLEMENTED
        .withDescription("the vectorcache Qdrant test server does not support " + what)
        .asRuntimeException();
  }
}
