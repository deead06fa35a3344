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
    for (int i = 0; i < 2; i++) {
      System.gc(); // a full collection, waited for; the second one collects what finalisation freed
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  /**
   * Clears the accessed bits of this process's pages ({@code /proc/self/clear_refs}), so that
   * {@link #mapped} afterwards reports as Referenced only the pages touched since; false where the
   * kernel does not offer it.
   */
  static boolean clearReferenced() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "1");
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Resident and referenced bytes of the memory mappings of files under {@code dir} (from {@code
   * /proc/self/smaps}): {Rss, Referenced}; zeros where the file does not exist.
   */
  static long[] mapped(Path dir) {
    long[] out = new long[2];
    Path smaps = Path.of("/proc/self/smaps");
    if (!Files.isReadable(smaps)) {
      return out;
    }
    String prefix = dir.toAbsolutePath().normalize().toString();
    boolean inside = false;
    try {
      for (String line : Files.readAllLines(smaps)) {
        String[] f = line.trim().split("\\s+", -1);
        if (f.length >= 5 && f[0].contains("-") && !f[0].endsWith(":")) {
          inside = f.length >= 6 && f[5].startsWith(prefix);
        } else if (inside && f.length == 3 && f[2].equals("kB")) {
          if (f[0].equals("Rss:")) {
            out[0] += Long.parseLong(f[1]) * 1024;
          } else if (f[0].equals("Referenced:")) {
            out[1] += Long.parseLong(f[1]) * 1024;
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      return new long[2];
    }
    return out;
  }

  /** The kB lines of smaps_rollup, in bytes; empty where the file does not exist. */
  static Map<String, Long> smaps() {
    Map<String, Long> out = new LinkedHashMap<>();
    if (!Files.isReadable(SMAPS)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(SMAPS)) {
        String[] f = line.trim().split("\\s+", -1);
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
