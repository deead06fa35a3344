package dev.vectorcache.qdrant.testserver;

import static dev.vectorcache.qdrant.testserver.Failures.failure;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Collections.CollectionClusterInfoResponse;
import io.qdrant.client.grpc.Collections.LocalShardInfo;
import io.qdrant.client.grpc.Collections.ReplicaState;
import io.qdrant.client.grpc.Collections.ShardKey;
import io.qdrant.client.grpc.Collections.UpdateCollectionClusterSetupRequest;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Points;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CollectionClusterInfo and UpdateCollectionClusterSetup through the official client. */
class ClusterSetupTest {
  private static final ShardKey A = ShardKey.newBuilder().setKeyword("a").build();
  private static final ShardKey B = ShardKey.newBuilder().setKeyword("b").build();

  private QdrantTestServer server;
  private QdrantClient client;

  @BeforeEach
  void start() {
    server = QdrantTestServer.start();
    client =
        new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false).build());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private void create(String name, Collections.ShardingMethod method, int shards) throws Exception {
    client
        .createCollectionAsync(
            Collections.CreateCollection.newBuilder()
                .setCollectionName(name)
                .setVectorsConfig(
                    Collections.VectorsConfig.newBuilder()
                        .setParams(
                            Collections.VectorParams.newBuilder()
                                .setSize(2)
                                .setDistance(Collections.Distance.Euclid)))
                .setShardNumber(shards)
                .setShardingMethod(method)
                .build())
        .get();
  }

  private void upsert(String name, ShardKey key, long... ids) throws Exception {
    Points.UpsertPoints.Builder b =
        Points.UpsertPoints.newBuilder().setCollectionName(name).setWait(true);
    if (key != null) {
      b.setShardKeySelector(Points.ShardKeySelector.newBuilder().addShardKeys(key));
    }
    for (long i : ids) {
      b.addPoints(
          Points.PointStruct.newBuilder()
              .setId(id(i))
              .setVectors(vectors((float) i, 0f))
              .putAllPayload(Map.of("kind", value(i % 2 == 0 ? "even" : "odd"))));
    }
    client.upsertAsync(b.build()).get();
  }

  private void createKey(String name, ShardKey key) throws Exception {
    client
        .createShardKeyAsync(
            Collections.CreateShardKeyRequest.newBuilder()
                .setCollectionName(name)
                .setRequest(Collections.CreateShardKey.newBuilder().setShardKey(key))
                .build())
        .get();
  }

  private void deleteKey(String name, ShardKey key) throws Exception {
    client
        .deleteShardKeyAsync(
            Collections.DeleteShardKeyRequest.newBuilder()
                .setCollectionName(name)
                .setRequest(Collections.DeleteShardKey.newBuilder().setShardKey(key))
                .build())
        .get();
  }

  private CollectionClusterInfoResponse info(String name) throws Exception {
    return client.getCollectionClusterInfoAsync(name).get();
  }

  private UpdateCollectionClusterSetupRequest.Builder setup(String name) {
    return UpdateCollectionClusterSetupRequest.newBuilder().setCollectionName(name);
  }

  @Test
  void autoShardedCollectionReportsItsShardsOnThisPeer() throws Exception {
    create("auto", Collections.ShardingMethod.Auto, 3);
    upsert("auto", null, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

    CollectionClusterInfoResponse info = info("auto");

    assertThat(info.getPeerId()).isPositive();
    assertThat(info.getShardCount()).isEqualTo(3);
    assertThat(info.getLocalShardsList())
        .extracting(LocalShardInfo::getShardId)
        .containsExactly(0, 1, 2);
    assertThat(info.getLocalShardsList())
        .allSatisfy(
            s -> {
              assertThat(s.getState()).isEqualTo(ReplicaState.Active);
              assertThat(s.hasShardKey()).isFalse();
            });
    assertThat(info.getLocalShardsList().stream().mapToLong(LocalShardInfo::getPointsCount).sum())
        .isEqualTo(10);
    assertThat(info.getRemoteShardsList()).isEmpty();
    assertThat(info.getShardTransfersList()).isEmpty();
    // the same peer every time
    assertThat(info("auto").getPeerId()).isEqualTo(info.getPeerId());
  }

  @Test
  void customShardedCollectionReportsEachKeysShards() throws Exception {
    create("c", Collections.ShardingMethod.Custom, 1);
    client
        .createShardKeyAsync(
            Collections.CreateShardKeyRequest.newBuilder()
                .setCollectionName("c")
                .setRequest(Collections.CreateShardKey.newBuilder().setShardKey(A))
                .build())
        .get();
    client
        .createShardKeyAsync(
            Collections.CreateShardKeyRequest.newBuilder()
                .setCollectionName("c")
                .setRequest(
                    Collections.CreateShardKey.newBuilder().setShardKey(B).setShardsNumber(2))
                .build())
        .get();
    upsert("c", A, 1, 2, 3);
    upsert("c", B, 4, 5);

    CollectionClusterInfoResponse info = info("c");

    assertThat(info.getShardCount()).isEqualTo(3);
    assertThat(info.getLocalShardsList())
        .extracting(s -> s.getShardId() + ":" + s.getShardKey().getKeyword())
        .containsExactly("0:a", "1:b", "2:b");
    assertThat(info.getLocalShards(0).getPointsCount()).isEqualTo(3);
    assertThat(info.getLocalShards(1).getPointsCount() + info.getLocalShards(2).getPointsCount())
        .isEqualTo(2);

    // a deleted key's shards leave; a new key gets new ids
    deleteKey("c", A);
    createKey("c", A);
    assertThat(info("c").getLocalShardsList())
        .extracting(s -> s.getShardId() + ":" + s.getShardKey().getKeyword())
        .containsExactly("1:b", "2:b", "3:a");
  }

  @Test
  void shardKeysThroughClusterSetupFollowQdrantsRules() throws Exception {
    create("c", Collections.ShardingMethod.Custom, 1);
    long peer = info("c").getPeerId();

    assertThat(
            client
                .updateCollectionClusterSetupAsync(
                    setup("c")
                        .setCreateShardKey(
                            Collections.CreateShardKey.newBuilder()
                                .setShardKey(A)
                                .addPlacement(peer))
                        .build())
                .get()
                .getResult())
        .isTrue();
    assertThat(client.listShardKeysAsync("c").get())
        .extracting(d -> d.getKey().getKeyword())
        .containsExactly("a");

    StatusRuntimeException again =
        failure(
            () ->
                client
                    .updateCollectionClusterSetupAsync(
                        setup("c")
                            .setCreateShardKey(
                                Collections.CreateShardKey.newBuilder().setShardKey(A))
                            .build())
                    .get());
    assertThat(again.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(again.getStatus().getDescription())
        .isEqualTo("Bad request: Sharding key \"a\" already exists for collection c");

    StatusRuntimeException elsewhere =
        failure(
            () ->
                client
                    .createShardKeyAsync(
                        Collections.CreateShardKeyRequest.newBuilder()
                            .setCollectionName("c")
                            .setRequest(
                                Collections.CreateShardKey.newBuilder()
                                    .setShardKey(B)
                                    .addPlacement(peer + 1))
                            .build())
                    .get());
    assertThat(elsewhere.getStatus().getDescription())
        .isEqualTo("Bad request: Peer " + (peer + 1) + " does not exist");

    StatusRuntimeException dead =
        failure(
            () ->
                client
                    .createShardKeyAsync(
                        Collections.CreateShardKeyRequest.newBuilder()
                            .setCollectionName("c")
                            .setRequest(
                                Collections.CreateShardKey.newBuilder()
                                    .setShardKey(B)
                                    .setInitialState(ReplicaState.Dead))
                            .build())
                    .get());
    assertThat(dead.getStatus().getDescription())
        .isEqualTo("Bad request: Initial state cannot be Dead, only Active or Partial are allowed");

    client
        .updateCollectionClusterSetupAsync(
            setup("c")
                .setDeleteShardKey(Collections.DeleteShardKey.newBuilder().setShardKey(A))
                .build())
        .get();
    assertThat(client.listShardKeysAsync("c").get()).isEmpty();
    StatusRuntimeException gone = failure(() -> deleteKey("c", A));
    assertThat(gone.getStatus().getDescription())
        .isEqualTo("Bad request: Sharding key \"a\" does not exist for collection c");

    create("auto", Collections.ShardingMethod.Auto, 1);
    StatusRuntimeException auto = failure(() -> createKey("auto", A));
    assertThat(auto.getStatus().getDescription())
        .isEqualTo("Bad request: Shard Key cannot be created with Auto sharding method");
  }

  @Test
  void replicatePointsCopiesAKeysPointsOrThoseMatchingAFilter() throws Exception {
    create("c", Collections.ShardingMethod.Custom, 1);
    createKey("c", A);
    createKey("c", B);
    upsert("c", A, 1, 2, 3, 4);

    client
        .updateCollectionClusterSetupAsync(
            setup("c")
                .setReplicatePoints(
                    Collections.ReplicatePoints.newBuilder()
                        .setFromShardKey(A)
                        .setToShardKey(B)
                        .setFilter(
                            Common.Filter.newBuilder().addMust(matchKeyword("kind", "even"))))
                .build())
        .get();

    List<Points.RetrievedPoint> copied =
        client
            .scrollAsync(
                Points.ScrollPoints.newBuilder()
                    .setCollectionName("c")
                    .setShardKeySelector(Points.ShardKeySelector.newBuilder().addShardKeys(B))
                    .setWithVectors(Points.WithVectorsSelector.newBuilder().setEnable(true).build())
                    .build())
            .get()
            .getResultList();
    assertThat(copied).extracting(p -> p.getId().getNum()).containsExactly(2L, 4L);
    assertThat(copied.get(0).getPayloadMap().get("kind").getStringValue()).isEqualTo("even");
    assertThat(copied.get(1).getVectors().getVector().getDense().getDataList())
        .containsExactly(4f, 0f);
    // the source keeps its points
    assertThat(
            io.qdrant.client.grpc.PointsGrpc.newBlockingStub(client.grpcClient().channel())
                .count(
                    Points.CountPoints.newBuilder()
                        .setCollectionName("c")
                        .setShardKeySelector(Points.ShardKeySelector.newBuilder().addShardKeys(A))
                        .build())
                .getResult()
                .getCount())
        .isEqualTo(4L);

    StatusRuntimeException unknown =
        failure(
            () ->
                client
                    .updateCollectionClusterSetupAsync(
                        setup("c")
                            .setReplicatePoints(
                                Collections.ReplicatePoints.newBuilder()
                                    .setFromShardKey(
                                        ShardKey.newBuilder().setKeyword("nope").build())
                                    .setToShardKey(B))
                            .build())
                    .get());
    assertThat(unknown.getStatus().getDescription())
        .isEqualTo("Wrong input: Shard key \"nope\" does not exist for collection c");
  }

  @Test
  void transfersAreValidatedThenRefusedOnOnePeer() throws Exception {
    create("auto", Collections.ShardingMethod.Auto, 2);
    long peer = info("auto").getPeerId();

    StatusRuntimeException noShard =
        failure(
            () ->
                client
                    .updateCollectionClusterSetupAsync(
                        setup("auto")
                            .setMoveShard(
                                Collections.MoveShard.newBuilder()
                                    .setShardId(5)
                                    .setFromPeerId(peer)
                                    .setToPeerId(peer))
                            .build())
                    .get());
    assertThat(noShard.getStatus().getDescription())
        .isEqualTo("Bad request: Shard 5 of auto does not exist");

    StatusRuntimeException noPeer =
        failure(
            () ->
                client
                    .updateCollectionClusterSetupAsync(
                        setup("auto")
                            .setReplicateShard(
                                Collections.ReplicateShard.newBuilder()
                                    .setShardId(1)
                                    .setFromPeerId(peer)
                                    .setToPeerId(peer + 1))
                            .build())
                    .get());
    assertThat(noPeer.getStatus().getDescription())
        .isEqualTo("Bad request: Peer " + (peer + 1) + " does not exist");

    StatusRuntimeException self =
        failure(
            () ->
                client
                    .updateCollectionClusterSetupAsync(
                        setup("auto")
                            .setMoveShard(
                                Collections.MoveShard.newBuilder()
                                    .setShardId(1)
                                    .setFromPeerId(peer)
                                    .setToPeerId(peer))
                            .build())
                    .get());
    assertThat(self.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(self.getStatus().getDescription()).contains("one peer");

    StatusRuntimeException abort =
        failure(
            () ->
                client
                    .updateCollectionClusterSetupAsync(
                        setup("auto")
                            .setAbortTransfer(
                                Collections.AbortShardTransfer.newBuilder()
                                    .setShardId(1)
                                    .setFromPeerId(peer)
                                    .setToPeerId(7))
                            .build())
                    .get());
    assertThat(abort.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(abort.getStatus().getDescription())
        .isEqualTo(
            "Not found: Shard transfer " + peer + " -> 7 for collection auto:1 does not exist");

    StatusRuntimeException drop =
        failure(
            () ->
                client
                    .updateCollectionClusterSetupAsync(
                        setup("auto")
                            .setDropReplica(
                                Collections.Replica.newBuilder().setShardId(0).setPeerId(peer))
                            .build())
                    .get());
    assertThat(drop.getStatus().getDescription())
        .isEqualTo(
            "Bad request: Shard 0 must have at least one active replica after removing " + peer);

    StatusRuntimeException empty =
        failure(() -> client.updateCollectionClusterSetupAsync(setup("auto").build()).get());
    assertThat(empty.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

    StatusRuntimeException missing = failure(() -> info("missing"));
    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThatThrownBy(
            () ->
                client
                    .updateCollectionClusterSetupAsync(
                        setup("missing")
                            .setDropReplica(Collections.Replica.newBuilder().setPeerId(peer))
                            .build())
                    .get())
        .hasCauseInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("NOT_FOUND");
  }
}
