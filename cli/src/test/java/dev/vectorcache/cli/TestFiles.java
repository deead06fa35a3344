package dev.vectorcache.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temporary input files, deleted when the JVM exits. */
final class TestFiles {
  private TestFiles() {}

  static String write(String content) {
    try {
      Path p = Files.createTempFile("vectorcache-cli-test", ".jsonl");
      p.toFile().deleteOnExit();
      Files.writeString(p, content, StandardCharsets.UTF_8);
      return p.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
