package dev.vectorcache.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.ScoredSets;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("SemanticCache on the embedded default")
class SemanticCacheTest {
  private static final Scope ACME = Scope.of("tenant", "acme");
  private static final Scope GLOBEX = Scope.of("tenant", "globex");

  private final Harness h = new Harness();

  @AfterEach
  void close() {
    h.close();
  }

  private static String field(Throwable e) {
    return ((InvalidInputException) e).field();
  }

  @Nested
  @DisplayName("building")
  class Building {
    @Test
    @DisplayName("requires a vector cache, a model id and a threshold")
    void required() {
      assertThatThrownBy(() -> SemanticCache.builder().modelId("m").threshold(0.9).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("vectorCache");
      assertThatThrownBy(
              () -> SemanticCache.builder().vectorCache(h.vectorCache).threshold(0.9).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("modelId");
      assertThatThrownBy(
              () -> SemanticCache.builder().vectorCache(h.vectorCache).modelId("m").build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("threshold");
    }

    @Test
    @DisplayName("checks the threshold against the collection's distance")
    void thresholdRanges() {
      assertThatThrownBy(() -> h.builder().threshold(1.01).build())
          .isInstanceOf(InvalidInputException.class)
          .satisfies(e -> assertThat(field(e)).isEqualTo("threshold"));
      assertThatThrownBy(() -> h.builder().threshold(-1.5).build())
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> h.builder().threshold(Double.NaN))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> h.builder().threshold(Double.POSITIVE_INFINITY))
          .isInstanceOf(InvalidInputException.class);
      assertThat(h.builder().threshold(-1).build()).isNotNull();
      assertThat(h.builder().threshold(1).build()).isNotNull();

      try (Harness euclid = new Harness(Distance.EUCLID, 2, true);
          Harness dot = new Harness(Distance.DOT, 2, true)) {
        assertThatThrownBy(() -> euclid.builder().threshold(-0.1).build())
            .isInstanceOf(InvalidInputException.class);
        assertThat(euclid.builder().threshold(0).build()).isNotNull();
        assertThat(euclid.builder().threshold(1e6).build()).isNotNull();
        assertThat(dot.builder().threshold(-1e6).build()).isNotNull();
        assertThatThrownBy(() -> dot.builder().threshold(1e300).build())
            .isInstanceOf(InvalidInputException.class);
      }
    }

    @Test
    @DisplayName("refuses size bounds of 0 or less at once, and eviction without a bound")
    void sizeBounds() {
      assertThatThrownBy(() -> h.builder().maxEntries(0))
          .isInstanceOf(InvalidInputException.class)
          .satisfies(e -> assertThat(field(e)).isEqualTo("maxEntries"));
      assertThatThrownBy(() -> h.builder().maxEntriesPerScope(-1))
          .isInstanceOf(InvalidInputException.class)
          .satisfies(e -> assertThat(field(e)).isEqualTo("maxEntriesPerScope"));
      assertThatThrownBy(() -> h.builder().eviction(Eviction.LFU).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("eviction");
      assertThatThrownBy(() -> h.builder().semanticCandidates(0))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> h.builder().semanticCandidates(101))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> h.builder().extensionQueueCapacity(0))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> h.builder().modelId(" "))
          .isInstanceOf(InvalidInputException.class)
          .satisfies(e -> assertThat(field(e)).isEqualTo("modelId"));
      assertThatThrownBy(() -> h.builder().modelId("m".repeat(257)))
          .isInstanceOf(InvalidInputException.class);
    }

    @Test
    @DisplayName(
        "refuses a size bound when the metadata store has no sorted sets, naming maxEntries")
    void boundsNeedSortedSets() {
      AsyncMetadataStore plain = h.metadataStore.async();
      AsyncMetadataStore withoutSortedSets =
          (AsyncMetadataStore)
              Proxy.newProxyInstance(
                  AsyncMetadataStore.class.getClassLoader(),
                  new Class<?>[] {AsyncMetadataStore.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("isSupported")
                        && args[0] == Capability.SCORED_SETS) {
                      return false;
                    }
                    if (method.getName().equals("extension") && args[0] == ScoredSets.class) {
                      return Optional.empty();
                    }
                    try {
                      return method.invoke(plain, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
      try (VectorCache vc =
          h.vectorCache(h.vectors, withoutSortedSets, Distance.COSINE, TopicEmbeddings.DIM)) {
        h.resetCalls();
        assertThatThrownBy(() -> h.builder().vectorCache(vc).maxEntries(100).build())
            .isInstanceOf(UnsupportedCapabilityException.class)
            .hasMessageContaining("maxEntries");
        assertThatThrownBy(() -> h.builder().vectorCache(vc).maxEntriesPerScope(5).build())
            .isInstanceOf(UnsupportedCapabilityException.class)
            .hasMessageContaining("maxEntries");
        assertThat(h.storeCalls()).isZero();
      }
    }
  }

  @Nested
  @DisplayName("the exact tier")
  class ExactTier {
    @Test
    @DisplayName("answers the same normalised prompt with one metadata-store GET and no search")
    void oneGetNoSearch() {
      SemanticCache cache = h.open();
      cache.put(ACME, "paris capital?", CachedResponse.of("Paris"));
      int embedded = h.embeddings.calls();
      h.resetCalls();

      Optional<SemanticHit> hit = cache.lookup(ACME, "  paris   capital? ");

      assertThat(hit).isPresent();
      assertThat(hit.get().tier()).isEqualTo(Tier.EXACT);
      assertThat(hit.get().score()).isEqualTo(1.0);
      assertThat(hit.get().response().text()).isEqualTo("Paris");
      assertThat(hit.get().prompt()).isEqualTo("paris capital?");
      assertThat(h.recordedMetadata.recorder().allCalls()).containsExactly(Map.entry("get", 1));
      assertThat(h.vectors.recorder().totalCalls()).isZero();
      assertThat(h.embeddings.calls()).isEqualTo(embedded); // nothing embedded
      assertThat(cache.stats().exactHits()).isEqualTo(1);
    }

    @Test
    @DisplayName("exact-only asks one GET and neither embeds nor searches")
    void exactOnly() {
      SemanticCache cache = h.open();
      cache.put(ACME, "paris capital?", CachedResponse.of("Paris"));
      int embedded = h.embeddings.calls();
      h.resetCalls();
      LookupOptions exactOnly = LookupOptions.builder().exactOnly(true).build();

      assertThat(cache.lookup(ACME, "paris capital, please?", exactOnly)).isEmpty();
      assertThat(cache.lookup(ACME, "paris capital?", exactOnly)).isPresent();
      assertThat(h.vectors.recorder().totalCalls()).isZero();
      assertThat(h.embeddings.calls()).isEqualTo(embedded);
      assertThat(cache.lookup(ACME, "paris capital, please?")).isPresent(); // semantic
    }

    @Test
    @DisplayName("reports the best score of each metric: 1 for Cosine and Dot, 0 for the distances")
    void exactScores() {
      for (Distance d : Distance.values()) {
        try (Harness x = new Harness(d, 2, true)) {
          SemanticCache cache =
              x.open(
                  x.builder()
                      .threshold(d.largerIsBetter() ? 0.5 : 1)
                      .embeddingFunction(texts -> List.of(new float[] {3, 4})));
          cache.put(ACME, "q", CachedResponse.of("a"));
          SemanticHit hit = cache.lookup(ACME, "q").orElseThrow();
          assertThat(hit.tier()).isEqualTo(Tier.EXACT);
          assertThat(hit.score()).as(d.name()).isEqualTo(d.largerIsBetter() ? 1.0 : 0.0);
        }
      }
    }
  }

  @Nested
  @DisplayName("the semantic tier")
  class SemanticTier {
    @Test
    @DisplayName("answers a similar prompt of the same scope with its score and age")
    void similar() {
      SemanticCache cache = h.open();
      cache.put(ACME, "paris capital?", new CachedResponse("Paris", Map.of("tokens", 12)));
      h.clock.advance(Duration.ofMinutes(3));

      SemanticHit hit = cache.lookup(ACME, "paris which is the capital").orElseThrow();

      assertThat(hit.tier()).isEqualTo(Tier.SEMANTIC);
      assertThat(hit.score()).isGreaterThan(0.9).isLessThan(1.0);
      assertThat(hit.age()).isEqualTo(Duration.ofMinutes(3));
      assertThat(hit.prompt()).isEqualTo("paris capital?");
      assertThat(hit.response().metadata()).containsEntry("tokens", 12L);
      assertThat(cache.lookup(GLOBEX, "paris which is the capital")).isEmpty();
      assertThat(cache.lookup(ACME, "berlin which is the capital")).isEmpty();
      assertThat(cache.stats().semanticHits()).isEqualTo(1);
      assertThat(cache.stats().misses()).isEqualTo(2);
    }

    @Test
    @DisplayName("takes the caller's vector instead of embedding, on put and on lookup")
    void givenVectors() {
      SemanticCache cache = h.open(h.builder());
      float[] v = TopicEmbeddings.vector("x");
      cache.put(ACME, "anything", CachedResponse.of("a"), PutOptions.builder().vector(v).build());
      int embedded = h.embeddings.calls();
      SemanticHit hit =
          cache
              .lookup(ACME, "something else", LookupOptions.builder().vector(v).build())
              .orElseThrow();
      assertThat(hit.tier()).isEqualTo(Tier.SEMANTIC);
      assertThat(h.embeddings.calls()).isEqualTo(embedded);
    }

    @Test
    @DisplayName("a put after a missed lookup of the same prompt reuses the lookup's embedding")
    void putAfterMissEmbedsOnce() {
      SemanticCache cache = h.open();
      int embedded = h.embeddings.calls();
      assertThat(cache.lookup(ACME, "  Paris   capital? ")).isEmpty();
      assertThat(h.embeddings.calls()).isEqualTo(embedded + 1);
      cache.put(ACME, "Paris capital?", CachedResponse.of("Paris")); // the same normalised prompt
      assertThat(h.embeddings.calls()).as("no second embedding").isEqualTo(embedded + 1);
      cache.put(GLOBEX, "Paris capital?", CachedResponse.of("Paris")); // taken once, then embedded
      assertThat(h.embeddings.calls()).isEqualTo(embedded + 2);

      assertThat(cache.lookupAsync(ACME, "berlin capital?").join()).isEmpty();
      cache.putAsync(ACME, "berlin capital?", CachedResponse.of("Berlin")).join();
      assertThat(h.embeddings.calls()).isEqualTo(embedded + 3);
      assertThat(cache.lookup(ACME, "berlin capital?").orElseThrow().response().text())
          .isEqualTo("Berlin");
      // the entry stored with the reused vector is found by similarity (topic: the first word)
      SemanticHit hit = cache.lookup(ACME, "Paris which is the capital").orElseThrow();
      assertThat(hit.tier()).isEqualTo(Tier.SEMANTIC);
      assertThat(hit.response().text()).isEqualTo("Paris");
    }

    @ParameterizedTest
    @EnumSource(Distance.class)
    @DisplayName("is strict at the threshold, per call, in the collection's own score terms")
    void strictThreshold(Distance d) {
      try (Harness x = new Harness(d, 2, true)) {
        float[] stored = {1, 2};
        float[] query = {3, 1};
        double permissive = d == Distance.COSINE ? -1 : d.largerIsBetter() ? -1e6 : 1e6;
        SemanticCache cache = x.open(x.builder().threshold(permissive));
        cache.put(
            ACME, "stored", CachedResponse.of("a"), PutOptions.builder().vector(stored).build());
        LookupOptions.Builder o = LookupOptions.builder().vector(query);

        double score = cache.lookup(ACME, "query", o.build()).orElseThrow().score();

        assertThat(cache.lookup(ACME, "query", o.threshold(score).build())).isEmpty();
        double looser = d.largerIsBetter() ? score - 1e-3 : score + 1e-3;
        assertThat(cache.lookup(ACME, "query", o.threshold(looser).build())).isPresent();
        double stricter = d.largerIsBetter() ? score + 1e-3 : score - 1e-3;
        if (d != Distance.COSINE || stricter <= 1) {
          assertThat(cache.lookup(ACME, "query", o.threshold(stricter).build())).isEmpty();
        }
      }
    }

    @Test
    @DisplayName("asks the validator about each candidate, best first; rejections are counted")
    void validator() {
      List<String> asked = new CopyOnWriteArrayList<>();
      AtomicInteger rejectedEvents = new AtomicInteger();
      SemanticCache cache =
          h.open(
              h.builder()
                  .validator(
                      (prompt, candidate) -> {
                        asked.add(candidate.prompt());
                        return candidate.prompt().contains("enable") == prompt.contains("enable");
                      })
                  .listener(
                      new SemanticCacheListener() {
                        @Override
                        public void onRejected() {
                          rejectedEvents.incrementAndGet();
                        }
                      }));
      float[] v = TopicEmbeddings.topicVector("feature");
      float[] near = v.clone();
      near[0] += 0.05f;
      cache.put(ACME, "feature disable x", CachedResponse.of("how to disable"), vec(v));
      cache.put(ACME, "feature enable x", CachedResponse.of("how to enable"), vec(near));

      SemanticHit hit =
          cache
              .lookup(ACME, "feature enable it", LookupOptions.builder().vector(v).build())
              .orElseThrow();

      assertThat(hit.response().text()).isEqualTo("how to enable");
      assertThat(asked).containsExactly("feature disable x", "feature enable x");
      assertThat(cache.stats().rejected()).isEqualTo(1);
      assertThat(rejectedEvents).hasValue(1);

      // every candidate rejected: a miss
      assertThat(
              cache.lookup(
                  ACME,
                  "feature turn on",
                  LookupOptions.builder().vector(v).threshold(0.99).build()))
          .isPresent(); // "disable" passes for a prompt without "enable"
      assertThat(
              h.open(h.builder().validator((p, c) -> false))
                  .lookup(ACME, "feature enable it", LookupOptions.builder().vector(v).build()))
          .isEmpty();
    }
  }

  @Nested
  @DisplayName("invalidation")
  class Invalidation {
    @Test
    @DisplayName("by key: the one answer, in both tiers")
    void byKey() {
      SemanticCache cache = h.open();
      cache.put(ACME, "paris capital?", CachedResponse.of("Paris"));
      cache.put(GLOBEX, "paris capital?", CachedResponse.of("Paris"));
      assertThat(cache.invalidate(ACME, " paris  capital? ")).isTrue();
      assertThat(cache.invalidate(ACME, "paris capital?")).isFalse();
      assertThat(cache.lookup(ACME, "paris capital?")).isEmpty();
      assertThat(cache.lookup(ACME, "paris capital, really?")).isEmpty();
      assertThat(cache.lookup(GLOBEX, "paris capital?")).isPresent();
      assertThat(cache.stats().invalidated()).isEqualTo(1);
    }

    @Test
    @DisplayName("by scope: every answer of exactly that scope, not of its supersets")
    void byScope() {
      SemanticCache cache = h.open();
      Scope user = ACME.with("user", "u1");
      cache.put(ACME, "paris capital?", CachedResponse.of("Paris"));
      cache.put(ACME, "rome capital?", CachedResponse.of("Rome"));
      cache.put(user, "paris capital?", CachedResponse.of("Paris"));
      cache.put(GLOBEX, "paris capital?", CachedResponse.of("Paris"));

      assertThat(cache.invalidateScope(ACME)).isEqualTo(2);

      assertThat(cache.lookup(ACME, "paris capital?")).isEmpty();
      assertThat(cache.lookup(user, "paris capital?")).isPresent();
      assertThat(cache.lookup(GLOBEX, "paris capital?")).isPresent();
      assertThat(cache.scopeStats(ACME).entries()).isZero();
      assertThat(cache.stats().invalidated()).isEqualTo(2);
    }

    @Test
    @DisplayName("by response metadata, in every scope; filters on the caches' fields are refused")
    void byFilter() {
      SemanticCache cache = h.open();
      cache.put(ACME, "paris capital?", new CachedResponse("Paris", Map.of("source", "atlas-1")));
      cache.put(GLOBEX, "paris capital?", new CachedResponse("Paris", Map.of("source", "atlas-1")));
      cache.put(ACME, "rome capital?", new CachedResponse("Rome", Map.of("source", "atlas-2")));

      assertThat(cache.invalidateWhere(Filter.must(Condition.match("source", "atlas-1"))))
          .isEqualTo(2);
      assertThat(cache.lookup(ACME, "paris capital?")).isEmpty();
      assertThat(cache.lookup(GLOBEX, "paris capital?")).isEmpty();
      assertThat(cache.lookup(ACME, "rome capital?")).isPresent();

      h.resetCalls();
      for (Filter bad :
          List.of(
              Filter.must(Condition.match("sc_scope", ACME.canonical())),
              Filter.mustNot(Condition.isEmpty("sc_ttl")),
              Filter.should(Condition.filter(Filter.must(Condition.match("sc_model", "model-a")))),
              Filter.must(Condition.match("_vc_key", "k")),
              Filter.builder().build())) {
        assertThatThrownBy(() -> cache.invalidateWhere(bad))
            .isInstanceOf(InvalidInputException.class)
            .satisfies(e -> assertThat(field(e)).isEqualTo("filter"));
      }
      assertThatThrownBy(() -> cache.invalidateWhere(null))
          .isInstanceOf(InvalidInputException.class);
      assertThat(h.storeCalls()).isZero();
    }

    @Test
    @DisplayName("all: the whole collection, both stores; listeners are told how many")
    void all() {
      List<Long> told = new CopyOnWriteArrayList<>();
      SemanticCache cache =
          h.open(
              h.builder()
                  .listener(
                      new SemanticCacheListener() {
                        @Override
                        public void onInvalidated(long count) {
                          told.add(count);
                        }
                      }));
      cache.put(ACME, "paris capital?", CachedResponse.of("Paris"));
      cache.put(GLOBEX, "rome capital?", CachedResponse.of("Rome"));
      assertThat(cache.invalidateAllAsync().join()).isEqualTo(2);
      assertThat(cache.lookup(ACME, "paris capital?")).isEmpty();
      assertThat(cache.lookup(GLOBEX, "rome capital?")).isEmpty();
      assertThat(h.vectors.blocking().count(Harness.COLLECTION, null)).isZero();
      assertThat(h.metadataStore.get(Harness.COLLECTION + ":" + key(ACME, "paris capital?")))
          .isEmpty();
      assertThat(told).containsExactly(2L);
    }
  }

  @Nested
  @DisplayName("statistics")
  class Statistics {
    @Test
    @DisplayName("per scope: live entries of this model only")
    void scopeStats() {
      SemanticCache cache = h.open();
      cache.put(ACME, "paris capital?", CachedResponse.of("Paris"));
      cache.put(ACME, "rome capital?", CachedResponse.of("Rome"), ttl(TtlPolicy.absolute(mins(5))));
      cache.put(ACME, "oslo capital?", CachedResponse.of("Oslo"), ttl(TtlPolicy.none()));
      cache.put(GLOBEX, "paris capital?", CachedResponse.of("Paris"));
      SemanticCache other = h.open(h.builder().modelId("model-b").sweepOtherModelsOnStart(false));
      other.put(ACME, "paris capital?", CachedResponse.of("Paris"));

      assertThat(cache.scopeStats(ACME).entries()).isEqualTo(3);
      h.clock.advance(mins(5));
      assertThat(cache.scopeStats(ACME).entries()).isEqualTo(2);
      assertThat(cache.scopeStats(ACME.with("user", "u")).entries()).isZero();
      assertThat(other.scopeStats(ACME).entries()).isEqualTo(1);
    }

    @Test
    @DisplayName("counters and listener events; a throwing listener fails nothing")
    void listeners() {
      List<String> events = new CopyOnWriteArrayList<>();
      SemanticCache cache =
          h.open(
              h.builder()
                  .listener(
                      new SemanticCacheListener() {
                        @Override
                        public void onPut(long nanos) {
                          throw new IllegalStateException("a broken listener");
                        }
                      })
                  .listener(
                      new SemanticCacheListener() {
                        @Override
                        public void onHit(Tier tier, double score, long nanos) {
                          events.add("hit " + tier);
                        }

                        @Override
                        public void onMiss(long nanos) {
                          events.add("miss");
                        }

                        @Override
                        public void onPut(long nanos) {
                          events.add("put");
                        }
                      }));
      cache.put(ACME, "paris capital?", CachedResponse.of("Paris"));
      cache.lookup(ACME, "paris capital?");
      cache.lookup(ACME, "paris the capital");
      cache.lookup(ACME, "rome capital?");
      assertThat(events).containsExactly("put", "hit EXACT", "hit SEMANTIC", "miss");
      SemanticCacheStats s = cache.stats();
      assertThat(s.puts()).isEqualTo(1);
      assertThat(s.hits()).isEqualTo(2);
      assertThat(s.lookups()).isEqualTo(3);
    }
  }

  @Nested
  @DisplayName("async forms and lifecycle")
  class Lifecycle {
    @Test
    @DisplayName("the async forms embed on the embedding executor and give the same answers")
    void async() {
      List<Runnable> ran = new ArrayList<>();
      Executor executor =
          r -> {
            ran.add(r);
            r.run();
          };
      SemanticCache cache = h.open(h.builder().embeddingExecutor(executor));
      cache.putAsync(ACME, "paris capital?", CachedResponse.of("Paris")).join();
      assertThat(ran).hasSize(1);
      assertThat(cache.lookupAsync(ACME, "paris capital?").join())
          .map(SemanticHit::tier)
          .contains(Tier.EXACT);
      assertThat(ran).hasSize(1); // an exact hit embeds nothing
      assertThat(cache.lookupAsync(ACME, "paris the capital").join())
          .map(SemanticHit::tier)
          .contains(Tier.SEMANTIC);
      assertThat(ran).hasSize(2);
      assertThat(cache.invalidateAsync(ACME, "paris capital?").join()).isTrue();
      assertThat(cache.invalidateScopeAsync(ACME).join()).isZero();
      assertThat(cache.scopeStatsAsync(ACME).join().entries()).isZero();
    }

    @Test
    @DisplayName(
        "close closes an owned vector cache, not a shared one; a closed cache refuses calls")
    void close() {
      SemanticCache shared = h.open();
      shared.close();
      shared.close(); // idempotent
      assertThatThrownBy(() -> shared.lookup(ACME, "x")).isInstanceOf(IllegalStateException.class);
      assertThat(h.open().lookup(ACME, "x")).isEmpty(); // the vector cache is still open

      SemanticCache owner = h.builder().ownsCache(true).build();
      owner.close();
      assertThatThrownBy(() -> h.vectorCache.get("k")).isInstanceOf(IllegalStateException.class);
    }
  }

  private static PutOptions vec(float[] v) {
    return PutOptions.builder().vector(v).build();
  }

  private static PutOptions ttl(TtlPolicy p) {
    return PutOptions.builder().ttl(p).build();
  }

  private static Duration mins(long n) {
    return Duration.ofMinutes(n);
  }

  private static String key(Scope s, String prompt) {
    return Prompts.key(s, "model-a", Prompts.normalise(prompt));
  }
}
