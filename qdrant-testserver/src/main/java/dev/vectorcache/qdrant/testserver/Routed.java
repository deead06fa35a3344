package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.adapter.Futures;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  private final VectorStore store;
  private final @Nullable ClusterRequests cluster;
  private final ReadOptions read;
  private final WriteOptions write;

  private Routed(VectorStore store, ReadOptions read, WriteOptions write) {
    this.store = store;
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
    if (cluster == null) {
      store.upsert(name, points);
    } else {
      Futures.join(cluster.upsert(name, points, write));
    }
  }

  void delete(String name, Collection<PointId> ids) {
    if (cluster == null) {
      store.delete(name, ids);
    } else {
      Futures.join(cluster.delete(name, ids, write));
    }
  }

  void deleteByFilter(String name, Filter filter) {
    if (cluster == null) {
      store.deleteByFilter(name, filter);
    } else {
      Futures.join(cluster.deleteByFilter(name, filter, write));
    }
  }

  void setPayload(String name, Collection<PointId> ids, Map<String, ?> payload, boolean overwrite) {
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
  }

  void deletePayloadKeys(String name, Collection<PointId> ids, Collection<String> keys) {
    if (cluster == null) {
      store.deletePayloadKeys(name, ids, keys);
    } else {
      Futures.join(cluster.deletePayloadKeys(name, ids, keys, write));
    }
  }

  void clearPayload(String name, Collection<PointId> ids) {
    if (cluster == null) {
      store.clearPayload(name, ids);
    } else {
      Futures.join(cluster.clearPayload(name, ids, write));
    }
  }
}
