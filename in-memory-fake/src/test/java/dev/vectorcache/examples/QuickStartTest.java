package dev.vectorcache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the README's quick start and checks that the README shows exactly this code. */
class QuickStartTest {

  @Test
  void quickStartPrintsTheTwoEnglishArticlesNearestFirst() {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      QuickStart.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("intro").endsWith("Intro");
    assertThat(lines.get(1)).startsWith("setup").endsWith("Setup");
  }

  @Test
  void readmeShowsTheQuickStartVerbatim() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve("README.md")) && root.getParent() != null) {
      root = root.getParent();
    }
    String source =
        Files.readString(
            root.resolve("in-memory-fake/src/test/java/dev/vectorcache/examples/QuickStart.java"));
    String region =
        source
            .substring(
                source.indexOf("// README:begin") + "// README:begin".length(),
                source.indexOf("// README:end"))
            .strip();
    String readme = Files.readString(root.resolve("README.md"));
    assertThat(readme).as("README.md quick start block").contains(region);
  }
}
