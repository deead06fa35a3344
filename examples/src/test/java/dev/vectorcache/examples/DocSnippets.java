package dev.vectorcache.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the fenced code blocks of the repository's Markdown and the tagged regions of the example
 * sources they must show.
 *
 * <p>A {@code ```java} block is preceded (blank lines aside) by a marker naming a source file and a
 * tag, {@code <!-- example: QuickStart.java#quickstart -->}; the file is relative to this module's
 * {@code src/main/java/dev/vectorcache/examples/} (or to the module when it starts with {@code
 * src/}), and the region lies between {@code // tag::quickstart[]} and {@code // end::quickstart[]}
 * (a tag may open and close several times; the segments are joined; in a {@code .properties} file
 * the tag lines are {@code # tag::name[]} comments). The region is compared without its common
 * indentation and without the tag lines of other regions nested in it. {@code <!-- example: none
 * (REASON) -->} marks a fragment that is deliberately not compiled.
 */
final class DocSnippets {
  static final Pattern MARKER = Pattern.compile("^<!--\\s*example:\\s*(.+?)\\s*-->\\s*$");
  static final Pattern TAG_LINE = Pattern.compile("^\\s*(//|#)\\s*(tag|end)::[\\w.-]+\\[\\]\\s*$");

  /**
   * One fenced block.
   *
   * @param doc the Markdown file
   * @param line 1-based line of the block's first content line
   * @param language the fence's info string ({@code java}, {@code sh}, {@code json}, ...)
   * @param marker the marker's text ({@code QuickStart.java#quickstart}), or null
   */
  record Block(Path doc, int line, String language, List<String> content, String marker) {
    String where() {
      return DocSnippets.root().relativize(doc) + ":" + line;
    }
  }

  private DocSnippets() {}

  /** The repository root: the nearest parent holding README.md and the parent pom. */
  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null
        && !(Files.exists(p.resolve("README.md"))
            && Files.exists(p.resolve("pom.xml"))
            && Files.isDirectory(p.resolve("docs")))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  /** README.md and every docs/*.md. */
  static List<Path> docs() {
    Path root = root();
    List<Path> docs = new ArrayList<>();
    docs.add(root.resolve("README.md"));
    try (Stream<Path> s = Files.list(root.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  static List<Block> blocks(Path doc) {
    List<String> lines = read(doc);
    List<Block> blocks = new ArrayList<>();
    String marker = null;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      Matcher m = MARKER.matcher(l);
      if (m.matches()) {
        marker = m.group(1);
      } else if (l.startsWith("```") && l.length() > 3) {
        int start = i + 1;
        int end = start;
        while (end < lines.size() && !lines.get(end).startsWith("```")) {
          end++;
        }
        blocks.add(
            new Block(doc, start + 1, l.substring(3).trim(), lines.subList(start, end), marker));
        marker = null;
        i = end;
      } else if (!l.isBlank()) {
        marker = null; // a marker belongs to the block right after it
      }
    }
    return blocks;
  }

  /** The source file a marker names. */
  static Path source(String marker) {
    String file = marker.substring(0, marker.indexOf('#'));
    Path module = root().resolve("examples");
    return file.startsWith("src/")
        ? module.resolve(file)
        : module.resolve("src/main/java/dev/vectorcache/examples").resolve(file);
  }

  /**
   * The lines between {@code // tag::TAG[]} and {@code // end::TAG[]}, de-indented. A tag may open
   * and close several times (the code between two segments is left out, for example a test body
   * inside a try block the doc shows whole).
   */
  static List<String> region(Path source, String tag) {
    String comment = source.toString().endsWith(".properties") ? "# " : "// ";
    String open = comment + "tag::" + tag + "[]";
    String close = comment + "end::" + tag + "[]";
    List<String> region = new ArrayList<>();
    boolean inside = false;
    boolean found = false;
    for (String l : read(source)) {
      String t = l.trim();
      if (t.equals(open)) {
        inside = true;
        found = true;
      } else if (t.equals(close)) {
        inside = false;
      } else if (inside && !TAG_LINE.matcher(l).matches()) {
        region.add(l);
      }
    }
    if (!found || inside) {
      throw new AssertionError(
          root().relativize(source) + " has no complete region " + open + " ... " + close);
    }
    // blank lines at either end are formatting around the tags, not part of the example
    while (!region.isEmpty() && region.get(0).isBlank()) {
      region.remove(0);
    }
    while (!region.isEmpty() && region.get(region.size() - 1).isBlank()) {
      region.remove(region.size() - 1);
    }
    int indent =
        region.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    List<String> out = new ArrayList<>(region.size());
    for (String l : region) {
      out.add(l.isBlank() ? "" : l.substring(indent));
    }
    return out;
  }

  /**
   * The first difference between a block and its region, as a message naming the doc's line; null
   * when they are equal.
   */
  static String difference(Block block, List<String> region) {
    List<String> doc = block.content();
    int n = Math.max(doc.size(), region.size());
    for (int i = 0; i < n; i++) {
      String d = i < doc.size() ? doc.get(i) : null;
      String s = i < region.size() ? region.get(i) : null;
      if (d == null ? s != null : !d.equals(s)) {
        return (block.doc().getFileName() + ":" + (block.line() + i))
            + ": the ```"
            + block.language()
            + " block differs from "
            + block.marker()
            + " (its line "
            + (i + 1)
            + ")\n  - doc:    "
            + (d == null ? "(nothing: the source has more lines)" : d)
            + "\n  + source: "
            + (s == null ? "(nothing: the doc has more lines)" : s);
      }
    }
    return null;
  }

  /** Replaces the block's content with {@code region} in its Markdown file. */
  static void rewrite(Block block, List<String> region) {
    List<String> lines = new ArrayList<>(read(block.doc()));
    int from = block.line() - 1;
    for (int i = 0; i < block.content().size(); i++) {
      lines.remove(from);
    }
    lines.addAll(from, region);
    try {
      Files.writeString(block.doc(), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> read(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
