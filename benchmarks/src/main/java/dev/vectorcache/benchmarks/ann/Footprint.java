package dev.vectorcache.benchmarks.ann;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The process's footprint at one moment: heap in use after a full GC, and the resident set from
 * {@code /proc/self/smaps_rollup} (in total, anonymous, and file-backed), in bytes.
 */
record Footprint(long heap, long rss, long anonymous, boolean rssKnown) {
  private static final Path SMAPS = Path.of("/proc/self/smaps_rollup");

  static Footprint now() {
    long heap = heapAfterGc();
    Map<String, Long> smaps = smaps();
    return new Footprint(
        heap,
        smaps.getOrDefault("Rss", -1L),
        smaps.getOrDefault("Anonymous", -1L),
        smaps.containsKey("Rss"));
  }

  /** Per-vector growth from {@code before} to this, as figures for the result file. */
  Map<String, Object> perVectorSince(Footprint before, int n) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("heapBytesPerVector", (heap - before.heap) / (double) n);
    if (rssKnown && before.rssKnown) {
      out.put("residentBytesPerVector", (rss - before.rss) / (double) n);
      out.put("residentAnonymousBytesPerVector", (anonymous - before.anonymous) / (double) n);
      out.put(
          "residentFileBytesPerVector",
          ((rss - anonymous) - (before.rss - before.anonymous)) / (double) n);
    }
    return out;
  }

  private static long heapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  /** The kB lines of smaps_rollup, in bytes; empty where the file does not exist. */
  static Map<String, Long> smaps() {
    Map<String, Long> out = new LinkedHashMap<>();
    if (!Files.isReadable(SMAPS)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(SMAPS)) {
        String[] f = line.trim().split("\\s+");
        if (f.length == 3 && f[0].endsWith(":") && f[2].equals("kB")) {
          out.put(f[0].substring(0, f[0].length() - 1), Long.parseLong(f[1]) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      out.clear();
    }
    return out;
  }
}
