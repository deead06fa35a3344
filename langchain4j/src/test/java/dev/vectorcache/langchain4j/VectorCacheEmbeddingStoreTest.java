package dev.vectorcache.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.vectorcache.core.Ttl;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("VectorCacheEmbeddingStore")
class VectorCacheEmbeddingStoreTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2031-01-01T00:00:00Z"));
  private final VectorCache cache = cache(Distance.COSINE);

  private VectorCache cache(Distance distance) {
    VectorCache c =
        VectorCache.builder()
            .collection("lc4j")
            .collectionConfig(
                CollectionConfig.builder(HashingEmbeddingModel.DIMENSION, distance).build())
            .vectorStore(new InMemoryVectorStore().async())
            .metadataStore(new InMemoryMetadataStore(clock).async())
            .clock(clock)
            .build();
    c.initialize();
    return c;
  }

  @AfterEach
  void close() {
    cache.close();
  }

  private static Embedding embed(String text) {
    return Embedding.from(HashingEmbeddingModel.vector(text));
  }

  private static List<EmbeddingMatch<TextSegment>> search(
      VectorCacheEmbeddingStore store, String text, double minScore) {
    return store
        .search(
            EmbeddingSearchRequest.builder()
                .queryEmbedding(embed(text))
                .maxResults(10)
                .minScore(minScore)
                .build())
        .matches();
  }

  @ParameterizedTest
  @EnumSource(
      value = Distance.class,
      names = {"DOT", "EUCLID", "MANHATTAN"})
  @DisplayName("refuses a collection that is not Cosine, naming its distance")
  void refusesOtherDistances(Distance distance) {
    try (VectorCache other = cache(distance)) {
      assertThatThrownBy(() -> VectorCacheEmbeddingStore.builder().vectorCache(other).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining(distance.toString())
          .hasMessageContaining("Cosine");
    }
  }

  @Test
  @DisplayName("stores entries without expiry unless a TTL is given")
  void noExpiryByDefault() {
    VectorCacheEmbeddingStore store =
        VectorCacheEmbeddingStore.builder().vectorCache(cache).build();
    assertThat(store.ttl().isNone()).isTrue();
    assertThat(store.vectorCache()).isSameAs(cache);
    store.add("a", embed("alpha"));
    assertThat(cache.get("a")).hasValueSatisfying(e -> assertThat(e.expires()).isFalse());
    clock.advance(Duration.ofDays(3650));
    assertThat(search(store, "alpha", 0))
        .extracting(EmbeddingMatch::embeddingId)
        .containsExactly("a");
  }

  @Test
  @DisplayName("a store TTL applies to every write; a write's own TTL overrides it")
  void ttls() {
    VectorCacheEmbeddingStore store =
        VectorCacheEmbeddingStore.builder().vectorCache(cache).ttl(Duration.ofMinutes(10)).build();
    store.add("store-ttl", embed("alpha"));
    store.add("own-ttl", embed("alpha"), TextSegment.from("alpha"), Ttl.of(Duration.ofMinutes(1)));
    store.addAll(List.of("forever"), List.of(embed("alpha")), null, Ttl.none());
    assertThat(search(store, "alpha", 0)).hasSize(3);
    clock.advance(Duration.ofMinutes(2));
    assertThat(search(store, "alpha", 0))
        .extracting(EmbeddingMatch::embeddingId)
        .containsExactlyInAnyOrder("store-ttl", "forever");
    clock.advance(Duration.ofMinutes(10));
    assertThat(search(store, "alpha", 0))
        .extracting(EmbeddingMatch::embeddingId)
        .containsExactly("forever");
  }

  @Test
  @DisplayName("keeps a match whose relevance equals minScore; relevance is (cos + 1) / 2")
  void minScoreIsInclusive() {
    VectorCacheEmbeddingStore store =
        VectorCacheEmbeddingStore.builder().vectorCache(cache).build();
    store.add("a", embed("alpha"));
    store.add("b", embed("alphabet"));
    List<EmbeddingMatch<TextSegment>> all = search(store, "alpha", 0);
    assertThat(all).extracting(EmbeddingMatch::embeddingId).containsExactly("a", "b");
    assertThat(all.get(0).embedding()).isEqualTo(embed("alpha"));
    assertThat(all.get(0).embedded()).isNull();
    double second = all.get(1).score();
    assertThat(second).isStrictlyBetween(0.5, 1.0);
    // at exactly the second match's relevance it is kept; just above, it is not
    assertThat(search(store, "alpha", second)).hasSize(2);
    assertThat(search(store, "alpha", Math.nextUp((float) second) + 1e-6)).hasSize(1);
    assertThatThrownBy(() -> Scores.cosineThreshold(1.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Scores.cosineThreshold(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Scores.cosineThreshold(0)).isNull();
    assertThat(Scores.cosineThreshold(0.75)).isEqualTo(Math.nextDown(0.5f));
  }

  @Test
  @DisplayName("refuses metadata keys of the bridge and of the cache")
  void reservedKeys() {
    VectorCacheEmbeddingStore store =
        VectorCacheEmbeddingStore.builder().vectorCache(cache).build();
    TextSegment bridge = TextSegment.from("x", new Metadata().put("lc4j_types", "a"));
    assertThatThrownBy(() -> store.add(embed("x"), bridge))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("lc4j_types");
    TextSegment cacheKey = TextSegment.from("x", new Metadata().put("_vc_version", 1));
    assertThatThrownBy(() -> store.add(embed("x"), cacheKey))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("_vc_version");
  }

  @Test
  @DisplayName("reads entries written without the bridge's type map by their JSON types")
  void foreignEntries() {
    VectorCacheEmbeddingStore store =
        VectorCacheEmbeddingStore.builder().vectorCache(cache).build();
    cache.store(
        "foreign",
        HashingEmbeddingModel.vector("alpha"),
        Map.of("lc4j_text", "alpha", "n", 5L, "d", 1.5, "s", "x"),
        Ttl.none());
    TextSegment segment = search(store, "alpha", 0).get(0).embedded();
    assertThat(segment.text()).isEqualTo("alpha");
    assertThat(segment.metadata().toMap()).isEqualTo(Map.of("n", 5L, "d", 1.5, "s", "x"));
    cache.store(
        "odd",
        HashingEmbeddingModel.vector("alpha"),
        Map.of("lc4j_text", "a", "b", true),
        Ttl.none());
    assertThatThrownBy(() -> search(store, "alpha", 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'b'");
  }

  @Test
  @DisplayName("refuses a blank id and a null embedding; removes nothing for no ids")
  void badInput() {
    VectorCacheEmbeddingStore store =
        VectorCacheEmbeddingStore.builder().vectorCache(cache).build();
    assertThatThrownBy(() -> store.add(" ", embed("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id cannot be null or blank");
    java.util.ArrayList<Embedding> withNull = new java.util.ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> store.addAll(List.of("a"), withNull, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("embeddings[0] cannot be null");
    store.add("a", embed("x"));
    store.removeAll(List.of());
    assertThat(cache.get("a")).isPresent();
    store.removeAll(List.of("a"));
    assertThat(cache.get("a")).isEmpty();
  }
}
