package dev.vectorcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root {@code ./vectorcache} script shows the build's progress, one line per module, and
 * reports a failed build with Maven's errors. Runs the real script in a copy of the checkout's
 * layout with a fake {@code mvnw} and a fake launcher.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class LauncherScriptTest {
  @TempDir Path repo;

  record Run(int exitCode, String out, String err) {}

  private Run run(String mavenOutput, int mavenExit) throws Exception {
    Files.copy(
        Path.of("..", "vectorcache"),
        repo.resolve("vectorcache"),
        StandardCopyOption.COPY_ATTRIBUTES);
    Files.writeString(repo.resolve("pom.xml"), "<project/>");
    Path maven = repo.resolve("maven-output.txt");
    Files.writeString(maven, mavenOutput, StandardCharsets.UTF_8);
    script(
        repo.resolve("mvnw"),
        "cat \"" + maven + "\"",
        "echo \"MAVEN_OPTS=${MAVEN_OPTS:-}\" > mvnw-env.txt",
        mavenExit == 0 ? "mkdir -p cli/target && touch cli/target/vectorcache.jar" : "",
        "exit " + mavenExit);
    script(repo.resolve("cli/bin/vectorcache"), "echo \"ran $*\"");
    ProcessBuilder pb =
        new ProcessBuilder("sh", repo.resolve("vectorcache").toString(), "demo", "--json");
    pb.environment().put("MAVEN_OPTS", "-Dmaven.repo.local=/tmp/elsewhere");
    pb.environment().put("TMPDIR", repo.toString());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, err);
  }

  private static void script(Path file, String... lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n" + String.join("\n", lines) + "\n");
    assertThat(file.toFile().setExecutable(true)).isTrue();
  }

  @Test
  void aBuildPrintsOneLinePerModuleThenRunsTheCommand() throws Exception {
    Run r =
        run(
            """
            [INFO] Scanning for projects...
            [INFO] Building vectorcache 0.1.0-SNAPSHOT                               [1/3]
            [INFO] Downloading from central: https://repo.maven.apache.org/a.pom
            [INFO] Downloading from central: https://repo.maven.apache.org/b.pom
            [INFO] Building vectorcache-core 0.1.0-SNAPSHOT                          [2/3]
            [INFO] Building jar: /x/core/target/vectorcache-core-0.1.0-SNAPSHOT.jar
            [INFO] Building vectorcache-cli 0.1.0-SNAPSHOT                          [3/3]
            [INFO] BUILD SUCCESS
            """,
            0);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("ran demo --json\n");
    assertThat(r.err())
        .contains("vectorcache: building cli/target/vectorcache.jar")
        .containsPattern("vectorcache:   \\[1/3\\] vectorcache \\(\\d+s\\)")
        .containsPattern("vectorcache:   \\[2/3\\] vectorcache-core \\(\\d+s\\)")
        .containsPattern("vectorcache:   \\[3/3\\] vectorcache-cli \\(\\d+s\\)")
        .doesNotContain("Building jar")
        .doesNotContain("BUILD SUCCESS");
    // one note per step that downloads, not one line per file
    assertThat(r.err().split("downloading dependencies", -1)).hasSize(2);
    // the user's MAVEN_OPTS (a custom local repository) reaches Maven
    assertThat(Files.readString(repo.resolve("mvnw-env.txt")))
        .contains("MAVEN_OPTS=-Dmaven.repo.local=/tmp/elsewhere");
  }

  @Test
  void aFailedBuildShowsMavensErrorsAndKeepsTheLog() throws Exception {
    Run r =
        run(
            """
            [INFO] Building vectorcache-core 0.1.0-SNAPSHOT [1/1]
            [ERROR] COMPILATION ERROR : broken.java
            """,
            1);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("[ERROR] COMPILATION ERROR : broken.java")
        .contains("vectorcache: the build failed (exit 1); the whole log is in " + repo);
  }
}
