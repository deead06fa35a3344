package dev.vectorcache.qdrant.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link QdrantTestServerMain} in a child JVM on this test classpath: reads the port it prints,
 * runs a session against it, then closes its stdin (a clean stop) and asserts that it exits.
 */
final class ServerMainProcess {
  private ServerMainProcess() {}

  /** What a test does with the running server. */
  interface Session {
    void run(int port) throws Exception;
  }

  static void serve(Session session, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(QdrantTestServerMain.class.getName());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = assertTimeoutPreemptively(Duration.ofSeconds(60), out::readLine);
      session.run(Integer.parseInt(first.trim()));
      p.getOutputStream().close(); // a clean stop: the server closes its store
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the server exits when stdin closes").isTrue();
    } finally {
      p.destroyForcibly();
    }
  }
}
