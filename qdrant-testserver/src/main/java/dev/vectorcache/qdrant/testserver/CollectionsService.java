package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.model.AliasAction;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionAlias;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.QuantizationType;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.ShardingMethod;
import dev.vectorcache.core.port.ClusterRequests;
import dev.vectorcache.core.port.CollectionAliases;
import dev.vectorcache.core.port.MultiVectors;
import dev.vectorcache.core.port.VectorStore;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.AliasDescription;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.ChangeAliases;
import io.qdrant.client.grpc.Collections.CollectionClusterInfoRequest;
import io.qdrant.client.grpc.Collections.CollectionClusterInfoResponse;
import io.qdrant.client.grpc.Collections.CollectionDescription;
import io.qdrant.client.grpc.Collections.CollectionExists;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CollectionExistsResponse;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionOperationResponse;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CollectionStatus;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.CreateShardKeyRequest;
import io.qdrant.client.grpc.Collections.CreateShardKeyResponse;
import io.qdrant.client.grpc.Collections.DeleteCollection;
import io.qdrant.client.grpc.Collections.DeleteShardKeyRequest;
import io.qdrant.client.grpc.Collections.DeleteShardKeyResponse;
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections.GetCollectionInfoResponse;
import io.qdrant.client.grpc.Collections.ListAliasesRequest;
import io.qdrant.client.grpc.Collections.ListAliasesResponse;
import io.qdrant.client.grpc.Collections.ListCollectionAliasesRequest;
import io.qdrant.client.grpc.Collections.ListCollectionsRequest;
import io.qdrant.client.grpc.Collections.ListCollectionsResponse;
import io.qdrant.client.grpc.Collections.ListShardKeysRequest;
import io.qdrant.client.grpc.Collections.ListShardKeysResponse;
import io.qdrant.client.grpc.Collections.OptimizerStatus;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import io.qdrant.client.grpc.Collections.ShardKeyDescription;
import io.qdrant.client.grpc.Collections.UpdateCollection;
import io.qdrant.client.grpc.Collections.UpdateCollectionClusterSetupRequest;
import io.qdrant.client.grpc.Collections.UpdateCollectionClusterSetupResponse;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.CollectionsGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * qdrant.Collections over the backing store. Aliases are the store's {@link CollectionAliases};
 * every call that reads a collection name resolves an alias as Qdrant does (Delete and
 * ListCollectionAliases take the name as it is, like Qdrant).
 */
final class CollectionsService extends CollectionsGrpc.CollectionsImplBase {
  private final ServerState state;
  private final ClusterSetup cluster;

  CollectionsService(ServerState state) {
    this.state = state;
    this.cluster = new ClusterSetup(state);
  }

  private VectorStore store() {
    return state.store();
  }

  @Override
  public void create(
      CreateCollection request, StreamObserver<CollectionOperationResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          String name = ServerState.checkName(request.getCollectionName());
          MultiVectorConfig multi = ProtoConfigs.toMulti(request);
          if (multi != null) {
            MultiVectors mv = NamedVectors.require(state, "named and sparse vector collections");
            MultiVectorConfig backend = multi;
            for (Map.Entry<String, DenseVectorConfig> e : multi.dense().entrySet()) {
              QuantizationConfig q = e.getValue().quantization();
              if (engineLacks(q)) {
                backend = backend.withDense(e.getKey(), e.getValue().withQuantization(null));
              }
            }
            MultiVectorConfig created = backend;
            register(name, request, () -> Futures.join(mv.createCollection(name, created)));
          } else {
            CollectionConfig config = ProtoConfigs.toCore(request);
            if (config.shardingMethod() == ShardingMethod.CUSTOM
                && !store().isSupported(Capability.CLUSTER_REQUESTS)) {
              throw Status.UNIMPLEMENTED
                  .withDescription(
                      "the backing store of the vectorcache Qdrant test server does not offer"
                          + " custom sharding")
                  .asRuntimeException();
            }
            CollectionConfig backend =
                engineLacks(config.quantization())
                    ? config.toBuilder().quantization(null).build()
                    : config;
            register(name, request, () -> store().createCollection(name, backend));
          }
          return CollectionOperationResponse.newBuilder()
              .setResult(true)
              .setTime(ServerState.seconds(start))
              .build();
        });
  }

  /**
   * Creates the collection and records its request, refusing the name of an alias or of an existing
   * collection first, under the state's lock.
   */
  private void register(String name, CreateCollection request, Runnable create) {
    synchronized (state) {
      if (state.isAlias(name) && !store().listCollections().contains(name)) {
        throw Status.INVALID_ARGUMENT
            .withDescription(
                "Wrong input: Can't create collection with name "
                    + name
                    + ". Alias with the same name already exists")
            .asRuntimeException();
      }
      if (store().collectionExists(name)) {
        throw new CollectionAlreadyExistsException(name, null);
      }
      create.run();
      state.configs().put(name, request);
      state.payloadSchema(name).clear();
    }
  }

  /**
   * Whether the engine is asked for a collection (or vector space) without this quantization.
   * Qdrant offers product quantization; when the engine behind the server does not, the server
   * accepts it like Qdrant and echoes it back from the original request, while the engine searches
   * that collection unquantized. The embedded engine supports it, so this applies to other engines
   * only.
   */
  private boolean engineLacks(@Nullable QuantizationConfig q) {
    return q != null
        && q.type() == QuantizationType.PRODUCT
        && !store().isSupported(Capability.PRODUCT_QUANTIZATION);
  }

  @Override
  public void get(
      GetCollectionInfoRequest request, StreamObserver<GetCollectionInfoResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          String name = request.getCollectionName();
          return GetCollectionInfoResponse.newBuilder()
              .setResult(info(name))
              .setTime(ServerState.seconds(start))
              .build();
        });
  }

  private CollectionInfo info(String requested) {
    if (!store().collectionExists(requested)) {
      throw new CollectionNotFoundException(requested);
    }
    String name = state.resolve(requested);
    CreateCollection created = state.configs().get(name);
    if (created == null) {
      // created in the backing store directly: describe the store's own config
      created = ProtoConfigs.fromCore(name, store().collectionInfo(name).config());
    }
    long points = store().count(name, null);
    CollectionInfo.Builder info =
        CollectionInfo.newBuilder()
            .setStatus(CollectionStatus.Green)
            .setOptimizerStatus(OptimizerStatus.newBuilder().setOk(true))
            .setSegmentsCount(1)
            .setConfig(echo(created))
            .setPointsCount(points)
            .setIndexedVectorsCount(0);
    for (Map.Entry<String, PayloadSchemaInfo> e : state.payloadSchema(name).entrySet()) {
      info.putPayloadSchema(e.getKey(), e.getValue());
    }
    return info.build();
  }

  /** The config parts of the original CreateCollection request, as they were sent. */
  private static io.qdrant.client.grpc.Collections.CollectionConfig echo(CreateCollection c) {
    CollectionParams.Builder params =
        CollectionParams.newBuilder()
            // as created: 0 when the request left it to the server
            .setShardNumber(c.hasShardNumber() ? c.getShardNumber() : 0)
            .setOnDiskPayload(!c.hasOnDiskPayload() || c.getOnDiskPayload())
            .setVectorsConfig(
                c.hasVectorsConfig()
                    ? c.getVectorsConfig()
                    : c.hasSparseVectorsConfig()
                        // sparse vectors only: no dense vector, as Qdrant shows it
                        ? VectorsConfig.newBuilder()
                            .setParamsMap(
                                io.qdrant.client.grpc.Collections.VectorParamsMap
                                    .getDefaultInstance())
                            .build()
                        : VectorsConfig.newBuilder()
                            .setParams(VectorParams.getDefaultInstance())
                            .build());
    if (c.hasReplicationFactor()) {
      params.setReplicationFactor(c.getReplicationFactor());
    }
    if (c.hasWriteConsistencyFactor()) {
      params.setWriteConsistencyFactor(c.getWriteConsistencyFactor());
    }
    if (c.hasShardingMethod()) {
      params.setShardingMethod(c.getShardingMethod());
    }
    if (c.hasSparseVectorsConfig()) {
      params.setSparseVectorsConfig(c.getSparseVectorsConfig());
    }
    io.qdrant.client.grpc.Collections.CollectionConfig.Builder config =
        io.qdrant.client.grpc.Collections.CollectionConfig.newBuilder()
            .setParams(params)
            .setHnswConfig(c.getHnswConfig())
            .setOptimizerConfig(c.getOptimizersConfig())
            .setWalConfig(c.getWalConfig())
            .putAllMetadata(c.getMetadataMap());
    if (c.hasQuantizationConfig()) {
      config.setQuantizationConfig(c.getQuantizationConfig());
    }
    if (c.hasStrictModeConfig()) {
      config.setStrictModeConfig(c.getStrictModeConfig());
    }
    return config.build();
  }

  @Override
  public void list(
      ListCollectionsRequest request, StreamObserver<ListCollectionsResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          ListCollectionsResponse.Builder b = ListCollectionsResponse.newBuilder();
          for (String name : store().listCollections()) {
            b.addCollections(CollectionDescription.newBuilder().setName(name));
          }
          return b.setTime(ServerState.seconds(start)).build();
        });
  }

  @Override
  public void delete(
      DeleteCollection request, StreamObserver<CollectionOperationResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          String name = request.getCollectionName();
          boolean deleted;
          synchronized (state) {
            // Qdrant answers OK with result=false for a collection that does not exist
            deleted = store().deleteCollection(name);
            state.configs().remove(name);
            state.dropPayloadSchema(name);
            cluster.dropped(name);
          }
          return CollectionOperationResponse.newBuilder()
              .setResult(deleted)
              .setTime(ServerState.seconds(start))
              .build();
        });
  }

  @Override
  public void collectionExists(
      CollectionExistsRequest request, StreamObserver<CollectionExistsResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          boolean exists = store().collectionExists(request.getCollectionName());
          return CollectionExistsResponse.newBuilder()
              .setResult(CollectionExists.newBuilder().setExists(exists))
              .setTime(ServerState.seconds(start))
              .build();
        });
  }

  // ---- shard keys (custom sharding), over the store's ClusterRequests ----

  /**
   * Creates a shard key with Qdrant's checks ({@link ClusterSetup#createKey}): on one node every
   * shard and replica of a key is local, so {@code replication_factor} changes nothing, {@code
   * shards_number} sets the key's shards in {@code CollectionClusterInfo}, and {@code placement}
   * may only name this peer.
   */
  @Override
  public void createShardKey(
      CreateShardKeyRequest request, StreamObserver<CreateShardKeyResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          if (!request.hasRequest()) {
            throw Status.INVALID_ARGUMENT.withDescription("empty request").asRuntimeException();
          }
          cluster.createKey(request.getCollectionName(), request.getRequest());
          return CreateShardKeyResponse.newBuilder().setResult(true).build();
        });
  }

  @Override
  public void deleteShardKey(
      DeleteShardKeyRequest request, StreamObserver<DeleteShardKeyResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          if (!request.hasRequest()) {
            throw Status.INVALID_ARGUMENT.withDescription("empty request").asRuntimeException();
          }
          cluster.deleteKey(
              request.getCollectionName(), Routed.key(request.getRequest().getShardKey()));
          return DeleteShardKeyResponse.newBuilder().setResult(true).build();
        });
  }

  @Override
  public void listShardKeys(
      ListShardKeysRequest request, StreamObserver<ListShardKeysResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          ListShardKeysResponse.Builder b = ListShardKeysResponse.newBuilder();
          for (ShardKey k : Futures.join(cluster().listShardKeys(request.getCollectionName()))) {
            b.addShardKeys(ShardKeyDescription.newBuilder().setKey(Routed.toProto(k)));
          }
          return b.setTime(ServerState.seconds(start)).build();
        });
  }

  @Override
  public void collectionClusterInfo(
      CollectionClusterInfoRequest request,
      StreamObserver<CollectionClusterInfoResponse> observer) {
    StatusMapper.answer(observer, () -> cluster.info(request.getCollectionName()));
  }

  /** One peer's cluster operations: see {@link ClusterSetup#update}. */
  @Override
  public void updateCollectionClusterSetup(
      UpdateCollectionClusterSetupRequest request,
      StreamObserver<UpdateCollectionClusterSetupResponse> observer) {
    StatusMapper.answer(
        observer,
        () ->
            UpdateCollectionClusterSetupResponse.newBuilder()
                .setResult(cluster.update(request))
                .build());
  }

  private ClusterRequests cluster() {
    return store()
        .extension(ClusterRequests.class)
        .orElseThrow(
            () ->
                Status.UNIMPLEMENTED
                    .withDescription(
                        "the backing store of the vectorcache Qdrant test server does not offer"
                            + " shard keys")
                    .asRuntimeException());
  }

  // ---- aliases, over the store's CollectionAliases ----

  /**
   * Applies the actions in order, as Qdrant does: the first that fails ends the call with its
   * error, the ones before it stay applied. {@code timeout} is accepted (one node commits at once).
   */
  @Override
  public void updateAliases(
      ChangeAliases request, StreamObserver<CollectionOperationResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          if (request.hasTimeout() && request.getTimeout() == 0) {
            throw Status.INVALID_ARGUMENT
                .withDescription(
                    "Validation error in body: [timeout: value 0 invalid, must be 1 or larger]")
                .asRuntimeException();
          }
          CollectionAliases aliases = aliases();
          List<AliasAction> actions = new ArrayList<>(request.getActionsCount());
          for (AliasOperations op : request.getActionsList()) {
            actions.add(action(op));
          }
          synchronized (state) {
            Futures.join(aliases.updateAliases(actions));
          }
          return CollectionOperationResponse.newBuilder()
              .setResult(true)
              .setTime(ServerState.seconds(start))
              .build();
        });
  }

  private static AliasAction action(AliasOperations op) {
    return switch (op.getActionCase()) {
      case CREATE_ALIAS ->
          AliasAction.create(
              op.getCreateAlias().getAliasName(), op.getCreateAlias().getCollectionName());
      case RENAME_ALIAS ->
          AliasAction.rename(
              op.getRenameAlias().getOldAliasName(), op.getRenameAlias().getNewAliasName());
      case DELETE_ALIAS -> AliasAction.delete(op.getDeleteAlias().getAliasName());
      case ACTION_NOT_SET ->
          throw Status.INVALID_ARGUMENT
              .withDescription("Malformed AliasOperation type")
              .asRuntimeException();
    };
  }

  /**
   * The aliases naming exactly this collection: as in Qdrant, the name is not resolved, and a
   * collection that does not exist has none.
   */
  @Override
  public void listCollectionAliases(
      ListCollectionAliasesRequest request, StreamObserver<ListAliasesResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          String name = request.getCollectionName();
          ListAliasesResponse.Builder b = ListAliasesResponse.newBuilder();
          for (String alias : Futures.join(aliases().listAliases(name))) {
            b.addAliases(AliasDescription.newBuilder().setAliasName(alias).setCollectionName(name));
          }
          return b.setTime(ServerState.seconds(start)).build();
        });
  }

  @Override
  public void listAliases(
      ListAliasesRequest request, StreamObserver<ListAliasesResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          ListAliasesResponse.Builder b = ListAliasesResponse.newBuilder();
          for (CollectionAlias a : Futures.join(aliases().listAliases())) {
            b.addAliases(
                AliasDescription.newBuilder()
                    .setAliasName(a.alias())
                    .setCollectionName(a.collection()));
          }
          return b.setTime(ServerState.seconds(start)).build();
        });
  }

  private CollectionAliases aliases() {
    return store()
        .extension(CollectionAliases.class)
        .orElseThrow(
            () ->
                Status.UNIMPLEMENTED
                    .withDescription(
                        "the backing store of the vectorcache Qdrant test server does not offer"
                            + " aliases")
                    .asRuntimeException());
  }

  /**
   * Merges the diff into the echoed configuration. The backing store's own settings stay as they
   * were created; they change speed and memory, never results.
   */
  @Override
  public void update(
      UpdateCollection request, StreamObserver<CollectionOperationResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          String requested = request.getCollectionName();
          synchronized (state) {
            if (!store().collectionExists(requested)) {
              throw new CollectionNotFoundException(requested);
            }
            String name = state.resolve(requested);
            CreateCollection current = state.configs().get(name);
            if (current == null) {
              current = ProtoConfigs.fromCore(name, store().collectionInfo(name).config());
            }
            state.configs().put(name, merge(current, request));
          }
          return CollectionOperationResponse.newBuilder()
              .setResult(true)
              .setTime(ServerState.seconds(start))
              .build();
        });
  }

  private static CreateCollection merge(CreateCollection c, UpdateCollection u) {
    CreateCollection.Builder b = c.toBuilder();
    if (u.hasOptimizersConfig()) {
      b.setOptimizersConfig(c.getOptimizersConfig().toBuilder().mergeFrom(u.getOptimizersConfig()));
    }
    if (u.hasHnswConfig()) {
      b.setHnswConfig(c.getHnswConfig().toBuilder().mergeFrom(u.getHnswConfig()));
    }
    if (u.hasParams()) {
      var p = u.getParams();
      if (p.hasOnDiskPayload()) {
        b.setOnDiskPayload(p.getOnDiskPayload());
      }
      if (p.hasReplicationFactor()) {
        b.setReplicationFactor(p.getReplicationFactor());
      }
      if (p.hasWriteConsistencyFactor()) {
        b.setWriteConsistencyFactor(p.getWriteConsistencyFactor());
      }
    }
    if (u.hasVectorsConfig()
        && u.getVectorsConfig().hasParams()
        && c.getVectorsConfig().hasParams()) {
      var diff = u.getVectorsConfig().getParams();
      VectorParams.Builder vp = c.getVectorsConfig().getParams().toBuilder();
      if (diff.hasOnDisk()) {
        vp.setOnDisk(diff.getOnDisk());
      }
      if (diff.hasHnswConfig()) {
        vp.setHnswConfig(vp.getHnswConfig().toBuilder().mergeFrom(diff.getHnswConfig()));
      }
      b.setVectorsConfig(VectorsConfig.newBuilder().setParams(vp));
    }
    if (u.hasVectorsConfig()
        && u.getVectorsConfig().hasParamsMap()
        && c.getVectorsConfig().hasParamsMap()) {
      // named vectors: the same speed-only diffs, per name
      var map = c.getVectorsConfig().getParamsMap().toBuilder();
      for (var e : u.getVectorsConfig().getParamsMap().getMapMap().entrySet()) {
        VectorParams existing = map.getMapMap().get(e.getKey());
        if (existing == null) {
          throw ProtoPoints.noVectorName(e.getKey());
        }
        VectorParams.Builder vp = existing.toBuilder();
        if (e.getValue().hasOnDisk()) {
          vp.setOnDisk(e.getValue().getOnDisk());
        }
        if (e.getValue().hasHnswConfig()) {
          vp.setHnswConfig(vp.getHnswConfig().toBuilder().mergeFrom(e.getValue().getHnswConfig()));
        }
        map.putMap(e.getKey(), vp.build());
      }
      b.setVectorsConfig(VectorsConfig.newBuilder().setParamsMap(map));
    }
    if (u.hasSparseVectorsConfig()) {
      // sparse vectors: index settings (speed only); a new modifier would change the scores
      var sparse = c.getSparseVectorsConfig().toBuilder();
      for (var e : u.getSparseVectorsConfig().getMapMap().entrySet()) {
        var existing = sparse.getMapMap().get(e.getKey());
        if (existing == null) {
          throw ProtoPoints.noVectorName(e.getKey());
        }
        if (e.getValue().hasModifier() && e.getValue().getModifier() != existing.getModifier()) {
          throw ProtoPoints.unsupported("changing the modifier of a sparse vector");
        }
        sparse.putMap(e.getKey(), existing.toBuilder().mergeFrom(e.getValue()).build());
      }
      b.setSparseVectorsConfig(sparse);
    }
    if (u.hasQuantizationConfig()) {
      var q = u.getQuantizationConfig();
      switch (q.getQuantizationCase()) {
        case DISABLED -> b.clearQuantizationConfig();
        case SCALAR ->
            b.setQuantizationConfig(
                io.qdrant.client.grpc.Collections.QuantizationConfig.newBuilder()
                    .setScalar(q.getScalar()));
        case PRODUCT ->
            b.setQuantizationConfig(
                io.qdrant.client.grpc.Collections.QuantizationConfig.newBuilder()
                    .setProduct(q.getProduct()));
        case BINARY ->
            b.setQuantizationConfig(
                io.qdrant.client.grpc.Collections.QuantizationConfig.newBuilder()
                    .setBinary(q.getBinary()));
        default ->
            throw Status.UNIMPLEMENTED
                .withDescription(
                    "the vectorcache Qdrant test server does not support this quantization")
                .asRuntimeException();
      }
    }
    if (u.getMetadataCount() > 0) {
      b.putAllMetadata(u.getMetadataMap());
    }
    return b.build();
  }
}
