package dev.vectorcache.inmemory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Reads and changes the entries of snapshot files (ZIP archives) for tests. */
final class SnapshotFiles {
  private SnapshotFiles() {}

  /**
   * A copy of the ZIP {@code file}, in {@code dir}, with the entry {@code entry} rewritten by
   * {@code change} (null: dropped).
   */
  static Path rewritten(Path dir, Path file, String entry, UnaryOperator<byte[]> change)
      throws IOException {
    Path out = dir.resolve("changed-" + UUID.randomUUID() + ".snapshot");
    try (ZipFile in = new ZipFile(file.toFile());
        OutputStream os = Files.newOutputStream(out);
        ZipOutputStream zip = new ZipOutputStream(os)) {
      for (ZipEntry e : Collections.list(in.entries())) {
        byte[] bytes;
        try (InputStream is = in.getInputStream(e)) {
          bytes = is.readAllBytes();
        }
        if (e.getName().equals(entry)) {
          bytes = change.apply(bytes);
          if (bytes == null) {
            continue;
          }
        }
        zip.putNextEntry(new ZipEntry(e.getName()));
        zip.write(bytes);
        zip.closeEntry();
      }
    }
    return out;
  }

  /** The bytes of the entry {@code entry} of the ZIP {@code file}. */
  static byte[] entry(Path file, String entry) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry e = zip.getEntry(entry);
      if (e == null) {
        throw new IOException(file + " has no entry " + entry);
      }
      try (InputStream in = zip.getInputStream(e)) {
        return in.readAllBytes();
      }
    }
  }
}
