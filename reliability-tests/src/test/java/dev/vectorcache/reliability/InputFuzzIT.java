package dev.vectorcache.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.CacheEntry;
import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.Ttl;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.VectorCacheException;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.VectorStoreConfig;
import dev.vectorcache.testkit.RecordingVectorStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bad input at the edges: a seeded fuzz of the public API through the real adapters (Qdrant over
 * gRPC, Redis with each client): NaN and infinite components, wrong sizes, tiny and huge norms,
 * unicode with lone surrogates, newlines and colons, 1 MB keys, deep and huge metadata, bad TTLs,
 * limits of 0, -1 and {@code Integer.MAX_VALUE}. Every call either throws an {@link
 * InvalidInputException} before any vector-store call, or gives the result a simple model predicts
 * (a stored entry reads back unchanged and its exact vector finds it first); afterwards the store
 * holds exactly the model. Malformed URLs for both configurations are a typed error naming no
 * secret, or a configuration.
 */
class InputFuzzIT {
  private static final int OPERATIONS = 800;
  private static final long SEED = 31_337L;

  @ParameterizedTest
  @EnumSource(Client.class)
  void everyCallIsATypedRefusalOrACorrectResult(Client client) throws Exception {
    try (QdrantTestServer qdrant = Qdrant.startServer();
        RedisNode redis = RedisNode.start()) {
      RecordingVectorStore vectors =
          new RecordingVectorStore(Qdrant.open(qdrant, Duration.ofSeconds(5)));
      try (VectorCache cache =
          VectorCache.builder()
              .collection("fuzz")
              .collectionConfig(CollectionConfig.builder(FuzzInputs.DIM, Distance.COSINE).build())
              .vectorStore(vectors)
              .metadataStore(client.open(redis, "fuzz:", Duration.ofSeconds(2)))
              .build()) {
        cache.initialize();
        FuzzInputs in = new FuzzInputs(SEED);
        Map<String, Stored> model = new HashMap<>();
        int refused = 0;
        for (int i = 0; i < OPERATIONS; i++) {
          int before = vectors.recorder().totalCalls();
          try {
            operate(cache, in, i, model);
          } catch (RuntimeException e) {
            VectorCacheException typed = Outcomes.typed("fuzz operation " + i, e);
            assertThat(typed).as("operation %d", i).isInstanceOf(InvalidInputException.class);
            assertThat(vectors.recorder().totalCalls())
                .as("vector-store calls before refusing %d", i)
                .isEqualTo(before);
            assertThat(((InvalidInputException) typed).field()).isNotBlank();
            refused++;
          }
        }
        Lead.flush(cache);
        System.out.printf(
            "fuzz %s: %d operations, %d refused, %d keys stored%n",
            client, OPERATIONS, refused, model.size());
        assertThat(refused).isBetween(OPERATIONS / 10, OPERATIONS * 9 / 10);
        assertThat(model).hasSizeGreaterThan(10);
        for (Map.Entry<String, Stored> e : model.entrySet()) {
          checkStored(cache, e.getKey(), e.getValue());
        }
        long points = cache.vectorStore().count(cache.collection(), null).get(10, TimeUnit.SECONDS);
        assertThat(points).as("points in the collection").isEqualTo(model.size());
      }
    }
  }

  /** What the model holds for a key: the vector and the metadata the store returned. */
  static final class Stored {
    private final float[] vector;
    private final Map<String, Object> metadata;

    Stored(float[] vector, Map<String, Object> metadata) {
      this.vector = vector;
      this.metadata = metadata;
    }

    float[] vector() {
      return vector;
    }

    Map<String, Object> metadata() {
      return metadata;
    }
  }

  private static void operate(VectorCache cache, FuzzInputs in, int i, Map<String, Stored> model) {
    int op = in.random().nextInt(10);
    String key = in.key(i);
    if (op < 6) {
      float[] vector = in.vector();
      Map<String, Object> meta = in.metadata(i);
      Object ttl = in.ttl();
      CacheEntry e =
          ttl instanceof Ttl t
              ? cache.store(key, vector, meta, t)
              : cache.store(key, vector, meta, (Duration) ttl);
      if (meta != null) {
        assertThat(e.metadata()).as("stored metadata of %d", i).isEqualTo(normalised(meta));
      }
      model.put(key, new Stored(vector.clone(), e.metadata()));
      checkStored(cache, key, model.get(key));
    } else if (op < 7) {
      assertThat(cache.delete(key)).as("delete %d", i).isEqualTo(model.remove(key) != null);
    } else if (op < 8) {
      Optional<CacheEntry> got = cache.get(key);
      Stored s = model.get(key);
      assertThat(got.map(CacheEntry::metadata))
          .isEqualTo(Optional.ofNullable(s).map(Stored::metadata));
    } else {
      int limit = in.limit();
      Float threshold = in.threshold();
      float[] query = in.vector();
      List<CacheHit> hits = cache.searchSimilar(query, limit, null, threshold);
      assertThat(hits.size()).isLessThanOrEqualTo(Math.min(limit, model.size()));
      for (CacheHit h : hits) {
        assertThat(model).containsKey(h.key());
        assertThat(h.metadata()).isEqualTo(model.get(h.key()).metadata());
      }
    }
  }

  /**
   * The entry reads back with its metadata, and its exact vector finds it first (tied at most with
   * another entry of the same direction, such as two vectors dominated by {@code Float.MAX_VALUE}).
   */
  private static void checkStored(VectorCache cache, String key, Stored s) {
    assertThat(cache.get(key).map(CacheEntry::metadata))
        .as("get(%s)", printable(key))
        .contains(s.metadata());
    List<CacheHit> hits = cache.searchSimilar(s.vector(), 100);
    assertThat(hits).as("exact search for %s", printable(key)).isNotEmpty();
    float best = hits.get(0).score();
    assertThat(hits)
        .as("exact search for %s: %s", printable(key), hits)
        .anyMatch(h -> h.key().equals(key) && h.score() >= best - 1e-5f);
  }

  /** JSON's view of metadata: integers as Long, floating point as Double. */
  private static Object normalised(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new HashMap<>();
      m.forEach((k, x) -> out.put((String) k, normalised(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(InputFuzzIT::normalised).toList();
    }
    if (v instanceof Integer n) {
      return n.longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    return v;
  }

  private static String printable(String key) {
    return key.length() > 40 ? key.substring(0, 40) + "… (" + key.length() + " chars)" : key;
  }

  @Test
  void malformedUrlsAreTypedErrorsThatNameNoSecret() {
    FuzzInputs in = new FuzzInputs(SEED + 1);
    int refused = 0;
    for (int i = 0; i < 400; i++) {
      String url = in.url();
      for (int role = 0; role < 2; role++) {
        try {
          Object config =
              role == 0 ? MetadataStoreConfig.fromUrl(url) : VectorStoreConfig.fromUrl(url);
          Canaries.assertAbsent("the configuration of a fuzzed URL", String.valueOf(config));
        } catch (RuntimeException e) {
          VectorCacheException typed = Outcomes.typed("fromUrl(" + i + ")", e);
          assertThat(typed)
              .isInstanceOfAny(ConfigurationException.class, InvalidInputException.class);
          refused++;
        }
      }
    }
    assertThat(refused).isPositive();
  }
}
