package dev.vectorcache.spring.ai;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.VectorCache;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.observation.conventions.SpringAiKind;
import org.springframework.ai.observation.conventions.VectorStoreSimilarityMetric;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.observation.DefaultVectorStoreObservationConvention;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationDocumentation.HighCardinalityKeyNames;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationDocumentation.LowCardinalityKeyNames;

/** {@link VectorCacheVectorStore}'s observations in Spring AI's {@code db.vector} conventions. */
class VectorStoreObservationTest {
  private final TestObservationRegistry registry = TestObservationRegistry.create();
  private final VectorCache cache = Caches.embedded("observed");
  private final VectorCacheVectorStore store =
      VectorCacheVectorStore.builder(cache, new HashingEmbeddingModel())
          .observationRegistry(registry)
          .build();

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void addSearchAndDeleteAreObservedWithTheDbVectorKeys() {
    store.add(List.of(new Document("one", "observed text", Map.of("country", "BG"))));
    assertThat(registry)
        .hasObservationWithNameEqualTo(DefaultVectorStoreObservationConvention.DEFAULT_NAME)
        .that()
        .hasContextualNameEqualTo("vectorcache add")
        .hasLowCardinalityKeyValue(LowCardinalityKeyNames.DB_SYSTEM.asString(), "vectorcache")
        .hasLowCardinalityKeyValue(LowCardinalityKeyNames.DB_OPERATION_NAME.asString(), "add")
        .hasLowCardinalityKeyValue(
            LowCardinalityKeyNames.SPRING_AI_KIND.asString(), SpringAiKind.VECTOR_STORE.value())
        .hasHighCardinalityKeyValue(
            HighCardinalityKeyNames.DB_COLLECTION_NAME.asString(), "observed")
        .hasHighCardinalityKeyValue(
            HighCardinalityKeyNames.DB_VECTOR_DIMENSION_COUNT.asString(), "384")
        .hasHighCardinalityKeyValue(
            HighCardinalityKeyNames.DB_SEARCH_SIMILARITY_METRIC.asString(),
            VectorStoreSimilarityMetric.COSINE.value())
        .hasBeenStarted()
        .hasBeenStopped();
    registry.clear();

    List<Document> found =
        store.similaritySearch(
            SearchRequest.builder()
                .query("observed text")
                .topK(3)
                .similarityThreshold(0.5)
                .filterExpression("country == 'BG'")
                .build());
    assertThat(found).hasSize(1);
    assertThat(registry)
        .hasObservationWithNameEqualTo(DefaultVectorStoreObservationConvention.DEFAULT_NAME)
        .that()
        .hasContextualNameEqualTo("vectorcache query")
        .hasLowCardinalityKeyValue(LowCardinalityKeyNames.DB_OPERATION_NAME.asString(), "query")
        .hasHighCardinalityKeyValue(
            HighCardinalityKeyNames.DB_VECTOR_QUERY_CONTENT.asString(), "observed text")
        .hasHighCardinalityKeyValue(HighCardinalityKeyNames.DB_VECTOR_QUERY_TOP_K.asString(), "3")
        .hasHighCardinalityKeyValue(
            HighCardinalityKeyNames.DB_VECTOR_QUERY_SIMILARITY_THRESHOLD.asString(), "0.5")
        .hasHighCardinalityKeyValueWithKey(
            HighCardinalityKeyNames.DB_VECTOR_QUERY_FILTER.asString())
        .satisfies(
            context ->
                assertThat(((VectorStoreObservationContext) context).getQueryResponse())
                    .extracting(Document::getId)
                    .containsExactly("one"));
    registry.clear();

    store.delete(List.of("one"));
    assertThat(registry)
        .hasObservationWithNameEqualTo(DefaultVectorStoreObservationConvention.DEFAULT_NAME)
        .that()
        .hasLowCardinalityKeyValue(LowCardinalityKeyNames.DB_OPERATION_NAME.asString(), "delete")
        .hasBeenStopped();
  }

  @Test
  void aFailedSearchIsObservedWithItsError() {
    try {
      store.similaritySearch(
          SearchRequest.builder().query("x").filterExpression("a.b == 1").build());
    } catch (RuntimeException expected) {
      // asserted below through the observation
    }
    assertThat(registry)
        .hasObservationWithNameEqualTo(DefaultVectorStoreObservationConvention.DEFAULT_NAME)
        .that()
        .hasError()
        .hasBeenStopped();
  }
}
