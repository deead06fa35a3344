package dev.vectorcache.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vectorcache.core.model.Distance;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vectorcache load FILE.jsonl}: validate a JSON Lines file, then store it in a collection.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "Load a JSON Lines file into a collection (created memory-optimised if missing).",
      "Each line: {\"key\": \"...\", \"vector\": [...], \"metadata\": {...}, \"ttl\": \"PT1H\"}"
          + " or {\"key\": \"...\", \"text\": \"...\"} (embedded with the demo HashingEmbedder).",
      "The whole file is validated first; with any invalid line nothing is written and every bad"
          + " line is listed with its number.",
      "Note: on the embedded default (memory:) the data lives only as long as this process; use"
          + " --qdrant-url 'memory:?path=DIR' to keep it in a directory, a server URL, or 'search"
          + " --load FILE' to load and search in one process."
    })
final class LoadCommand extends BaseCommand {
  @Mixin ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "FILE", description = "The .jsonl file, or - for stdin.")
  String file;

  @Option(
      names = "--collection",
      paramLabel = "NAME",
      defaultValue = "vectorcache",
      description = "Target collection. Default: ${DEFAULT-VALUE}.")
  String collection;

  @Option(
      names = "--dimension",
      paramLabel = "N",
      description =
          "Vector dimension. Default: the length of the first vector in the file, or 384 when the"
              + " file has only texts.")
  @Nullable Integer dimension;

  @Option(
      names = "--distance",
      paramLabel = "NAME",
      defaultValue = "cosine",
      description =
          "cosine, euclid, dot or manhattan, for a new collection. Default: ${DEFAULT-VALUE}.")
  Distance distance;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      defaultValue = "1h",
      converter = Durations.class,
      description = "TTL of lines without \"ttl\". Default: ${DEFAULT-VALUE}.")
  Duration ttl;

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "256",
      description = "Entries per write. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(
      names = "--progress",
      description = "Draw a progress bar on stderr even when stderr is not a terminal.")
  boolean progress;

  @Override
  int run() {
    if (batch < 1 || batch > 10_000) {
      throw CliException.usage("invalid --batch: expected 1 to 10000, found " + batch);
    }
    JsonlInput.Parsed parsed = JsonlInput.read(file, dimension, distance, System.in);
    try (Stores stores = Stores.open(connection, ctx(), backends(), true)) {
      boolean bar = !json() && (progress || ctx().stderrIsTerminal());
      Loader.Result r =
          Loader.load(
              stores,
              collection,
              parsed,
              distance,
              ttl,
              batch,
              new Progress(err(), "loading", parsed.entries().size(), bar || progress));
      if (json()) {
        ObjectNode doc = stores.json();
        doc.put("ok", true);
        doc.put("collection", collection);
        doc.put("loaded", r.loaded());
        doc.put("batches", r.batches());
        doc.put("dimension", r.dimension());
        doc.put("distance", r.distance().name());
        doc.put("created", r.created());
        doc.put("embeddedTexts", parsed.textLines());
        if (stores.privateMemory()) {
          doc.put("note", PRIVATE_MEMORY_NOTE);
        }
        out().println(Json.pretty(doc));
      } else {
        stores.printHeader(out());
        Loader.printSummary(out(), collection, parsed, r);
        if (stores.privateMemory()) {
          note(PRIVATE_MEMORY_NOTE);
        }
      }
      return ExitCodes.OK;
    }
  }
}
