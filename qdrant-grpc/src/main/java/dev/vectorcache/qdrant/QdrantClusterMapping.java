package dev.vectorcache.qdrant;

import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.ReadConsistency;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.ShardingMethod;
import dev.vectorcache.core.model.TenantIndex;
import dev.vectorcache.core.model.WriteOptions;
import dev.vectorcache.core.model.WriteOrdering;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Points;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The cluster settings between the core model and Qdrant's protobuf messages: sharding method,
 * shard keys and selectors, read consistency, write ordering, the tenant index. Options left unset
 * are not sent, so the server's defaults apply. Written apart from the test server's mapping on
 * purpose (see {@link QdrantMapping}).
 */
final class QdrantClusterMapping {
  private QdrantClusterMapping() {}

  static Collections.ShardingMethod shardingMethod(ShardingMethod m) {
    return m == ShardingMethod.CUSTOM
        ? Collections.ShardingMethod.Custom
        : Collections.ShardingMethod.Auto;
  }

  /** The sharding method a collection reports, {@code null} when it reports none. */
  static @Nullable ShardingMethod shardingMethod(Collections.CollectionParams p) {
    if (!p.hasShardingMethod()) {
      return null;
    }
    return switch (p.getShardingMethod()) {
      case Custom -> ShardingMethod.CUSTOM;
      case Auto -> ShardingMethod.AUTO;
      default ->
          throw new IllegalArgumentException("unknown sharding method " + p.getShardingMethod());
    };
  }

  static Collections.ShardKey shardKey(ShardKey k) {
    Long number = k.number();
    return number != null
        ? Collections.ShardKey.newBuilder().setNumber(number).build()
        : Collections.ShardKey.newBuilder()
            .setKeyword(Objects.requireNonNull(k.keyword(), "keyword"))
            .build();
  }

  static ShardKey shardKey(Collections.ShardKey k) {
    return switch (k.getKeyCase()) {
      case KEYWORD -> ShardKey.of(k.getKeyword());
      case NUMBER -> ShardKey.of(k.getNumber());
      default -> throw new IllegalArgumentException("a shard key with neither keyword nor number");
    };
  }

  static Points.@Nullable ShardKeySelector selector(List<ShardKey> keys) {
    if (keys.isEmpty()) {
      return null;
    }
    Points.ShardKeySelector.Builder b = Points.ShardKeySelector.newBuilder();
    for (ShardKey k : keys) {
      b.addShardKeys(shardKey(k));
    }
    return b.build();
  }

  static Points.ReadConsistency consistency(ReadConsistency c) {
    Long factor = c.factor();
    if (factor != null) {
      return Points.ReadConsistency.newBuilder().setFactor(factor).build();
    }
    return Points.ReadConsistency.newBuilder()
        .setType(
            switch (Objects.requireNonNull(c.type(), "type")) {
              case ALL -> Points.ReadConsistencyType.All;
              case MAJORITY -> Points.ReadConsistencyType.Majority;
              case QUORUM -> Points.ReadConsistencyType.Quorum;
            })
        .build();
  }

  static Points.WriteOrdering ordering(WriteOrdering o) {
    return Points.WriteOrdering.newBuilder()
        .setType(
            switch (o) {
              case WEAK -> Points.WriteOrderingType.Weak;
              case MEDIUM -> Points.WriteOrderingType.Medium;
              case STRONG -> Points.WriteOrderingType.Strong;
            })
        .build();
  }

  // ---- requests with options: each sets only what the options hold ----

  static Points.UpsertPoints apply(Points.UpsertPoints r, WriteOptions o) {
    return o.equals(WriteOptions.DEFAULT)
        ? r
        : write(
                r.toBuilder(),
                o,
                Points.UpsertPoints.Builder::setShardKeySelector,
                Points.UpsertPoints.Builder::setOrdering)
            .build();
  }

  static Points.DeletePoints apply(Points.DeletePoints r, WriteOptions o) {
    return o.equals(WriteOptions.DEFAULT)
        ? r
        : write(
                r.toBuilder(),
                o,
                Points.DeletePoints.Builder::setShardKeySelector,
                Points.DeletePoints.Builder::setOrdering)
            .build();
  }

  static Points.SetPayloadPoints apply(Points.SetPayloadPoints r, WriteOptions o) {
    return o.equals(WriteOptions.DEFAULT)
        ? r
        : write(
                r.toBuilder(),
                o,
                Points.SetPayloadPoints.Builder::setShardKeySelector,
                Points.SetPayloadPoints.Builder::setOrdering)
            .build();
  }

  static Points.DeletePayloadPoints apply(Points.DeletePayloadPoints r, WriteOptions o) {
    return o.equals(WriteOptions.DEFAULT)
        ? r
        : write(
                r.toBuilder(),
                o,
                Points.DeletePayloadPoints.Builder::setShardKeySelector,
                Points.DeletePayloadPoints.Builder::setOrdering)
            .build();
  }

  static Points.ClearPayloadPoints apply(Points.ClearPayloadPoints r, WriteOptions o) {
    return o.equals(WriteOptions.DEFAULT)
        ? r
        : write(
                r.toBuilder(),
                o,
                Points.ClearPayloadPoints.Builder::setShardKeySelector,
                Points.ClearPayloadPoints.Builder::setOrdering)
            .build();
  }

  static Points.GetPoints apply(Points.GetPoints r, ReadOptions o) {
    return o.equals(ReadOptions.DEFAULT)
        ? r
        : read(
                r.toBuilder(),
                o,
                Points.GetPoints.Builder::setShardKeySelector,
                Points.GetPoints.Builder::setReadConsistency)
            .build();
  }

  static Points.QueryPoints apply(Points.QueryPoints r, ReadOptions o) {
    return o.equals(ReadOptions.DEFAULT)
        ? r
        : read(
                r.toBuilder(),
                o,
                Points.QueryPoints.Builder::setShardKeySelector,
                Points.QueryPoints.Builder::setReadConsistency)
            .build();
  }

  /**
   * A search batch under read options: Qdrant reads the consistency of the batch and the shard-key
   * selector of each search in it (a search's own consistency is ignored in a batch).
   */
  static Points.SearchBatchPoints apply(Points.SearchBatchPoints r, ReadOptions o) {
    if (o.equals(ReadOptions.DEFAULT)) {
      return r;
    }
    Points.SearchBatchPoints.Builder b = r.toBuilder();
    Points.ShardKeySelector s = selector(o.shardKeys());
    if (s != null) {
      for (int i = 0; i < b.getSearchPointsCount(); i++) {
        b.setSearchPoints(i, b.getSearchPoints(i).toBuilder().setShardKeySelector(s));
      }
    }
    if (o.consistency() != null) {
      b.setReadConsistency(consistency(o.consistency()));
    }
    return b.build();
  }

  static Points.CountPoints apply(Points.CountPoints r, ReadOptions o) {
    return o.equals(ReadOptions.DEFAULT)
        ? r
        : read(
                r.toBuilder(),
                o,
                Points.CountPoints.Builder::setShardKeySelector,
                Points.CountPoints.Builder::setReadConsistency)
            .build();
  }

  static Points.ScrollPoints apply(Points.ScrollPoints r, ReadOptions o) {
    return o.equals(ReadOptions.DEFAULT)
        ? r
        : read(
                r.toBuilder(),
                o,
                Points.ScrollPoints.Builder::setShardKeySelector,
                Points.ScrollPoints.Builder::setReadConsistency)
            .build();
  }

  /**
   * Sets the write options on a request builder: the shard-key selector and the ordering, each only
   * when given. Protobuf builders share no interface, so the setters come as references.
   */
  private static <B> B write(
      B b,
      WriteOptions o,
      BiConsumer<B, Points.ShardKeySelector> setSelector,
      BiConsumer<B, Points.WriteOrdering> setOrdering) {
    Points.ShardKeySelector s = selector(o.shardKeys());
    if (s != null) {
      setSelector.accept(b, s);
    }
    if (o.ordering() != null) {
      setOrdering.accept(b, ordering(o.ordering()));
    }
    return b;
  }

  /** Sets the read options on a request builder, as {@link #write} does for writes. */
  private static <B> B read(
      B b,
      ReadOptions o,
      BiConsumer<B, Points.ShardKeySelector> setSelector,
      BiConsumer<B, Points.ReadConsistency> setConsistency) {
    Points.ShardKeySelector s = selector(o.shardKeys());
    if (s != null) {
      setSelector.accept(b, s);
    }
    if (o.consistency() != null) {
      setConsistency.accept(b, consistency(o.consistency()));
    }
    return b;
  }

  // ---- collections ----

  /** {@code CreateFieldIndex} for the tenant field, with {@code is_tenant=true}. */
  static Points.CreateFieldIndexCollection tenantIndex(String collection, TenantIndex t) {
    Collections.PayloadIndexParams.Builder params = Collections.PayloadIndexParams.newBuilder();
    if (t.type() == PayloadSchemaType.UUID) {
      params.setUuidIndexParams(Collections.UuidIndexParams.newBuilder().setIsTenant(true));
    } else {
      params.setKeywordIndexParams(Collections.KeywordIndexParams.newBuilder().setIsTenant(true));
    }
    return Points.CreateFieldIndexCollection.newBuilder()
        .setCollectionName(collection)
        .setWait(true)
        .setFieldName(t.field())
        .setFieldType(QdrantMapping.fieldType(t.type()))
        .setFieldIndexParams(params)
        .build();
  }

  /** The payload index a collection reports with {@code is_tenant=true}, or {@code null}. */
  static @Nullable TenantIndex tenantIndex(Map<String, Collections.PayloadSchemaInfo> schema) {
    for (Map.Entry<String, Collections.PayloadSchemaInfo> e : schema.entrySet()) {
      Collections.PayloadIndexParams p = e.getValue().getParams();
      if (p.hasKeywordIndexParams() && p.getKeywordIndexParams().getIsTenant()) {
        return new TenantIndex(e.getKey(), PayloadSchemaType.KEYWORD);
      }
      if (p.hasUuidIndexParams() && p.getUuidIndexParams().getIsTenant()) {
        return new TenantIndex(e.getKey(), PayloadSchemaType.UUID);
      }
    }
    return null;
  }
}
