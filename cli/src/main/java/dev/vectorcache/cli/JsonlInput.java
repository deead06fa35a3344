package dev.vectorcache.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.VectorParams;
import dev.vectorcache.core.model.Vectors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads and validates a JSON Lines input file for {@code load} (and {@code search --load}) before
 * anything is written. Each non-blank line is one object:
 *
 * <pre>{@code
 * {"key": "doc-1", "vector": [0.1, 0.2, ...], "metadata": {"title": "..."}, "ttl": "PT1H"}
 * {"key": "doc-2", "text": "embedded with the demo HashingEmbedder", "metadata": {...}}
 * }</pre>
 *
 * <p>Every line is checked (JSON syntax, fields, vector values and dimension, duplicate keys, TTL);
 * all problems are reported with their line numbers, up to {@value #MAX_ERRORS}.
 */
final class JsonlInput {
  static final int MAX_ERRORS = 20;
  static final Set<String> FIELDS = Set.of("key", "vector", "text", "metadata", "ttl");
  static final long MAX_METADATA_BYTES = 64 * 1024;
  static final Duration MAX_TTL = Duration.ofDays(365);

  /**
   * One valid input line: its 1-based line number, key, vector (embedded already for a text line),
   * metadata and TTL (null for the default). Never compared: the vector needs no content equality.
   */
  @SuppressWarnings("ArrayRecordComponent")
  record Entry(
      int line, String key, float[] vector, Map<String, Object> metadata, @Nullable Duration ttl) {}

  /**
   * One invalid line.
   *
   * @param line 1-based line number
   * @param column 1-based column of a JSON syntax error, 0 for other problems
   */
  record LineError(int line, int column, String message) {
    /** "line 2, column 35: ..." or "line 3: ...". */
    String describe() {
      return "line " + line + (column > 0 ? ", column " + column : "") + ": " + message;
    }
  }

  /** The valid content of a file: its entries and their dimension. */
  record Parsed(List<Entry> entries, int dimension, int textLines) {}

  private JsonlInput() {}

  static Parsed read(
      String file, @Nullable Integer dimension, Distance distance, InputStream stdin) {
    try (BufferedReader r = open(file, stdin)) {
      return parse(r, file, dimension, distance);
    } catch (NoSuchFileException e) {
      throw CliException.usage("cannot read " + file + ": no such file");
    } catch (IOException e) {
      throw CliException.usage("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static BufferedReader open(String file, InputStream stdin) throws IOException {
    if (file.equals("-")) {
      return new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
    }
    return Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
  }

  /** A line parsed but not yet checked against the dimension (never compared). */
  @SuppressWarnings("ArrayRecordComponent")
  private record Raw(
      int line,
      String key,
      float @Nullable [] vector,
      @Nullable String text,
      Map<String, Object> metadata,
      @Nullable Duration ttl) {}

  static Parsed parse(BufferedReader r, String file, @Nullable Integer dimension, Distance distance)
      throws IOException {
    Reading reading = new Reading(dimension);
    String s;
    int n = 0;
    while ((s = r.readLine()) != null) {
      n++;
      if (n == 1 && s.startsWith("\uFEFF")) {
        s = s.substring(1);
      }
      if (!s.isBlank()) {
        reading.add(n, s);
      }
    }
    int finalDim = reading.dim == null ? HashingEmbedder.DEFAULT_DIMENSION : reading.dim;
    VectorParams params;
    try {
      params = VectorParams.of(finalDim, distance);
    } catch (InvalidInputException e) {
      throw CliException.usage(file + ": " + e.getMessage());
    }
    List<Entry> entries = reading.entries(params);
    reading.failIfInvalid(file);
    if (entries.isEmpty()) {
      throw CliException.usage(file + ": no entries (the file is empty or has only blank lines)");
    }
    return new Parsed(entries, finalDim, reading.textLines);
  }

  /** The state of one file's validation: its lines so far, their dimension, the problems. */
  private static final class Reading {
    final List<LineError> errors = new ArrayList<>();
    final List<Raw> raws = new ArrayList<>();
    final Map<String, Integer> keys = new HashMap<>();
    final @Nullable Integer flag;
    @Nullable Integer dim;
    int dimLine;
    int errorCount;
    int textLines;

    Reading(@Nullable Integer dimension) {
      this.flag = dimension;
      this.dim = dimension;
    }

    void problem(int line, int column, String message) {
      errorCount++;
      if (errors.size() < MAX_ERRORS) {
        errors.add(new LineError(line, column, message));
      }
    }

    /** Parses line {@code n}; checks its key's uniqueness and its vector's dimension. */
    void add(int n, String s) {
      try {
        Raw raw = line(n, s);
        Integer dup = keys.putIfAbsent(raw.key(), n);
        if (dup != null) {
          throw new LineException(
              "key \"" + raw.key() + "\" already used on line " + dup + "; keys must be unique");
        }
        if (raw.vector() != null) {
          if (dim == null) {
            dim = raw.vector().length;
            dimLine = n;
          } else if (raw.vector().length != dim) {
            throw new LineException(
                "vector has "
                    + raw.vector().length
                    + " components, expected "
                    + dim
                    + (flag != null ? " (--dimension)" : " (as on line " + dimLine + ")"));
          }
        }
        raws.add(raw);
      } catch (LineException e) {
        problem(n, e.column, String.valueOf(e.getMessage()));
      }
    }

    /** Embeds the text lines and checks every vector against the collection's parameters. */
    List<Entry> entries(VectorParams params) {
      HashingEmbedder embedder = null;
      List<Entry> entries = new ArrayList<>(raws.size());
      for (Raw raw : raws) {
        float[] v = raw.vector();
        try {
          if (v == null) {
            textLines++;
            if (params.dimension() < HashingEmbedder.MIN_DIMENSION) {
              throw new LineException(textNeedsDimension(params.dimension(), flag, dimLine));
            }
            if (embedder == null) {
              embedder = new HashingEmbedder(params.dimension());
            }
            try {
              // a line without a vector has a text: line() refuses one with neither
              v = embedder.embed(Objects.requireNonNull(raw.text(), "text"));
            } catch (IllegalArgumentException e) {
              throw new LineException(String.valueOf(e.getMessage()));
            }
          }
          Vectors.check(v, "vector", params);
          entries.add(new Entry(raw.line(), raw.key(), v, raw.metadata(), raw.ttl()));
        } catch (LineException | InvalidInputException e) {
          problem(raw.line(), 0, String.valueOf(e.getMessage()));
        }
      }
      return entries;
    }

    void failIfInvalid(String file) {
      if (errorCount > 0) {
        errors.sort(java.util.Comparator.comparingInt(LineError::line));
        throw new InvalidFile(
            file
                + ": "
                + errorCount
                + (errorCount == 1 ? " invalid line" : " invalid lines")
                + "; nothing was loaded",
            errors,
            errorCount);
      }
    }
  }

  private static String textNeedsDimension(int dim, @Nullable Integer flag, int dimLine) {
    return "text lines need a dimension of "
        + HashingEmbedder.MIN_DIMENSION
        + " or more, but the file's dimension is "
        + dim
        + (flag != null ? " (--dimension)" : " (from the vector on line " + dimLine + ")")
        + "; put texts in a file of their own (embedded at "
        + HashingEmbedder.DEFAULT_DIMENSION
        + " dimensions by default) or use vectors of "
        + HashingEmbedder.MIN_DIMENSION
        + " or more components";
  }

  private static Raw line(int n, String s) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(s);
    } catch (JsonProcessingException e) {
      JsonSyntax.Problem p = JsonSyntax.of(e);
      throw new LineException(p.column(), "not valid JSON: " + p.reason());
    }
    if (node == null || !node.isObject()) {
      throw new LineException(
          "expected a JSON object {\"key\": ..., \"vector\": [...] or \"text\": ...}, found "
              + kind(node));
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new LineException(
            "unknown field \"" + f + "\"; expected key, vector or text, metadata, ttl");
      }
    }
    JsonNode k = node.get("key");
    if (k == null || !k.isTextual() || k.textValue().isBlank()) {
      throw new LineException("\"key\" must be a non-blank string, found " + kind(k));
    }
    String key = k.textValue();
    JsonNode vec = node.get("vector");
    JsonNode text = node.get("text");
    if ((vec == null) == (text == null)) {
      throw new LineException(
          vec == null
              ? "expected \"vector\": [numbers] or \"text\": \"...\", found neither"
              : "expected either \"vector\" or \"text\", found both");
    }
    float[] vector = null;
    String t = null;
    if (vec != null) {
      vector = vector(vec);
    } else {
      if (!text.isTextual() || text.textValue().isBlank()) {
        throw new LineException("\"text\" must be a non-blank string, found " + kind(text));
      }
      t = text.textValue();
    }
    Map<String, Object> metadata = metadata(node.get("metadata"));
    Duration ttl = null;
    JsonNode tn = node.get("ttl");
    if (tn != null && !tn.isNull()) {
      if (!tn.isTextual()) {
        throw new LineException(
            "\"ttl\" must be a duration string such as \"PT1H\" or \"30m\", found " + kind(tn));
      }
      try {
        ttl = Durations.parse(tn.textValue(), "\"ttl\"");
      } catch (IllegalArgumentException e) {
        throw new LineException(String.valueOf(e.getMessage()));
      }
      if (ttl.compareTo(MAX_TTL) > 0) {
        throw new LineException("\"ttl\" must be at most 365 days, found " + tn.textValue());
      }
    }
    return new Raw(n, key, vector, t, metadata, ttl);
  }

  private static float[] vector(JsonNode vec) {
    if (!vec.isArray()) {
      throw new LineException("\"vector\" must be an array of numbers, found " + kind(vec));
    }
    if (vec.isEmpty()) {
      throw new LineException("\"vector\" is empty; expected at least one number");
    }
    float[] v = new float[vec.size()];
    for (int i = 0; i < v.length; i++) {
      JsonNode c = vec.get(i);
      if (!c.isNumber()) {
        throw new LineException("\"vector\"[" + i + "] must be a number, found " + kind(c));
      }
      double d = c.doubleValue();
      float f = (float) d;
      if (!Float.isFinite(f)) {
        throw new LineException("\"vector\"[" + i + "] = " + c + " does not fit in a 32-bit float");
      }
      v[i] = f;
    }
    return v;
  }

  private static Map<String, Object> metadata(JsonNode m) {
    if (m == null || m.isNull()) {
      return Map.of();
    }
    if (!m.isObject()) {
      throw new LineException("\"metadata\" must be a JSON object, found " + kind(m));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : m.properties()) {
      if (e.getKey().startsWith(EntryPayload.RESERVED_PREFIX)) {
        throw new LineException(
            "metadata key \""
                + e.getKey()
                + "\" starts with the reserved prefix "
                + EntryPayload.RESERVED_PREFIX);
      }
      try {
        out.put(e.getKey(), Json.toPlain(e.getValue()));
      } catch (IllegalArgumentException ex) {
        throw new LineException("metadata \"" + e.getKey() + "\": " + ex.getMessage());
      }
    }
    long size = Json.compact(out).getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_METADATA_BYTES) {
      throw new LineException(
          "\"metadata\" is " + size + " bytes of JSON; at most " + MAX_METADATA_BYTES + " allowed");
    }
    return out;
  }

  private static String kind(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    String text = n.toString();
    if (text.length() > 40) {
      text = text.substring(0, 37) + "...";
    }
    return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + text;
  }

  /** One line's problem; the line number is added by the caller. */
  static final class LineException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int column;

    LineException(String message) {
      this(0, message);
    }

    LineException(int column, String message) {
      super(message, null, false, false);
      this.column = column;
    }
  }

  /** The file has invalid lines; the message is a summary followed by one line per problem. */
  static final class InvalidFile extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String summary;
    // never serialized: the CLI reports it and exits (List is not Serializable as a declared type)
    private final transient List<LineError> errors;
    private final int invalidLines;

    InvalidFile(String summary, List<LineError> errors, int invalidLines) {
      super(listing(summary, errors, invalidLines));
      this.summary = summary;
      this.errors = List.copyOf(errors);
      this.invalidLines = invalidLines;
    }

    private static String listing(String summary, List<LineError> errors, int invalidLines) {
      StringBuilder m = new StringBuilder(summary);
      for (LineError e : errors) {
        m.append(System.lineSeparator()).append("  ").append(e.describe());
      }
      if (invalidLines > errors.size()) {
        m.append(System.lineSeparator())
            .append("  ... and ")
            .append(invalidLines - errors.size())
            .append(" more");
      }
      return m.toString();
    }

    /** "FILE: N invalid lines; nothing was loaded". */
    String summary() {
      return summary;
    }

    /** The first {@value JsonlInput#MAX_ERRORS} problems, by line. */
    List<LineError> errors() {
      return errors;
    }

    int invalidLines() {
      return invalidLines;
    }
  }
}
