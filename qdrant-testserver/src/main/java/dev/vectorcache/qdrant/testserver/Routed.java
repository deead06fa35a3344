package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ReadConsistency;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.WriteOptions;
import dev.vectorcache.core.model.WriteOrdering;
import dev.vectorcache.core.port.ClusterRequests;
import dev.vectorcache.core.port.VectorStore;
import io.grpc.Status;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Points;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The backing store's point operations under one request's cluster options: its shard-key selector
 * and its read consistency or write ordering. With a store that offers {@link ClusterRequests} (the
 * embedded engine does) everything goes through it, so shard keys are honoured for real. A store
 * without it serves requests without a selector (consistency and ordering hold trivially on one
 * node) and refuses selectors with {@code UNIMPLEMENTED}: a shard key is never accepted and
 * ignored.
 */
final class Routed {
  /**
   * One lock per backing store: the writes of this server hold it shared, and {@link
   * #updateVectors}, a read then an upsert, holds it alone, so that no other write lands in between
   * and is lost.
   */
  private static final Map<VectorStore, ReadWriteLock> LOCKS =
      java.util.Collections.synchronizedMap(new WeakHashMap<>());

  private final VectorStore store;
  private final @Nullable ClusterRequests cluster;
  private final ReadOptions read;
  private final WriteOptions write;
  private final ReadWriteLock lock;

  private Routed(VectorStore store, ReadOptions read, WriteOptions write) {
    this.store = store;
    this.lock = LOCKS.computeIfAbsent(store, s -> new ReentrantReadWriteLock());
    Optional<ClusterRequests> ext = store.extension(ClusterRequests.class);
    this.cluster = ext.orElse(null);
    this.read = read;
    this.write = write;
    if (cluster == null && (!read.shardKeys().isEmpty() || !write.shardKeys().isEmpty())) {
      throw Status.UNIMPLEMENTED
          .withDescription(
              "the backing store of the vectorcache Qdrant test server does not offer shard keys")
          .asRuntimeException();
    }
  }

  /** The store under a read's selector and consistency (absent fields: Qdrant's defaults). */
  static Routed read(
      VectorStore store,
      Points.@Nullable ShardKeySelector selector,
      Points.@Nullable ReadConsistency consistency) {
    ReadOptions.Builder b = ReadOptions.builder().shardKeys(keys(selector));
    if (consistency != null) {
      b.consistency(consistency(consistency));
    }
    return new Routed(store, b.build(), WriteOptions.DEFAULT);
  }

  /** The store under a write's selector and ordering; reads it makes use the same keys. */
  static Routed write(
      VectorStore store,
      Points.@Nullable ShardKeySelector selector,
      Points.@Nullable WriteOrdering ordering) {
    List<ShardKey> keys = keys(selector);
    WriteOptions.Builder b = WriteOptions.builder().shardKeys(keys);
    if (ordering != null) {
      b.ordering(ordering(ordering));
    }
    return new Routed(store, ReadOptions.builder().shardKeys(keys).build(), b.build());
  }

  static List<ShardKey> keys(Points.@Nullable ShardKeySelector selector) {
    if (selector == null) {
      return List.of();
    }
    if (selector.hasFallback()) {
      throw Status.UNIMPLEMENTED
          .withDescription(
              "the vectorcache Qdrant test server does not support fallback shard keys")
          .asRuntimeException();
    }
    if (selector.getShardKeysCount() == 0) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Wrong input: shard_key_selector names no shard key")
          .asRuntimeException();
    }
    List<ShardKey> out = new ArrayList<>();
    for (Collections.ShardKey k : selector.getShardKeysList()) {
      out.add(key(k));
    }
    return out;
  }

  static ShardKey key(Collections.ShardKey k) {
    return switch (k.getKeyCase()) {
      case KEYWORD -> ShardKey.of(k.getKeyword());
      case NUMBER -> ShardKey.of(k.getNumber());
      default ->
          throw Status.INVALID_ARGUMENT
              .withDescription("Wrong input: a shard key is a keyword or a number")
              .asRuntimeException();
    };
  }

  static Collections.ShardKey toProto(ShardKey k) {
    Long number = k.number();
    return number != null
        ? Collections.ShardKey.newBuilder().setNumber(number).build()
        : Collections.ShardKey.newBuilder().setKeyword(String.valueOf(k.keyword())).build();
  }

  private static ReadConsistency consistency(Points.ReadConsistency c) {
    return switch (c.getValueCase()) {
      case FACTOR -> ReadConsistency.factor(c.getFactor());
      case TYPE ->
          switch (c.getType()) {
            case All -> ReadConsistency.all();
            case Majority -> ReadConsistency.majority();
            case Quorum -> ReadConsistency.quorum();
            default -> throw badEnum("read_consistency.type");
          };
      default -> throw badEnum("read_consistency");
    };
  }

  private static WriteOrdering ordering(Points.WriteOrdering o) {
    return switch (o.getType()) {
      case Weak -> WriteOrdering.WEAK;
      case Medium -> WriteOrdering.MEDIUM;
      case Strong -> WriteOrdering.STRONG;
      default -> throw badEnum("ordering.type");
    };
  }

  private static RuntimeException badEnum(String field) {
    return Status.INVALID_ARGUMENT
        .withDescription("Validation error in body: [" + field + ": unknown value]")
        .asRuntimeException();
  }

  // ---- reads ----

  List<RetrievedPoint> retrieve(
      String name, Collection<PointId> ids, PayloadSelector payload, boolean vectors) {
    return cluster == null
        ? store.retrieve(name, ids, payload, vectors)
        : Futures.join(cluster.retrieve(name, ids, payload, vectors, read));
  }

  List<ScoredPoint> search(String name, SearchRequest request) {
    return cluster == null
        ? store.search(name, request)
        : Futures.join(cluster.search(name, request, read));
  }

  long count(String name, @Nullable Filter filter) {
    return cluster == null
        ? store.count(name, filter)
        : Futures.join(cluster.count(name, filter, read));
  }

  ScrollPage scroll(String name, ScrollRequest request) {
    return cluster == null
        ? store.scroll(name, request)
        : Futures.join(cluster.scroll(name, request, read));
  }

  // ---- writes ----

  void upsert(String name, List<PointStruct> points) {
    writing(
        () -> {
          if (cluster == null) {
            store.upsert(name, points);
          } else {
            Futures.join(cluster.upsert(name, points, write));
          }
        });
  }

  void delete(String name, Collection<PointId> ids) {
    writing(
        () -> {
          if (cluster == null) {
            store.delete(name, ids);
          } else {
            Futures.join(cluster.delete(name, ids, write));
          }
        });
  }

  void deleteByFilter(String name, Filter filter) {
    writing(
        () -> {
          if (cluster == null) {
            store.deleteByFilter(name, filter);
          } else {
            Futures.join(cluster.deleteByFilter(name, filter, write));
          }
        });
  }

  void setPayload(String name, Collection<PointId> ids, Map<String, ?> payload, boolean overwrite) {
    writing(
        () -> {
          if (cluster == null) {
            if (overwrite) {
              store.overwritePayload(name, ids, payload);
            } else {
              store.setPayload(name, ids, payload);
            }
          } else {
            Futures.join(
                overwrite
                    ? cluster.overwritePayload(name, ids, payload, write)
                    : cluster.setPayload(name, ids, payload, write));
          }
        });
  }

  /**
   * Qdrant's SetPayload with a {@code key}: {@code payload} merged into the object at {@code path}
   * of each point ({@link PayloadPaths#setAt}), each point read and rewritten under each shard key
   * of the request, holding the store's lock alone.
   */
  void setPayloadAt(
      String name,
      Collection<PointId> ids,
      List<PayloadPaths.Step> path,
      Map<String, Object> payload) {
    alone(
        () -> {
          for (Routed target : perShardKey()) {
            for (RetrievedPoint p : target.retrieve(name, ids, PayloadSelector.ALL, false)) {
              target.setPayload(
                  name, List.of(p.id()), PayloadPaths.setAt(p.payload(), path, payload), true);
            }
          }
        });
  }

  void deletePayloadKeys(String name, Collection<PointId> ids, Collection<String> keys) {
    writing(
        () -> {
          if (cluster == null) {
            store.deletePayloadKeys(name, ids, keys);
          } else {
            Futures.join(cluster.deletePayloadKeys(name, ids, keys, write));
          }
        });
  }

  void clearPayload(String name, Collection<PointId> ids) {
    writing(
        () -> {
          if (cluster == null) {
            store.clearPayload(name, ids);
          } else {
            Futures.join(cluster.clearPayload(name, ids, write));
          }
        });
  }

  /** Runs a write holding the store's lock shared (see {@link #LOCKS}). */
  void writing(Runnable write) {
    Lock shared = lock.readLock();
    shared.lock();
    try {
      write.run();
    } finally {
      shared.unlock();
    }
  }

  /**
   * Qdrant's UpdateVectors: replaces the vector of existing points and keeps their payload, under
   * each shard key of the request (a point must exist under every one). The backing store has no
   * primitive for it, so it is a read then an upsert, holding the store's lock alone: no other
   * write of this server (a payload write, a delete) can land in between and be undone. Everything
   * is checked before anything is written.
   *
   * @param vectors the new vector of each point, in request order
   * @param condition Qdrant's {@code update_filter}: only the points matching it are updated, the
   *     others are left as they are; {@code null} for all
   * @throws io.grpc.StatusRuntimeException {@code NOT_FOUND} naming the first missing point
   */
  void updateVectors(String name, Map<PointId, float[]> vectors, @Nullable Filter condition) {
    List<PointId> ids = List.copyOf(vectors.keySet());
    alone(
        () -> {
          List<Routed> targets = perShardKey();
          List<List<PointStruct>> writes = new ArrayList<>(targets.size());
          for (Routed target : targets) {
            Map<PointId, RetrievedPoint> found = new HashMap<>();
            for (RetrievedPoint p : target.retrieve(name, ids, PayloadSelector.ALL, false)) {
              found.put(p.id(), p);
            }
            for (PointId id : ids) {
              if (!found.containsKey(id)) {
                throw pointNotFound(id);
              }
            }
            Set<PointId> updated =
                condition == null || ids.isEmpty()
                    ? found.keySet()
                    : target.matching(name, ids, condition);
            List<PointStruct> points = new ArrayList<>(ids.size());
            for (PointId id : ids) {
              if (updated.contains(id)) {
                RetrievedPoint old = Objects.requireNonNull(found.get(id), "found");
                points.add(
                    PointStruct.of(
                        id, Objects.requireNonNull(vectors.get(id), "vector"), old.payload()));
              }
            }
            writes.add(points);
          }
          for (int i = 0; i < targets.size(); i++) {
            if (!writes.get(i).isEmpty()) {
              // the write lock's holder may take the read lock that upsert takes
              targets.get(i).upsert(name, writes.get(i));
            }
          }
        });
  }

  /**
   * Qdrant's Upsert with {@code update_mode} and {@code update_filter}: a point that exists is
   * replaced unless the mode is {@code InsertOnly} or it does not match {@code condition}; a new
   * point is inserted unless the mode is {@code UpdateOnly} (the filter never applies to new
   * points). Decided and written under each shard key of the request, holding the store's lock
   * alone as {@link #updateVectors} does, so that no other write lands in between.
   *
   * @param write writes the points kept under one shard key's routing
   */
  <P> void upsertWhere(
      String name,
      List<P> points,
      Function<P, PointId> idOf,
      @Nullable Filter condition,
      Points.UpdateMode mode,
      BiConsumer<Routed, List<P>> write) {
    List<PointId> ids = new ArrayList<>(new LinkedHashSet<>(points.stream().map(idOf).toList()));
    alone(
        () -> {
          List<Routed> targets = perShardKey();
          List<List<P>> writes = new ArrayList<>(targets.size());
          for (Routed target : targets) {
            Set<PointId> existing = new HashSet<>();
            target
                .retrieve(name, ids, PayloadSelector.NONE, false)
                .forEach(p -> existing.add(p.id()));
            Set<PointId> updatable =
                condition == null || existing.isEmpty()
                    ? existing
                    : target.matching(name, List.copyOf(existing), condition);
            List<P> kept = new ArrayList<>(points.size());
            for (P p : points) {
              PointId id = idOf.apply(p);
              boolean keep =
                  existing.contains(id)
                      ? mode != Points.UpdateMode.InsertOnly && updatable.contains(id)
                      : mode != Points.UpdateMode.UpdateOnly;
              if (keep) {
                kept.add(p);
              }
            }
            writes.add(kept);
          }
          for (int i = 0; i < targets.size(); i++) {
            if (!writes.get(i).isEmpty()) {
              write.accept(targets.get(i), writes.get(i));
            }
          }
        });
  }

  /**
   * Runs {@code work} holding the store's lock alone: a read that decides a write, then the write,
   * with no other write of this server in between.
   */
  void alone(Runnable work) {
    Lock exclusive = lock.writeLock();
    exclusive.lock();
    try {
      work.run();
    } finally {
      exclusive.unlock();
    }
  }

  /** This request once per shard key it names (itself when it names one or none). */
  private List<Routed> perShardKey() {
    List<ShardKey> keys = write.shardKeys();
    if (keys.size() <= 1) {
      return List.of(this);
    }
    List<Routed> out = new ArrayList<>(keys.size());
    for (ShardKey k : keys) {
      out.add(
          new Routed(
              store, read.mutate().shardKeys(k).build(), write.mutate().shardKeys(k).build()));
    }
    return out;
  }

  /** Which of {@code ids} match {@code condition}, read under this request's shard keys. */
  Set<PointId> matching(String name, List<PointId> ids, Filter condition) {
    Filter f =
        Filter.must(Condition.hasId(ids.toArray(new PointId[0])), Condition.filter(condition));
    Set<PointId> out = new HashSet<>();
    for (RetrievedPoint p :
        scroll(name, new ScrollRequest(f, ids.size(), null, PayloadSelector.NONE, false))
            .points()) {
      out.add(p.id());
    }
    return out;
  }

  /** Qdrant's answer for an update of a point that does not exist. */
  static RuntimeException pointNotFound(PointId id) {
    return Status.NOT_FOUND
        .withDescription("Not found: No point with id " + id + " found")
        .asRuntimeException();
  }
}
