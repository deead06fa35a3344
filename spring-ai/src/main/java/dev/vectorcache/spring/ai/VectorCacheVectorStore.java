package dev.vectorcache.spring.ai;

import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.CacheWrite;
import dev.vectorcache.core.Ttl;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.Distance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.observation.conventions.VectorStoreSimilarityMetric;
import org.springframework.ai.vectorstore.AbstractVectorStoreBuilder;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.observation.AbstractObservationVectorStore;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;

/**
 * A Spring AI {@link org.springframework.ai.vectorstore.VectorStore} over a {@link VectorCache}.
 *
 * <pre>{@code
 * VectorStore store = VectorCacheVectorStore.builder(vectorCache, embeddingModel)
 *     .observationRegistry(observationRegistry)   // optional: db.vector observations
 *     .ttl(Duration.ofDays(30))                   // optional: entries never expire without it
 *     .build();
 * }</pre>
 *
 * <p>Each document is one cache entry whose key is the document's id. Its text and metadata live in
 * the entry's payload, the metadata under its own keys (so that filters name them), each value
 * coming back with its Java type (String, Boolean, Integer, Long, Float, Double); other value types
 * are refused. Metadata keys starting with {@code sai_} or {@code _vc_}, and {@code distance}, are
 * refused before any embedding or write. Documents are embedded with the builder's {@link
 * EmbeddingModel} in the batches of its {@link org.springframework.ai.embedding.BatchingStrategy}.
 *
 * <p>Searches embed the query, map the filter with {@link SpringAiFilters} and Spring AI's
 * similarity threshold to the cache's strict cosine threshold (docs/spring.md, "Scores"): a
 * document's score is {@code (cos + 1) / 2}, in [0, 1], its {@code distance} metadata {@code 1 -
 * score}, and a document whose score equals the threshold is returned. The cache's collection must
 * use the Cosine distance.
 *
 * <p>Adds, deletes and searches are observed as Spring AI's {@code db.vector.client.operation} with
 * db system {@value #DB_SYSTEM}. The store does not own the cache: close it yourself.
 */
public final class VectorCacheVectorStore extends AbstractObservationVectorStore {
  /** The {@code db.system} of this store's observations. */
  public static final String DB_SYSTEM = "vectorcache";

  private final VectorCache cache;
  private final Ttl ttl;

  private VectorCacheVectorStore(Builder b) {
    super(b);
    this.cache = b.cache;
    this.ttl = b.ttl == null ? Ttl.none() : Ttl.of(b.ttl);
  }

  /**
   * A builder over a cache and the model that embeds documents and queries.
   *
   * @param cache the cache; its collection must use the Cosine distance
   * @param embeddingModel the embedding model, of the collection's dimension
   * @return a new builder
   */
  public static Builder builder(VectorCache cache, EmbeddingModel embeddingModel) {
    return new Builder(cache, embeddingModel);
  }

  /**
   * The TTL of every write.
   *
   * @return the store's TTL, {@link Ttl#none()} unless the builder set one
   */
  public Ttl ttl() {
    return ttl;
  }

  /**
   * Embeds and stores (or replaces) documents; all are checked before anything is embedded.
   *
   * @param documents the documents, each with text
   * @throws InvalidInputException for a null document, a duplicate id, a reserved metadata key or
   *     an unsupported metadata value
   */
  @Override
  public void doAdd(List<Document> documents) {
    if (documents.isEmpty()) {
      return;
    }
    List<Map<String, Object>> payloads = new ArrayList<>(documents.size());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < documents.size(); i++) {
      Document d = documents.get(i);
      if (d == null) {
        throw new InvalidInputException("documents[" + i + "]", "a document", null);
      }
      if (!ids.add(d.getId())) {
        throw new InvalidInputException(
            "documents[" + i + "].id", "an id not given twice in one add", d.getId());
      }
      payloads.add(DocumentPayload.encode(d, "documents[" + i + "]"));
    }
    List<float[]> vectors =
        embeddingModel.embed(documents, EmbeddingOptions.builder().build(), batchingStrategy);
    List<CacheWrite> writes = new ArrayList<>(documents.size());
    for (int i = 0; i < documents.size(); i++) {
      writes.add(CacheWrite.of(documents.get(i).getId(), vectors.get(i), payloads.get(i), ttl));
    }
    cache.storeAll(writes);
  }

  /**
   * Deletes the documents of these ids; missing ones are ignored.
   *
   * @param idList the ids
   * @throws InvalidInputException for a null or blank id
   */
  @Override
  public void doDelete(List<String> idList) {
    List<String> keys = new ArrayList<>(idList.size());
    for (int i = 0; i < idList.size(); i++) {
      String id = idList.get(i);
      if (id == null || id.isBlank()) {
        throw new InvalidInputException("ids[" + i + "]", "a non-blank document id", id);
      }
      keys.add(id);
    }
    if (!keys.isEmpty()) {
      cache.deleteAll(keys);
    }
  }

  /**
   * Deletes the documents that match a filter expression ({@link SpringAiFilters}).
   *
   * @param filterExpression the expression
   */
  @Override
  protected void doDelete(Filter.Expression filterExpression) {
    cache.deleteWhere(SpringAiFilters.toFilter(filterExpression));
  }

  /**
   * Deletes the documents that match the text form of a filter expression, parsed by Spring AI's
   * parser before any I/O.
   *
   * @param filterExpression the text, such as {@code country == 'BG'}
   * @throws InvalidInputException for a blank text or one the parser refuses
   */
  @Override
  public void delete(String filterExpression) {
    delete(SpringAiFilters.parse(filterExpression));
  }

  /**
   * The {@code topK} documents most similar to the query, best first, whose score is at least the
   * request's similarity threshold and which match its filter.
   *
   * @param request the request
   * @return the documents with their scores and {@code distance} metadata
   */
  @Override
  public List<Document> doSimilaritySearch(SearchRequest request) {
    dev.vectorcache.core.filter.Filter filter =
        request.getFilterExpression() == null
            ? null
            : SpringAiFilters.toFilter(request.getFilterExpression());
    @Nullable Float threshold = Scores.cosineThreshold(request.getSimilarityThreshold());
    if (request.getTopK() <= 0) {
      return List.of();
    }
    float[] query = embeddingModel.embed(request.getQuery());
    List<CacheHit> hits = cache.searchSimilar(query, request.getTopK(), filter, threshold);
    List<Document> documents = new ArrayList<>(hits.size());
    for (CacheHit hit : hits) {
      documents.add(
          DocumentPayload.decode(hit.key(), hit.metadata(), Scores.fromCosine(hit.score())));
    }
    return documents;
  }

  /**
   * Spring AI's observation context of an operation: db system {@value #DB_SYSTEM}, the cache's
   * collection, its dimension and the cosine metric.
   *
   * @param operationName the operation
   * @return the context's builder
   */
  @Override
  public VectorStoreObservationContext.Builder createObservationContextBuilder(
      String operationName) {
    return VectorStoreObservationContext.builder(DB_SYSTEM, operationName)
        .collectionName(cache.collection())
        .dimensions(cache.collectionConfig().dimension())
        .similarityMetric(VectorStoreSimilarityMetric.COSINE.value());
  }

  /**
   * The cache under this store.
   *
   * @param <T> {@link VectorCache}
   * @return the cache
   */
  @Override
  @SuppressWarnings("unchecked")
  public <T> Optional<T> getNativeClient() {
    return Optional.of((T) cache);
  }

  @Override
  public String toString() {
    return "VectorCacheVectorStore{collection=" + cache.collection() + ", ttl=" + ttl + "}";
  }

  /** Builds a {@link VectorCacheVectorStore}. */
  public static final class Builder extends AbstractVectorStoreBuilder<Builder> {
    private final VectorCache cache;
    private @Nullable Duration ttl;

    private Builder(VectorCache cache, EmbeddingModel embeddingModel) {
      super(Objects.requireNonNull(embeddingModel, "embeddingModel"));
      this.cache = Objects.requireNonNull(cache, "cache");
    }

    /**
     * The time to live of every write; without it entries never expire.
     *
     * @param ttl a positive duration
     * @return this builder
     * @throws InvalidInputException for a null, zero or negative duration
     */
    public Builder ttl(Duration ttl) {
      if (ttl == null || ttl.isZero() || ttl.isNegative()) {
        throw new InvalidInputException("ttl", "a positive duration", ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * The store.
     *
     * @return the store
     * @throws ConfigurationException when the cache's collection is not Cosine
     */
    @Override
    public VectorCacheVectorStore build() {
      Distance distance = cache.collectionConfig().distance();
      if (distance != Distance.COSINE) {
        throw new ConfigurationException(
            "VectorCacheVectorStore needs a Cosine collection (Spring AI's similarity score in"
                + " [0, 1] is defined here from the cosine similarity); collection '"
                + cache.collection()
                + "' uses "
                + distance);
      }
      return new VectorCacheVectorStore(this);
    }
  }
}
