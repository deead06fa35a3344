package dev.vectorcache.reliability;

import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.VectorStoreConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One application instance of the many-instances scenario: a cache opened through the front door
 * from URLs, as an application does. In the test's JVM it is called directly; {@link #main} runs it
 * in a child JVM driven by lines on stdin, answering on stdout:
 *
 * <pre>
 * STORE key seq   → ACK key version
 * GET key         → GOT key seq | GOT key NONE
 * SEARCH key      → FOUND key seq | FOUND key NONE
 * DELETE key      → DELETED key true|false
 * (any time)        EVENT TYPE key version   for every event of the collection
 * </pre>
 */
final class CacheInstance implements AutoCloseable {
  static final int DIM = 16;
  static final long SEED = 21L;
  static final Duration TTL = Duration.ofMinutes(30);

  private final VectorCache cache;

  CacheInstance(
      String redisUrl, String client, String qdrantUrl, String collection, Duration timeout) {
    this.cache =
        VectorCache.builder()
            .collection(collection)
            .collectionConfig(CollectionConfig.builder(DIM, Distance.COSINE).build())
            .searchParams(SearchParams.exactSearch())
            .vectorStore(
                Backends.discover()
                    .openAsyncVectorStore(
                        VectorStoreConfig.builder()
                            .url(qdrantUrl)
                            .apiKey(Canaries.QDRANT_API_KEY)
                            .timeout(timeout)
                            .build()))
            .metadataStore(
                Backends.discover()
                    .openAsyncMetadataStore(
                        MetadataStoreConfig.builder()
                            .url(redisUrl)
                            .client(client)
                            .keyPrefix("many:")
                            .commandTimeout(timeout)
                            .build()))
            .build();
    cache.initialize();
  }

  static float[] vector(String key) {
    return Vecs.of(SEED, key.hashCode(), DIM);
  }

  long store(String key, long seq) {
    return cache.store(key, vector(key), Map.of("seq", seq), TTL).version();
  }

  Optional<Long> get(String key) {
    return cache.get(key).map(e -> ((Number) e.metadata().get("seq")).longValue());
  }

  Optional<Long> search(String key) {
    return cache.searchSimilar(vector(key), 3).stream()
        .filter(h -> h.key().equals(key))
        .findFirst()
        .map(CacheHit::metadata)
        .map(m -> ((Number) m.get("seq")).longValue());
  }

  boolean delete(String key) {
    return cache.delete(key);
  }

  AutoCloseable subscribe(Consumer<MetadataEvent> listener) {
    return cache.subscribe(listener);
  }

  @Override
  public void close() {
    cache.close();
  }

  /** The child JVM: {@code redisUrl client qdrantUrl collection}. */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (CacheInstance me =
        new CacheInstance(args[0], args[1], args[2], args[3], Duration.ofSeconds(2))) {
      AutoCloseable sub =
          me.subscribe(
              e -> {
                synchronized (out) {
                  out.println("EVENT " + e.type() + " " + e.key() + " " + e.version());
                }
              });
      answer(me, out, "READY", "");
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] w = line.split(" ");
        switch (w[0]) {
          case "STORE" ->
              answer(me, out, "ACK " + w[1], " " + me.store(w[1], Long.parseLong(w[2])));
          case "GET" ->
              answer(
                  me, out, "GOT " + w[1], " " + me.get(w[1]).map(String::valueOf).orElse("NONE"));
          case "SEARCH" ->
              answer(
                  me,
                  out,
                  "FOUND " + w[1],
                  " " + me.search(w[1]).map(String::valueOf).orElse("NONE"));
          case "DELETE" -> answer(me, out, "DELETED " + w[1], " " + me.delete(w[1]));
          case "QUIT" -> {
            sub.close();
            return;
          }
          default -> answer(me, out, "ERROR", " unknown command " + w[0]);
        }
      }
    }
  }

  private static void answer(CacheInstance me, PrintStream out, String head, String tail) {
    synchronized (out) {
      out.println(head + tail);
    }
  }
}
