package dev.vectorcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vectorcache.qdrant.testserver.QdrantTestServerExtension;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the shaded {@code target/vectorcache.jar} as a child process (failsafe runs after {@code
 * package}): the merged META-INF/services, the manifest, logging and masking of a real JVM.
 */
class ShadedJarIT {
  static final Path JAR = Path.of("target", "vectorcache.jar");
  static final String KEY = "Jar-ApiKey-Canary-0b7e";

  @RegisterExtension
  static final QdrantTestServerExtension QDRANT = QdrantTestServerExtension.withApiKey(KEY);

  record Run(int exitCode, String out, String err) {}

  static Run run(Map<String, String> env, String... args) throws Exception {
    assertThat(JAR).as("run 'package' first").exists();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(JAR.toString());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("vc-out", ".txt");
    Path err = Files.createTempFile("vc-err", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().remove("REDIS_URL");
    pb.environment().remove("QDRANT_URL");
    pb.environment().remove("QDRANT_API_KEY");
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("vectorcache finished").isTrue();
      return new Run(p.exitValue(), read(out), read(err));
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  @Test
  void servicesOfEveryAdapterAreMerged() throws Exception {
    Run r = run(Map.of(), "backends", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode doc = Json.parse(r.out(), "stdout");
    List<String> vector = new ArrayList<>();
    doc.get("vectorStoreProviders").forEach(p -> vector.add(p.get("name").asText()));
    List<String> metadata = new ArrayList<>();
    doc.get("metadataStoreProviders").forEach(p -> metadata.add(p.get("name").asText()));
    assertThat(vector).containsExactlyInAnyOrder("memory", "qdrant-grpc");
    assertThat(metadata).containsExactlyInAnyOrder("memory", "lettuce", "jedis");
  }

  @Test
  void demoRunsWithNoServers() throws Exception {
    Run r = run(Map.of(), "demo", "--memory-points", "100");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("astro-01").contains("gone (expired)").contains("Done.");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void checkAgainstQdrantMasksSecretsEverywhereIncludingLogs() throws Exception {
    String pw = "Jar-RedisPw-Canary-4f4a";
    Run r =
        run(
            Map.of("QDRANT_API_KEY", KEY, "QDRANT_URL", QDRANT.server().url()),
            "-vv",
            "check",
            "--redis-url",
            "redis://:" + pw + "@127.0.0.1:1",
            "--timeout",
            "5s");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out()).contains("qdrant-grpc").contains("reachable:     yes");
    // -vv: debug logs of every library, and stack traces, all masked
    assertThat(r.out() + r.err()).doesNotContain(pw).doesNotContain(KEY);
    assertThat(r.err()).contains("vectorcache check: redis: ");
  }

  @Test
  void usageErrorExitCode() throws Exception {
    Run r = run(Map.of(), "search");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Missing required argument");
  }
}
