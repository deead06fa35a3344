package dev.vectorcache.cli;

import dev.vectorcache.core.CacheWrite;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Writes a validated input file into a collection, in batches, with an optional progress bar. */
final class Loader {
  /** What a load did. */
  record Result(int loaded, int batches, int dimension, Distance distance, boolean created) {}

  private Loader() {}

  /**
   * Creates the collection (memory-optimised) if it does not exist, or verifies its dimension and
   * distance, then stores every entry. When a batch fails, the exception says how many entries were
   * stored before it.
   */
  static Result load(
      Stores stores,
      String collection,
      JsonlInput.Parsed parsed,
      Distance distance,
      Duration defaultTtl,
      int batchSize,
      Progress progress) {
    boolean existed = stores.vectors.collectionExists(collection);
    CollectionConfig config = CollectionConfig.memoryOptimized(parsed.dimension(), distance);
    List<JsonlInput.Entry> entries = parsed.entries();
    int loaded = 0;
    int batches = 0;
    try (VectorCache cache =
        stores
            .cacheBuilder(collection, config)
            .defaultTtl(defaultTtl)
            .publishEvents(false)
            .build()) {
      cache.initialize();
      progress.update(0);
      for (int from = 0; from < entries.size(); from += batchSize) {
        List<JsonlInput.Entry> batch =
            entries.subList(from, Math.min(entries.size(), from + batchSize));
        List<CacheWrite> writes = new ArrayList<>(batch.size());
        for (JsonlInput.Entry e : batch) {
          writes.add(CacheWrite.of(e.key(), e.vector(), e.metadata(), e.ttl()));
        }
        try {
          cache.storeAll(writes);
        } catch (RuntimeException ex) {
          progress.finish();
          Throwable t = Cli.unwrap(ex);
          throw new CliException(
              Cli.exitCode(t),
              "loading stopped at lines "
                  + batch.get(0).line()
                  + "-"
                  + batch.get(batch.size() - 1).line()
                  + ": "
                  + Cli.message(t)
                  + "; "
                  + loaded
                  + " of "
                  + entries.size()
                  + " entries were loaded (every line before line "
                  + batch.get(0).line()
                  + ")",
              t);
        }
        loaded += batch.size();
        batches++;
        progress.update(loaded);
      }
      progress.finish();
    }
    return new Result(loaded, batches, parsed.dimension(), distance, !existed);
  }

  static void printSummary(PrintWriter out, String collection, JsonlInput.Parsed parsed, Result r) {
    out.println(
        "loaded "
            + r.loaded()
            + (r.loaded() == 1 ? " entry" : " entries")
            + " into '"
            + collection
            + "' ("
            + r.dimension()
            + "-d "
            + r.distance()
            + (r.created() ? ", created memory-optimised" : ", existing collection")
            + ", "
            + r.batches()
            + (r.batches() == 1 ? " batch" : " batches")
            + (parsed.textLines() > 0
                ? ", " + parsed.textLines() + " texts embedded with the demo HashingEmbedder"
                : "")
            + ")");
  }
}
