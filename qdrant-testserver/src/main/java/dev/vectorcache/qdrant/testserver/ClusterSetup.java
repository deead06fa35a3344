package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.ShardingMethod;
import dev.vectorcache.core.model.WriteOptions;
import dev.vectorcache.core.port.ClusterRequests;
import dev.vectorcache.core.port.VectorStore;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.grpc.Collections.CollectionClusterInfoResponse;
import io.qdrant.client.grpc.Collections.CreateShardKey;
import io.qdrant.client.grpc.Collections.LocalShardInfo;
import io.qdrant.client.grpc.Collections.ReplicaState;
import io.qdrant.client.grpc.Collections.ReplicatePoints;
import io.qdrant.client.grpc.Collections.UpdateCollectionClusterSetupRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The cluster view of the test server: one peer that holds every shard of every collection, as a
 * Qdrant cluster of one node would. It answers {@code CollectionClusterInfo} and {@code
 * UpdateCollectionClusterSetup}.
 *
 * <p>Shard ids: a collection with automatic sharding has {@code shard_number} shards, 0 to n - 1; a
 * custom-sharded one has, for each shard key, the number of shards the key was created with ({@code
 * shards_number}, else the collection's {@code shard_number}), numbered in creation order as Qdrant
 * numbers them. The store keeps one partition per collection (or per key) and splitting points by
 * id changes no result, so the points of a partition are attributed to its shards by a hash of the
 * id: the counts add up to the collection's (or the key's), but the split is not Qdrant's hash
 * ring.
 *
 * <p>Operations that move data between peers (move, replicate, abort or restart a transfer, drop a
 * replica) are validated as Qdrant validates them and then refused: with one peer there is no other
 * peer to move or copy a shard to, and no transfer ever runs. Shard-key operations and {@code
 * replicate_points} (copying the points of one shard key, or those matching a filter, into another)
 * are carried out.
 *
 * <p>Thread-safe: the layout is guarded by this object.
 */
final class ClusterSetup {
  private final ServerState state;

  /** Per collection: the shard ids of each shard key (custom sharding only), in creation order. */
  private final Map<String, Map<ShardKey, List<Integer>>> layouts = new LinkedHashMap<>();

  private final Map<String, Integer> nextShardIds = new LinkedHashMap<>();

  ClusterSetup(ServerState state) {
    this.state = state;
  }

  private VectorStore store() {
    return state.store();
  }

  // ---- layout ----

  /** Records the shards of a key created through the server. */
  synchronized void keyCreated(String collection, ShardKey key, @Nullable Integer shards) {
    layout(collection)
        .computeIfAbsent(key, k -> allocate(collection, shardsOf(collection, shards)));
  }

  synchronized void keyDeleted(String collection, ShardKey key) {
    Map<ShardKey, List<Integer>> l = layouts.get(collection);
    if (l != null) {
      l.remove(key);
    }
  }

  /** Forgets a dropped collection, so that a new one of the same name starts afresh. */
  synchronized void dropped(String collection) {
    layouts.remove(collection);
    nextShardIds.remove(collection);
  }

  private Map<ShardKey, List<Integer>> layout(String collection) {
    return layouts.computeIfAbsent(collection, c -> new LinkedHashMap<>());
  }

  private List<Integer> allocate(String collection, int shards) {
    int first = nextShardIds.getOrDefault(collection, 0);
    nextShardIds.put(collection, first + shards);
    List<Integer> ids = new ArrayList<>(shards);
    for (int i = 0; i < shards; i++) {
      ids.add(first + i);
    }
    return ids;
  }

  private int shardsOf(String collection, @Nullable Integer requested) {
    if (requested != null && requested > 0) {
      return requested;
    }
    Integer n = config(collection).shardNumber();
    return n == null ? 1 : n;
  }

  private CollectionConfig config(String collection) {
    return store().collectionInfo(collection).config();
  }

  /**
   * The shard ids of every key, in creation order; keys the store has but the server did not create
   * (those of the collection's configuration) are numbered first.
   */
  private synchronized Map<ShardKey, List<Integer>> keyShards(String collection) {
    Map<ShardKey, List<Integer>> l = layout(collection);
    List<ShardKey> keys = Futures.join(cluster().listShardKeys(collection));
    l.keySet().retainAll(keys);
    for (ShardKey k : keys) {
      l.computeIfAbsent(k, x -> allocate(collection, shardsOf(collection, null)));
    }
    return new LinkedHashMap<>(l);
  }

  // ---- CollectionClusterInfo ----

  CollectionClusterInfoResponse info(String collection) {
    requireCollection(collection);
    CollectionConfig config = config(collection);
    CollectionClusterInfoResponse.Builder b =
        CollectionClusterInfoResponse.newBuilder().setPeerId(state.peerId());
    List<LocalShardInfo> shards = new ArrayList<>();
    if (config.shardingMethod() == ShardingMethod.CUSTOM) {
      for (Map.Entry<ShardKey, List<Integer>> e : keyShards(collection).entrySet()) {
        long[] counts = counts(collection, e.getKey(), e.getValue().size());
        for (int i = 0; i < counts.length; i++) {
          shards.add(
              LocalShardInfo.newBuilder()
                  .setShardId(e.getValue().get(i))
                  .setPointsCount(counts[i])
                  .setState(ReplicaState.Active)
                  .setShardKey(Routed.toProto(e.getKey()))
                  .build());
        }
      }
    } else {
      long[] counts = counts(collection, null, shardsOf(collection, null));
      for (int i = 0; i < counts.length; i++) {
        shards.add(
            LocalShardInfo.newBuilder()
                .setShardId(i)
                .setPointsCount(counts[i])
                .setState(ReplicaState.Active)
                .build());
      }
    }
    shards.sort((x, y) -> Integer.compare(x.getShardId(), y.getShardId()));
    return b.setShardCount(shards.size()).addAllLocalShards(shards).build();
  }

  /** The points of one partition (a key, or the whole collection) split over its shards by id. */
  private long[] counts(String collection, @Nullable ShardKey key, int shards) {
    long[] counts = new long[shards];
    ReadOptions read =
        key == null ? ReadOptions.DEFAULT : ReadOptions.builder().shardKeys(key).build();
    ScrollRequest page = new ScrollRequest(null, 1000, null, PayloadSelector.NONE, false);
    while (true) {
      ScrollPage p = scroll(collection, page, read);
      for (RetrievedPoint r : p.points()) {
        counts[shardOf(r.id(), shards)]++;
      }
      if (p.nextOffset() == null) {
        return counts;
      }
      page = page.withOffset(p.nextOffset());
    }
  }

  private static int shardOf(PointId id, int shards) {
    long h = id.isNumeric() ? id.num() : id.uuid().getLeastSignificantBits();
    return (int) Math.floorMod((h * 0x9E3779B97F4A7C15L) >>> 17, (long) shards);
  }

  private ScrollPage scroll(String collection, ScrollRequest page, ReadOptions read) {
    if (read.shardKeys().isEmpty()) {
      return store().scroll(collection, page);
    }
    return Futures.join(cluster().scroll(collection, page, read));
  }

  // ---- UpdateCollectionClusterSetup ----

  /** Carries out one operation; every refusal is the status Qdrant answers with. */
  boolean update(UpdateCollectionClusterSetupRequest r) {
    if (r.getOperationCase()
        == UpdateCollectionClusterSetupRequest.OperationCase.OPERATION_NOT_SET) {
      throw Status.INVALID_ARGUMENT.withDescription("empty operation").asRuntimeException();
    }
    cluster(); // a store without shard keys is a standalone Qdrant: UNIMPLEMENTED
    String name = r.getCollectionName();
    requireCollection(name);
    switch (r.getOperationCase()) {
      case MOVE_SHARD -> {
        var m = r.getMoveShard();
        transfer(name, m.getShardId(), m.getFromPeerId(), m.getToPeerId(), "move");
      }
      case REPLICATE_SHARD -> {
        var m = r.getReplicateShard();
        transfer(name, m.getShardId(), m.getFromPeerId(), m.getToPeerId(), "replicate");
      }
      case ABORT_TRANSFER -> {
        var a = r.getAbortTransfer();
        throw noTransfer(name, a.getShardId(), a.getFromPeerId(), a.getToPeerId());
      }
      case RESTART_TRANSFER -> {
        var a = r.getRestartTransfer();
        throw noTransfer(name, a.getShardId(), a.getFromPeerId(), a.getToPeerId());
      }
      case DROP_REPLICA -> {
        var d = r.getDropReplica();
        requireShard(name, d.getShardId());
        requirePeer(d.getPeerId());
        throw badRequest(
            "Shard "
                + d.getShardId()
                + " must have at least one active replica after removing "
                + d.getPeerId());
      }
      case CREATE_SHARD_KEY -> createKey(name, r.getCreateShardKey());
      case DELETE_SHARD_KEY -> deleteKey(name, Routed.key(r.getDeleteShardKey().getShardKey()));
      case REPLICATE_POINTS -> replicatePoints(name, r.getReplicatePoints());
      default ->
          throw Status.UNIMPLEMENTED
              .withDescription(
                  "the vectorcache Qdrant test server does not know this cluster operation: "
                      + r.getOperationCase())
              .asRuntimeException();
    }
    return true;
  }

  /**
   * Creates a shard key as {@code UpdateCollectionClusterSetup} does (Qdrant's checks and
   * messages); the dedicated {@code CreateShardKey} call shares it.
   */
  void createKey(String name, CreateShardKey create) {
    cluster();
    requireCollection(name);
    requireCustom(name);
    if (create.hasInitialState()
        && create.getInitialState() != ReplicaState.Active
        && create.getInitialState() != ReplicaState.Partial) {
      throw badRequest(
          "Initial state cannot be "
              + create.getInitialState()
              + ", only Active or Partial are allowed");
    }
    if (create.hasInitialState() && create.getInitialState() == ReplicaState.Partial) {
      throw Status.UNIMPLEMENTED
          .withDescription(
              "the vectorcache Qdrant test server is one node: a shard key cannot start Partial"
                  + " (nothing would ever transfer data into it)")
          .asRuntimeException();
    }
    if (create.hasShardsNumber() && create.getShardsNumber() == 0) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Wrong input: `shards_number` cannot be 0")
          .asRuntimeException();
    }
    ShardKey key = Routed.key(create.getShardKey());
    if (keyShards(name).containsKey(key)) {
      throw badRequest("Sharding key " + key + " already exists for collection " + name);
    }
    for (long peer : create.getPlacementList()) {
      requirePeer(peer);
    }
    Futures.join(cluster().createShardKey(name, key));
    keyCreated(name, key, create.hasShardsNumber() ? create.getShardsNumber() : null);
  }

  /** Deletes a shard key and its points, with Qdrant's checks; {@code DeleteShardKey} shares it. */
  void deleteKey(String name, ShardKey key) {
    cluster();
    requireCollection(name);
    requireCustom(name);
    if (!keyShards(name).containsKey(key)) {
      throw badRequest("Sharding key " + key + " does not exist for collection " + name);
    }
    Futures.join(cluster().deleteShardKey(name, key));
    keyDeleted(name, key);
  }

  private void replicatePoints(String name, ReplicatePoints rp) {
    ShardKey from = Routed.key(rp.getFromShardKey());
    ShardKey to = Routed.key(rp.getToShardKey());
    Map<ShardKey, List<Integer>> keys = keyShards(name);
    List<Integer> fromShards = keys.get(from);
    if (fromShards == null) {
      throw unknownKey(name, from);
    }
    if (fromShards.size() != 1) {
      throw badRequest(
          "Only replicating from shard keys with exactly one shard is supported. Shard key "
              + from
              + " has "
              + fromShards.size()
              + " shards");
    }
    List<Integer> toShards = keys.get(to);
    if (toShards == null) {
      throw unknownKey(name, to);
    }
    if (toShards.size() != 1) {
      throw badRequest(
          "Only replicating to shard keys with exactly one replica is supported. Shard key "
              + to
              + " has "
              + toShards.size()
              + " replicas");
    }
    if (fromShards.get(0).equals(toShards.get(0))) {
      throw badRequest(
          "Source and target shard must be different for filtered points transfer, both are "
              + toShards.get(0));
    }
    Filter filter = rp.hasFilter() ? ProtoFilters.toCore(rp.getFilter()) : null;
    ReadOptions read = ReadOptions.builder().shardKeys(from).build();
    WriteOptions write = WriteOptions.builder().shardKeys(to).build();
    ScrollRequest page = new ScrollRequest(filter, 256, null, PayloadSelector.ALL, true);
    while (true) {
      ScrollPage p = Futures.join(cluster().scroll(name, page, read));
      List<PointStruct> copies = new ArrayList<>(p.points().size());
      for (RetrievedPoint r : p.points()) {
        copies.add(
            new PointStruct(r.id(), Objects.requireNonNull(r.vector(), "vector"), r.payload()));
      }
      if (!copies.isEmpty()) {
        Futures.join(cluster().upsert(name, copies, write));
      }
      if (p.nextOffset() == null) {
        return;
      }
      page = page.withOffset(p.nextOffset());
    }
  }

  private void transfer(String name, int shard, long from, long to, String verb) {
    requireShard(name, shard);
    requirePeer(to);
    requirePeer(from);
    throw badRequest(
        "Shard "
            + shard
            + " is already on peer "
            + to
            + ": the vectorcache Qdrant test server is a cluster of one peer, with no other peer"
            + " to "
            + verb
            + " it to");
  }

  // ---- checks ----

  private void requireCollection(String name) {
    if (!store().collectionExists(name)) {
      throw new CollectionNotFoundException(name);
    }
  }

  private void requireCustom(String name) {
    if (config(name).shardingMethod() != ShardingMethod.CUSTOM) {
      throw badRequest("Shard Key cannot be created with Auto sharding method");
    }
  }

  private void requireShard(String name, int shard) {
    int count =
        config(name).shardingMethod() == ShardingMethod.CUSTOM
            ? keyShards(name).values().stream().mapToInt(List::size).sum()
            : shardsOf(name, null);
    boolean exists =
        config(name).shardingMethod() == ShardingMethod.CUSTOM
            ? keyShards(name).values().stream().anyMatch(ids -> ids.contains(shard))
            : shard >= 0 && shard < count;
    if (!exists) {
      throw badRequest("Shard " + shard + " of " + name + " does not exist");
    }
  }

  private void requirePeer(long peer) {
    if (peer != state.peerId()) {
      throw badRequest("Peer " + Long.toUnsignedString(peer) + " does not exist");
    }
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

  private static StatusRuntimeException noTransfer(String name, int shard, long from, long to) {
    return Status.NOT_FOUND
        .withDescription(
            "Not found: Shard transfer "
                + Long.toUnsignedString(from)
                + " -> "
                + Long.toUnsignedString(to)
                + " for collection "
                + name
                + ":"
                + shard
                + " does not exist")
        .asRuntimeException();
  }

  private static StatusRuntimeException unknownKey(String name, ShardKey key) {
    return Status.INVALID_ARGUMENT
        .withDescription("Wrong input: Shard key " + key + " does not exist for collection " + name)
        .asRuntimeException();
  }

  private static StatusRuntimeException badRequest(String message) {
    return Status.INVALID_ARGUMENT.withDescription("Bad request: " + message).asRuntimeException();
  }
}
