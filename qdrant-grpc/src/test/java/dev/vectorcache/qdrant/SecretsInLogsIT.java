package dev.vectorcache.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API key never reaches a log, even with every logger at its most verbose: the adapter's calls
 * run in a child JVM ({@link SecretsCanaryMain}) with SLF4J at TRACE and every {@code
 * java.util.logging} logger at ALL (a child, because logging backends read their levels once per
 * JVM), and the test looks for a canary key in everything it printed, stack traces and {@code
 * toString()}s included. A control run over a Netty channel, whose frame logger prints headers,
 * shows that the capture would see a leak. The test server runs here, in the parent: its own Netty
 * transport logs headers at DEBUG through SLF4J, outside the adapter's boundary (docs/security.md).
 */
class SecretsInLogsIT {
  private static final String CANARY = "canary-api-key-7f3c9e2a51";

  @Test
  void theApiKeyAppearsNowhereAtTraceAndTheCaptureWorks(@TempDir Path dir) throws Exception {
    String output;
    try (QdrantTestServer server = QdrantTestServer.builder().apiKey(CANARY).start()) {
      output = runChild(server.port(), dir.resolve("child.log"));
    }
    assertThat(output).contains(SecretsCanaryMain.DONE);
    // the capture saw the most verbose levels of both logging systems, and the control line
    assertThat(output)
        .contains("DEBUG dev.vectorcache.qdrant.QdrantVectorStore - opened Qdrant gRPC store")
        .containsPattern("(?m)^(FINE|FINER|FINEST): ")
        .contains(SecretsCanaryMain.CONTROL);
    // the failures were printed: the wrong key, nothing listening
    assertThat(output)
        .contains("AuthenticationException")
        .contains("BackendUnavailableException")
        .contains("apiKey=****");
    // the control: Netty's frame logger printed the key, so the capture would see a leak
    List<String> lines = output.lines().toList();
    assertThat(lines)
        .filteredOn(l -> l.contains(SecretsCanaryMain.NETTY_FRAMES))
        .filteredOn(l -> l.contains(CANARY))
        .isNotEmpty();
    // and nothing else did: the adapter's transport, exceptions, toString()
    assertThat(lines)
        .filteredOn(l -> !l.contains(SecretsCanaryMain.NETTY_FRAMES))
        .filteredOn(l -> l.contains(CANARY))
        .as("lines with the API key outside the control")
        .isEmpty();
  }

  private static String runChild(int port, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
                    "-Dorg.slf4j.simpleLogger.log.io.qdrant.client=trace",
                    SecretsCanaryMain.class.getName(),
                    Integer.toString(port),
                    CANARY))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process child = pb.start();
    try {
      boolean ended = child.waitFor(90, TimeUnit.SECONDS);
      assertThat(ended).as("the child JVM ended within 90 s").isTrue();
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(child.exitValue()).as("exit code; output:%n%s", tail(out)).isZero();
      return out;
    } finally {
      child.destroyForcibly(); // by its handle (its PID); a no-op once it has ended
    }
  }

  private static String tail(String s) {
    return s.length() <= 4_000 ? s : s.substring(s.length() - 4_000);
  }
}
