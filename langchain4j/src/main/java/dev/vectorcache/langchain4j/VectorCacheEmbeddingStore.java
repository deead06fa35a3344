package dev.vectorcache.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.RelevanceScore;
import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.CacheWrite;
import dev.vectorcache.core.Ttl;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.RetrievedPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A LangChain4j {@link EmbeddingStore} of {@link TextSegment}s over a {@link VectorCache}.
 *
 * <p>Each embedding is one cache entry whose key is the embedding's id (LangChain4j makes random
 * UUIDs); the segment's text and metadata live in the entry's payload, the metadata under its own
 * keys so that filters name them, each value coming back with its LangChain4j type (String, UUID,
 * Integer, Long, Float, Double). Metadata keys starting with {@code lc4j_} or {@code _vc_} are
 * refused. Entries never expire unless the store has a {@linkplain Builder#ttl(Duration) TTL} or a
 * write names one ({@link #add(String, Embedding, TextSegment, Ttl)}).
 *
 * <p>Searches map LangChain4j's filters with {@link LangChain4jFilters} and its minimum relevance
 * score to the cache's strict cosine threshold (docs/langchain4j.md, "Scores"): relevance = (cos +
 * 1) / 2, and a match whose relevance equals {@code minScore} is returned, as LangChain4j's stores
 * do. The cache's collection must use the Cosine distance.
 *
 * <p>Removal by ids, by filter and of everything go through {@link VectorCache#deleteAll}, {@link
 * VectorCache#deleteWhere} and {@link VectorCache#clear}, in the cache's write order. The store
 * does not own the cache: close the cache yourself.
 */
public final class VectorCacheEmbeddingStore implements EmbeddingStore<TextSegment> {
  private final VectorCache cache;
  private final Ttl ttl;

  private VectorCacheEmbeddingStore(Builder b) {
    this.cache = Objects.requireNonNull(b.vectorCache, "vectorCache");
    Distance distance = cache.collectionConfig().distance();
    if (distance != Distance.COSINE) {
      throw new ConfigurationException(
          "VectorCacheEmbeddingStore needs a Cosine collection (LangChain4j's relevance score is"
              + " defined from the cosine similarity); collection '"
              + cache.collection()
              + "' uses "
              + distance);
    }
    this.ttl = b.ttl == null ? Ttl.none() : Ttl.of(b.ttl);
  }

  /**
   * A builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The cache this store writes to.
   *
   * @return the cache
   */
  public VectorCache vectorCache() {
    return cache;
  }

  /**
   * The TTL of writes that name none.
   *
   * @return the store's TTL, {@link Ttl#none()} unless the builder set one
   */
  public Ttl ttl() {
    return ttl;
  }

  // ------------------------------------------------------------------ add

  @Override
  public String add(Embedding embedding) {
    String id = generateIds(1).get(0);
    add(id, embedding);
    return id;
  }

  @Override
  public void add(String id, Embedding embedding) {
    addAll(List.of(checkId(id)), List.of(embedding), null);
  }

  @Override
  public String add(Embedding embedding, TextSegment textSegment) {
    String id = generateIds(1).get(0);
    addAll(List.of(id), List.of(embedding), List.of(textSegment));
    return id;
  }

  /**
   * Adds (or replaces) one embedding with its own time to live.
   *
   * @param id the embedding's id
   * @param embedding the embedding
   * @param textSegment the segment, or null for none
   * @param ttl the time to live, or {@link Ttl#none()}
   */
  public void add(String id, Embedding embedding, @Nullable TextSegment textSegment, Ttl ttl) {
    List<@Nullable TextSegment> segments = new ArrayList<>(1);
    segments.add(textSegment);
    write(List.of(checkId(id)), List.of(embedding), segments, Objects.requireNonNull(ttl, "ttl"));
  }

  @Override
  public List<String> addAll(List<Embedding> embeddings) {
    List<String> ids = generateIds(embeddings.size());
    addAll(ids, embeddings, null);
    return ids;
  }

  @Override
  public void addAll(
      @Nullable List<String> ids,
      @Nullable List<Embedding> embeddings,
      @Nullable List<TextSegment> embedded) {
    addAll(ids, embeddings, embedded, ttl);
  }

  /**
   * Adds (or replaces) embeddings with their segments in one write, with a time to live of their
   * own.
   *
   * @param ids the ids, one per embedding
   * @param embeddings the embeddings
   * @param embedded the segments, one per embedding, or null for none
   * @param ttl the time to live, or {@link Ttl#none()}
   * @throws IllegalArgumentException when the sizes differ, with LangChain4j's messages
   */
  public void addAll(
      @Nullable List<String> ids,
      @Nullable List<Embedding> embeddings,
      @Nullable List<TextSegment> embedded,
      Ttl ttl) {
    int idCount = ids == null ? 0 : ids.size();
    int embeddingCount = embeddings == null ? 0 : embeddings.size();
    if (idCount != embeddingCount) {
      throw new IllegalArgumentException(
          "ids size (" + idCount + ") is not equal to embeddings size (" + embeddingCount + ")");
    }
    if (embedded != null && embedded.size() != embeddingCount) {
      throw new IllegalArgumentException(
          "embeddings size ("
              + embeddingCount
              + ") is not equal to embedded size ("
              + embedded.size()
              + ")");
    }
    if (ids == null || embeddings == null || embeddingCount == 0) {
      return;
    }
    List<@Nullable TextSegment> segments = new ArrayList<>(embeddingCount);
    for (int i = 0; i < embeddingCount; i++) {
      segments.add(embedded == null ? null : embedded.get(i));
    }
    write(ids, embeddings, segments, Objects.requireNonNull(ttl, "ttl"));
  }

  private void write(
      List<String> ids, List<Embedding> embeddings, List<@Nullable TextSegment> segments, Ttl t) {
    List<CacheWrite> writes = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      Embedding e = embeddings.get(i);
      if (e == null) {
        throw new IllegalArgumentException("embeddings[" + i + "] cannot be null");
      }
      writes.add(
          CacheWrite.of(
              checkId(ids.get(i)),
              e.vector(),
              SegmentPayload.encode(segments.get(i), "embedded[" + i + "]"),
              t));
    }
    cache.storeAll(writes);
  }

  // ------------------------------------------------------------------ search

  @Override
  public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
    Objects.requireNonNull(request, "request");
    Filter filter = request.filter() == null ? null : LangChain4jFilters.toFilter(request.filter());
    List<CacheHit> hits =
        cache.searchSimilar(
            request.queryEmbedding().vector(),
            request.maxResults(),
            filter,
            Scores.cosineThreshold(request.minScore()));
    if (hits.isEmpty()) {
      return new EmbeddingSearchResult<>(List.of());
    }
    Map<PointId, float[]> vectors = vectors(hits);
    List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>(hits.size());
    for (CacheHit hit : hits) {
      float[] vector = vectors.get(cache.pointId(hit.key()));
      if (vector == null) {
        continue; // deleted between the search and the read of the vectors
      }
      matches.add(
          new EmbeddingMatch<>(
              RelevanceScore.fromCosineSimilarity(hit.score()),
              hit.key(),
              Embedding.from(vector),
              SegmentPayload.decode(hit.metadata())));
    }
    return new EmbeddingSearchResult<>(matches);
  }

  /** The hits' vectors, read in one call (the cache's hits carry payloads, not vectors). */
  private Map<PointId, float[]> vectors(List<CacheHit> hits) {
    List<PointId> ids = new ArrayList<>(hits.size());
    for (CacheHit hit : hits) {
      ids.add(cache.pointId(hit.key()));
    }
    List<RetrievedPoint> points =
        cache.vectorStore().retrieve(cache.collection(), ids, PayloadSelector.NONE, true).join();
    Map<PointId, float[]> byId = new HashMap<>();
    for (RetrievedPoint p : points) {
      float[] v = p.vector();
      if (v != null) {
        byId.put(p.id(), v);
      }
    }
    return byId;
  }

  // ------------------------------------------------------------------ remove

  @Override
  public void remove(String id) {
    cache.deleteAll(List.of(checkId(id)));
  }

  /** Removes the embeddings of these ids; a null or empty collection removes nothing. */
  @Override
  public void removeAll(@Nullable Collection<String> ids) {
    if (ids == null || ids.isEmpty()) {
      return;
    }
    List<String> keys = new ArrayList<>(ids.size());
    for (String id : ids) {
      keys.add(checkId(id));
    }
    cache.deleteAll(keys);
  }

  @Override
  public void removeAll(dev.langchain4j.store.embedding.filter.@Nullable Filter filter) {
    if (filter == null) {
      throw new IllegalArgumentException("filter cannot be null");
    }
    cache.deleteWhere(LangChain4jFilters.toFilter(filter));
  }

  @Override
  public void removeAll() {
    cache.clear();
  }

  private static String checkId(@Nullable String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id cannot be null or blank");
    }
    return id;
  }

  /** Builds a {@link VectorCacheEmbeddingStore}. */
  public static final class Builder {
    private @Nullable VectorCache vectorCache;
    private @Nullable Duration ttl;

    private Builder() {}

    /**
     * The cache to store into (required); its collection must use the Cosine distance.
     *
     * @param vectorCache the cache
     * @return this builder
     */
    public Builder vectorCache(VectorCache vectorCache) {
      this.vectorCache = Objects.requireNonNull(vectorCache, "vectorCache");
      return this;
    }

    /**
     * The time to live of every write that names none; without it entries never expire.
     *
     * @param ttl a positive duration (checked by the cache at each write)
     * @return this builder
     */
    public Builder ttl(Duration ttl) {
      this.ttl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /**
     * The store.
     *
     * @return the store
     * @throws NullPointerException without a cache
     * @throws ConfigurationException when the cache's collection is not Cosine
     */
    public VectorCacheEmbeddingStore build() {
      return new VectorCacheEmbeddingStore(this);
    }
  }
}
