package dev.vectorcache.qdrant.testserver;

import static dev.vectorcache.qdrant.testserver.ProtoPoints.noVectorName;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.unsupported;
import static dev.vectorcache.qdrant.testserver.ProtoPoints.vector;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.port.MultiVectors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.BatchResult;
import io.qdrant.client.grpc.Points.DeletePointVectors;
import io.qdrant.client.grpc.Points.PointVectors;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.qdrant.client.grpc.Points.QueryBatchPoints;
import io.qdrant.client.grpc.Points.QueryBatchResponse;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.SearchBatchPoints;
import io.qdrant.client.grpc.Points.SearchBatchResponse;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.qdrant.client.grpc.Points.UpdateBatchResponse;
import io.qdrant.client.grpc.Points.UpdatePointVectors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The batch RPCs of qdrant.Points (SearchBatch, QueryBatch, UpdateBatch) and the vector writes
 * (UpdateVectors, DeleteVectors), answered as Qdrant 1.18 answers them, over {@link
 * PointsService}'s own answers so that nothing is done twice:
 *
 * <ul>
 *   <li>SearchBatch and QueryBatch answer each search or query exactly as Search and Query do,
 *       under the batch's collection and read consistency (Qdrant ignores those of each item, and
 *       reads each item's shard-key selector), in order. Qdrant validates every item as a whole
 *       request first, so each must name a collection; an error in any item fails the whole call.
 *       An empty batch is answered with no results, or {@code NOT_FOUND} for a missing collection.
 *   <li>UpdateBatch applies its operations one after the other, each as its own RPC would (with the
 *       batch's collection, {@code wait}, ordering and timeout), and answers one {@code
 *       UpdateResult} per operation. As in Qdrant, an operation that fails fails the call and the
 *       operations before it stay applied.
 *   <li>UpdateVectors replaces the unnamed vector of existing points and keeps their payload
 *       ({@link Routed#updateVectors}); DeleteVectors refuses what Qdrant refuses and answers
 *       {@code UNIMPLEMENTED} where Qdrant would delete a point's only vector (the engine stores no
 *       point without one).
 * </ul>
 */
final class BatchRpcs {
  private final ServerState state;
  private final PointsService points;

  BatchRpcs(ServerState state, PointsService points) {
    this.state = state;
    this.points = points;
  }

  // ---- reads ----

  void searchBatch(SearchBatchPoints request, StreamObserver<SearchBatchResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          String name = request.getCollectionName();
          requireTimeout(request.hasTimeout(), request.getTimeout(), "timeout");
          for (int i = 0; i < request.getSearchPointsCount(); i++) {
            SearchPoints s = request.getSearchPoints(i);
            String item = "search_points[" + i + "].";
            requireItemCollection(s.getCollectionName(), item);
            if (s.getLimit() < 1) {
              throw invalid(
                  item + "limit: value " + s.getLimit() + " invalid, must be 1 or larger");
            }
            requireTimeout(s.hasTimeout(), s.getTimeout(), item + "timeout");
          }
          requireCollection(name);
          SearchBatchResponse.Builder b = SearchBatchResponse.newBuilder();
          for (SearchPoints s : request.getSearchPointsList()) {
            SearchPoints.Builder one =
                s.toBuilder().setCollectionName(name).clearReadConsistency().clearTimeout();
            if (request.hasReadConsistency()) {
              one.setReadConsistency(request.getReadConsistency());
            }
            b.addResult(
                BatchResult.newBuilder()
                    .addAllResult(points.searched(one.build()).getResultList()));
          }
          return b.setTime(ServerState.seconds(start)).build();
        });
  }

  void queryBatch(QueryBatchPoints request, StreamObserver<QueryBatchResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          String name = request.getCollectionName();
          requireTimeout(request.hasTimeout(), request.getTimeout(), "timeout");
          for (int i = 0; i < request.getQueryPointsCount(); i++) {
            QueryPoints q = request.getQueryPoints(i);
            String item = "query_points[" + i + "].";
            requireItemCollection(q.getCollectionName(), item);
            if (q.hasLimit() && q.getLimit() < 1) {
              throw invalid(
                  item + "limit: value " + q.getLimit() + " invalid, must be 1 or larger");
            }
            requireTimeout(q.hasTimeout(), q.getTimeout(), item + "timeout");
          }
          requireCollection(name);
          QueryBatchResponse.Builder b = QueryBatchResponse.newBuilder();
          for (QueryPoints q : request.getQueryPointsList()) {
            QueryPoints.Builder one =
                q.toBuilder().setCollectionName(name).clearReadConsistency().clearTimeout();
            if (request.hasReadConsistency()) {
              one.setReadConsistency(request.getReadConsistency());
            }
            b.addResult(
                BatchResult.newBuilder().addAllResult(points.queried(one.build()).getResultList()));
          }
          return b.setTime(ServerState.seconds(start)).build();
        });
  }

  // ---- writes ----

  void updateBatch(UpdateBatchPoints request, StreamObserver<UpdateBatchResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          if (request.getOperationsCount() == 0) {
            throw invalid("operations: value [] invalid, must be at least 1 characters");
          }
          UpdateBatchResponse.Builder b = UpdateBatchResponse.newBuilder();
          for (PointsUpdateOperation op : request.getOperationsList()) {
            b.addResult(apply(request, op).getResult());
          }
          return b.setTime(ServerState.seconds(start)).build();
        });
  }

  /** One operation of a batch, as its own RPC, with the batch's common fields. */
  // the deprecated delete and clear_payload variants are still accepted by Qdrant
  @SuppressWarnings("deprecation")
  private PointsOperationResponse apply(UpdateBatchPoints batch, PointsUpdateOperation op) {
    String name = batch.getCollectionName();
    return switch (op.getOperationCase()) {
      case UPSERT -> {
        PointsUpdateOperation.PointStructList u = op.getUpsert();
        Points.UpsertPoints.Builder r =
            Points.UpsertPoints.newBuilder()
                .setCollectionName(name)
                .addAllPoints(u.getPointsList());
        if (u.hasShardKeySelector()) {
          r.setShardKeySelector(u.getShardKeySelector());
        }
        if (u.hasUpdateFilter()) {
          r.setUpdateFilter(u.getUpdateFilter());
        }
        if (u.hasUpdateMode()) {
          r.setUpdateModeValue(u.getUpdateModeValue());
        }
        if (batch.hasWait()) {
          r.setWait(batch.getWait());
        }
        if (batch.hasOrdering()) {
          r.setOrdering(batch.getOrdering());
        }
        if (batch.hasTimeout()) {
          r.setTimeout(batch.getTimeout());
        }
        yield points.upserted(r.build());
      }
      case DELETE_DEPRECATED -> points.deleted(delete(batch, op.getDeleteDeprecated(), null));
      case DELETE_POINTS -> {
        PointsUpdateOperation.DeletePoints d = op.getDeletePoints();
        yield points.deleted(
            delete(batch, d.getPoints(), d.hasShardKeySelector() ? d.getShardKeySelector() : null));
      }
      case SET_PAYLOAD -> {
        PointsUpdateOperation.SetPayload p = op.getSetPayload();
        Points.SetPayloadPoints.Builder r =
            Points.SetPayloadPoints.newBuilder()
                .setCollectionName(name)
                .putAllPayload(p.getPayloadMap());
        if (p.hasPointsSelector()) {
          r.setPointsSelector(p.getPointsSelector());
        }
        if (p.hasShardKeySelector()) {
          r.setShardKeySelector(p.getShardKeySelector());
        }
        if (p.hasKey()) {
          r.setKey(p.getKey());
        }
        yield points.payloadWritten(common(batch, r), false);
      }
      case OVERWRITE_PAYLOAD -> {
        // Qdrant drops the key of an overwrite in a batch ("overwrite operation doesn't support
        // it")
        PointsUpdateOperation.OverwritePayload p = op.getOverwritePayload();
        Points.SetPayloadPoints.Builder r =
            Points.SetPayloadPoints.newBuilder()
                .setCollectionName(name)
                .putAllPayload(p.getPayloadMap());
        if (p.hasPointsSelector()) {
          r.setPointsSelector(p.getPointsSelector());
        }
        if (p.hasShardKeySelector()) {
          r.setShardKeySelector(p.getShardKeySelector());
        }
        yield points.payloadWritten(common(batch, r), true);
      }
      case DELETE_PAYLOAD -> {
        PointsUpdateOperation.DeletePayload p = op.getDeletePayload();
        Points.DeletePayloadPoints.Builder r =
            Points.DeletePayloadPoints.newBuilder()
                .setCollectionName(name)
                .addAllKeys(p.getKeysList());
        if (p.hasPointsSelector()) {
          r.setPointsSelector(p.getPointsSelector());
        }
        if (p.hasShardKeySelector()) {
          r.setShardKeySelector(p.getShardKeySelector());
        }
        if (batch.hasWait()) {
          r.setWait(batch.getWait());
        }
        if (batch.hasOrdering()) {
          r.setOrdering(batch.getOrdering());
        }
        if (batch.hasTimeout()) {
          r.setTimeout(batch.getTimeout());
        }
        yield points.payloadDeleted(r.build());
      }
      case CLEAR_PAYLOAD_DEPRECATED ->
          points.payloadCleared(clear(batch, op.getClearPayloadDeprecated(), null));
      case CLEAR_PAYLOAD -> {
        PointsUpdateOperation.ClearPayload c = op.getClearPayload();
        yield points.payloadCleared(
            clear(batch, c.getPoints(), c.hasShardKeySelector() ? c.getShardKeySelector() : null));
      }
      case UPDATE_VECTORS -> {
        PointsUpdateOperation.UpdateVectors u = op.getUpdateVectors();
        UpdatePointVectors.Builder r =
            UpdatePointVectors.newBuilder().setCollectionName(name).addAllPoints(u.getPointsList());
        if (u.hasShardKeySelector()) {
          r.setShardKeySelector(u.getShardKeySelector());
        }
        if (u.hasUpdateFilter()) {
          r.setUpdateFilter(u.getUpdateFilter());
        }
        if (batch.hasWait()) {
          r.setWait(batch.getWait());
        }
        if (batch.hasOrdering()) {
          r.setOrdering(batch.getOrdering());
        }
        if (batch.hasTimeout()) {
          r.setTimeout(batch.getTimeout());
        }
        yield vectorsUpdated(r.build());
      }
      case DELETE_VECTORS -> {
        PointsUpdateOperation.DeleteVectors d = op.getDeleteVectors();
        DeletePointVectors.Builder r =
            DeletePointVectors.newBuilder()
                .setCollectionName(name)
                .setPointsSelector(d.getPointsSelector());
        if (d.hasVectors()) {
          r.setVectors(d.getVectors());
        }
        if (d.hasShardKeySelector()) {
          r.setShardKeySelector(d.getShardKeySelector());
        }
        if (batch.hasWait()) {
          r.setWait(batch.getWait());
        }
        if (batch.hasOrdering()) {
          r.setOrdering(batch.getOrdering());
        }
        if (batch.hasTimeout()) {
          r.setTimeout(batch.getTimeout());
        }
        yield vectorsDeleted(r.build());
      }
      case OPERATION_NOT_SET ->
          throw Status.INVALID_ARGUMENT
              .withDescription("Operation is missing")
              .asRuntimeException();
    };
  }

  /** The batch's wait, ordering and timeout on a payload write. */
  private static Points.SetPayloadPoints common(
      UpdateBatchPoints batch, Points.SetPayloadPoints.Builder r) {
    if (batch.hasWait()) {
      r.setWait(batch.getWait());
    }
    if (batch.hasOrdering()) {
      r.setOrdering(batch.getOrdering());
    }
    if (batch.hasTimeout()) {
      r.setTimeout(batch.getTimeout());
    }
    return r.build();
  }

  private static Points.DeletePoints delete(
      UpdateBatchPoints batch,
      Points.PointsSelector selector,
      Points.@Nullable ShardKeySelector shardKeys) {
    Points.DeletePoints.Builder r =
        Points.DeletePoints.newBuilder()
            .setCollectionName(batch.getCollectionName())
            .setPoints(selector);
    if (shardKeys != null) {
      r.setShardKeySelector(shardKeys);
    }
    if (batch.hasWait()) {
      r.setWait(batch.getWait());
    }
    if (batch.hasOrdering()) {
      r.setOrdering(batch.getOrdering());
    }
    if (batch.hasTimeout()) {
      r.setTimeout(batch.getTimeout());
    }
    return r.build();
  }

  private static Points.ClearPayloadPoints clear(
      UpdateBatchPoints batch,
      Points.PointsSelector selector,
      Points.@Nullable ShardKeySelector shardKeys) {
    Points.ClearPayloadPoints.Builder r =
        Points.ClearPayloadPoints.newBuilder()
            .setCollectionName(batch.getCollectionName())
            .setPoints(selector);
    if (shardKeys != null) {
      r.setShardKeySelector(shardKeys);
    }
    if (batch.hasWait()) {
      r.setWait(batch.getWait());
    }
    if (batch.hasOrdering()) {
      r.setOrdering(batch.getOrdering());
    }
    if (batch.hasTimeout()) {
      r.setTimeout(batch.getTimeout());
    }
    return r.build();
  }

  void updateVectors(UpdatePointVectors request, StreamObserver<PointsOperationResponse> observer) {
    StatusMapper.answer(observer, () -> vectorsUpdated(request));
  }

  void deleteVectors(DeletePointVectors request, StreamObserver<PointsOperationResponse> observer) {
    StatusMapper.answer(observer, () -> vectorsDeleted(request));
  }

  /**
   * UpdateVectors (a collection with named or sparse vectors: {@code namedVectorsUpdated}): the new
   * vector of each point (the collection's one unnamed vector; a named one is Qdrant's "Not
   * existing vector name"), a later entry for the same id winning as in Qdrant, applied only to the
   * points {@code update_filter} matches when it is set.
   */
  private PointsOperationResponse vectorsUpdated(UpdatePointVectors request) {
    long start = System.nanoTime();
    Routed routed =
        Routed.write(
            state.store(),
            request.hasShardKeySelector() ? request.getShardKeySelector() : null,
            request.hasOrdering() ? request.getOrdering() : null);
    MultiVectorConfig multi = NamedVectors.multi(state, request.getCollectionName());
    if (multi != null) {
      return namedVectorsUpdated(request, routed, multi, start);
    }
    Map<PointId, float[]> vectors = new LinkedHashMap<>();
    for (PointVectors p : request.getPointsList()) {
      if (!p.hasId()) {
        throw Status.INVALID_ARGUMENT.withDescription("id is expected").asRuntimeException();
      }
      if (!p.hasVectors()) {
        throw Status.INVALID_ARGUMENT.withDescription("vectors is expected").asRuntimeException();
      }
      PointId id = ProtoValues.id(p.getId());
      vectors.remove(id); // the later entry wins, in its own place
      vectors.put(id, vector(p.getVectors()));
    }
    Filter condition =
        request.hasUpdateFilter() ? ProtoFilters.toCore(request.getUpdateFilter()) : null;
    routed.updateVectors(request.getCollectionName(), vectors, condition);
    return points.updated(request.hasWait() && request.getWait(), start);
  }

  /**
   * UpdateVectors of a collection with named or sparse vectors: each point's vectors replace those
   * of the same names, the others and the payload kept; several entries for one id are merged, a
   * later vector of a name winning. With {@code update_filter} only the points it matches are
   * updated; a point that does not exist is {@code NOT_FOUND} either way, before anything is
   * written.
   */
  private PointsOperationResponse namedVectorsUpdated(
      UpdatePointVectors request, Routed routed, MultiVectorConfig multi, long start) {
    PointsService.refuseShardKeys(request.hasShardKeySelector());
    Map<PointId, NamedVectors.Parsed> merged = new LinkedHashMap<>();
    for (PointVectors p : request.getPointsList()) {
      if (!p.hasId()) {
        throw Status.INVALID_ARGUMENT.withDescription("id is expected").asRuntimeException();
      }
      if (!p.hasVectors()) {
        throw Status.INVALID_ARGUMENT.withDescription("vectors is expected").asRuntimeException();
      }
      PointId id = ProtoValues.id(p.getId());
      // several entries for one point: a later vector of a name wins
      merged.merge(
          id,
          NamedVectors.vectors(p.getVectors(), multi),
          (a, b) -> {
            a.dense().putAll(b.dense());
            a.sparse().putAll(b.sparse());
            return a;
          });
    }
    List<MultiVectorPoint> updates = new ArrayList<>(merged.size());
    merged.forEach((id, v) -> updates.add(v.point(id, Map.of())));
    String name = request.getCollectionName();
    MultiVectors mv = NamedVectors.require(state, "named vectors");
    if (!request.hasUpdateFilter()) {
      routed.writing(() -> Futures.join(mv.updateVectors(name, updates)));
      return points.updated(request.hasWait() && request.getWait(), start);
    }
    Filter condition = ProtoFilters.toCore(request.getUpdateFilter());
    routed.alone(
        () -> {
          List<PointId> ids = List.copyOf(merged.keySet());
          Set<PointId> found = new HashSet<>();
          routed.retrieve(name, ids, PayloadSelector.NONE, false).forEach(p -> found.add(p.id()));
          for (PointId id : ids) {
            if (!found.contains(id)) {
              throw Routed.pointNotFound(id);
            }
          }
          Set<PointId> matching = condition == null ? found : routed.matching(name, ids, condition);
          List<MultiVectorPoint> kept = new ArrayList<>(updates.size());
          for (MultiVectorPoint u : updates) {
            if (matching.contains(u.id())) {
              kept.add(u);
            }
          }
          if (!kept.isEmpty()) {
            Futures.join(mv.updateVectors(name, kept));
          }
        });
    return points.updated(request.hasWait() && request.getWait(), start);
  }

  /**
   * DeleteVectors. Qdrant checks each vector name on the points it touches ("Not existing vector
   * name" for a name the collection lacks) and reports an id it does not have as {@code NOT_FOUND};
   * the name {@code ""} is the unnamed vector, which Qdrant deletes, leaving the point without a
   * vector: the store keeps such a point once the collection is in its multi-vector form (a store
   * without {@code MultiVectors}, or custom sharding, is answered {@code UNIMPLEMENTED}, before
   * anything changes). Names given to no existing point change nothing, as in Qdrant.
   */
  private PointsOperationResponse vectorsDeleted(DeletePointVectors request) {
    long start = System.nanoTime();
    String name = request.getCollectionName();
    Routed routed =
        Routed.write(
            state.store(),
            request.hasShardKeySelector() ? request.getShardKeySelector() : null,
            request.hasOrdering() ? request.getOrdering() : null);
    if (!request.hasVectors()) {
      throw Status.INVALID_ARGUMENT.withDescription("vectors is expected").asRuntimeException();
    }
    List<PointId> ids = PointsService.selected(routed, name, request.getPointsSelector());
    Set<PointId> found = new HashSet<>();
    for (RetrievedPoint p : routed.retrieve(name, ids, PayloadSelector.NONE, false)) {
      found.add(p.id());
    }
    MultiVectorConfig multi = NamedVectors.multi(state, name);
    if (multi != null) {
      PointsService.refuseShardKeys(request.hasShardKeySelector());
      Set<String> names = new LinkedHashSet<>(request.getVectors().getNamesList());
      if (!found.isEmpty()) {
        for (String vectorName : names) {
          if (!multi.hasVector(vectorName)) {
            throw noVectorName(vectorName);
          }
        }
      }
      for (PointId id : ids) {
        if (!found.contains(id)) {
          throw Routed.pointNotFound(id);
        }
      }
      if (!names.isEmpty() && !found.isEmpty()) {
        Futures.join(
            NamedVectors.require(state, "named vectors").deleteVectors(name, found, names));
      }
      return points.updated(request.hasWait() && request.getWait(), start);
    }
    if (!found.isEmpty()) {
      List<String> names = request.getVectors().getNamesList();
      for (String vectorName : names) {
        if (!vectorName.isEmpty()) {
          throw noVectorName(vectorName);
        }
      }
    }
    for (PointId id : ids) {
      if (!found.contains(id)) {
        throw Routed.pointNotFound(id);
      }
    }
    if (!found.isEmpty() && !request.getVectors().getNamesList().isEmpty()) {
      // the point stays without a vector: the store keeps such points in its multi-vector form
      if (request.hasShardKeySelector() || NamedVectors.extension(state).isEmpty()) {
        throw unsupported(
            "deleting the unnamed vector"
                + (request.hasShardKeySelector()
                    ? " of a collection with custom sharding"
                    : ": the backing store cannot keep a point without a vector"));
      }
      MultiVectors mv = NamedVectors.require(state, "deleting the unnamed vector");
      routed.writing(() -> Futures.join(mv.deleteVectors(name, found, Set.of(""))));
    }
    return points.updated(request.hasWait() && request.getWait(), start);
  }

  // ---- checks ----

  private void requireCollection(String name) {
    if (!state.store().collectionExists(name)) {
      throw new CollectionNotFoundException(name);
    }
  }

  /** Qdrant validates each item of a batch as a whole request, its collection name included. */
  private static void requireItemCollection(String collection, String item) {
    if (collection.isEmpty()) {
      throw invalid(item + "collection_name: value \"\" invalid, must be from 1 to 255 characters");
    }
  }

  /** A timeout, when given, is at least one second. */
  private static void requireTimeout(boolean present, long seconds, String field) {
    if (present && seconds < 1) {
      throw invalid(field + ": value " + seconds + " invalid, must be 1 or larger");
    }
  }

  private static RuntimeException invalid(String what) {
    return Status.INVALID_ARGUMENT
        .withDescription("Validation error in body: [" + what + "]")
        .asRuntimeException();
  }
}
