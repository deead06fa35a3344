package dev.vectorcache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of README.md and docs/*.md shows a tagged region of an example
 * source, character for character. With {@code -Dvectorcache.examples.update=true} the blocks are
 * rewritten from the sources instead (then review the Markdown diff).
 */
class DocsShowTheExamplesTest {
  static final boolean UPDATE = Boolean.getBoolean("vectorcache.examples.update");

  private static List<DocSnippets.Block> exampleBlocks() {
    List<DocSnippets.Block> all = new ArrayList<>();
    for (Path doc : DocSnippets.docs()) {
      for (DocSnippets.Block b : DocSnippets.blocks(doc)) {
        if (b.language().equals("java") || b.language().equals("properties")) {
          all.add(b);
        }
      }
    }
    return all;
  }

  private static boolean compiled(DocSnippets.Block b) {
    return b.marker() != null && !b.marker().startsWith("none");
  }

  @Test
  void everyJavaBlockNamesItsExampleRegion() {
    List<String> unmarked =
        exampleBlocks().stream()
            .filter(b -> b.marker() == null)
            .map(DocSnippets.Block::where)
            .toList();
    assertThat(unmarked)
        .as(
            "```java blocks without a marker line such as <!-- example: QuickStart.java#quickstart"
                + " --> (see examples/README.md)")
        .isEmpty();
    for (DocSnippets.Block b : exampleBlocks()) {
      if (compiled(b)) {
        assertThat(b.marker()).as(b.where()).matches("[\\w./-]+\\.(java|properties)#[\\w.-]+");
      }
    }
  }

  @Test
  void everyMarkedBlockShowsItsRegionExactly() {
    List<String> differences = new ArrayList<>();
    List<DocSnippets.Block> blocks = new ArrayList<>(exampleBlocks());
    // bottom-up, so that a rewrite does not move the blocks still to be checked
    java.util.Collections.reverse(blocks);
    for (DocSnippets.Block b : blocks) {
      if (!compiled(b)) {
        continue;
      }
      String tag = b.marker().substring(b.marker().indexOf('#') + 1);
      List<String> region = DocSnippets.region(DocSnippets.source(b.marker()), tag);
      String diff = DocSnippets.difference(b, region);
      if (diff != null) {
        if (UPDATE) {
          DocSnippets.rewrite(b, region);
        } else {
          differences.add(diff);
        }
      }
    }
    java.util.Collections.reverse(differences); // back to reading order
    assertThat(differences)
        .as(
            "Markdown blocks that differ from their example source; fix the doc or run"
                + " ./mvnw -o -pl examples -am verify -Dvectorcache.examples.update=true")
        .isEmpty();
  }

  @Test
  void everyRegionIsShownInSomeDoc() throws IOException {
    Set<String> shown = new HashSet<>();
    for (DocSnippets.Block b : exampleBlocks()) {
      if (compiled(b)) {
        shown.add(DocSnippets.source(b.marker()).normalize() + "#" + b.marker().split("#", -1)[1]);
      }
    }
    Pattern tag = Pattern.compile("//\\s*tag::([\\w.-]+)\\[\\]");
    List<String> orphans = new ArrayList<>();
    try (Stream<Path> files = Files.walk(DocSnippets.root().resolve("examples/src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = tag.matcher(Files.readString(f));
        while (m.find()) {
          if (!shown.contains(f.normalize() + "#" + m.group(1))) {
            orphans.add(DocSnippets.root().relativize(f) + "#" + m.group(1));
          }
        }
      }
    }
    assertThat(orphans).as("regions no Markdown block shows").isEmpty();
  }

  @Test
  void aDifferenceNamesTheDocLineAndBothTexts() {
    DocSnippets.Block b =
        new DocSnippets.Block(
            Path.of("docs", "x.md"), 10, "java", List.of("int a = 1;", "int b = 2;"), "X.java#x");
    assertThat(DocSnippets.difference(b, List.of("int a = 1;", "int b = 3;")))
        .isEqualTo(
            """
            x.md:11: the ```java block differs from X.java#x (its line 2)
              - doc:    int b = 2;
              + source: int b = 3;""");
    assertThat(DocSnippets.difference(b, List.of("int a = 1;", "int b = 2;"))).isNull();
  }
}
