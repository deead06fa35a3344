package dev.vectorcache.benchmarks.ann;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;

/**
 * Real English sentences from the machine's manual pages ({@code /usr/share/man/man*}, the pages
 * Debian installs with every package; translations in other directories are skipped). The troff
 * markup is stripped, paragraphs split into sentences, and sentences kept when they look like
 * prose: 40–300 characters, at least 6 words, a capital first and a full stop last, no markup left.
 * Duplicates are dropped. Pages are read in a fixed order that mixes sections and packages (by a
 * CRC of the path), so any prefix of the result is a varied sample and a longer run extends a
 * shorter one.
 */
final class ManPageCorpus {
  static final Path DEFAULT_ROOT = Path.of("/usr/share/man");

  /** Bumped when the extraction changes, so cached sentences and embeddings are redone. */
  static final int VERSION = 1;

  private static final Pattern FONT = Pattern.compile("\\\\f(\\[[^]]*]|\\(..|.)");
  private static final Pattern SPECIAL = Pattern.compile("\\\\(\\(..|\\[[^]]*])");
  private static final Pattern STRING = Pattern.compile("\\\\\\*(\\(..|\\[[^]]*]|.)");
  private static final Pattern SIZE = Pattern.compile("\\\\s[-+]?\\d");
  private static final Pattern OTHER = Pattern.compile("\\\\.");
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z])");
  private static final Set<String> FONT_MACROS = Set.of("B", "I", "SM", "SB");
  private static final Set<String> ALTERNATING = Set.of("BR", "BI", "IB", "IR", "RB", "RI");
  private static final Set<String> MDOC_INLINE =
      Set.of("Nm", "Ar", "Cm", "Pa", "Va", "Ev", "Dv", "Em", "Sy", "Li", "Ic", "Fn", "Fa", "Ql");

  private ManPageCorpus() {}

  /** The first {@code count} sentences (fewer if the pages hold fewer). */
  static List<String> sentences(Path root, int count) {
    Set<String> out = new LinkedHashSet<>();
    for (Path page : pages(root)) {
      for (String s : sentencesOf(read(page))) {
        out.add(s);
        if (out.size() >= count) {
          return new ArrayList<>(out);
        }
      }
    }
    return new ArrayList<>(out);
  }

  static List<Path> pages(Path root) {
    try (Stream<Path> dirs = Files.list(root)) {
      List<Path> files = new ArrayList<>();
      for (Path dir :
          dirs.filter(d -> d.getFileName().toString().matches("man[0-9][a-z]*")).toList()) {
        try (Stream<Path> f = Files.list(dir)) {
          f.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
              .forEach(files::add);
        }
      }
      files.sort(Comparator.comparingLong(ManPageCorpus::mix).thenComparing(Path::toString));
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the manual pages under " + root, e);
    }
  }

  private static long mix(Path p) {
    CRC32 crc = new CRC32();
    crc.update(p.toString().getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }

  private static String read(Path page) {
    try (InputStream raw = Files.newInputStream(page);
        InputStream in =
            page.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return ""; // an unreadable page contributes nothing
    }
  }

  /** The prose sentences of one page's troff source. */
  static List<String> sentencesOf(String troff) {
    List<String> out = new ArrayList<>();
    StringBuilder paragraph = new StringBuilder();
    for (String line : troff.split("\n", -1)) {
      String text = textOf(line);
      if (text == null) {
        flush(paragraph, out);
      } else if (!text.isBlank()) {
        paragraph.append(text).append(' ');
      }
    }
    flush(paragraph, out);
    return out;
  }

  /** The text a source line contributes, or {@code null} for a paragraph break. */
  private static @org.jspecify.annotations.Nullable String textOf(String line) {
    if (line.isEmpty()) {
      return null;
    }
    char c = line.charAt(0);
    if (c != '.' && c != '\'') {
      return unescape(line);
    }
    String[] parts = line.substring(1).trim().split("\\s+", 2);
    String macro = parts[0];
    String args = parts.length > 1 ? parts[1] : "";
    if (FONT_MACROS.contains(macro) || MDOC_INLINE.contains(macro)) {
      return unescape(args.replace("\"", ""));
    }
    if (ALTERNATING.contains(macro)) {
      return unescape(String.join("", arguments(args))); // fonts alternate, no space between
    }
    if (macro.equals("Fl")) {
      return "-" + unescape(args);
    }
    return null;
  }

  /** A macro's arguments: split at spaces, except inside double quotes. */
  static List<String> arguments(String args) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < args.length(); i++) {
      char ch = args.charAt(i);
      if (ch == '"') {
        quoted = !quoted;
        any = true;
      } else if (ch == ' ' && !quoted) {
        if (any) {
          out.add(cur.toString());
        }
        cur.setLength(0);
        any = false;
      } else {
        cur.append(ch);
        any = true;
      }
    }
    if (any) {
      out.add(cur.toString());
    }
    return out;
  }

  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    String t = FONT.matcher(s).replaceAll("");
    t = t.replace("\\-", "-").replace("\\e", "\\\\").replace("\\ ", " ").replace("\\~", " ");
    t = SPECIAL.matcher(t).replaceAll(m -> special(m.group(1)));
    t = STRING.matcher(t).replaceAll("");
    t = SIZE.matcher(t).replaceAll("");
    return OTHER.matcher(t).replaceAll("");
  }

  private static String special(String name) {
    String n = name.startsWith("(") ? name.substring(1) : name.substring(1, name.length() - 1);
    return Matcher.quoteReplacement(
        switch (n) {
          case "aq", "cq", "oq" -> "'";
          case "dq", "lq", "rq" -> "\"";
          case "em", "en", "mi", "hy" -> "-";
          default -> "";
        });
  }

  private static void flush(StringBuilder paragraph, List<String> out) {
    if (paragraph.length() == 0) {
      return;
    }
    String text = paragraph.toString().replaceAll("\\s+", " ").trim();
    paragraph.setLength(0);
    for (String s : SENTENCE_END.split(text, -1)) {
      String t = s.trim();
      if (isProse(t)) {
        out.add(t);
      }
    }
  }

  static boolean isProse(String s) {
    if (s.length() < 40 || s.length() > 300 || !Character.isUpperCase(s.charAt(0))) {
      return false;
    }
    char last = s.charAt(s.length() - 1);
    if (last != '.' && last != '!' && last != '?') {
      return false;
    }
    if (s.indexOf('\\') >= 0 || s.split(" ", -1).length < 6) {
      return false;
    }
    long letters = s.chars().filter(Character::isLetter).count();
    return letters >= 0.7 * s.chars().filter(ch -> ch != ' ').count();
  }
}
