package dev.vectorcache.benchmarks.ann;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A directory holding one saved index, with {@code build.json} written last: a directory without it
 * is a build that did not finish and is started again.
 */
final class Built {
  private static final String MARKER = "build.json";

  private final Path dir;

  Built(Path dir) {
    this.dir = dir;
  }

  static Built of(String backend, String build, AnnData data) {
    return new Built(Settings.graphDir().resolve(backend + "-" + build + "-" + data.key()));
  }

  Path dir() {
    return dir;
  }

  /** The recorded build, or {@code null} when there is no finished one. */
  @Nullable Map<String, Object> info() {
    return Json.read(dir.resolve(MARKER));
  }

  /** Empties the directory for a new build. */
  Path start() {
    delete(dir);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  /** Records a finished build of {@code n} vectors. */
  Map<String, Object> finish(int n, int threads, long nanos) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("vectors", n);
    info.put("threads", threads);
    info.put("seconds", nanos / 1e9);
    info.put("vectorsPerSecond", n / (nanos / 1e9));
    info.put("jdk", Runtime.version().toString());
    Json.write(dir.resolve(MARKER), info);
    return info;
  }

  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
