package dev.vectorcache.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;

/** {@link VectorCacheVectorStore} on the embedded default: search, scores, writes and refusals. */
class VectorCacheVectorStoreTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2031-01-01T00:00:00Z"));
  private final VectorCache cache =
      VectorCache.builder()
          .collection("docs")
          .collectionConfig(
              CollectionConfig.builder(HashingEmbeddingModel.DIMENSION, Distance.COSINE).build())
          .vectorStore(new InMemoryVectorStore().async())
          .metadataStore(new InMemoryMetadataStore(clock).async())
          .clock(clock)
          .build();
  private final HashingEmbeddingModel model = new HashingEmbeddingModel();
  private final VectorCacheVectorStore store;

  VectorCacheVectorStoreTest() {
    cache.initialize();
    store = VectorCacheVectorStore.builder(cache, model).build();
  }

  @AfterEach
  void close() {
    cache.close();
  }

  private void addFruit() {
    store.add(
        List.of(
            new Document("apple", "apple pie with cinnamon", Map.of("kind", "dessert")),
            new Document("apple2", "apple pie", Map.of("kind", "dessert")),
            new Document("bread", "banana bread", Map.of("kind", "bake")),
            new Document("soup", "tomato soup with basil", Map.of("kind", "starter"))));
  }

  private List<String> ids(List<Document> docs) {
    return docs.stream().map(Document::getId).toList();
  }

  @Test
  void searchReturnsTheClosestFirstAndAtMostTopK() {
    addFruit();
    List<Document> all =
        store.similaritySearch(SearchRequest.builder().query("apple pie").topK(10).build());
    assertThat(ids(all)).hasSize(4).startsWith("apple2", "apple");
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i - 1).getScore()).isGreaterThanOrEqualTo(all.get(i).getScore());
    }
    assertThat(all.get(0).getScore()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    for (Document d : all) {
      assertThat(d.getScore()).isBetween(0.0, 1.0);
      assertThat((Double) d.getMetadata().get("distance")).isEqualTo(1.0 - d.getScore());
    }
    List<Document> two =
        store.similaritySearch(SearchRequest.builder().query("apple pie").topK(2).build());
    assertThat(ids(two)).containsExactly("apple2", "apple");
    assertThat(two.get(0).getText()).isEqualTo("apple pie");
    assertThat(two.get(0).getMetadata()).containsEntry("kind", "dessert");
  }

  @Test
  void theThresholdKeepsADocumentWhoseScoreEqualsItAndDropsThoseBelow() {
    addFruit();
    List<Document> all =
        store.similaritySearch(SearchRequest.builder().query("apple pie").topK(10).build());
    Document second = all.get(1);
    double s = second.getScore();
    List<Document> atS =
        store.similaritySearch(
            SearchRequest.builder().query("apple pie").topK(10).similarityThreshold(s).build());
    assertThat(ids(atS)).containsExactly("apple2", "apple");
    List<Document> above =
        store.similaritySearch(
            SearchRequest.builder()
                .query("apple pie")
                .topK(10)
                .similarityThreshold(s + 1e-5)
                .build());
    assertThat(ids(above)).containsExactly("apple2");
    assertThat(
            store.similaritySearch(
                SearchRequest.builder()
                    .query("apple pie")
                    .topK(10)
                    .similarityThresholdAll()
                    .build()))
        .hasSize(4);
  }

  @Test
  void aTopKOfZeroFindsNothingWithoutEmbedding() {
    addFruit();
    int calls = model.calls();
    assertThat(store.similaritySearch(SearchRequest.builder().query("apple").topK(0).build()))
        .isEmpty();
    assertThat(model.calls()).isEqualTo(calls);
  }

  @Test
  void metadataComesBackWithItsJavaTypes() {
    Map<String, Object> metadata =
        Map.of(
            "s", "text", "b", true, "i", 7, "l", 7_000_000_000L, "f", 1.25f, "d", 2.5, "neg", -3);
    store.add(List.of(new Document("typed", "typed values", metadata)));
    Document d =
        store
            .similaritySearch(SearchRequest.builder().query("typed values").topK(1).build())
            .get(0);
    assertThat(d.getMetadata())
        .containsEntry("s", "text")
        .containsEntry("b", true)
        .containsEntry("i", 7)
        .containsEntry("l", 7_000_000_000L)
        .containsEntry("f", 1.25f)
        .containsEntry("d", 2.5)
        .containsEntry("neg", -3);
    assertThat(d.getMetadata().get("i")).isInstanceOf(Integer.class);
    assertThat(d.getMetadata().get("f")).isInstanceOf(Float.class);
  }

  @Test
  void addEmbedsInTheBatchesOfTheBatchingStrategy() {
    VectorCacheVectorStore batched =
        VectorCacheVectorStore.builder(cache, model)
            .batchingStrategy(
                docs -> {
                  List<List<Document>> batches = new ArrayList<>();
                  for (int i = 0; i < docs.size(); i += 2) {
                    batches.add(docs.subList(i, Math.min(docs.size(), i + 2)));
                  }
                  return batches;
                })
            .build();
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      docs.add(new Document("d" + i, "document number " + i, Map.of()));
    }
    batched.add(docs);
    assertThat(model.calls()).isEqualTo(3);
    assertThat(model.texts()).isEqualTo(5);
    assertThat(cache.get("d4")).isPresent();
  }

  @Test
  void reservedKeysAndUnsupportedValuesAreRefusedBeforeAnyEmbeddingOrWrite() {
    for (String reserved : List.of("sai_content", "sai_x", "_vc_key", "distance")) {
      List<Document> docs =
          List.of(
              new Document("ok", "fine", Map.of()),
              new Document("bad", "refused", Map.of(reserved, "x")));
      assertThatThrownBy(() -> store.add(docs))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining(reserved);
    }
    assertThatThrownBy(
            () -> store.add(List.of(new Document("bad", "refused", Map.of("when", Instant.EPOCH)))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("documents[0].metadata.when")
        .hasMessageContaining("java.time.Instant");
    assertThatThrownBy(
            () -> store.add(List.of(new Document("bad", "refused", Map.of("list", List.of(1))))))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () -> store.add(List.of(new Document("bad", "refused", Map.of("nan", Double.NaN)))))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () ->
                store.add(
                    List.of(
                        new Document("same", "one", Map.of()),
                        new Document("same", "two", Map.of()))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("documents[1].id");
    assertThat(model.calls()).isZero();
    assertThat(cache.get("ok")).isEmpty();
  }

  @Test
  void aBadFilterIsRefusedBeforeTheQueryIsEmbedded() {
    addFruit();
    int calls = model.calls();
    assertThatThrownBy(
            () ->
                store.similaritySearch(
                    SearchRequest.builder().query("apple").filterExpression("a.b == 1").build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("a.b");
    assertThat(model.calls()).isEqualTo(calls);
  }

  @Test
  void deletesByIdsByExpressionAndByText() {
    addFruit();
    store.delete(List.of("apple", "missing"));
    assertThat(cache.get("apple")).isEmpty();
    assertThat(cache.get("apple2")).isPresent();
    store.delete(new FilterExpressionBuilder().eq("kind", "bake").build());
    assertThat(cache.get("bread")).isEmpty();
    store.delete("kind == 'starter'");
    assertThat(cache.get("soup")).isEmpty();
    assertThat(cache.get("apple2")).isPresent();
    assertThatThrownBy(() -> store.delete(List.of(" ")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("ids[0]");
    assertThatThrownBy(() -> store.delete("kind =="))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("filterExpression");
  }

  @Test
  void entriesNeverExpireWithoutATtlAndExpireWithOne() {
    store.add(List.of(new Document("forever", "kept", Map.of())));
    assertThat(cache.get("forever").orElseThrow().expiresAt()).isNull();
    assertThat(store.ttl().isNone()).isTrue();

    VectorCacheVectorStore expiring =
        VectorCacheVectorStore.builder(cache, model).ttl(Duration.ofMinutes(5)).build();
    expiring.add(List.of(new Document("brief", "brief", Map.of())));
    assertThat(cache.get("brief").orElseThrow().expiresAt())
        .isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    clock.advance(Duration.ofMinutes(6));
    assertThat(cache.get("brief")).isEmpty();
    assertThat(
            ids(expiring.similaritySearch(SearchRequest.builder().query("brief").topK(5).build())))
        .containsExactly("forever");
    assertThatThrownBy(() -> VectorCacheVectorStore.builder(cache, model).ttl(Duration.ZERO))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("ttl");
  }

  @Test
  void theNativeClientIsTheCacheAndAnotherDistanceIsRefused() {
    assertThat(store.<VectorCache>getNativeClient()).containsSame(cache);
    assertThat(store.toString()).contains("docs");
    VectorCache dot =
        VectorCache.builder()
            .collection("dot")
            .collectionConfig(
                CollectionConfig.builder(HashingEmbeddingModel.DIMENSION, Distance.DOT).build())
            .vectorStore(new InMemoryVectorStore().async())
            .metadataStore(new InMemoryMetadataStore().async())
            .build();
    try {
      assertThatThrownBy(() -> VectorCacheVectorStore.builder(dot, model).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("Cosine")
          .hasMessageContaining("DOT");
    } finally {
      dot.close();
    }
  }
}
