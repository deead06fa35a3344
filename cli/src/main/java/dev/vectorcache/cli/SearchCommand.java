package dev.vectorcache.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.Distance;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vectorcache search}: nearest neighbours of a vector or a text, with filter and threshold.
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Search a collection for the entries most similar to a vector or a text.",
      "A --text query is embedded with the demo HashingEmbedder, so it only makes sense against"
          + " entries loaded as texts (or by the demo).",
      "The embedded default (memory:) is private to each process: to search what 'load' stored"
          + " there, load in the same process with --load FILE, or use a server URL."
    })
final class SearchCommand extends BaseCommand {
  static final Set<String> QUERY_FIELDS = Set.of("vector", "text", "limit", "filter", "threshold");

  @Mixin ConnectionOptions connection;

  @ArgGroup(exclusive = true, multiplicity = "1")
  QueryInput query;

  static final class QueryInput {
    @Option(
        names = "--vector",
        paramLabel = "JSON",
        description = "The query vector as a JSON array, e.g. \"[0.1, 0.2, 0.3]\".")
    @Nullable String vector;

    @Option(
        names = "--text",
        paramLabel = "TEXT",
        description = "A text, embedded with the demo HashingEmbedder.")
    @Nullable String text;

    @Option(
        names = "--query",
        paramLabel = "JSON",
        description =
            "A whole request as JSON: {\"vector\": [...]} or {\"text\": \"...\"}, optionally with"
                + " \"limit\", \"filter\", \"threshold\" (flags given explicitly win).")
    @Nullable String json;
  }

  @Option(
      names = "--collection",
      paramLabel = "NAME",
      defaultValue = "vectorcache",
      description = "Collection to search. Default: ${DEFAULT-VALUE}.")
  String collection;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "5",
      description = "Number of hits. Default: ${DEFAULT-VALUE}.")
  int limit;

  @Option(
      names = "--filter",
      paramLabel = "JSON",
      description =
          "Qdrant-style filter on metadata, e.g. '{\"must\":[{\"key\":\"topic\",\"match\":"
              + "{\"value\":\"astronomy\"}}]}'.")
  @Nullable String filter;

  @Option(
      names = "--threshold",
      paramLabel = "SCORE",
      description =
          "Strict score bound: minimum similarity (cosine, dot) or maximum distance (euclid,"
              + " manhattan).")
  @Nullable Float threshold;

  @Option(
      names = "--load",
      paramLabel = "FILE",
      description = "Load this .jsonl file first (as 'load' would, TTL 1h), in this same process.")
  @Nullable String load;

  @Option(
      names = "--progress",
      description = "With --load: draw a progress bar on stderr even when it is not a terminal.")
  boolean progress;

  @Override
  int run() {
    Request req = request();
    try (Stores stores = Stores.open(connection, ctx(), backends(), true)) {
      Loader.Result loaded = null;
      JsonlInput.Parsed parsed = null;
      if (load != null) {
        parsed = JsonlInput.read(load, null, Distance.COSINE, System.in);
        boolean bar = !json() && (progress || ctx().stderrIsTerminal());
        loaded =
            Loader.load(
                stores,
                collection,
                parsed,
                Distance.COSINE,
                Duration.ofHours(1),
                256,
                new Progress(err(), "loading", parsed.entries().size(), bar || progress));
      }
      if (!stores.vectors.collectionExists(collection)) {
        throw CliException.failure(
            "collection '"
                + collection
                + "' does not exist at "
                + stores.qdrant.masked(ctx().masker())
                + (stores.privateMemory() ? "; " + PRIVATE_MEMORY_NOTE : ""));
      }
      CollectionInfo info = stores.vectors.collectionInfo(collection);
      float[] vector =
          req.vector != null
              ? req.vector
              : new HashingEmbedder(info.config().dimension())
                  .embed(Objects.requireNonNull(req.text, "text")); // no vector: a text
      if (vector.length != info.config().dimension()) {
        throw CliException.usage(
            "the query vector has "
                + vector.length
                + " components; collection '"
                + collection
                + "' has dimension "
                + info.config().dimension());
      }
      List<CacheHit> hits;
      try (VectorCache cache = stores.cache(collection, info.config())) {
        hits = cache.searchSimilar(vector, req.limit, req.filter, req.threshold);
      }
      if (json()) {
        ObjectNode doc = stores.json();
        doc.put("ok", true);
        doc.put("collection", collection);
        if (loaded != null) {
          doc.put("loaded", loaded.loaded());
        }
        ObjectNode q = doc.putObject("query");
        if (req.text != null) {
          q.put("text", req.text);
        } else {
          q.put("dimension", vector.length);
        }
        q.put("limit", req.limit);
        if (req.threshold != null) {
          q.put("threshold", req.threshold);
        }
        q.put("filtered", req.filter != null);
        doc.set("hits", DemoCommand.hitsJson(hits));
        out().println(Json.pretty(doc));
      } else {
        PrintWriter out = out();
        stores.printHeader(out);
        if (loaded != null && parsed != null) { // set together
          Loader.printSummary(out, collection, parsed, loaded);
        }
        out.println(
            "collection '"
                + collection
                + "' ("
                + info.config().dimension()
                + "-d "
                + info.config().distance()
                + ", "
                + info.pointsCount()
                + " points): "
                + hits.size()
                + (hits.size() == 1 ? " hit" : " hits")
                + (req.text != null ? " for \"" + req.text + "\"" : ""));
        DemoCommand.hitsTable(hits).print(out, "");
      }
      return ExitCodes.OK;
    }
  }

  /** The query after merging --query with the flags. */
  private static final class Request {
    float @Nullable [] vector;
    @Nullable String text;
    int limit;
    @Nullable Filter filter;
    @Nullable Float threshold;
  }

  private Request request() {
    Request r = new Request();
    r.limit = limit;
    r.threshold = threshold;
    if (filter != null) {
      r.filter = FilterJson.parse(filter);
    }
    if (query.vector != null) {
      r.vector = vector(Json.parse(query.vector, "--vector"), "--vector");
    } else if (query.text != null) {
      r.text = nonBlank(query.text, "--text");
    } else {
      // the group is exclusive with multiplicity 1: with neither flag, --query is set
      JsonNode q = Json.parse(Objects.requireNonNull(query.json, "--query"), "--query");
      if (!q.isObject()) {
        throw CliException.usage("invalid --query: expected a JSON object, found " + q);
      }
      for (Iterator<String> it = q.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!QUERY_FIELDS.contains(f)) {
          throw CliException.usage(
              "invalid --query: unknown field \""
                  + f
                  + "\"; expected "
                  + String.join(", ", QUERY_FIELDS.stream().sorted().toList()));
        }
      }
      boolean hasVector = q.has("vector");
      if (hasVector == q.has("text")) {
        throw CliException.usage("invalid --query: expected exactly one of \"vector\" or \"text\"");
      }
      if (hasVector) {
        r.vector = vector(q.get("vector"), "--query vector");
      } else {
        if (!q.get("text").isTextual()) {
          throw CliException.usage(
              "invalid --query text: expected a string, found " + q.get("text"));
        }
        r.text = nonBlank(q.get("text").textValue(), "--query text");
      }
      boolean explicitLimit = spec.commandLine().getParseResult().hasMatchedOption("--limit");
      if (q.has("limit") && !explicitLimit) {
        if (!q.get("limit").canConvertToInt() || !q.get("limit").isIntegralNumber()) {
          throw CliException.usage(
              "invalid --query limit: expected an integer, found " + q.get("limit"));
        }
        r.limit = q.get("limit").intValue();
      }
      if (q.has("threshold") && threshold == null) {
        if (!q.get("threshold").isNumber()) {
          throw CliException.usage(
              "invalid --query threshold: expected a number, found " + q.get("threshold"));
        }
        r.threshold = q.get("threshold").floatValue();
      }
      if (q.has("filter") && filter == null) {
        r.filter = FilterJson.filter(q.get("filter"), "--query filter");
      }
    }
    if (r.limit < 1 || r.limit > 1000) {
      throw CliException.usage("invalid --limit: expected 1 to 1000, found " + r.limit);
    }
    return r;
  }

  private static String nonBlank(String s, String what) {
    if (s == null || s.isBlank()) {
      throw CliException.usage("invalid " + what + ": expected some text, found nothing");
    }
    return s;
  }

  private static float[] vector(JsonNode n, String what) {
    if (!n.isArray() || n.isEmpty()) {
      throw CliException.usage(
          "invalid " + what + ": expected a non-empty JSON array of numbers, found " + n);
    }
    float[] v = new float[n.size()];
    for (int i = 0; i < v.length; i++) {
      if (!n.get(i).isNumber()) {
        throw CliException.usage(
            "invalid " + what + "[" + i + "]: expected a number, found " + n.get(i));
      }
      v[i] = n.get(i).floatValue();
      if (!Float.isFinite(v[i])) {
        throw CliException.usage(
            "invalid " + what + "[" + i + "]: " + n.get(i) + " does not fit in a 32-bit float");
      }
    }
    return v;
  }
}
