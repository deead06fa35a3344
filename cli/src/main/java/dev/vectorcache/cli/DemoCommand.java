package dev.vectorcache.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vectorcache.core.CacheEntry;
import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.CacheWrite;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MemoryUsage;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.StorageMode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vectorcache demo}: the library end to end on the embedded default (or on servers): a
 * memory-optimised collection, a sample corpus, similarity searches, an expiring entry, and the
 * memory each storage mode uses.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the library end to end on the embedded in-memory engine (no servers needed) or on"
          + " servers.",
      "Steps:",
      "  1. create a collection with the memory-optimised config (MMAP vectors, int8 quantization,"
          + " on-disk payload and HNSW),",
      "  2. store a sample corpus of 40 short texts (cooking, astronomy, programming, travel) with"
          + " title, topic, source and TTLs,",
      "  3. run similarity searches and print the hits,",
      "  4. store an entry with a 1 s TTL and show it expire (a real 1.5 s wait),",
      "  5. print the memory each storage mode uses.",
      "Texts are embedded with HashingEmbedder, a deterministic demo embedder (hashed words and"
          + " character trigrams, not a language model): real applications bring their own model.",
      "On servers the demo (re)creates its collections and deletes them at the end unless --keep."
    })
final class DemoCommand extends BaseCommand {
  static final Duration EXPIRING_TTL = Duration.ofSeconds(1);
  static final Duration EXPIRY_WAIT = Duration.ofMillis(1500);

  @Mixin ConnectionOptions connection;

  @Option(
      names = "--collection",
      paramLabel = "NAME",
      defaultValue = "vectorcache-demo",
      description =
          "Demo collection; its memory-mode collections get suffixes. Default: ${DEFAULT-VALUE}.")
  String collection;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "3",
      description = "Hits per search. Default: ${DEFAULT-VALUE}.")
  int limit;

  @Option(
      names = "--memory-points",
      paramLabel = "N",
      defaultValue = "2000",
      description = "Points in each storage-mode collection. Default: ${DEFAULT-VALUE}.")
  int memoryPoints;

  @Option(names = "--keep", description = "Keep the demo collections instead of deleting them.")
  boolean keep;

  private final HashingEmbedder embedder = new HashingEmbedder();

  @Override
  int run() throws Exception {
    if (limit < 1 || limit > 40) {
      throw CliException.usage("invalid --limit: expected 1 to 40, found " + limit);
    }
    if (memoryPoints < 1 || memoryPoints > 1_000_000) {
      throw CliException.usage(
          "invalid --memory-points: expected 1 to 1000000, found " + memoryPoints);
    }
    PrintWriter out = out();
    boolean text = !json();
    ObjectNode doc = Json.object();
    try (Stores stores = Stores.open(connection, ctx(), backends(), true)) {
      doc.setAll(stores.json());
      if (text) {
        out.println("vectorcache demo");
        stores.printHeader(out);
        out.println();
      }
      List<String> created = new ArrayList<>();
      try {
        steps(stores, doc, created, text ? out : null);
      } finally {
        if (!keep) {
          deleteAll(stores, created);
        }
      }
      doc.put("kept", keep);
      if (stores.privateMemory()) {
        doc.put("note", "the embedded store lives in this process only; nothing is left behind");
      }
    }
    if (json()) {
      doc.put("ok", true);
      out.println(Json.pretty(doc));
    } else {
      out.println(
          keep
              ? "Done. The demo collections were kept."
              : "Done. The demo collections were deleted (use --keep to keep them).");
    }
    return ExitCodes.OK;
  }

  /** Steps 1 to 5; {@code out} is null in JSON mode. */
  private void steps(Stores stores, ObjectNode doc, List<String> created, @Nullable PrintWriter out)
      throws InterruptedException {
    // 1. collection
    CollectionConfig config =
        CollectionConfig.memoryOptimized(embedder.dimension(), Distance.COSINE);
    if (stores.vectors.collectionExists(collection)) {
      stores.vectors.deleteCollection(collection);
    }
    created.add(collection);
    try (VectorCache cache = stores.cache(collection, config)) {
      cache.initialize();
      ObjectNode c = doc.putObject("collection");
      c.put("name", collection);
      c.set("config", Describe.config(config));
      if (out != null) {
        out.println("1. Collection '" + collection + "' (memory-optimised)");
        out.println("   " + Describe.oneLine(config));
        out.println();
      }
      storeCorpus(cache, doc, out); // 2.
      searches(cache, doc.putArray("searches"), out); // 3.
      expiry(cache, doc.putObject("expiry"), out); // 4.
    }
    memory(stores, doc.putArray("memory"), created, out); // 5.
  }

  private void deleteAll(Stores stores, List<String> created) {
    for (String name : created) {
      try {
        stores.vectors.deleteCollection(name);
      } catch (RuntimeException e) {
        err().println("note: could not delete demo collection '" + name + "': " + Cli.message(e));
      }
    }
  }

  private void storeCorpus(VectorCache cache, ObjectNode doc, @Nullable PrintWriter out) {
    List<CacheWrite> writes = new ArrayList<>();
    for (SampleCorpus.Doc d : SampleCorpus.DOCS) {
      writes.add(CacheWrite.of(d.key(), embedder.embed(d.text()), d.metadata(), d.ttl()));
    }
    cache.storeAll(writes);
    Map<String, Integer> perTopic = new TreeMap<>();
    SampleCorpus.DOCS.forEach(d -> perTopic.merge(d.topic(), 1, Integer::sum));
    ObjectNode stored = doc.putObject("corpus");
    stored.put("entries", writes.size());
    perTopic.forEach(stored.putObject("topics")::put);
    if (out != null) {
      out.println(
          "2. Stored "
              + writes.size()
              + " entries ("
              + String.join(
                  ", ",
                  perTopic.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList())
              + "), metadata title/topic/source/text, TTLs 2h to 24h");
      out.println();
      out.println("3. Similarity search (top " + limit + ", cosine similarity)");
    }
  }

  private void searches(VectorCache cache, ArrayNode searches, @Nullable PrintWriter out) {
    for (SampleCorpus.Query q : SampleCorpus.QUERIES) {
      Filter filter =
          q.filterTopic() == null ? null : Filter.must(Condition.match("topic", q.filterTopic()));
      List<CacheHit> hits = cache.searchSimilar(embedder.embed(q.text()), limit, filter, null);
      ObjectNode s = searches.addObject();
      s.put("query", q.text());
      if (q.filterTopic() != null) {
        s.put("filter", "topic = " + q.filterTopic());
      }
      s.set("hits", hitsJson(hits));
      if (out != null) {
        out.println(
            "   query: \""
                + q.text()
                + "\""
                + (q.filterTopic() == null ? "" : "   filter: topic = " + q.filterTopic()));
        hitsTable(hits).print(out, "   ");
        out.println();
      }
    }
  }

  private void expiry(VectorCache cache, ObjectNode j, @Nullable PrintWriter out)
      throws InterruptedException {
    String key = "flash-sale";
    String sentence = "Flash sale today only: half price on telescopes for watching the stars";
    Instant storedAt = ctx().clock().instant();
    CacheEntry e =
        cache.store(
            key,
            embedder.embed(sentence),
            Map.of(
                "title",
                "Telescope flash sale",
                "topic",
                "astronomy",
                "source",
                "vectorcache demo corpus",
                "text",
                sentence),
            EXPIRING_TTL);
    Optional<CacheEntry> before = cache.get(key);
    boolean inSearchBefore =
        cache.searchSimilar(embedder.embed(sentence), limit).stream()
            .anyMatch(h -> h.key().equals(key));
    ctx().sleeper().sleep(EXPIRY_WAIT);
    Optional<CacheEntry> after = cache.get(key);
    boolean inSearchAfter =
        cache.searchSimilar(embedder.embed(sentence), limit).stream()
            .anyMatch(h -> h.key().equals(key));
    j.put("key", key);
    j.put("ttlMillis", EXPIRING_TTL.toMillis());
    j.put("waitedMillis", EXPIRY_WAIT.toMillis());
    j.put("expiresAt", String.valueOf(e.expiresAt()));
    j.put("presentBefore", before.isPresent());
    j.put("inSearchBefore", inSearchBefore);
    j.put("presentAfter", after.isPresent());
    j.put("inSearchAfter", inSearchAfter);
    if (out != null) {
      out.println("4. Expiry");
      out.println(
          "   stored '"
              + key
              + "' with TTL "
              + Durations.human(EXPIRING_TTL)
              + " (expires at "
              + e.expiresAt()
              + ")");
      out.println(
          "   before: get -> "
              + (before.isPresent()
                  ? "present, expires in "
                      + Durations.human(Duration.between(storedAt, before.get().expiresAt()))
                  : "missing")
              + "; in search results: "
              + (inSearchBefore ? "yes" : "no"));
      out.println("   waiting " + Durations.human(EXPIRY_WAIT) + " ...");
      out.println(
          "   after:  get -> "
              + (after.isPresent() ? "STILL PRESENT" : "gone (expired)")
              + "; in search results: "
              + (inSearchAfter ? "yes" : "no"));
      out.println();
    }
  }

  static final String MODE_IN_MEMORY = "IN_MEMORY";
  static final String MODE_OPTIMISED = "MMAP + int8 (memory-optimised)";

  /** The storage modes compared, in the order printed. */
  record Mode(String label, String suffix, CollectionConfig config) {}

  static List<Mode> modes(int dimension) {
    CollectionConfig base = CollectionConfig.builder(dimension, Distance.COSINE).build();
    return List.of(
        new Mode(MODE_IN_MEMORY, "in-memory", base),
        new Mode(
            "IN_MEMORY + int8",
            "in-memory-int8",
            base.toBuilder().quantization(QuantizationConfig.scalarInt8()).build()),
        new Mode("MMAP", "mmap", base.toBuilder().storageMode(StorageMode.MMAP).build()),
        new Mode(
            MODE_OPTIMISED,
            "mmap-int8",
            CollectionConfig.memoryOptimized(dimension, Distance.COSINE)));
  }

  private void memory(Stores stores, ArrayNode j, List<String> created, @Nullable PrintWriter out) {
    int dim = embedder.dimension();
    List<float[]> vectors = randomVectors(dim);
    Table t =
        new Table(
            48, "storage mode", ">heap", ">heap/vector", ">off-heap", ">memory-mapped", ">total");
    Map<String, MemoryUsage> seen = new LinkedHashMap<>();
    for (Mode m : modes(dim)) {
      String name = collection + "-" + m.suffix();
      CollectionInfo info = fill(stores, name, m.config(), vectors, created);
      MemoryUsage mu = info.memory();
      seen.put(m.label(), mu);
      ObjectNode row = j.addObject();
      row.put("mode", m.label());
      row.put("collection", name);
      row.put("points", info.pointsCount());
      row.set("config", Describe.config(m.config()));
      row.set("memory", Describe.memoryJson(mu));
      t.row(
          m.label(),
          Describe.bytes(mu.heapBytes()),
          mu.isKnown() ? Describe.bytes(mu.heapBytes() / Math.max(1, vectors.size())) : "n/a",
          Describe.bytes(mu.offHeapBytes()),
          Describe.bytes(mu.mappedBytes()),
          mu.isKnown()
              ? Describe.bytes(mu.heapBytes() + mu.offHeapBytes() + mu.mappedBytes())
              : "n/a");
    }
    if (out != null) {
      out.println(
          "5. Memory per storage mode ("
              + memoryPoints
              + " random "
              + dim
              + "-d vectors each, CollectionInfo.memory())");
      t.print(out, "   ");
      printMemoryNotes(out, seen, dim);
      out.println();
    }
  }

  private List<float[]> randomVectors(int dim) {
    List<float[]> vectors = new ArrayList<>(memoryPoints);
    SplittableRandom rnd = new SplittableRandom(42);
    for (int i = 0; i < memoryPoints; i++) {
      float[] v = new float[dim];
      for (int k = 0; k < dim; k++) {
        v[k] = (float) rnd.nextGaussian();
      }
      vectors.add(v);
    }
    return vectors;
  }

  /** (Re)creates collection {@code name} with {@code config} and stores {@code vectors}. */
  private static CollectionInfo fill(
      Stores stores,
      String name,
      CollectionConfig config,
      List<float[]> vectors,
      List<String> created) {
    if (stores.vectors.collectionExists(name)) {
      stores.vectors.deleteCollection(name);
    }
    created.add(name);
    stores.vectors.createCollection(name, config);
    for (int from = 0; from < vectors.size(); from += 512) {
      List<PointStruct> batch = new ArrayList<>();
      for (int i = from; i < Math.min(vectors.size(), from + 512); i++) {
        batch.add(new PointStruct(PointId.of(i), vectors.get(i), Map.of()));
      }
      stores.vectors.upsert(name, batch);
    }
    return stores.vectors.collectionInfo(name);
  }

  /**
   * What the table means. The memory-optimised mode holds more heap than plain MMAP, which looks
   * wrong without the reason: its int8 codes stay in RAM.
   */
  static void printMemoryNotes(PrintWriter out, Map<String, MemoryUsage> seen, int dim) {
    if (seen.values().stream().noneMatch(MemoryUsage::isKnown)) {
      out.println("   this backend does not report memory use (a remote Qdrant does not).");
      return;
    }
    if (seen.values().stream().distinct().count() == 1) {
      out.println("   every mode reports the same: this engine keeps all modes on the heap.");
      return;
    }
    out.println(
        "   heap: Java heap; off-heap: native memory; memory-mapped: file pages the OS loads on"
            + " demand and may evict.");
    MemoryUsage floats = seen.get(MODE_IN_MEMORY);
    MemoryUsage optimised = seen.get(MODE_OPTIMISED);
    String share =
        floats != null && optimised != null && floats.heapBytes() > 0
            ? String.format(
                java.util.Locale.ROOT,
                " (%.0f%% here)",
                100.0 * optimised.heapBytes() / floats.heapBytes())
            : "";
    out.println(
        "   MMAP + int8 holds more heap than MMAP on purpose: its int8 codes ("
            + dim
            + " B per vector) stay in RAM,");
    out.println(
        "   as Qdrant keeps them with always_ram, so a search scans RAM only and rereads just the"
            + " best");
    out.println(
        "   candidates from the mapped float32 originals; plain MMAP scans every mapped vector on"
            + " each search.");
    out.println(
        "   Its heap is about a quarter of IN_MEMORY's float32"
            + share
            + "; the extra over MMAP stays "
            + dim
            + " B per vector at any size.");
  }

  static ArrayNode hitsJson(List<CacheHit> hits) {
    ArrayNode arr = Json.array();
    int rank = 1;
    for (CacheHit h : hits) {
      ObjectNode n = arr.addObject();
      n.put("rank", rank++);
      n.put("score", Math.round(h.score() * 10000) / 10000.0);
      n.put("key", h.key());
      n.set("metadata", Json.fromPlain(new LinkedHashMap<>(h.metadata())));
      Instant expiresAt = h.entry().expiresAt();
      n.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
      n.put("source", h.source().name());
    }
    return arr;
  }

  static Table hitsTable(List<CacheHit> hits) {
    Table t = new Table(44, ">rank", ">score", "key", "title", "topic");
    int rank = 1;
    for (CacheHit h : hits) {
      t.row(
          rank++,
          String.format(java.util.Locale.ROOT, "%.4f", h.score()),
          h.key(),
          h.metadata().get("title"),
          h.metadata().get("topic"));
    }
    if (hits.isEmpty()) {
      t.row("-", "-", "(no hits)", "-", "-");
    }
    return t;
  }
}
