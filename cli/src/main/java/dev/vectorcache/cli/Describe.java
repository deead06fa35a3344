package dev.vectorcache.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.MemoryUsage;
import dev.vectorcache.core.model.QuantizationConfig;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Text and JSON renderings of collection configs, infos and memory use. */
final class Describe {
  private Describe() {}

  static String quantization(@Nullable QuantizationConfig q) {
    if (q == null) {
      return "none";
    }
    return switch (q.type()) {
      case SCALAR_INT8 ->
          String.format(
              Locale.ROOT,
              "int8 scalar (quantile %s, codes %s)",
              q.effectiveQuantile(),
              q.alwaysRam() ? "always in RAM" : "may be on disk");
      case PRODUCT ->
          "product"
              + (q.compression() == null ? "" : " x" + q.compression().ratio())
              + (q.alwaysRam() ? " (codes in RAM)" : "");
      case BINARY -> "binary" + (q.alwaysRam() ? " (codes in RAM)" : "");
    };
  }

  static String hnsw(CollectionConfig c) {
    HnswConfig h = c.hnsw();
    return c.indexType()
        + " (m="
        + h.m()
        + ", ef_construct="
        + h.efConstruct()
        + ", graph "
        + (h.onDisk() ? "on disk" : "in RAM")
        + ")";
  }

  /** One line: "384-d COSINE, MMAP, int8 scalar (...), payload on disk, HNSW (...)". */
  static String oneLine(CollectionConfig c) {
    return c.dimension()
        + "-d "
        + c.distance()
        + ", storage "
        + c.storageMode()
        + ", quantization "
        + quantization(c.quantization())
        + ", payload "
        + (c.onDiskPayload() ? "on disk" : "in RAM")
        + ", index "
        + hnsw(c);
  }

  /** The config as labelled fields, in the order printed. */
  static Map<String, String> configFields(CollectionConfig c) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("dimension", String.valueOf(c.dimension()));
    f.put("distance", String.valueOf(c.distance()));
    f.put("storage", String.valueOf(c.storageMode()));
    f.put("quantization", quantization(c.quantization()));
    f.put("payload", c.onDiskPayload() ? "on disk" : "in RAM");
    f.put("index", hnsw(c));
    return f;
  }

  /** Where values start in the stores' header ("metadata store: "), which precedes the fields. */
  static final int HEADER_WIDTH = "metadata store: ".length();

  /** "label: value" lines, every value starting in the same column as the header's values. */
  static void printFields(PrintWriter out, String indent, Map<String, String> fields) {
    int width =
        Math.max(
            HEADER_WIDTH, fields.keySet().stream().mapToInt(String::length).max().orElse(0) + 2);
    fields.forEach(
        (label, value) -> {
          String l = label + ":";
          out.println(indent + l + " ".repeat(width - l.length()) + value);
        });
  }

  static ObjectNode config(CollectionConfig c) {
    ObjectNode n = Json.object();
    n.put("dimension", c.dimension());
    n.put("distance", c.distance().name());
    n.put("storageMode", c.storageMode().name());
    QuantizationConfig q = c.quantization();
    if (q == null) {
      n.putNull("quantization");
    } else {
      ObjectNode qn = n.putObject("quantization");
      qn.put("type", q.type().name());
      if (q.quantile() != null) {
        qn.put("quantile", q.quantile());
      }
      if (q.compression() != null) {
        qn.put("compression", q.compression().name());
      }
      qn.put("alwaysRam", q.alwaysRam());
    }
    n.put("onDiskPayload", c.onDiskPayload());
    n.put("indexType", c.indexType().name());
    ObjectNode h = n.putObject("hnsw");
    h.put("m", c.hnsw().m());
    h.put("efConstruct", c.hnsw().efConstruct());
    h.put("onDisk", c.hnsw().onDisk());
    return n;
  }

  static ObjectNode info(CollectionInfo info) {
    ObjectNode n = Json.object();
    n.put("name", info.name());
    n.put("status", info.status().name());
    n.put("points", info.pointsCount());
    n.set("config", config(info.config()));
    n.set("memory", memoryJson(info.memory()));
    return n;
  }

  static ObjectNode memoryJson(MemoryUsage m) {
    ObjectNode n = Json.object();
    n.put("known", m.isKnown());
    if (m.isKnown()) {
      n.put("heapBytes", m.heapBytes());
      n.put("offHeapBytes", m.offHeapBytes());
      n.put("mappedBytes", m.mappedBytes());
    }
    return n;
  }

  static String memory(MemoryUsage m) {
    if (!m.isKnown()) {
      return "not reported by this backend";
    }
    return "heap "
        + bytes(m.heapBytes())
        + ", off-heap "
        + bytes(m.offHeapBytes())
        + ", memory-mapped "
        + bytes(m.mappedBytes());
  }

  static String bytes(long b) {
    if (b < 0) {
      return "n/a";
    }
    if (b < 1024) {
      return b + " B";
    }
    if (b < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024.0));
  }
}
