package dev.vectorcache.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreAddAllContract;
import dev.langchain4j.store.embedding.EmbeddingStoreWithFilteringIT;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LangChain4j's {@code EmbeddingStoreWithFilteringIT} (with {@code EmbeddingStoreIT} and {@code
 * EmbeddingStoreWithoutMetadataIT}, which it extends) and {@code EmbeddingStoreAddAllContract},
 * unchanged, on the embedded default.
 */
class EmbeddedEmbeddingStoreTest extends EmbeddingStoreWithFilteringIT
    implements EmbeddingStoreAddAllContract {
  private static VectorCache cache;
  private static VectorCacheEmbeddingStore store;
  private final EmbeddingModel model = new HashingEmbeddingModel();

  @BeforeAll
  static void open() {
    cache =
        Stores.cache(
            new InMemoryVectorStore().async(), new InMemoryMetadataStore().async(), "lc4j");
    store = VectorCacheEmbeddingStore.builder().vectorCache(cache).build();
  }

  @AfterAll
  static void close() {
    cache.close();
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
