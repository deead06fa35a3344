package dev.vectorcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of docs/cli.md and the README that feed the CLI: every {@code <!-- cli-input: NAME
 * -->} block is a file the CLI accepts (or, for the one meant to fail, produces exactly the output
 * its {@code <!-- cli-output: ARGS -->} block shows), and every {@code ./vectorcache search --load
 * docs.jsonl ...} command line runs.
 */
class DocsCliExamplesTest {
  private static final Pattern MARKER =
      Pattern.compile("^<!--\\s*cli-(input|output):\\s*(.+?)\\s*-->\\s*$");

  @TempDir Path dir;
  final Map<String, Path> inputs = new LinkedHashMap<>();
  final Map<String, List<String>> outputs = new LinkedHashMap<>();

  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("docs"))) {
      p = p.getParent();
    }
    assertThat(p).as("repository root").isNotNull();
    return p;
  }

  @BeforeEach
  void readMarkedBlocks() throws IOException {
    List<String> lines = Files.readAllLines(root().resolve("docs/cli.md"), StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = MARKER.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      int start = i + 1;
      while (lines.get(start).isBlank()) {
        start++;
      }
      assertThat(lines.get(start)).as("docs/cli.md:" + (start + 1)).startsWith("```");
      int end = start + 1;
      while (!lines.get(end).startsWith("```")) {
        end++;
      }
      List<String> content = lines.subList(start + 1, end);
      if (m.group(1).equals("input")) {
        Path f = dir.resolve(m.group(2));
        Files.writeString(f, String.join("\n", content) + "\n", StandardCharsets.UTF_8);
        inputs.put(m.group(2), f);
      } else {
        outputs.put(m.group(2), List.copyOf(content));
      }
      i = end;
    }
  }

  @Test
  void theValidInputFilesLoad() {
    assertThat(inputs).containsKeys("vectors.jsonl", "docs.jsonl", "data.jsonl");
    for (String name : List.of("vectors.jsonl", "docs.jsonl")) {
      Path f = inputs.get(name);
      CliRunner.Result r =
          CliRunner.exec("load", f.toString(), "--qdrant-url", "memory:docs-" + System.nanoTime());
      long lines = lines(f);
      assertThat(r.exitCode()).as(name + ": " + r.all()).isZero();
      assertThat(r.out()).as(name).contains("loaded " + lines + " entries");
    }
  }

  @Test
  void theShownOutputIsWhatTheCliPrints() {
    assertThat(outputs).isNotEmpty();
    outputs.forEach(
        (args, expected) -> {
          List<String> argv = new ArrayList<>();
          for (String a : args.split(" ", -1)) {
            argv.add(inputs.containsKey(a) ? inputs.get(a).toString() : a);
          }
          CliRunner.Result r = CliRunner.exec(argv.toArray(String[]::new));
          String printed = r.all().replace(dir.toString() + java.io.File.separator, "").strip();
          assertThat(printed).as("vectorcache " + args).isEqualTo(String.join("\n", expected));
        });
  }

  @Test
  void theSearchCommandLinesOfTheDocsRun() throws IOException {
    Pattern cmd = Pattern.compile("^\\./vectorcache (search --load docs\\.jsonl .*)$");
    List<String> found = new ArrayList<>();
    for (Path doc : List.of(root().resolve("README.md"), root().resolve("docs/cli.md"))) {
      for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
        Matcher m = cmd.matcher(line.replaceAll("\\s+#.*$", "").strip());
        if (m.matches()) {
          found.add(m.group(1));
        }
      }
    }
    assertThat(found).hasSizeGreaterThanOrEqualTo(2);
    for (String line : found) {
      List<String> argv = shellWords(line);
      argv.set(argv.indexOf("docs.jsonl"), inputs.get("docs.jsonl").toString());
      CliRunner.Result r = CliRunner.exec(argv.toArray(String[]::new));
      assertThat(r.exitCode()).as(line + ": " + r.all()).isZero();
      assertThat(r.out()).as(line).contains("star-2");
    }
  }

  private static long lines(Path f) {
    try {
      return Files.readAllLines(f).stream().filter(l -> !l.isBlank()).count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Words of a simple shell command line: blanks separate, double or single quotes group. */
  static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]*)\"|'([^']*)'|(\\S+)").matcher(line);
    while (m.find()) {
      words.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
    }
    return words;
  }
}
