package dev.vectorcache.inmemory;

import dev.vectorcache.core.exception.ConfigurationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A {@link GraphStore} in two memory-mapped files ({@link MappedFile}), so the graph costs almost
 * no heap and the OS pages it in on demand: {@code <base>.hnsw} holds a header and the node
 * records, {@code <base>.hnswu} a header and the upper records.
 *
 * <p><b>Format, version {@value #VERSION}</b> (native byte order; the header says which). The node
 * file starts with a 64-byte header padded to whole records: bytes 0–7 the magic {@code
 * "VCHNSW\0\0"}, then ints: format version, byte-order mark {@code 0x01020304}, m, dimension, node
 * count (slots spanned), entry node (-1: empty), top level, upper records in use, metric (1 dot, 2
 * L2, 3 L1). Node {@code s} is record {@code s + headerRecords}. The upper file starts with the
 * magic {@code "VCHNSWUP"} and the format version, padded to one record. Layout of the records:
 * {@link GraphStore}. {@link #open} checks every header field and refuses a mismatch with a {@link
 * ConfigurationException} naming the file, the field, the expected and the found value.
 *
 * <p>Today a collection deletes its files when it is dropped or its store closed (durable storage
 * comes later); the format is what a reopening store will read, and {@link #closeKeepingFiles} and
 * {@link #open} already round-trip it.
 */
final class MappedGraphStore extends GraphStore {
  static final int VERSION = 1;
  static final int HEADER_BYTES = 64;
  static final int BYTE_ORDER_MARK = 0x01020304;
  private static final byte[] MAGIC = "VCHNSW\0\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] UPPER_MAGIC = "VCHNSWUP".getBytes(StandardCharsets.US_ASCII);

  private static final int OFF_VERSION = 8;
  private static final int OFF_BOM = 12;
  private static final int OFF_M = 16;
  private static final int OFF_DIMENSION = 20;
  private static final int OFF_COUNT = 24;
  private static final int OFF_ENTRY = 28;
  private static final int OFF_TOP = 32;
  private static final int OFF_UPPER = 36;
  private static final int OFF_METRIC = 40;

  private final MappedFile nodes;
  private final MappedFile upper;
  private final int nodeHeader; // records the header takes in the node file
  private final int upperHeader;
  private volatile long entry;
  private int nodeCount;

  private MappedGraphStore(
      int m, MappedFile nodes, MappedFile upper, int upperUsed, long entry, int nodeCount) {
    super(m, upperUsed);
    this.nodes = nodes;
    this.upper = upper;
    this.nodeHeader = headerRecords(nodes.recordBytes());
    this.upperHeader = headerRecords(upper.recordBytes());
    this.entry = entry;
    this.nodeCount = nodeCount;
  }

  /** The metric as the file stores it (1 dot, 2 L2, 3 L1): fixed codes, not enum ordinals. */
  static int code(Metric metric) {
    return switch (metric) {
      case DOT -> 1;
      case L2 -> 2;
      case L1 -> 3;
    };
  }

  private static int headerRecords(int recordBytes) {
    return (HEADER_BYTES + recordBytes - 1) / recordBytes;
  }

  static Path upperPath(Path nodeFile) {
    return nodeFile.resolveSibling(nodeFile.getFileName() + "u");
  }

  /** Creates the files of a new, empty graph ({@code nodeFile} and its {@code u} sibling). */
  static MappedGraphStore create(Path nodeFile, int m, int dimension, Metric metric) {
    int nodeBytes = (2 * m + 3) * Integer.BYTES;
    int upperBytes = (m + 1) * Integer.BYTES;
    MappedFile nodes = new MappedFile(nodeFile, nodeBytes, MappedFile.DEFAULT_MAX_CHUNK_BYTES);
    MappedFile upper;
    try {
      upper = new MappedFile(upperPath(nodeFile), upperBytes, MappedFile.DEFAULT_MAX_CHUNK_BYTES);
    } catch (RuntimeException e) {
      nodes.close();
      throw e;
    }
    nodes.ensureCapacity(headerRecords(nodeBytes));
    upper.ensureCapacity(headerRecords(upperBytes));
    ByteBuffer h = nodes.chunk(0);
    h.put(0, MAGIC);
    h.putInt(OFF_VERSION, VERSION);
    h.putInt(OFF_BOM, BYTE_ORDER_MARK);
    h.putInt(OFF_M, m);
    h.putInt(OFF_DIMENSION, dimension);
    h.putInt(OFF_COUNT, 0);
    h.putInt(OFF_ENTRY, -1);
    h.putInt(OFF_TOP, 0);
    h.putInt(OFF_UPPER, 0);
    h.putInt(OFF_METRIC, code(metric));
    ByteBuffer u = upper.chunk(0);
    u.put(0, UPPER_MAGIC);
    u.putInt(OFF_VERSION, VERSION);
    MappedGraphStore s = new MappedGraphStore(m, nodes, upper, 0, -1, 0);
    s.ensureNodes(16);
    return s;
  }

  /**
   * Reopens the graph written to {@code nodeFile} (and its {@code u} sibling), refusing a file of
   * another format version, byte order, m, dimension or metric.
   */
  static MappedGraphStore open(Path nodeFile, int m, int dimension, Metric metric) {
    int nodeBytes = (2 * m + 3) * Integer.BYTES;
    int upperBytes = (m + 1) * Integer.BYTES;
    MappedFile nodes =
        new MappedFile(nodeFile, nodeBytes, MappedFile.DEFAULT_MAX_CHUNK_BYTES, false);
    MappedFile upper = null;
    try {
      ByteBuffer h = checkedHeader(nodes, nodeFile, MAGIC);
      check(nodeFile, "byte order mark", BYTE_ORDER_MARK, h.getInt(OFF_BOM));
      check(nodeFile, "m", m, h.getInt(OFF_M));
      check(nodeFile, "dimension", dimension, h.getInt(OFF_DIMENSION));
      check(nodeFile, "metric", code(metric), h.getInt(OFF_METRIC));
      upper =
          new MappedFile(
              upperPath(nodeFile), upperBytes, MappedFile.DEFAULT_MAX_CHUNK_BYTES, false);
      checkedHeader(upper, upperPath(nodeFile), UPPER_MAGIC);
      int count = h.getInt(OFF_COUNT);
      int entryNode = h.getInt(OFF_ENTRY);
      long entry = entryNode < 0 ? -1 : ((long) h.getInt(OFF_TOP) << 32) | entryNode;
      MappedGraphStore s = new MappedGraphStore(m, nodes, upper, h.getInt(OFF_UPPER), entry, count);
      s.ensureNodes(Math.max(16, count));
      s.ensureUpperRecords(s.upperUsed());
      return s;
    } catch (RuntimeException e) {
      nodes.closeKeepingFile();
      if (upper != null) {
        upper.closeKeepingFile();
      }
      throw e;
    }
  }

  private static ByteBuffer checkedHeader(MappedFile file, Path path, byte[] magic) {
    if (file.capacity() < headerRecords(file.recordBytes())) {
      throw new ConfigurationException(
          "the HNSW graph file "
              + path
              + " is too short for its header: expected at least "
              + headerRecords(file.recordBytes()) * file.recordBytes()
              + " bytes, found "
              + file.fileSize());
    }
    ByteBuffer h = file.chunk(0);
    byte[] found = new byte[magic.length];
    h.get(0, found);
    if (!java.util.Arrays.equals(found, magic)) {
      throw new ConfigurationException(
          "the file "
              + path
              + " is not an HNSW graph file of vectorcache: expected the magic "
              + printable(magic)
              + ", found "
              + printable(found));
    }
    check(path, "format version", VERSION, h.getInt(OFF_VERSION));
    return h;
  }

  private static String printable(byte[] b) {
    StringBuilder s = new StringBuilder("\"");
    for (byte x : b) {
      s.append(x >= 32 && x < 127 ? Character.toString((char) x) : String.format("\\x%02x", x));
    }
    return s.append('"').toString();
  }

  private static void check(Path path, String field, int expected, int found) {
    if (expected != found) {
      throw new ConfigurationException(
          "the HNSW graph file "
              + path
              + " has "
              + field
              + " "
              + found
              + ", expected "
              + expected
              + (field.equals("format version")
                  ? "; it was written by another version of vectorcache: delete it to rebuild"
                  : "; it belongs to another collection configuration"));
    }
  }

  Path path() {
    return nodes.path();
  }

  /** Writes the header's format version (for tests of the refusal). */
  void overwriteVersionForTest(int version) {
    nodes.chunk(0).putInt(OFF_VERSION, version);
  }

  @Override
  int nodeCapacity() {
    return nodes.capacity() - nodeHeader;
  }

  @Override
  void ensureNodes(int count) {
    int before = nodes.capacity();
    nodes.ensureCapacity(count + nodeHeader);
    int after = nodes.capacity();
    // a new record reads as "not in the graph" (a file grows with zeros)
    for (int r = Math.max(before, nodeHeader); r < after; r++) {
      ByteBuffer b = nodes.chunk(r);
      int off = nodes.offset(r);
      b.putInt(off + (m0 + 1) * Integer.BYTES, NO_LEVEL);
      b.putInt(off + (m0 + 2) * Integer.BYTES, -1);
    }
  }

  @Override
  void ensureUpperRecords(int records) {
    upper.ensureCapacity(records + upperHeader);
  }

  @Override
  int upperCapacity() {
    return upper.capacity() - upperHeader;
  }

  @Override
  int nodeInt(int node, int i) {
    int r = node + nodeHeader;
    return nodes.chunk(r).getInt(nodes.offset(r) + i * Integer.BYTES);
  }

  @Override
  void setNodeInt(int node, int i, int value) {
    int r = node + nodeHeader;
    nodes.chunk(r).putInt(nodes.offset(r) + i * Integer.BYTES, value);
  }

  @Override
  int upperInt(int record, int i) {
    int r = record + upperHeader;
    return upper.chunk(r).getInt(upper.offset(r) + i * Integer.BYTES);
  }

  @Override
  void setUpperInt(int record, int i, int value) {
    int r = record + upperHeader;
    upper.chunk(r).putInt(upper.offset(r) + i * Integer.BYTES, value);
  }

  @Override
  void copyNode(int node, int i, int[] out, int n) {
    int r = node + nodeHeader;
    ByteBuffer b = nodes.chunk(r);
    int off = nodes.offset(r) + i * Integer.BYTES;
    for (int k = 0; k < n; k++) {
      out[k] = b.getInt(off + k * Integer.BYTES);
    }
  }

  @Override
  void copyUpper(int record, int i, int[] out, int n) {
    int r = record + upperHeader;
    ByteBuffer b = upper.chunk(r);
    int off = upper.offset(r) + i * Integer.BYTES;
    for (int k = 0; k < n; k++) {
      out[k] = b.getInt(off + k * Integer.BYTES);
    }
  }

  @Override
  long entry() {
    return entry;
  }

  @Override
  void setEntry(long entry) {
    this.entry = entry;
    ByteBuffer h = nodes.chunk(0);
    h.putInt(OFF_ENTRY, entry < 0 ? -1 : (int) entry);
    h.putInt(OFF_TOP, entry < 0 ? 0 : (int) (entry >>> 32));
  }

  @Override
  int nodeCount() {
    return nodeCount;
  }

  @Override
  void setNodeCount(int count) {
    nodeCount = count;
    nodes.chunk(0).putInt(OFF_COUNT, count);
  }

  @Override
  void upperUsedChanged(int used) {
    nodes.chunk(0).putInt(OFF_UPPER, used);
  }

  @Override
  long heapBytes() {
    return 128 + 16L * (nodes.chunkCount() + upper.chunkCount()) + freeListBytes();
  }

  @Override
  long mappedBytes() {
    return nodes.mappedBytes() + upper.mappedBytes();
  }

  /** Deletes both files. */
  @Override
  public void close() {
    entry = -1;
    nodes.close();
    upper.close();
  }

  /** Writes the pages back and keeps both files, for {@link #open}. */
  void closeKeepingFiles() {
    nodes.closeKeepingFile();
    upper.closeKeepingFile();
  }
}
