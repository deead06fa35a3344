package dev.vectorcache.inmemory;

import static dev.vectorcache.inmemory.SnapshotJson.array;
import static dev.vectorcache.inmemory.SnapshotJson.bool;
import static dev.vectorcache.inmemory.SnapshotJson.hnsw;
import static dev.vectorcache.inmemory.SnapshotJson.number;
import static dev.vectorcache.inmemory.SnapshotJson.object;
import static dev.vectorcache.inmemory.SnapshotJson.optimizers;
import static dev.vectorcache.inmemory.SnapshotJson.optimizersNode;
import static dev.vectorcache.inmemory.SnapshotJson.quantization;
import static dev.vectorcache.inmemory.SnapshotJson.spaceNodes;
import static dev.vectorcache.inmemory.SnapshotJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.SparseModifier;
import dev.vectorcache.core.model.SparseVector;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.model.VectorParams;
import dev.vectorcache.inmemory.EngineSnapshots.ShardEntry;
import dev.vectorcache.inmemory.MultiVectorCollection.StoredPoint;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a snapshot (format version 2, {@code docs/snapshots.md}) that hold a collection with
 * named or sparse vectors: its {@link MultiVectorConfig} in the manifest ({@code vectorsConfig})
 * and its points section ({@code points.mvpoints}), one section for the whole collection, every
 * point with each vector it has.
 */
final class MultiVectorSnapshots {
  /** "VCMV": the first four bytes of a multi-vector points section. */
  static final int MAGIC = 0x56434D56;

  /** The length of a sparse vector a point does not have. */
  private static final int ABSENT = -1;

  private MultiVectorSnapshots() {}

  // ---- manifest ----

  /**
   * The manifest's {@code vectorsConfig}: the dense spaces in order, each with its name and the
   * settings of a {@link DenseVectorConfig}; the sparse spaces with their modifier; the settings of
   * the whole collection.
   */
  static ObjectNode configNode(MultiVectorConfig config) {
    ObjectNode n = EngineSnapshots.NODES.objectNode();
    ArrayNode dense = n.putArray("dense");
    config
        .dense()
        .forEach(
            (name, d) -> {
              ObjectNode dn = dense.addObject();
              dn.put("name", name);
              spaceNodes(
                  dn, d.vectors(), d.storageMode(), d.indexType(), d.hnsw(), d.quantization());
            });
    ArrayNode sparse = n.putArray("sparse");
    config
        .sparse()
        .forEach(
            (name, p) -> sparse.addObject().put("name", name).put("modifier", p.modifier().name()));
    n.put("onDiskPayload", config.onDiskPayload());
    optimizersNode(n, config.optimizers());
    return n;
  }

  /** Reads {@link #configNode}; a missing or invalid field is an IllegalArgumentException. */
  static MultiVectorConfig config(JsonNode n) {
    Map<String, DenseVectorConfig> dense = new LinkedHashMap<>();
    for (JsonNode d : array(n, "dense")) {
      JsonNode vectors = object(d, "vectors");
      DenseVectorConfig config =
          new DenseVectorConfig(
              VectorParams.of(
                  Math.toIntExact(number(vectors, "dimension")),
                  Distance.valueOf(text(vectors, "distance"))),
              StorageMode.valueOf(text(d, "storageMode")),
              IndexType.valueOf(text(d, "indexType")),
              hnsw(d),
              quantization(d));
      putNew(dense, name(d), config);
    }
    Map<String, SparseVectorParams> sparse = new LinkedHashMap<>();
    for (JsonNode s : array(n, "sparse")) {
      putNew(sparse, name(s), new SparseVectorParams(SparseModifier.valueOf(text(s, "modifier"))));
    }
    return new MultiVectorConfig(dense, sparse, bool(n, "onDiskPayload"), optimizers(n));
  }

  /** A vector name: a string, which may be empty (the unnamed dense vector). */
  private static String name(JsonNode n) {
    JsonNode v = n.get("name");
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("the field name is missing or not a string");
    }
    return v.textValue();
  }

  private static <V> void putNew(Map<String, V> map, String name, V value) {
    if (map.put(name, value) != null) {
      throw new IllegalArgumentException("the vector name '" + name + "' appears twice");
    }
  }

  // ---- points section ----

  /**
   * The points section: a header (magic, the dimension of each dense space in the manifest's order,
   * the number of sparse spaces, the point count), then per point its id, each dense space's vector
   * (a presence byte, then the floats), each sparse space's vector (its length, {@code -1} when
   * absent, then the indices, then the values) and its payload.
   *
   * @return the number of points written
   */
  static long writePoints(DataOutputStream out, MultiVectorConfig config, List<StoredPoint> points)
      throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(config.dense().size());
    for (DenseVectorConfig d : config.dense().values()) {
      out.writeInt(d.dimension());
    }
    out.writeInt(config.sparse().size());
    out.writeLong(points.size());
    long written = 0;
    for (StoredPoint p : points) {
      EngineSnapshots.writeId(out, p.id());
      for (String name : config.dense().keySet()) {
        float[] v = p.dense().get(name);
        out.writeBoolean(v != null);
        if (v != null) {
          EngineSnapshots.writeFloats(out, v);
        }
      }
      for (String name : config.sparse().keySet()) {
        SparseVector v = p.sparse().get(name);
        if (v == null) {
          out.writeInt(ABSENT);
          continue;
        }
        out.writeInt(v.size());
        for (int i = 0; i < v.size(); i++) {
          out.writeInt(v.indexAt(i));
        }
        for (int i = 0; i < v.size(); i++) {
          out.writeInt(Float.floatToRawIntBits(v.valueAt(i)));
        }
      }
      EngineSnapshots.writePayload(out, p.payload());
      written++;
    }
    return written;
  }

  /** Reads a section {@link #writePoints} wrote into {@code target}, a batch at a time. */
  static void readPoints(
      EngineSnapshots.Reader reader,
      DataInputStream in,
      ShardEntry s,
      MultiVectorConfig config,
      MultiVectorCollection target)
      throws IOException {
    if (in.readInt() != MAGIC) {
      throw reader.corrupt("the section " + s.entry() + " is not a multi-vector points section");
    }
    int denseCount = in.readInt();
    if (denseCount != config.dense().size()) {
      throw reader.corrupt(
          "the section "
              + s.entry()
              + " has "
              + denseCount
              + " dense spaces, its config "
              + config.dense().size());
    }
    List<String> denseNames = new ArrayList<>(config.dense().keySet());
    List<DenseVectorConfig> denseConfigs = new ArrayList<>(config.dense().values());
    int[] dimensions = new int[denseCount];
    for (int i = 0; i < denseCount; i++) {
      dimensions[i] = in.readInt();
      if (dimensions[i] != denseConfigs.get(i).dimension()) {
        throw reader.corrupt(
            "the section "
                + s.entry()
                + " has another dimension for '"
                + denseNames.get(i)
                + "' than its config");
      }
    }
    int sparseCount = in.readInt();
    if (sparseCount != config.sparse().size()) {
      throw reader.corrupt(
          "the section "
              + s.entry()
              + " has "
              + sparseCount
              + " sparse spaces, its config "
              + config.sparse().size());
    }
    List<String> sparseNames = new ArrayList<>(config.sparse().keySet());
    long count = reader.checkCount(in.readLong(), s);
    List<StoredPoint> batch = new ArrayList<>(EngineSnapshots.BATCH);
    for (long i = 0; i < count; i++) {
      PointId id = reader.readId(in, s.entry());
      Map<String, float[]> dense = new LinkedHashMap<>();
      for (int d = 0; d < denseCount; d++) {
        if (in.readBoolean()) {
          dense.put(denseNames.get(d), EngineSnapshots.readFloats(in, dimensions[d]));
        }
      }
      Map<String, SparseVector> sparse = new LinkedHashMap<>();
      for (String name : sparseNames) {
        SparseVector v = readSparse(reader, in, s);
        if (v != null) {
          sparse.put(name, v);
        }
      }
      batch.add(new StoredPoint(id, dense, sparse, reader.readPayload(in, s)));
      if (batch.size() == EngineSnapshots.BATCH) {
        target.restore(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      target.restore(batch);
    }
  }

  private static @Nullable SparseVector readSparse(
      EngineSnapshots.Reader reader, DataInputStream in, ShardEntry s) throws IOException {
    int length = in.readInt();
    if (length == ABSENT) {
      return null;
    }
    if (length < 0 || length > s.bytes() / 8) {
      throw reader.corrupt("a sparse vector length in " + s.entry() + " is out of range");
    }
    int[] indices = new int[length];
    EngineSnapshots.readInts(in, indices, length);
    // checks the indices (unique, not negative) and the values (finite)
    return new SparseVector(indices, EngineSnapshots.readFloats(in, length));
  }
}
