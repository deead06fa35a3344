package dev.vectorcache.langchain4j;

import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** What the LangChain4j suites share: the cache they run on, and the filter cases they skip. */
final class Stores {
  private Stores() {}

  /** A cache over 384-dimension Cosine vectors in {@code collection}, initialised. */
  static VectorCache cache(
      AsyncVectorStore vectors, AsyncMetadataStore metadata, String collection) {
    VectorCache cache =
        VectorCache.builder()
            .collection(collection)
            .collectionConfig(
                CollectionConfig.builder(HashingEmbeddingModel.DIMENSION, Distance.COSINE).build())
            .vectorStore(vectors)
            .metadataStore(metadata)
            .build();
    cache.initialize();
    return cache;
  }

  /**
   * LangChain4j's {@code should_filter_by_metadata} cases without those comparing strings with
   * {@code isGreaterThan}, {@code isGreaterThanOrEqualTo}, {@code isLessThan} or {@code
   * isLessThanOrEqualTo}: the cache's ranges compare numbers only and refuse a string bound, as
   * LangChain4j's own Qdrant store does (its {@code QdrantEmbeddingStoreIT} keeps only Integer and
   * Long bounds for these four). Every other case runs.
   */
  static Stream<Arguments> filterCasesWithoutStringRanges(Stream<Arguments> cases) {
    return cases.filter(a -> !isStringRange(a.get()[0]));
  }

  static boolean isStringRange(Object filter) {
    Object bound;
    if (filter instanceof IsGreaterThan f) {
      bound = f.comparisonValue();
    } else if (filter instanceof IsGreaterThanOrEqualTo f) {
      bound = f.comparisonValue();
    } else if (filter instanceof IsLessThan f) {
      bound = f.comparisonValue();
    } else if (filter instanceof IsLessThanOrEqualTo f) {
      bound = f.comparisonValue();
    } else if (filter instanceof Not f) {
      return isStringRange(f.expression());
    } else if (filter instanceof And f) {
      return isStringRange(f.left()) || isStringRange(f.right());
    } else if (filter instanceof Or f) {
      return isStringRange(f.left()) || isStringRange(f.right());
    } else {
      return false;
    }
    return !(bound instanceof Number);
  }
}
