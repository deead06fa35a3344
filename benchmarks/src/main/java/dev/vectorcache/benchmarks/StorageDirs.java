package dev.vectorcache.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The storage directories of the durability benchmarks: emptying them, sizing their log. */
final class StorageDirs {
  private StorageDirs() {}

  /** Bytes of the write-ahead log segments ({@code wal-*}) in {@code dir}. */
  static long logBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      long total = 0;
      for (Path f : files.toList()) {
        if (f.getFileName().toString().startsWith("wal-")) {
          total += Files.size(f);
        }
      }
      return total;
    }
  }

  /** Deletes {@code dir} and everything in it, if it exists. */
  static void clear(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
