package dev.vectorcache.inmemory;

import static dev.vectorcache.inmemory.SnapshotJson.array;
import static dev.vectorcache.inmemory.SnapshotJson.config;
import static dev.vectorcache.inmemory.SnapshotJson.configNode;
import static dev.vectorcache.inmemory.SnapshotJson.key;
import static dev.vectorcache.inmemory.SnapshotJson.keyNode;
import static dev.vectorcache.inmemory.SnapshotJson.number;
import static dev.vectorcache.inmemory.SnapshotJson.object;
import static dev.vectorcache.inmemory.SnapshotJson.text;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.Payloads;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.inmemory.SnapshotFormatException.Reason;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads the engine's snapshot files, format version {@value #FORMAT_VERSION} (described
 * in {@code docs/snapshots.md}): a ZIP archive holding {@code manifest.json} (the format name and
 * version, the kind, the creation time, and per collection its configuration, payload indexes,
 * shards and attachments, each section with its length and SHA-256) and one binary points section
 * per shard. A collection with named or sparse vectors (version 2) has its {@link
 * MultiVectorConfig} instead of a configuration and one points section of its own layout ({@link
 * MultiVectorSnapshots}). A single-vector shard with an HNSW graph also has a graph section (node
 * ids renumbered to the points section's order), which a restore installs instead of building the
 * graph again; quantized codes are not stored, and a restore recomputes them. Versions 1 and 2 are
 * read.
 */
final class EngineSnapshots {
  /** The manifest's {@code format} value. */
  static final String FORMAT = "vectorcache-engine-snapshot";

  /** The version this engine writes; it reads every version from 1 to this one. */
  static final int FORMAT_VERSION = 2;

  /** The first version with collections of named or sparse vectors. */
  static final int MULTI_VECTOR_VERSION = 2;

  static final String MANIFEST = "manifest.json";

  /** "VCPT": the first four bytes of a points section. */
  static final int POINTS_MAGIC = 0x56435054;

  private static final byte NUMBER_ID = 0;
  private static final byte UUID_ID = 1;

  /** Points upserted into a restored shard at a time. */
  static final int BATCH = 1024;

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_LONG_FOR_INTS)
          .disable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();
  private static final TypeReference<Map<String, Object>> PAYLOAD = new TypeReference<>() {};
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private EngineSnapshots() {}

  /**
   * One collection to write: a single-vector collection ({@code shards}) or one with named or
   * sparse vectors ({@code multi}); exactly one of the two is set.
   */
  record Source(
      String name,
      @Nullable MemShards shards,
      @Nullable MultiVectorCollection multi,
      Map<String, byte[]> attachments) {
    Source {
      if ((shards == null) == (multi == null)) {
        throw new IllegalArgumentException("a source is one kind of collection");
      }
    }
  }

  // ---- writing ----

  /**
   * Writes {@code sources} to {@code file}: first to a temporary file beside it, then moved into
   * place (replacing a file of the same name), so a reader never sees half a snapshot.
   */
  static SnapshotDescription write(
      Path file, SnapshotDescription.Kind kind, List<Source> sources, Instant createdAt) {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = null;
    try {
      if (dir != null) {
        Files.createDirectories(dir);
      }
      tmp = target.resolveSibling(target.getFileName() + ".tmp-" + UUID.randomUUID());
      MessageDigest whole = sha256();
      try (ZipOutputStream zip =
          new ZipOutputStream(
              new BufferedOutputStream(
                  new DigestOutputStream(Files.newOutputStream(tmp), whole), 1 << 16))) {
        // sections are stored, not compressed: float vectors barely compress, and deflating a
        // large collection would cost far more time than the bytes it saves (a checkpoint holds
        // the store's writes while it is written)
        zip.setLevel(Deflater.NO_COMPRESSION);
        ObjectNode manifest = NODES.objectNode();
        manifest.put("format", FORMAT);
        manifest.put("formatVersion", FORMAT_VERSION);
        manifest.put("kind", kind.name());
        manifest.put("createdAt", createdAt.toString());
        manifest.put("writer", "vectorcache-in-memory");
        ArrayNode collections = manifest.putArray("collections");
        for (int i = 0; i < sources.size(); i++) {
          collections.add(writeCollection(zip, "collections/" + i + "/", sources.get(i)));
        }
        zip.putNextEntry(new ZipEntry(MANIFEST));
        zip.write(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        zip.closeEntry();
        zip.finish();
      }
      move(tmp, target);
      tmp = null;
      List<String> names = sources.stream().map(Source::name).toList();
      return new SnapshotDescription(
          String.valueOf(target.getFileName()),
          createdAt,
          Files.size(target),
          HexFormat.of().formatHex(whole.digest()),
          kind,
          FORMAT_VERSION,
          names);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the snapshot " + file + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // the write failed already; a leftover temporary file is harmless
        }
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The collection's sections, written while it cannot change; returns its manifest entry. */
  private static ObjectNode writeCollection(ZipOutputStream zip, String prefix, Source source)
      throws IOException {
    ObjectNode node = NODES.objectNode();
    node.put("name", source.name());
    MemShards single = source.shards();
    MultiVectorCollection multi = source.multi();
    if (multi != null) {
      multi.readConsistently(
          (config, indexes, points, graphs) -> {
            node.set("vectorsConfig", MultiVectorSnapshots.configNode(config));
            indexesNode(node, indexes);
            ObjectNode section = node.putObject("points");
            String entry = prefix + "points.mvpoints";
            section.put("entry", entry);
            writeSection(
                zip,
                entry,
                section,
                points.size(),
                out -> MultiVectorSnapshots.writePoints(out, config, points));
            node.put("pointsCount", (long) points.size());
            if (!graphs.isEmpty()) {
              ObjectNode graphNodes = section.putObject("graphs");
              int g = 0;
              for (Map.Entry<String, GraphImage> e : graphs.entrySet()) {
                writeGraph(
                    zip,
                    prefix + "graph-" + g++ + ".graph",
                    graphNodes.putObject(e.getKey()),
                    e.getValue());
              }
            }
          });
    } else {
      Objects.requireNonNull(single, "shards")
          .readConsistently(
              (config, indexes, shards) -> {
                node.set("config", configNode(config));
                indexesNode(node, indexes);
                long total = 0;
                ArrayNode shardNodes = node.putArray("shards");
                for (int s = 0; s < shards.size(); s++) {
                  MemShards.Shard shard = shards.get(s);
                  String entry = prefix + "shard-" + s + ".points";
                  ObjectNode sn = shardNodes.addObject();
                  ShardKey key = shard.key();
                  if (key == null) {
                    sn.putNull("shardKey");
                  } else {
                    sn.set("shardKey", keyNode(key));
                  }
                  sn.put("entry", entry);
                  total += writePoints(zip, entry, config.dimension(), shard.collection(), sn);
                  GraphImage graph = shard.collection().graphImageLocked();
                  if (graph != null) {
                    writeGraph(zip, prefix + "shard-" + s + ".graph", sn.putObject("graph"), graph);
                  }
                }
                node.put("pointsCount", total);
              });
    }
    ArrayNode attachments = node.putArray("attachments");
    int a = 0;
    for (Map.Entry<String, byte[]> e : source.attachments().entrySet()) {
      String entry = prefix + "attachment-" + a++ + ".bin";
      byte[] bytes = e.getValue();
      zip.putNextEntry(new ZipEntry(entry));
      zip.write(bytes);
      zip.closeEntry();
      attachments
          .addObject()
          .put("name", e.getKey())
          .put("entry", entry)
          .put("bytes", (long) bytes.length)
          .put("sha256", HexFormat.of().formatHex(sha256().digest(bytes)));
    }
    return node;
  }

  private static void indexesNode(ObjectNode node, Map<String, PayloadSchemaType> indexes) {
    ArrayNode ix = node.putArray("payloadIndexes");
    indexes.forEach((field, type) -> ix.addObject().put("field", field).put("type", type.name()));
  }

  /** Writes a section's body; returns how many points it wrote. */
  interface SectionWriter {
    long write(DataOutputStream out) throws IOException;
  }

  /** A graph section to write: its node count and its body. */
  record GraphImage(long nodes, SectionWriter body) {}

  /** Writes {@code image} as the section {@code entry}, described in {@code node}. */
  private static void writeGraph(
      ZipOutputStream zip, String entry, ObjectNode node, GraphImage image) throws IOException {
    node.put("entry", entry);
    writeSection(zip, entry, node, image.nodes(), image.body());
  }

  /**
   * One points section of {@code count} points; records its point count, length and SHA-256 in
   * {@code node}.
   */
  private static long writeSection(
      ZipOutputStream zip, String entry, ObjectNode node, long count, SectionWriter body)
      throws IOException {
    zip.putNextEntry(new ZipEntry(entry));
    MessageDigest md = sha256();
    CountingStream counting = new CountingStream(new DigestOutputStream(zip, md));
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(counting, 1 << 16));
    long written = body.write(out);
    out.flush(); // not closed: the ZIP stream goes on
    zip.closeEntry();
    if (written != count) {
      throw new IllegalStateException("the collection changed while it was read");
    }
    node.put("points", count);
    node.put("bytes", counting.count);
    node.put("sha256", HexFormat.of().formatHex(md.digest()));
    return count;
  }

  /** One shard's points section; records its length, point count and SHA-256 in {@code node}. */
  private static long writePoints(
      ZipOutputStream zip, String entry, int dimension, MemCollection shard, ObjectNode node)
      throws IOException {
    int count = shard.pointCountLocked();
    return writeSection(
        zip,
        entry,
        node,
        count,
        out -> {
          out.writeInt(POINTS_MAGIC);
          out.writeInt(dimension);
          out.writeLong(count);
          long[] written = {0};
          shard.forEachPointLocked(
              (id, vector, payload) -> {
                writeId(out, id);
                writeFloats(out, vector);
                writePayload(out, payload);
                written[0]++;
              });
          return written[0];
        });
  }

  static void writeId(DataOutputStream out, PointId id) throws IOException {
    if (id.isUuid()) {
      out.writeByte(UUID_ID);
      out.writeLong(id.uuid().getMostSignificantBits());
      out.writeLong(id.uuid().getLeastSignificantBits());
    } else {
      out.writeByte(NUMBER_ID);
      out.writeLong(id.num());
    }
  }

  /**
   * Writes {@code values} as big-endian float32 bits in one call (a stream's per-byte writes cost a
   * lock each).
   */
  static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES);
    b.asFloatBuffer().put(values);
    out.write(b.array());
  }

  /** Writes {@code values[0..n)} as big-endian int32s in one call. */
  static void writeInts(DataOutputStream out, int[] values, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n * Integer.BYTES);
    b.asIntBuffer().put(values, 0, n);
    out.write(b.array());
  }

  static void writePayload(DataOutputStream out, Map<String, Object> payload) throws IOException {
    byte[] json = MAPPER.writeValueAsBytes(payload);
    out.writeInt(json.length);
    out.write(json);
  }

  /** Counts the bytes written through it; closing it leaves the underlying stream open. */
  private static final class CountingStream extends OutputStream {
    private final OutputStream out;
    long count;

    CountingStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  // ---- reading ----

  /**
   * A points section named by the manifest, with the graph sections it names, by dense space
   * ({@code ""} for a single-vector shard's graph; in a graph's entry {@code points} is its node
   * count).
   */
  record ShardEntry(
      @Nullable ShardKey key,
      String entry,
      long points,
      long bytes,
      String sha256,
      Map<String, ShardEntry> graphs) {}

  /** An attachment named by the manifest. */
  record AttachmentEntry(String name, String entry, long bytes, String sha256) {}

  /** A collection as the manifest describes it. */
  /**
   * A collection as the manifest describes it: a single-vector collection has its {@code config}
   * and a section per shard; one with named or sparse vectors has its {@code vectorsConfig} and one
   * section (a shard entry without key).
   */
  record CollectionEntry(
      String name,
      @Nullable CollectionConfig config,
      @Nullable MultiVectorConfig vectorsConfig,
      Map<String, PayloadSchemaType> payloadIndexes,
      List<ShardEntry> shards,
      List<AttachmentEntry> attachments) {

    /** The configuration of a single-vector collection. */
    CollectionConfig singleConfig() {
      if (config == null) {
        throw new IllegalStateException(name + " has named or sparse vectors");
      }
      return config;
    }
  }

  /** An open snapshot whose manifest has been read and checked. */
  static final class Reader implements AutoCloseable {
    private final Path file;
    private final ZipFile zip;
    private final SnapshotDescription.Kind kind;
    private final Instant createdAt;
    private final List<CollectionEntry> collections;

    private Reader(
        Path file,
        ZipFile zip,
        SnapshotDescription.Kind kind,
        Instant createdAt,
        List<CollectionEntry> collections) {
      this.file = file;
      this.zip = zip;
      this.kind = kind;
      this.createdAt = createdAt;
      this.collections = collections;
    }

    SnapshotDescription.Kind kind() {
      return kind;
    }

    Instant createdAt() {
      return createdAt;
    }

    List<CollectionEntry> collections() {
      return collections;
    }

    /**
     * Upserts the points of every shard of {@code c} into {@code target} (a collection no one else
     * sees yet), checking each section's length, count and SHA-256; throws {@link
     * SnapshotFormatException} (CORRUPT) on the first difference.
     */
    void loadPoints(CollectionEntry c, MemShards target) {
      for (ShardEntry s : c.shards()) {
        MemCollection shard;
        try {
          shard = target.shard(s.key());
        } catch (RuntimeException e) {
          throw corrupt("shard " + s.key() + " of " + c.name() + " is not in its configuration", e);
        }
        loadShard(c, s, shard);
      }
    }

    /**
     * Loads a shard's points; when the manifest names a graph section and the collection has an
     * HNSW index, the points are inserted without building a graph, and the section is installed as
     * the graph once they are all in.
     */
    private void loadShard(CollectionEntry c, ShardEntry s, MemCollection shard) {
      int dimension = c.singleConfig().dimension();
      ShardEntry graph = s.graphs().get("");
      boolean image = graph != null && shard.awaitGraphImage();
      readSection(s, in -> readPoints(in, s, shard, dimension));
      if (image) {
        readSection(Objects.requireNonNull(graph), shard::installGraphImage);
      }
    }

    /** Puts the points of {@code c}, a collection with named or sparse vectors, into it. */
    void loadPoints(CollectionEntry c, MultiVectorCollection target) {
      MultiVectorConfig config = Objects.requireNonNull(c.vectorsConfig(), "vectorsConfig");
      for (ShardEntry s : c.shards()) {
        Map<MemCollection, ShardEntry> images = new LinkedHashMap<>();
        for (Map.Entry<String, ShardEntry> g : s.graphs().entrySet()) {
          MemCollection space = target.denseSpace(g.getKey());
          if (space == null) {
            throw corrupt(
                "a graph section for '" + g.getKey() + "', not a dense vector of " + c.name());
          }
          if (space.awaitGraphImage()) {
            images.put(space, g.getValue());
          }
        }
        readSection(s, in -> MultiVectorSnapshots.readPoints(this, in, s, config, target));
        for (Map.Entry<MemCollection, ShardEntry> g : images.entrySet()) {
          readSection(g.getValue(), g.getKey()::installGraphImage);
        }
      }
    }

    /** Reads a section's body. */
    interface SectionReader {
      void read(DataInputStream in) throws IOException;
    }

    /**
     * Reads the section {@code s} with {@code body}, then checks that nothing follows and that its
     * length and SHA-256 are the manifest's; every failure is {@link Reason#CORRUPT}.
     */
    private void readSection(ShardEntry s, SectionReader body) {
      ZipEntry entry = zip.getEntry(s.entry());
      if (entry == null) {
        throw corrupt("the section " + s.entry() + " is missing", null);
      }
      MessageDigest md = sha256();
      try {
        CountingInput counted =
            new CountingInput(new DigestInputStream(zip.getInputStream(entry), md));
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(counted, 1 << 16))) {
          body.read(in);
          if (in.read() != -1) {
            throw corrupt("the section " + s.entry() + " has bytes after its last point", null);
          }
        }
        if (counted.count != s.bytes()) {
          throw corrupt(
              "the section "
                  + s.entry()
                  + " is "
                  + counted.count
                  + " bytes, the manifest says "
                  + s.bytes(),
              null);
        }
        String sha = HexFormat.of().formatHex(md.digest());
        if (!sha.equals(s.sha256())) {
          throw corrupt("the SHA-256 of " + s.entry() + " differs from the manifest's", null);
        }
      } catch (SnapshotFormatException e) {
        throw e;
      } catch (EOFException e) {
        throw corrupt("the section " + s.entry() + " ends too early", e);
      } catch (IOException | RuntimeException e) {
        throw corrupt("cannot read the section " + s.entry() + ": " + e.getMessage(), e);
      }
    }

    /** Checks the point count of section {@code s}'s header against the manifest. */
    long checkCount(long count, ShardEntry s) {
      if (count != s.points() || count < 0) {
        throw corrupt(
            "the section " + s.entry() + " holds " + count + " points, the manifest " + s.points(),
            null);
      }
      return count;
    }

    private void readPoints(DataInputStream in, ShardEntry s, MemCollection shard, int dimension)
        throws IOException {
      if (in.readInt() != POINTS_MAGIC) {
        throw corrupt("the section " + s.entry() + " is not a points section", null);
      }
      if (in.readInt() != dimension) {
        throw corrupt("the section " + s.entry() + " has another dimension than its config", null);
      }
      long count = checkCount(in.readLong(), s);
      List<PointStruct> batch = new ArrayList<>(BATCH);
      List<float[]> vectors = new ArrayList<>(BATCH);
      for (long i = 0; i < count; i++) {
        PointId id = readId(in, s.entry());
        float[] v = readFloats(in, dimension);
        Map<String, Object> payload = readPayload(in, s);
        batch.add(new PointStruct(id, v, payload));
        vectors.add(v);
        if (batch.size() == BATCH) {
          upsert(shard, batch, vectors);
        }
      }
      upsert(shard, batch, vectors);
    }

    /** The vectors are as stored (already normalised for Cosine): upserted without a change. */
    private static void upsert(
        MemCollection shard, List<PointStruct> batch, List<float[]> vectors) {
      if (!batch.isEmpty()) {
        shard.upsert(List.copyOf(batch), vectors.toArray(new float[0][]));
        batch.clear();
        vectors.clear();
      }
    }

    /** A payload: its length (within the section's) and its JSON object. */
    Map<String, Object> readPayload(DataInputStream in, ShardEntry s) throws IOException {
      int length = in.readInt();
      if (length < 0 || length > s.bytes()) {
        throw corrupt("a payload length in " + s.entry() + " is out of range", null);
      }
      byte[] json = new byte[length];
      in.readFully(json);
      return Payloads.copy(MAPPER.readValue(json, PAYLOAD), "payload");
    }

    PointId readId(DataInputStream in, String entry) throws IOException {
      byte kind = in.readByte();
      if (kind == NUMBER_ID) {
        return PointId.of(in.readLong());
      }
      if (kind == UUID_ID) {
        return PointId.of(new UUID(in.readLong(), in.readLong()));
      }
      throw corrupt("an id in " + entry + " has the unknown kind " + kind, null);
    }

    /** The attachments of {@code c}, each checked against its length and SHA-256. */
    Map<String, byte[]> attachments(CollectionEntry c) {
      Map<String, byte[]> out = new LinkedHashMap<>();
      for (AttachmentEntry a : c.attachments()) {
        ZipEntry entry = zip.getEntry(a.entry());
        if (entry == null) {
          throw corrupt("the section " + a.entry() + " is missing", null);
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
          bytes = in.readAllBytes();
        } catch (IOException e) {
          throw corrupt("cannot read the section " + a.entry() + ": " + e.getMessage(), e);
        }
        if (bytes.length != a.bytes()
            || !HexFormat.of().formatHex(sha256().digest(bytes)).equals(a.sha256())) {
          throw corrupt("the section " + a.entry() + " differs from the manifest", null);
        }
        out.put(a.name(), bytes);
      }
      return out;
    }

    SnapshotFormatException corrupt(String detail) {
      return corrupt(detail, null);
    }

    SnapshotFormatException corrupt(String detail, @Nullable Throwable cause) {
      return new SnapshotFormatException(Reason.CORRUPT, file, detail, cause);
    }

    @Override
    public void close() {
      try {
        zip.close();
      } catch (IOException e) {
        // read-only: nothing is lost
      }
    }
  }

  /** Reads {@code n} big-endian float32s in one call. */
  static float[] readFloats(DataInputStream in, int n) throws IOException {
    byte[] bytes = new byte[n * Float.BYTES];
    in.readFully(bytes);
    float[] v = new float[n];
    ByteBuffer.wrap(bytes).asFloatBuffer().get(v);
    return v;
  }

  /** Reads {@code n} big-endian int32s into {@code out[0..n)} in one call. */
  static void readInts(DataInputStream in, int[] out, int n) throws IOException {
    byte[] bytes = new byte[n * Integer.BYTES];
    in.readFully(bytes);
    ByteBuffer.wrap(bytes).asIntBuffer().get(out, 0, n);
  }

  /** Counts the bytes read through it. */
  private static final class CountingInput extends java.io.FilterInputStream {
    long count;

    CountingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  /**
   * Opens {@code file} and checks its manifest: the format, the version, every collection's
   * configuration. The points are read later, by {@link Reader#loadPoints}.
   */
  static Reader open(Path file) {
    ZipFile zip;
    boolean opened = false;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      // a ZIP whose directory cannot be read: a snapshot cut short, or not a ZIP at all
      if (startsLikeZip(file)) {
        throw new SnapshotFormatException(
            Reason.CORRUPT, file, "the ZIP archive is damaged or cut short", e);
      }
      throw new SnapshotFormatException(Reason.NOT_A_SNAPSHOT, file, "not a ZIP archive", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the snapshot " + file, e);
    }
    try {
      ZipEntry m = zip.getEntry(MANIFEST);
      if (m == null) {
        throw new SnapshotFormatException(
            Reason.NOT_A_SNAPSHOT, file, "the archive has no " + MANIFEST, null);
      }
      JsonNode manifest;
      try (InputStream in = zip.getInputStream(m)) {
        manifest = MAPPER.readTree(in);
      } catch (IOException e) {
        throw new SnapshotFormatException(
            Reason.CORRUPT, file, MANIFEST + " cannot be read: " + e.getMessage(), e);
      }
      Reader reader = parse(file, zip, manifest);
      opened = true;
      return reader;
    } finally {
      if (!opened) {
        try {
          zip.close();
        } catch (IOException e) {
          // refused already
        }
      }
    }
  }

  /** Whether {@code file} starts with a ZIP local file header ({@code PK\3\4}). */
  private static boolean startsLikeZip(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(4);
      return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    } catch (IOException e) {
      return false;
    }
  }

  private static Reader parse(Path file, ZipFile zip, JsonNode manifest) {
    if (manifest == null
        || !manifest.isObject()
        || !FORMAT.equals(manifest.path("format").asText(null))) {
      throw new SnapshotFormatException(
          Reason.NOT_A_SNAPSHOT, file, MANIFEST + " does not name the format " + FORMAT, null);
    }
    JsonNode version = manifest.get("formatVersion");
    if (version == null || !version.canConvertToInt() || !version.isIntegralNumber()) {
      throw new SnapshotFormatException(
          Reason.CORRUPT, file, MANIFEST + " has no integer formatVersion", null);
    }
    int v = version.intValue();
    if (v > FORMAT_VERSION) {
      throw new SnapshotFormatException(
          Reason.UNSUPPORTED_VERSION,
          file,
          "format version "
              + v
              + ", this engine reads versions 1 to "
              + FORMAT_VERSION
              + "; restore it with a newer vectorcache",
          null);
    }
    if (v < 1) {
      throw new SnapshotFormatException(
          Reason.CORRUPT, file, "format version " + v + " does not exist", null);
    }
    try {
      SnapshotDescription.Kind kind = SnapshotDescription.Kind.valueOf(text(manifest, "kind"));
      Instant createdAt = Instant.parse(text(manifest, "createdAt"));
      List<CollectionEntry> collections = new ArrayList<>();
      for (JsonNode c : array(manifest, "collections")) {
        collections.add(collection(c, v));
      }
      if (kind == SnapshotDescription.Kind.COLLECTION && collections.size() != 1) {
        throw new IllegalArgumentException(
            "a collection snapshot holds " + collections.size() + " collections");
      }
      return new Reader(file, zip, kind, createdAt, List.copyOf(collections));
    } catch (RuntimeException e) {
      throw new SnapshotFormatException(
          Reason.CORRUPT, file, MANIFEST + " is not valid: " + e.getMessage(), e);
    }
  }

  private static CollectionEntry collection(JsonNode c, int version) {
    String name = text(c, "name");
    InMemoryVectorStore.checkName(name);
    JsonNode multi = c.get("vectorsConfig");
    boolean isMulti = multi != null && !multi.isNull();
    if (isMulti && version < MULTI_VECTOR_VERSION) {
      throw new IllegalArgumentException(
          "vectorsConfig (named or sparse vectors) in a version " + version + " manifest");
    }
    CollectionConfig config = isMulti ? null : config(object(c, "config"));
    MultiVectorConfig vectorsConfig =
        isMulti ? MultiVectorSnapshots.config(object(c, "vectorsConfig")) : null;
    Map<String, PayloadSchemaType> indexes = new LinkedHashMap<>();
    for (JsonNode ix : array(c, "payloadIndexes")) {
      indexes.put(text(ix, "field"), PayloadSchemaType.valueOf(text(ix, "type")));
    }
    List<ShardEntry> shards = new ArrayList<>();
    if (isMulti) {
      shards.add(section(null, object(c, "points")));
    } else {
      for (JsonNode s : array(c, "shards")) {
        JsonNode key = s.get("shardKey");
        shards.add(section(key == null || key.isNull() ? null : key(key), s));
      }
    }
    List<AttachmentEntry> attachments = new ArrayList<>();
    for (JsonNode a : array(c, "attachments")) {
      attachments.add(
          new AttachmentEntry(
              text(a, "name"), text(a, "entry"), number(a, "bytes"), text(a, "sha256")));
    }
    return new CollectionEntry(name, config, vectorsConfig, indexes, shards, attachments);
  }

  private static ShardEntry section(@Nullable ShardKey key, JsonNode s) {
    Map<String, ShardEntry> graphs = new LinkedHashMap<>();
    JsonNode g = s.get("graph");
    if (g != null && !g.isNull()) {
      graphs.put("", section(null, g));
    }
    JsonNode named = s.get("graphs");
    if (named != null && !named.isNull()) {
      for (Map.Entry<String, JsonNode> e : named.properties()) {
        graphs.put(e.getKey(), section(null, e.getValue()));
      }
    }
    return new ShardEntry(
        key,
        text(s, "entry"),
        number(s, "points"),
        number(s, "bytes"),
        text(s, "sha256"),
        Map.copyOf(graphs));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
