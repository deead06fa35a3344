package dev.vectorcache.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vectorcache.core.model.CollectionInfo;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vectorcache info}: a collection's config, point count and memory use. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = {
      "Show a collection's config, point count, status and memory use; without --collection, list"
          + " the collections.",
      "Note: the embedded default (memory:) is private to each process, so 'info' on it only sees"
          + " what this same process created, which is nothing. Point it at a server"
          + " (--qdrant-url), or, inside one JVM (tests, embedding the CLI), at a named store"
          + " memory:NAME that other commands in the JVM also use."
    })
final class InfoCommand extends BaseCommand {
  @Mixin ConnectionOptions connection;

  @Option(
      names = "--collection",
      paramLabel = "NAME",
      description = "The collection to describe. Default: list every collection.")
  @Nullable String collection;

  @Override
  int run() {
    try (Stores stores = Stores.open(connection, ctx(), backends(), false)) {
      if (collection == null) {
        return list(stores);
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
      if (json()) {
        ObjectNode doc = stores.json();
        doc.put("ok", true);
        doc.set("collection", Describe.info(info));
        out().println(Json.pretty(doc));
        return ExitCodes.OK;
      }
      PrintWriter out = out();
      stores.printHeader(out);
      out.println();
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("collection", info.name());
      fields.put("status", String.valueOf(info.status()));
      fields.put("points", String.valueOf(info.pointsCount()));
      fields.putAll(Describe.configFields(info.config()));
      fields.put("memory", Describe.memory(info.memory()));
      Describe.printFields(out, "", fields);
      return ExitCodes.OK;
    }
  }

  private int list(Stores stores) {
    List<String> names = stores.vectors.listCollections().stream().sorted().toList();
    if (json()) {
      ObjectNode doc = stores.json();
      doc.put("ok", true);
      ArrayNode arr = doc.putArray("collections");
      for (String n : names) {
        arr.add(Describe.info(stores.vectors.collectionInfo(n)));
      }
      if (stores.privateMemory()) {
        doc.put("note", PRIVATE_MEMORY_NOTE);
      }
      out().println(Json.pretty(doc));
      return ExitCodes.OK;
    }
    PrintWriter out = out();
    stores.printHeader(out);
    out.println();
    if (names.isEmpty()) {
      out.println("no collections");
    } else {
      Table t =
          new Table(
              "collection",
              ">points",
              ">dimension",
              "distance",
              "storage",
              "quantization",
              "memory");
      for (String n : names) {
        CollectionInfo i = stores.vectors.collectionInfo(n);
        t.row(
            n,
            i.pointsCount(),
            i.config().dimension(),
            i.config().distance(),
            i.config().storageMode(),
            i.config().quantization() == null ? "none" : i.config().quantization().type(),
            i.memory().isKnown()
                ? Describe.bytes(
                    i.memory().heapBytes() + i.memory().offHeapBytes() + i.memory().mappedBytes())
                : "n/a");
      }
      t.print(out, "");
    }
    if (stores.privateMemory()) {
      note(PRIVATE_MEMORY_NOTE);
    }
    return ExitCodes.OK;
  }
}
