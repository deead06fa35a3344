package dev.vectorcache.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.ai.vectorstore.filter.Filter;

/**
 * {@link SpringAiFiltersTest}'s cases, every operator in both forms, against a real redis-server
 * (Lettuce) and the Qdrant test server over gRPC, where the filters run as Qdrant's.
 */
@ExtendWith(RedisServerExtension.class)
class SpringAiFiltersIT {
  private static RedisQdrant backends;
  private static VectorCacheVectorStore store;

  @BeforeAll
  static void open(RedisServer redis) {
    backends = new RedisQdrant(redis, "filters");
    store = VectorCacheVectorStore.builder(backends.cache(), new HashingEmbeddingModel()).build();
    SpringAiFiltersTest.addDocuments(store);
  }

  @AfterAll
  static void close() {
    backends.close();
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("dev.vectorcache.spring.ai.SpringAiFiltersTest#cases")
  void bothFormsMatchTheSameDocuments(
      Filter.ExpressionType type, Filter.Expression expression, String text, String expected) {
    List<String> want = List.of(expected.split(" "));
    assertThat(SpringAiFiltersTest.search(store, expression))
        .as("expression %s", expression)
        .containsExactlyInAnyOrderElementsOf(want);
    assertThat(SpringAiFiltersTest.search(store, text))
        .as("text %s", text)
        .containsExactlyInAnyOrderElementsOf(want);
  }
}
