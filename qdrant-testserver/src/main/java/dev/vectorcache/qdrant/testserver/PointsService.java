package dev.vectorcache.qdrant.testserver;

import static dev.vectorcache.qdrant.testserver.ProtoPoints.floats;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.noSelector;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.noVectorName;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.params;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.payload;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.payloadView;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.requireLimit;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.retrieved;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.schemaType;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.scored;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.unsupported;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.vector;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.withVectors;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.SparseModifier;
import dev.vectorcache.core.model.SparseSearch;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.port.MultiVectors;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.qdrant.testserver.ProtoPoints.PayloadView;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections;
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
import io.qdrant.client.grpc.PointsGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/** qdrant.Points over the backing store, with the server's defaults. */
final class PointsService extends PointsGrpc.PointsImplBase {
  private static final int SCROLL_DEFAULT_LIMIT = 10;

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
    StatusMapper.answer(observer, () -> upserted(request));
  }

  /**
   * Upsert's answer; also a write of {@link BatchRpcs}' UpdateBatch. With {@code update_mode}
   * ({@code InsertOnly}, {@code UpdateOnly}) or {@code update_filter} only some of the points are
   * written ({@link Routed#upsertWhere}).
   */
  PointsOperationResponse upserted(UpsertPoints request) {
    long start = System.nanoTime();
    Points.UpdateMode mode = request.hasUpdateMode() ? request.getUpdateMode() : null;
    if (mode == Points.UpdateMode.UNRECOGNIZED) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Unknown update mode: " + request.getUpdateModeValue())
          .asRuntimeException();
    }
    Filter condition =
        request.hasUpdateFilter() ? ProtoFilters.toCore(request.getUpdateFilter()) : null;
    Routed routed =
        Routed.write(
            store(),
            request.hasShardKeySelector() ? request.getShardKeySelector() : null,
            request.hasOrdering() ? request.getOrdering() : null);
    String name = request.getCollectionName();
    boolean conditional = condition != null || (mode != null && mode != Points.UpdateMode.Upsert);
    Points.UpdateMode effective = mode == null ? Points.UpdateMode.Upsert : mode;
    MultiVectorConfig multi = NamedVectors.multi(state, name);
    if (multi != null) {
      refuseShardKeys(request.hasShardKeySelector());
      List<MultiVectorPoint> points = new ArrayList<>(request.getPointsCount());
      for (Points.PointStruct p : request.getPointsList()) {
        points.add(
            NamedVectors.vectors(p.getVectors(), multi)
                .point(ProtoValues.id(p.getId()), ProtoValues.toJava(p.getPayloadMap())));
      }
      MultiVectors mv = NamedVectors.require(state, "named vectors");
      BiConsumer<Routed, List<MultiVectorPoint>> write =
          (target, kept) -> target.writing(() -> Futures.join(mv.upsert(name, kept)));
      if (conditional) {
        routed.upsertWhere(name, points, MultiVectorPoint::id, condition, effective, write);
      } else {
        write.accept(routed, points);
      }
      return updated(request.hasWait() && request.getWait(), start);
    }
    List<PointStruct> points = new ArrayList<>(request.getPointsCount());
    for (Points.PointStruct p : request.getPointsList()) {
      points.add(
          PointStruct.of(
              ProtoValues.id(p.getId()),
              vector(p.getVectors()),
              ProtoValues.toJava(p.getPayloadMap())));
    }
    if (conditional) {
      routed.upsertWhere(
          name, points, PointStruct::id, condition, effective, (t, kept) -> t.upsert(name, kept));
    } else {
      routed.upsert(name, points);
    }
    return updated(request.hasWait() && request.getWait(), start);
  }

  @Override
  public void delete(DeletePoints request, StreamObserver<PointsOperationResponse> observer) {
    StatusMapper.answer(observer, () -> deleted(request));
  }

  /** Delete's answer; also a write of {@link BatchRpcs}' UpdateBatch. */
  PointsOperationResponse deleted(DeletePoints request) {
    long start = System.nanoTime();
    String name = request.getCollectionName();
    Routed routed =
        Routed.write(
            store(),
            request.hasShardKeySelector() ? request.getShardKeySelector() : null,
            request.hasOrdering() ? request.getOrdering() : null);
    PointsSelector sel = request.getPoints();
    switch (sel.getPointsSelectorOneOfCase()) {
      case POINTS -> routed.delete(name, ProtoValues.ids(sel.getPoints().getIdsList()));
      case FILTER -> {
        Filter f = ProtoFilters.toCore(sel.getFilter());
        if (f == null) {
          // an empty filter matches every point
          routed.delete(name, idsMatching(routed, name, null));
        } else {
          routed.deleteByFilter(name, f);
        }
      }
      default -> throw noSelector();
    }
    return updated(request.hasWait() && request.getWait(), start);
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
    StatusMapper.answer(observer, () -> payloadWritten(request, overwrite));
  }

  /**
   * SetPayload's or OverwritePayload's answer; also a write of {@link BatchRpcs}' UpdateBatch.
   * SetPayload's {@code key} sets the payload into the object at that path ({@link
   * Routed#setPayloadAt}).
   */
  PointsOperationResponse payloadWritten(SetPayloadPoints request, boolean overwrite) {
    long start = System.nanoTime();
    // OverwritePayload ignores the key, as Qdrant does
    List<PayloadPaths.Step> path =
        request.hasKey() && !overwrite ? PayloadPaths.parse(request.getKey()) : null;
    String name = request.getCollectionName();
    Routed routed =
        Routed.write(
            store(),
            request.hasShardKeySelector() ? request.getShardKeySelector() : null,
            request.hasOrdering() ? request.getOrdering() : null);
    List<PointId> ids = selected(routed, name, request.getPointsSelector());
    Map<String, Object> payload = ProtoValues.toJava(request.getPayloadMap());
    if (path != null) {
      routed.setPayloadAt(name, ids, path, payload);
    } else {
      routed.setPayload(name, ids, payload, overwrite);
    }
    return updated(request.hasWait() && request.getWait(), start);
  }

  @Override
  public void deletePayload(
      DeletePayloadPoints request, StreamObserver<PointsOperationResponse> observer) {
    StatusMapper.answer(observer, () -> payloadDeleted(request));
  }

  /** DeletePayload's answer; also a write of {@link BatchRpcs}' UpdateBatch. */
  PointsOperationResponse payloadDeleted(DeletePayloadPoints request) {
    long start = System.nanoTime();
    String name = request.getCollectionName();
    Routed routed =
        Routed.write(
            store(),
            request.hasShardKeySelector() ? request.getShardKeySelector() : null,
            request.hasOrdering() ? request.getOrdering() : null);
    routed.deletePayloadKeys(
        name, selected(routed, name, request.getPointsSelector()), request.getKeysList());
    return updated(request.hasWait() && request.getWait(), start);
  }

  @Override
  public void clearPayload(
      ClearPayloadPoints request, StreamObserver<PointsOperationResponse> observer) {
    StatusMapper.answer(observer, () -> payloadCleared(request));
  }

  /** ClearPayload's answer; also a write of {@link BatchRpcs}' UpdateBatch. */
  PointsOperationResponse payloadCleared(ClearPayloadPoints request) {
    long start = System.nanoTime();
    String name = request.getCollectionName();
    Routed routed =
        Routed.write(
            store(),
            request.hasShardKeySelector() ? request.getShardKeySelector() : null,
            request.hasOrdering() ? request.getOrdering() : null);
    routed.clearPayload(name, selected(routed, name, request.getPoints()));
    return updated(request.hasWait() && request.getWait(), start);
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

  // ---- vector names ----

  @Override
  public void createVectorName(
      Points.CreateVectorNameRequest request, StreamObserver<PointsOperationResponse> observer) {
    StatusMapper.answer(observer, () -> vectorNameCreated(request));
  }

  /**
   * CreateVectorName: adds a dense or sparse space to an existing collection (its points have no
   * vector there). As in Qdrant, creating a space that exists with the same settings changes
   * nothing, and with other settings, or of the other kind, is refused.
   */
  private PointsOperationResponse vectorNameCreated(Points.CreateVectorNameRequest request) {
    long start = System.nanoTime();
    String collection = request.getCollectionName();
    String vectorName = request.getVectorName();
    if (vectorName.length() > 200) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "Wrong input: Invalid vector name `"
                  + vectorName
                  + "`: vector name must be at most 200 bytes long")
          .asRuntimeException();
    }
    if (!request.hasDenseConfig() && !request.hasSparseConfig()) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Validation error in body: [vector_config: field is required]")
          .asRuntimeException();
    }
    MultiVectors mv = NamedVectors.require(state, "CreateVectorName");
    requireCollection(collection);
    MultiVectorConfig current = Futures.join(mv.vectorsConfig(collection));
    String name = state.resolve(collection);
    if (request.hasDenseConfig()) {
      Points.DenseVectorCreationConfig d = request.getDenseConfig();
      if (d.hasMultivectorConfig()) {
        throw unsupported("multivectors");
      }
      if (d.hasDatatype() && !plainFloats(d.getDatatype())) {
        throw unsupported("vector datatypes other than Float32");
      }
      if (d.getSize() < 1 || d.getSize() > 65_536) {
        throw Status.INVALID_ARGUMENT
            .withDescription(
                "Validation error in body: [dense_config.size: value "
                    + d.getSize()
                    + " invalid, must be from 1 to 65536]")
            .asRuntimeException();
      }
      DenseVectorConfig config =
          DenseVectorConfig.of((int) d.getSize(), ProtoConfigs.distance(d.getDistance()));
      DenseVectorConfig existing = current.dense().get(vectorName);
      if (existing != null) {
        if (existing.dimension() != config.dimension()
            || existing.distance() != config.distance()) {
          throw alreadyExists(
              "Vector `" + vectorName + "` already exists with a different configuration");
        }
      } else if (current.sparse().containsKey(vectorName)) {
        throw alreadyExists("Vector `" + vectorName + "` already exists as a sparse vector");
      } else {
        Futures.join(mv.createVectorName(name, vectorName, config));
        ProtoConfigs.addDense(state, name, vectorName, d);
      }
    } else {
      Points.SparseVectorCreationConfig sc = request.getSparseConfig();
      if (sc.hasDatatype() && !plainFloats(sc.getDatatype())) {
        throw unsupported("vector datatypes other than Float32");
      }
      SparseVectorParams params =
          new SparseVectorParams(
              sc.hasModifier() && sc.getModifier() == Collections.Modifier.Idf
                  ? SparseModifier.IDF
                  : SparseModifier.NONE);
      SparseVectorParams existing = current.sparse().get(vectorName);
      if (existing != null) {
        if (!existing.equals(params)) {
          throw alreadyExists(
              "Sparse vector `" + vectorName + "` already exists with a different configuration");
        }
      } else if (current.dense().containsKey(vectorName)) {
        throw alreadyExists("Vector `" + vectorName + "` already exists as a dense vector");
      } else {
        Futures.join(mv.createSparseVectorName(name, vectorName, params));
        ProtoConfigs.addSparse(state, name, vectorName, sc);
      }
    }
    return updated(request.hasWait() && request.getWait(), start);
  }

  private static boolean plainFloats(Collections.Datatype t) {
    return t == Collections.Datatype.Default || t == Collections.Datatype.Float32;
  }

  private static RuntimeException alreadyExists(String what) {
    return Status.INVALID_ARGUMENT.withDescription("Wrong input: " + what).asRuntimeException();
  }

  @Override
  public void deleteVectorName(
      Points.DeleteVectorNameRequest request, StreamObserver<PointsOperationResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          String collection = request.getCollectionName();
          MultiVectors mv = NamedVectors.require(state, "DeleteVectorName");
          requireCollection(collection);
          String name = state.resolve(collection);
          MultiVectorConfig current = Futures.join(mv.vectorsConfig(collection));
          // Qdrant's deletion is idempotent: a name the collection lacks changes nothing
          if (current.hasVector(request.getVectorName())) {
            Futures.join(mv.deleteVectorName(name, request.getVectorName()));
            ProtoConfigs.removeVector(state, name, request.getVectorName());
          }
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
          Routed routed =
              Routed.read(
                  store(),
                  request.hasShardKeySelector() ? request.getShardKeySelector() : null,
                  request.hasReadConsistency() ? request.getReadConsistency() : null);
          MultiVectorConfig multi = NamedVectors.multi(state, request.getCollectionName());
          if (multi != null) {
            refuseShardKeys(request.hasShardKeySelector());
          }
          List<RetrievedPoint> found =
              routed.retrieve(
                  request.getCollectionName(),
                  ProtoValues.ids(request.getIdsList()),
                  view.selector(),
                  vectors && multi == null);
          List<Points.RetrievedPoint> out = new ArrayList<>(found.size());
          for (RetrievedPoint p : found) {
            out.add(retrieved(p, view));
          }
          if (multi != null) {
            out =
                NamedVectors.withRetrievedVectors(
                    state,
                    request.getCollectionName(),
                    out,
                    NamedVectors.selection(
                        request.hasWithVectors() ? request.getWithVectors() : null));
          }
          return GetResponse.newBuilder()
              .addAllResult(out)
              .setTime(ServerState.seconds(start))
              .build();
        });
  }

  @Override
  public void search(SearchPoints request, StreamObserver<SearchResponse> observer) {
    StatusMapper.answer(observer, () -> searched(request));
  }

  /** Search's answer; also each search of {@link BatchRpcs}' SearchBatch. */
  SearchResponse searched(SearchPoints request) {
    long start = System.nanoTime();
    MultiVectorConfig multi = NamedVectors.multi(state, request.getCollectionName());
    if (multi != null) {
      return searchedNamed(request, multi, start);
    }
    if (request.hasVectorName() && !request.getVectorName().isEmpty()) {
      throw noVectorName(request.getVectorName());
    }
    if (request.hasSparseIndices()) {
      throw NamedVectors.conversion(); // the unnamed vector is dense
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
    Routed routed =
        Routed.read(
            store(),
            request.hasShardKeySelector() ? request.getShardKeySelector() : null,
            request.hasReadConsistency() ? request.getReadConsistency() : null);
    SearchResponse.Builder b = SearchResponse.newBuilder();
    for (ScoredPoint p : routed.search(request.getCollectionName(), search)) {
      b.addResult(scored(p, view));
    }
    return b.setTime(ServerState.seconds(start)).build();
  }

  /**
   * Search of a collection with named or sparse vectors: {@code vector_name} picks the space (the
   * unnamed one by default); with {@code sparse_indices} the query is the sparse vector of those
   * indices and {@code vector}'s values.
   */
  private SearchResponse searchedNamed(SearchPoints request, MultiVectorConfig multi, long start) {
    String using = request.hasVectorName() ? request.getVectorName() : "";
    if (!multi.hasVector(using)) {
      throw noVectorName(using);
    }
    refuseShardKeys(request.hasShardKeySelector());
    if (request.hasSparseIndices() != multi.sparse().containsKey(using)) {
      throw NamedVectors.conversion();
    }
    requireLimit(request.getLimit());
    PayloadView view =
        payloadView(request.hasWithPayload() ? request.getWithPayload() : null, false);
    int limit = (int) Math.min(Integer.MAX_VALUE, request.getLimit());
    int offset = request.hasOffset() ? (int) Math.min(Integer.MAX_VALUE, request.getOffset()) : 0;
    Filter filter = request.hasFilter() ? ProtoFilters.toCore(request.getFilter()) : null;
    Float threshold = request.hasScoreThreshold() ? request.getScoreThreshold() : null;
    MultiVectors mv = NamedVectors.require(state, "named vectors");
    String name = request.getCollectionName();
    List<ScoredPoint> found =
        request.hasSparseIndices()
            ? Futures.join(
                mv.searchSparse(
                    name,
                    using,
                    new SparseSearch(
                        NamedVectors.sparse(
                            request.getSparseIndices().getDataList(), request.getVectorList()),
                        limit,
                        offset,
                        filter,
                        threshold,
                        view.selector())))
            : Futures.join(
                mv.search(
                    name,
                    using,
                    new SearchRequest(
                        floats(request.getVectorList()),
                        limit,
                        offset,
                        filter,
                        threshold,
                        params(request.hasParams() ? request.getParams() : null),
                        view.selector(),
                        false)));
    List<Points.ScoredPoint> out = new ArrayList<>(found.size());
    for (ScoredPoint p : found) {
      out.add(scored(p, view));
    }
    out =
        NamedVectors.withScoredVectors(
            state,
            name,
            out,
            NamedVectors.selection(request.hasWithVectors() ? request.getWithVectors() : null));
    return SearchResponse.newBuilder()
        .addAllResult(out)
        .setTime(ServerState.seconds(start))
        .build();
  }

  /** Shard keys are not offered with named or sparse vectors (no custom sharding there). */
  static void refuseShardKeys(boolean selector) {
    if (selector) {
      throw unsupported("shard keys on a collection with named or sparse vectors");
    }
  }

  @Override
  public void query(QueryPoints request, StreamObserver<QueryResponse> observer) {
    StatusMapper.answer(observer, () -> queried(request));
  }

  /** Query's answer (the universal Query); also each query of {@link BatchRpcs}' QueryBatch. */
  QueryResponse queried(QueryPoints request) {
    long start = System.nanoTime();
    Routed routed =
        Routed.read(
            store(),
            request.hasShardKeySelector() ? request.getShardKeySelector() : null,
            request.hasReadConsistency() ? request.getReadConsistency() : null);
    return QueryResponse.newBuilder()
        .addAllResult(
            UniversalQuery.of(
                    state,
                    routed,
                    request.getCollectionName(),
                    request.hasReadConsistency() ? request.getReadConsistency() : null)
                .run(request))
        .setTime(ServerState.seconds(start))
        .build();
  }

  @Override
  public void scroll(ScrollPoints request, StreamObserver<ScrollResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          int limit = request.hasLimit() ? request.getLimit() : SCROLL_DEFAULT_LIMIT;
          requireLimit(limit);
          // Scroll's with_payload defaults to true on the server
          PayloadView view =
              payloadView(request.hasWithPayload() ? request.getWithPayload() : null, true);
          Routed routed =
              Routed.read(
                  store(),
                  request.hasShardKeySelector() ? request.getShardKeySelector() : null,
                  request.hasReadConsistency() ? request.getReadConsistency() : null);
          MultiVectorConfig multi = NamedVectors.multi(state, request.getCollectionName());
          if (multi != null) {
            refuseShardKeys(request.hasShardKeySelector());
          }
          @Nullable Set<String> names =
              NamedVectors.selection(request.hasWithVectors() ? request.getWithVectors() : null);
          boolean vectors =
              multi == null
                  && withVectors(request.hasWithVectors() ? request.getWithVectors() : null);
          if (request.hasOrderBy()) {
            if (request.hasOffset()) {
              throw OrderedScroll.offsetRefused();
            }
            List<Points.RetrievedPoint> ordered =
                OrderedScroll.scroll(
                    state,
                    routed,
                    request.getCollectionName(),
                    request.getOrderBy(),
                    request.hasFilter() ? ProtoFilters.toCore(request.getFilter()) : null,
                    limit,
                    view,
                    vectors);
            if (multi != null) {
              ordered =
                  NamedVectors.withRetrievedVectors(
                      state, request.getCollectionName(), ordered, names);
            }
            // ordered: no next-page offset, as in Qdrant
            return ScrollResponse.newBuilder()
                .addAllResult(ordered)
                .setTime(ServerState.seconds(start))
                .build();
          }
          ScrollPage page =
              routed.scroll(
                  request.getCollectionName(),
                  new ScrollRequest(
                      request.hasFilter() ? ProtoFilters.toCore(request.getFilter()) : null,
                      limit,
                      request.hasOffset() ? ProtoValues.id(request.getOffset()) : null,
                      view.selector(),
                      vectors));
          List<Points.RetrievedPoint> out = new ArrayList<>(page.points().size());
          for (RetrievedPoint p : page.points()) {
            out.add(retrieved(p, view));
          }
          if (multi != null) {
            out = NamedVectors.withRetrievedVectors(state, request.getCollectionName(), out, names);
          }
          ScrollResponse.Builder b = ScrollResponse.newBuilder().addAllResult(out);
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
          Routed routed =
              Routed.read(
                  store(),
                  request.hasShardKeySelector() ? request.getShardKeySelector() : null,
                  request.hasReadConsistency() ? request.getReadConsistency() : null);
          long n =
              routed.count(
                  request.getCollectionName(),
                  request.hasFilter() ? ProtoFilters.toCore(request.getFilter()) : null);
          return CountResponse.newBuilder()
              .setResult(CountResult.newBuilder().setCount(n))
              .setTime(ServerState.seconds(start))
              .build();
        });
  }

  // ---- helpers ----

  PointsOperationResponse updated(boolean wait, long start) {
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

  static List<PointId> selected(Routed routed, String name, PointsSelector sel) {
    return switch (sel.getPointsSelectorOneOfCase()) {
      case POINTS -> ProtoValues.ids(sel.getPoints().getIdsList());
      case FILTER -> idsMatching(routed, name, ProtoFilters.toCore(sel.getFilter()));
      default -> throw noSelector();
    };
  }

  private static List<PointId> idsMatching(Routed routed, String name, @Nullable Filter filter) {
    List<PointId> ids = new ArrayList<>();
    for (RetrievedPoint p :
        scrollFrom(routed, name, filter, Integer.MAX_VALUE, PayloadSelector.NONE, false)) {
      ids.add(p.id());
    }
    return ids;
  }

  /** Up to {@code max} points in id order, fetched page by page. */
  private static List<RetrievedPoint> scrollFrom(
      Routed routed,
      String name,
      @Nullable Filter filter,
      int max,
      PayloadSelector payload,
      boolean vectors) {
    List<RetrievedPoint> out = new ArrayList<>();
    PointId offset = null;
    do {
      int pageSize = Math.min(1000, Math.max(1, max - out.size()));
      ScrollPage page =
          routed.scroll(name, new ScrollRequest(filter, pageSize, offset, payload, vectors));
      out.addAll(page.points());
      offset = page.nextOffset();
    } while (offset != null && out.size() < max);
    return out;
  }

  // ---- queries by example, groups, facets, matrices ----

  @Override
  public void recommend(
      Points.RecommendPoints request, StreamObserver<Points.RecommendResponse> observer) {
    StatusMapper.answer(observer, () -> ExampleQueries.recommend(state, request));
  }

  @Override
  public void recommendBatch(
      Points.RecommendBatchPoints request, StreamObserver<Points.RecommendBatchResponse> observer) {
    StatusMapper.answer(observer, () -> ExampleQueries.recommendBatch(state, request));
  }

  @Override
  public void recommendGroups(
      Points.RecommendPointGroups request,
      StreamObserver<Points.RecommendGroupsResponse> observer) {
    StatusMapper.answer(observer, () -> Groups.recommendGroups(state, request));
  }

  @Override
  public void discover(
      Points.DiscoverPoints request, StreamObserver<Points.DiscoverResponse> observer) {
    StatusMapper.answer(observer, () -> ExampleQueries.discover(state, request));
  }

  @Override
  public void discoverBatch(
      Points.DiscoverBatchPoints request, StreamObserver<Points.DiscoverBatchResponse> observer) {
    StatusMapper.answer(observer, () -> ExampleQueries.discoverBatch(state, request));
  }

  @Override
  public void queryGroups(
      Points.QueryPointGroups request, StreamObserver<Points.QueryGroupsResponse> observer) {
    StatusMapper.answer(observer, () -> Groups.queryGroups(state, request));
  }

  @Override
  public void searchGroups(
      Points.SearchPointGroups request, StreamObserver<Points.SearchGroupsResponse> observer) {
    StatusMapper.answer(observer, () -> Groups.searchGroups(state, request));
  }

  @Override
  public void facet(Points.FacetCounts request, StreamObserver<Points.FacetResponse> observer) {
    StatusMapper.answer(observer, () -> Facets.facet(state, request));
  }

  @Override
  public void searchMatrixPairs(
      Points.SearchMatrixPoints request,
      StreamObserver<Points.SearchMatrixPairsResponse> observer) {
    StatusMapper.answer(observer, () -> Matrices.pairs(state, request));
  }

  @Override
  public void searchMatrixOffsets(
      Points.SearchMatrixPoints request,
      StreamObserver<Points.SearchMatrixOffsetsResponse> observer) {
    StatusMapper.answer(observer, () -> Matrices.offsets(state, request));
  }

  // ---- batches and vector writes: BatchRpcs ----

  @Override
  public void searchBatch(
      Points.SearchBatchPoints request, StreamObserver<Points.SearchBatchResponse> observer) {
    new BatchRpcs(state, this).searchBatch(request, observer);
  }

  @Override
  public void queryBatch(
      Points.QueryBatchPoints request, StreamObserver<Points.QueryBatchResponse> observer) {
    new BatchRpcs(state, this).queryBatch(request, observer);
  }

  @Override
  public void updateBatch(
      Points.UpdateBatchPoints request, StreamObserver<Points.UpdateBatchResponse> observer) {
    new BatchRpcs(state, this).updateBatch(request, observer);
  }

  @Override
  public void updateVectors(
      Points.UpdatePointVectors request, StreamObserver<PointsOperationResponse> observer) {
    new BatchRpcs(state, this).updateVectors(request, observer);
  }

  @Override
  public void deleteVectors(
      Points.DeletePointVectors request, StreamObserver<PointsOperationResponse> observer) {
    new BatchRpcs(state, this).deleteVectors(request, observer);
  }
}
