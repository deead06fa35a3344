package dev.vectorcache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.testkit.MutableClock;
import dev.vectorcache.testkit.RecordingMetadataStore;
import dev.vectorcache.testkit.RecordingVectorStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The semantic cache end to end with its metadata in a real Redis and its vectors in the embedded
 * engine. Each Redis client adds one subclass that opens its store. The cache runs on a {@link
 * MutableClock}; Redis expires keys by its own clock, so the TTLs here are long enough for Redis
 * never to expire one during a test, and the cache must refuse entries its clock says are expired.
 */
abstract class SemanticCacheContract {
  private static final Instant START = Instant.parse("2031-06-01T00:00:00Z");
  private static final Scope ACME = Scope.of("tenant", "acme");

  /** A metadata store of the client under test whose keys start with {@code keyPrefix}. */
  protected abstract MetadataStore openMetadataStore(String keyPrefix);

  private final MutableClock clock = MutableClock.at(START);
  private final List<AutoCloseable> opened = new ArrayList<>();
  private String collection;
  private RecordingVectorStore vectors;
  private MetadataStore redis;

  @BeforeEach
  void open() {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    collection = "sc_" + id;
    vectors = new RecordingVectorStore(new InMemoryVectorStore());
    redis = openMetadataStore("semantic-" + id + ":");
  }

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    redis.close();
    vectors.close();
  }

  private SemanticCache cache(AsyncMetadataStore metadata) {
    VectorCache vc =
        VectorCache.builder()
            .collection(collection)
            .collectionConfig(
                CollectionConfig.builder(TopicEmbeddings.DIM, Distance.COSINE).build())
            .vectorStore(vectors)
            .metadataStore(metadata)
            .clock(clock)
            .ownsStores(false)
            .build();
    SemanticCache c =
        SemanticCache.builder()
            .vectorCache(vc)
            .modelId("all-MiniLM-L6-v2")
            .embeddingFunction(new TopicEmbeddings())
            .threshold(0.9)
            .build();
    opened.add(c);
    c.initialize();
    c.flushAsync().join();
    return c;
  }

  private String copyKey(Scope scope, String prompt) {
    return collection + ":" + Prompts.key(scope, "all-MiniLM-L6-v2", Prompts.normalise(prompt));
  }

  @Test
  @DisplayName("an exact hit costs one GET and no vector-store call")
  void exactHitOneGet() {
    RecordingMetadataStore recorded = new RecordingMetadataStore(redis.async());
    SemanticCache cache = cache(recorded);
    cache.put(ACME, "paris capital?", CachedResponse.of("Paris"));
    recorded.recorder().reset();
    vectors.recorder().reset();

    SemanticHit hit = cache.lookup(ACME, "paris  capital?").orElseThrow();

    assertThat(hit.tier()).isEqualTo(Tier.EXACT);
    assertThat(hit.response().text()).isEqualTo("Paris");
    assertThat(recorded.recorder().allCalls()).containsExactly(Map.entry("get", 1));
    assertThat(vectors.recorder().totalCalls()).isZero();
  }

  @Test
  @DisplayName("a semantic hit, its JSON metadata read back from Redis as it was stored")
  void semanticHit() {
    SemanticCache cache = cache(redis.async());
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("tokens", 42L);
    meta.put("cost", 0.25);
    meta.put("cached", true);
    meta.put("sources", List.of("atlas", Map.of("page", 7L)));
    meta.put("note", null);
    cache.put(ACME, "paris capital?", new CachedResponse("Paris", meta));

    SemanticHit hit = cache.lookup(ACME, "paris is the capital of").orElseThrow();

    assertThat(hit.tier()).isEqualTo(Tier.SEMANTIC);
    assertThat(hit.score()).isGreaterThan(0.9);
    assertThat(hit.response().metadata()).isEqualTo(meta);
    assertThat(cache.lookup(Scope.of("tenant", "acme").with("user", "u"), "paris capital?"))
        .isEmpty();
  }

  @Test
  @DisplayName("scope isolation: 300 entries over 50 scopes, 300 lookups, 0 cross-scope hits")
  void scopeIsolation() {
    SemanticCache cache = cache(redis.async());
    List<Scope> scopes = ScopeIsolationTest.scopes();
    Random random = new Random(7);
    for (int i = 0; i < 300; i++) {
      Scope s = scopes.get(random.nextInt(scopes.size()));
      cache.put(s, "topic" + i % 10 + " q" + i, CachedResponse.of(s.canonical()));
    }
    int hits = 0;
    for (int i = 0; i < 300; i++) {
      Scope s = scopes.get(random.nextInt(scopes.size()));
      String prompt = i % 2 == 0 ? "topic" + i % 10 + " q" + i : "topic" + i % 10 + " other " + i;
      Optional<SemanticHit> hit = cache.lookup(s, prompt);
      if (hit.isPresent()) {
        hits++;
        assertThat(hit.get().response().text()).isEqualTo(s.canonical());
      }
    }
    assertThat(hits).isGreaterThan(30);
  }

  @Test
  @DisplayName("a sliding TTL moves the expiry in both stores; past it nothing is served")
  void slidingTtlInBothStores() {
    SemanticCache cache = cache(redis.async());
    String prompt = "paris capital?";
    cache.put(
        ACME,
        prompt,
        CachedResponse.of("Paris"),
        PutOptions.builder().ttl(TtlPolicy.sliding(Duration.ofMinutes(10))).build());
    String key = copyKey(ACME, prompt);
    assertThat(redisTtl(key)).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));

    clock.advance(Duration.ofMinutes(6));
    assertThat(cache.lookup(ACME, prompt)).map(SemanticHit::tier).contains(Tier.EXACT);
    cache.flushAsync().join();

    assertThat(payloadExpiry(cache, prompt)).isEqualTo(START.plus(Duration.ofMinutes(16)));
    // the copy was rewritten with the remaining TTL by the cache's clock: 10 minutes again
    assertThat(redisTtl(key)).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));
    assertThat(redis.get(key).orElseThrow().expiresAt())
        .isEqualTo(START.plus(Duration.ofMinutes(16)));

    clock.advance(Duration.ofMinutes(10)); // 16: Redis still holds the key, the cache refuses it
    assertThat(redis.get(key)).isPresent();
    assertThat(cache.lookup(ACME, prompt)).isEmpty();
    assertThat(cache.lookup(ACME, "paris the capital")).isEmpty();
  }

  @Test
  @DisplayName("invalidating a scope removes its points and its Redis copies")
  void invalidateScope() {
    SemanticCache cache = cache(redis.async());
    Scope other = ACME.with("user", "u1");
    for (String p : Arrays.asList("paris capital?", "rome capital?")) {
      cache.put(ACME, p, CachedResponse.of(p));
      cache.put(other, p, CachedResponse.of(p));
    }
    assertThat(cache.invalidateScope(ACME)).isEqualTo(2);
    assertThat(redis.get(copyKey(ACME, "paris capital?"))).isEmpty();
    assertThat(redis.get(copyKey(other, "paris capital?"))).isPresent();
    assertThat(cache.scopeStats(ACME).entries()).isZero();
    assertThat(cache.scopeStats(other).entries()).isEqualTo(2);
  }

  private Duration redisTtl(String key) {
    return redis.ttl(key).orElseThrow();
  }

  private Instant payloadExpiry(SemanticCache cache, String prompt) {
    String key = Prompts.key(ACME, "all-MiniLM-L6-v2", Prompts.normalise(prompt));
    Object at =
        vectors
            .retrieve(
                collection,
                List.of(cache.vectorCache().pointId(key)),
                PayloadSelector.include(EntryPayload.EXPIRES_AT),
                false)
            .join()
            .get(0)
            .payload()
            .get(EntryPayload.EXPIRES_AT);
    return Instant.ofEpochMilli(((Number) at).longValue());
  }
}
