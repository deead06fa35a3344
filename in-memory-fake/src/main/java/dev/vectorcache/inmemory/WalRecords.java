package dev.vectorcache.inmemory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.Payloads;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.SparseVector;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.model.WriteOptions;
import dev.vectorcache.core.port.MultiVectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The records of a durable store's write-ahead log: one per acknowledged write, encoded after the
 * write was applied and decoded and re-applied, in log order, on recovery. Bodies are
 * little-endian; strings are a u32 length and UTF-8; payloads, collection configurations and shard
 * keys are JSON as in snapshots; vectors are raw little-endian floats. Format: {@code
 * docs/storage.md}.
 */
final class WalRecords {
  /** The format version of every record; a newer one is refused on recovery. */
  static final int VERSION = 1;

  static final byte CREATE_COLLECTION = 1;
  static final byte DELETE_COLLECTION = 2;
  static final byte UPSERT = 3;
  static final byte DELETE_POINTS = 4;
  static final byte SET_PAYLOAD = 5;
  static final byte OVERWRITE_PAYLOAD = 6;
  static final byte DELETE_PAYLOAD_KEYS = 7;
  static final byte CLEAR_PAYLOAD = 8;
  static final byte CREATE_PAYLOAD_INDEX = 9;
  static final byte ALIASES = 10;
  static final byte CREATE_SHARD_KEY = 11;
  static final byte DELETE_SHARD_KEY = 12;
  static final byte MULTI_CREATE_COLLECTION = 13;
  static final byte MULTI_UPSERT = 14;
  static final byte MULTI_UPDATE_VECTORS = 15;
  static final byte MULTI_DELETE_VECTORS = 16;
  static final byte MULTI_CREATE_DENSE = 17;
  static final byte MULTI_CREATE_SPARSE = 18;
  static final byte MULTI_DELETE_VECTOR_NAME = 19;

  private static final byte NUMBER_ID = 0;
  private static final byte UUID_ID = 1;

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_LONG_FOR_INTS)
          .disable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();
  private static final TypeReference<Map<String, Object>> PAYLOAD = new TypeReference<>() {};

  private WalRecords() {}

  /** One record: its type and its body. */
  static final class WalRecord {
    private final byte type;
    private final byte[] body;

    WalRecord(byte type, byte[] body) {
      this.type = type;
      this.body = body;
    }

    byte type() {
      return type;
    }

    byte[] body() {
      return body;
    }
  }

  // ---- encoding ----

  static WalRecord createCollection(String name, CollectionConfig config) {
    return new Out().str(name).json(SnapshotJson.configNode(config)).record(CREATE_COLLECTION);
  }

  static WalRecord deleteCollection(String name) {
    return new Out().str(name).record(DELETE_COLLECTION);
  }

  static WalRecord upsert(String collection, List<ShardKey> keys, List<PointStruct> points) {
    Out out = new Out().str(collection).keys(keys).u32(points.size());
    for (PointStruct p : points) {
      out.id(p.id()).floats(p.vector()).json(p.payload());
    }
    return out.record(UPSERT);
  }

  static WalRecord delete(String collection, List<ShardKey> keys, Collection<PointId> ids) {
    return new Out().str(collection).keys(keys).ids(ids).record(DELETE_POINTS);
  }

  static WalRecord payload(
      byte type,
      String collection,
      List<ShardKey> keys,
      Collection<PointId> ids,
      Map<String, ?> payload) {
    return new Out().str(collection).keys(keys).ids(ids).json(payload).record(type);
  }

  static WalRecord deletePayloadKeys(
      String collection, List<ShardKey> keys, Collection<PointId> ids, Collection<String> names) {
    Out out = new Out().str(collection).keys(keys).ids(ids).u32(names.size());
    for (String n : names) {
      out.str(n);
    }
    return out.record(DELETE_PAYLOAD_KEYS);
  }

  static WalRecord clearPayload(String collection, List<ShardKey> keys, Collection<PointId> ids) {
    return new Out().str(collection).keys(keys).ids(ids).record(CLEAR_PAYLOAD);
  }

  static WalRecord createPayloadIndex(String collection, String field, PayloadSchemaType type) {
    return new Out().str(collection).str(field).str(type.name()).record(CREATE_PAYLOAD_INDEX);
  }

  /** Every alias after a change: replayed whole, so a batch that failed midway replays as ran. */
  static WalRecord aliases(Map<String, String> aliases) {
    Out out = new Out().u32(aliases.size());
    aliases.forEach((a, c) -> out.str(a).str(c));
    return out.record(ALIASES);
  }

  static WalRecord shardKey(byte type, String collection, ShardKey key) {
    return new Out().str(collection).json(SnapshotJson.keyNode(key)).record(type);
  }

  // ---- the MultiVectors extension ----

  static WalRecord multiCreateCollection(String name, MultiVectorConfig config) {
    return new Out()
        .str(name)
        .json(MultiVectorSnapshots.configNode(config))
        .record(MULTI_CREATE_COLLECTION);
  }

  /** {@link #MULTI_UPSERT} or {@link #MULTI_UPDATE_VECTORS}. */
  static WalRecord multiPoints(byte type, String collection, List<MultiVectorPoint> points) {
    Out out = new Out().str(collection).u32(points.size());
    for (MultiVectorPoint p : points) {
      out.id(p.id()).u32(p.dense().size());
      p.dense().forEach((name, v) -> out.str(name).floats(v));
      out.u32(p.sparse().size());
      p.sparse()
          .forEach(
              (name, s) -> {
                out.str(name).u32(s.indices().length);
                for (int i : s.indices()) {
                  out.u32(i);
                }
                out.floats(s.values());
              });
      out.json(p.payload());
    }
    return out.record(type);
  }

  static WalRecord multiDeleteVectors(
      String collection, Collection<PointId> ids, Collection<String> names) {
    Out out = new Out().str(collection).ids(ids).u32(names.size());
    for (String n : names) {
      out.str(n);
    }
    return out.record(MULTI_DELETE_VECTORS);
  }

  /** A new dense space, its settings written as a vectors configuration holding only it. */
  static WalRecord multiCreateDense(String collection, String name, DenseVectorConfig config) {
    return new Out()
        .str(collection)
        .str(name)
        .json(MultiVectorSnapshots.configNode(MultiVectorConfig.of(Map.of(name, config), Map.of())))
        .record(MULTI_CREATE_DENSE);
  }

  static WalRecord multiCreateSparse(String collection, String name, SparseVectorParams params) {
    return new Out()
        .str(collection)
        .str(name)
        .json(MultiVectorSnapshots.configNode(MultiVectorConfig.of(Map.of(), Map.of(name, params))))
        .record(MULTI_CREATE_SPARSE);
  }

  static WalRecord multiDeleteVectorName(String collection, String name) {
    return new Out().str(collection).str(name).record(MULTI_DELETE_VECTOR_NAME);
  }

  // ---- replay ----

  /**
   * Applies one decoded record to {@code store}, which logs nothing while it recovers.
   *
   * @throws RuntimeException when the body cannot be decoded (the caller reports the offset)
   */
  static void replay(InMemoryVectorStore store, byte type, ByteBuffer body) {
    In in = new In(body);
    switch (type) {
      case CREATE_COLLECTION -> {
        String name = in.str();
        store.createCollection(name, SnapshotJson.config(in.tree()));
      }
      case DELETE_COLLECTION -> store.deleteCollection(in.str());
      case UPSERT -> {
        String collection = in.str();
        WriteOptions options = in.options();
        int n = in.count();
        List<PointStruct> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          PointId id = in.id();
          float[] vector = in.floats();
          points.add(new PointStruct(id, vector, in.payload()));
        }
        store.upsert(collection, points, options);
      }
      case DELETE_POINTS -> {
        String collection = in.str();
        WriteOptions options = in.options();
        store.delete(collection, in.ids(), options);
      }
      case SET_PAYLOAD, OVERWRITE_PAYLOAD -> {
        String collection = in.str();
        WriteOptions options = in.options();
        List<PointId> ids = in.ids();
        Map<String, Object> payload = in.payload();
        if (type == SET_PAYLOAD) {
          store.setPayload(collection, ids, payload, options);
        } else {
          store.overwritePayload(collection, ids, payload, options);
        }
      }
      case DELETE_PAYLOAD_KEYS -> {
        String collection = in.str();
        WriteOptions options = in.options();
        List<PointId> ids = in.ids();
        int n = in.count();
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          names.add(in.str());
        }
        store.deletePayloadKeys(collection, ids, names, options);
      }
      case CLEAR_PAYLOAD -> {
        String collection = in.str();
        WriteOptions options = in.options();
        store.clearPayload(collection, in.ids(), options);
      }
      case CREATE_PAYLOAD_INDEX -> {
        String collection = in.str();
        String field = in.str();
        store.createPayloadIndex(collection, field, PayloadSchemaType.valueOf(in.str()));
      }
      case ALIASES -> store.replaceAliases(readAliases(in));
      case CREATE_SHARD_KEY, DELETE_SHARD_KEY -> {
        String collection = in.str();
        ShardKey key = SnapshotJson.key(in.tree());
        if (type == CREATE_SHARD_KEY) {
          store.createShardKey(collection, key);
        } else {
          store.deleteShardKey(collection, key);
        }
      }
      case MULTI_CREATE_COLLECTION -> {
        String name = in.str();
        Futures.join(multi(store).createCollection(name, MultiVectorSnapshots.config(in.tree())));
      }
      case MULTI_UPSERT, MULTI_UPDATE_VECTORS -> {
        String collection = in.str();
        int n = in.count();
        List<MultiVectorPoint> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          PointId id = in.id();
          Map<String, float[]> dense = new LinkedHashMap<>();
          int d = in.count();
          for (int j = 0; j < d; j++) {
            String name = in.str();
            dense.put(name, in.floats());
          }
          Map<String, SparseVector> sparse = new LinkedHashMap<>();
          int s = in.count();
          for (int j = 0; j < s; j++) {
            String name = in.str();
            int[] indices = new int[in.count()];
            for (int k = 0; k < indices.length; k++) {
              indices[k] = in.buf.getInt();
            }
            sparse.put(name, SparseVector.of(indices, in.floats()));
          }
          points.add(MultiVectorPoint.of(id, dense, sparse, in.payload()));
        }
        if (type == MULTI_UPSERT) {
          Futures.join(multi(store).upsert(collection, points));
        } else {
          Futures.join(multi(store).updateVectors(collection, points));
        }
      }
      case MULTI_DELETE_VECTORS -> {
        String collection = in.str();
        List<PointId> ids = in.ids();
        int n = in.count();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
          names.add(in.str());
        }
        Futures.join(multi(store).deleteVectors(collection, ids, names));
      }
      case MULTI_CREATE_DENSE -> {
        String collection = in.str();
        String name = in.str();
        DenseVectorConfig config =
            MultiVectorSnapshots.config(in.tree()).denseSpace(collection, name, "name");
        Futures.join(multi(store).createVectorName(collection, name, config));
      }
      case MULTI_CREATE_SPARSE -> {
        String collection = in.str();
        String name = in.str();
        SparseVectorParams params = MultiVectorSnapshots.config(in.tree()).sparse().get(name);
        if (params == null) {
          throw new IllegalArgumentException("no sparse space " + name + " in the record");
        }
        Futures.join(multi(store).createSparseVectorName(collection, name, params));
      }
      case MULTI_DELETE_VECTOR_NAME -> {
        String collection = in.str();
        Futures.join(multi(store).deleteVectorName(collection, in.str()));
      }
      default -> throw new IllegalArgumentException("unknown record type " + type);
    }
    if (in.buf.hasRemaining()) {
      throw new IllegalArgumentException(in.buf.remaining() + " bytes after the record's body");
    }
  }

  private static MultiVectors multi(InMemoryVectorStore store) {
    return store.extension(MultiVectors.class).orElseThrow();
  }

  /** The alias map of an {@link #ALIASES} body (a checkpoint holds one). */
  static Map<String, String> readAliases(ByteBuffer body) {
    return readAliases(new In(body));
  }

  private static Map<String, String> readAliases(In in) {
    int n = in.count();
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String alias = in.str();
      out.put(alias, in.str());
    }
    return out;
  }

  // ---- the body writer and reader ----

  /** Grows as written; little-endian. */
  private static final class Out {
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

    private void ensure(int n) {
      if (buf.remaining() < n) {
        long size = Math.max((long) buf.capacity() * 2, (long) buf.position() + n);
        if (size > Integer.MAX_VALUE - 64) {
          throw new IllegalArgumentException("a write-ahead log record above 2 GiB");
        }
        ByteBuffer next = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        buf.flip();
        next.put(buf);
        buf = next;
      }
    }

    Out u32(int v) {
      ensure(4);
      buf.putInt(v);
      return this;
    }

    Out bytes(byte[] b) {
      u32(b.length);
      ensure(b.length);
      buf.put(b);
      return this;
    }

    Out str(String s) {
      return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    Out json(Object value) {
      try {
        return bytes(MAPPER.writeValueAsBytes(value));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Out floats(float[] v) {
      u32(v.length);
      ensure(v.length * 4);
      buf.asFloatBuffer().put(v);
      buf.position(buf.position() + v.length * 4);
      return this;
    }

    Out id(PointId id) {
      ensure(17);
      if (id.isUuid()) {
        buf.put(UUID_ID);
        buf.putLong(id.uuid().getMostSignificantBits());
        buf.putLong(id.uuid().getLeastSignificantBits());
      } else {
        buf.put(NUMBER_ID);
        buf.putLong(id.num());
      }
      return this;
    }

    Out ids(Collection<PointId> ids) {
      u32(ids.size());
      for (PointId id : ids) {
        id(id);
      }
      return this;
    }

    Out keys(List<ShardKey> keys) {
      u32(keys.size());
      for (ShardKey k : keys) {
        json(SnapshotJson.keyNode(k));
      }
      return this;
    }

    WalRecord record(byte type) {
      byte[] out = new byte[buf.position()];
      buf.flip();
      buf.get(out);
      return new WalRecord(type, out);
    }
  }

  /** Reads what {@link Out} wrote; an underflow or a bad value throws. */
  private static final class In {
    final ByteBuffer buf;

    In(ByteBuffer buf) {
      this.buf = buf.order(ByteOrder.LITTLE_ENDIAN);
    }

    int count() {
      int n = buf.getInt();
      if (n < 0 || n > buf.remaining()) {
        throw new IllegalArgumentException("a count of " + n + " exceeds the record");
      }
      return n;
    }

    byte[] bytes() {
      byte[] b = new byte[count()];
      buf.get(b);
      return b;
    }

    String str() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    JsonNode tree() {
      try {
        return MAPPER.readTree(bytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Map<String, Object> payload() {
      try {
        return Payloads.copy(MAPPER.readValue(bytes(), PAYLOAD), "payload");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    float[] floats() {
      int n = buf.getInt();
      if (n < 0 || n > buf.remaining() / 4) {
        throw new IllegalArgumentException("a vector of " + n + " floats exceeds the record");
      }
      float[] v = new float[n];
      buf.asFloatBuffer().get(v);
      buf.position(buf.position() + n * 4);
      return v;
    }

    PointId id() {
      byte kind = buf.get();
      if (kind == NUMBER_ID) {
        return PointId.of(buf.getLong());
      }
      if (kind == UUID_ID) {
        return PointId.of(new UUID(buf.getLong(), buf.getLong()));
      }
      throw new IllegalArgumentException("an id of the unknown kind " + kind);
    }

    List<PointId> ids() {
      int n = count();
      List<PointId> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(id());
      }
      return out;
    }

    WriteOptions options() {
      int n = count();
      List<ShardKey> keys = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        keys.add(SnapshotJson.key(tree()));
      }
      return n == 0 ? WriteOptions.DEFAULT : WriteOptions.builder().shardKeys(keys).build();
    }
  }
}
