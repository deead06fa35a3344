package dev.vectorcache.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreAddAllContract;
import dev.langchain4j.store.embedding.EmbeddingStoreWithFilteringIT;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LangChain4j's {@code EmbeddingStoreWithFilteringIT} (with {@code EmbeddingStoreIT} and {@code
 * EmbeddingStoreWithoutMetadataIT}, which it extends) and {@code EmbeddingStoreAddAllContract},
 * unchanged, against a real redis-server (Lettuce) and the Qdrant test server over gRPC.
 */
@ExtendWith(RedisServerExtension.class)
class RedisQdrantEmbeddingStoreIT extends EmbeddingStoreWithFilteringIT
    implements EmbeddingStoreAddAllContract {
  private static RedisQdrant backends;
  private final VectorCacheEmbeddingStore store;
  private final EmbeddingModel model = new HashingEmbeddingModel();

  RedisQdrantEmbeddingStoreIT(RedisServer redis) {
    this.store = backends.store(redis);
  }

  @BeforeAll
  static void open() {
    backends = new RedisQdrant();
  }

  @AfterAll
  static void close() {
    backends.close();
  }

  @Override
  public EmbeddingStore<TextSegment> embeddingStore() {
    return store;
  }

  @Override
  protected EmbeddingModel embeddingModel() {
    return model;
  }

  @Override
  protected void clearStore() {
    store.removeAll();
  }

  @Override
  protected boolean supportsContains() {
    return true;
  }

  /**
   * LangChain4j's test body, unchanged, over its cases without string ranges (see {@link
   * Stores#filterCasesWithoutStringRanges}).
   */
  @Override
  @ParameterizedTest
  @MethodSource("filterCases")
  protected void should_filter_by_metadata(
      Filter metadataFilter, List<Metadata> matching, List<Metadata> notMatching) {
    super.should_filter_by_metadata(metadataFilter, matching, notMatching);
  }

  /**
   * LangChain4j's test body, unchanged, over its negated cases without string ranges (see {@link
   * Stores#filterCasesWithoutStringRanges}).
   */
  @Override
  @ParameterizedTest
  @MethodSource("notFilterCases")
  protected void should_filter_by_metadata_not(
      Filter metadataFilter, List<Metadata> matching, List<Metadata> notMatching) {
    super.should_filter_by_metadata_not(metadataFilter, matching, notMatching);
  }

  static Stream<Arguments> filterCases() {
    return Stores.filterCasesWithoutStringRanges(
        EmbeddingStoreWithFilteringIT.should_filter_by_metadata());
  }

  static Stream<Arguments> notFilterCases() {
    return Stores.filterCasesWithoutStringRanges(
        EmbeddingStoreWithFilteringIT.should_filter_by_metadata_not());
  }
}
