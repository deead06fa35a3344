package dev.vectorcache.semantic;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.testkit.MutableClock;
import dev.vectorcache.testkit.RecordingMetadataStore;
import dev.vectorcache.testkit.RecordingVectorStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded default for the unit tests: an in-memory vector store behind a recording wrapper, an
 * in-memory metadata store (optionally behind one too: the wrapper does not offer the batch-write
 * extension, so the sliding-TTL tests use the store itself), a {@link MutableClock}, and {@link
 * TopicEmbeddings}.
 */
final class Harness implements AutoCloseable {
  static final Instant START = Instant.parse("2031-01-01T00:00:00Z");
  static final String COLLECTION = "answers";

  final MutableClock clock = MutableClock.at(START);
  final InMemoryMetadataStore metadataStore = new InMemoryMetadataStore(clock);
  final RecordingVectorStore vectors = new RecordingVectorStore(new InMemoryVectorStore());
  final RecordingMetadataStore recordedMetadata = new RecordingMetadataStore(metadataStore);
  final AsyncMetadataStore metadata;
  final TopicEmbeddings embeddings = new TopicEmbeddings();
  final VectorCache vectorCache;
  private final List<SemanticCache> opened = new ArrayList<>();

  /** Cosine over {@link TopicEmbeddings#DIM} dimensions, metadata calls recorded. */
  Harness() {
    this(Distance.COSINE, TopicEmbeddings.DIM, true);
  }

  Harness(Distance distance, int dimension, boolean recordMetadata) {
    this.metadata = recordMetadata ? recordedMetadata : metadataStore.async();
    this.vectorCache = vectorCache(vectors, metadata, distance, dimension);
  }

  VectorCache vectorCache(
      AsyncVectorStore vectorStore,
      AsyncMetadataStore metadataStore,
      Distance distance,
      int dimension) {
    return VectorCache.builder()
        .collection(COLLECTION)
        .collectionConfig(CollectionConfig.builder(dimension, distance).build())
        .vectorStore(vectorStore)
        .metadataStore(metadataStore)
        .clock(clock)
        .ownsStores(false)
        .build();
  }

  /** A builder for model "model-a" over this harness's vector cache (not owned), Cosine 0.9. */
  SemanticCacheBuilder builder() {
    return SemanticCache.builder()
        .vectorCache(vectorCache)
        .ownsCache(false)
        .modelId("model-a")
        .embeddingFunction(embeddings)
        .threshold(0.9);
  }

  /** Builds, initialises and remembers a cache, waiting for its start-up sweep. */
  SemanticCache open(SemanticCacheBuilder b) {
    SemanticCache c = b.build();
    opened.add(c);
    c.initialize();
    c.flushAsync().join();
    return c;
  }

  SemanticCache open() {
    return open(builder());
  }

  /** Forgets the recorded calls of both stores. */
  void resetCalls() {
    vectors.recorder().reset();
    recordedMetadata.recorder().reset();
  }

  int storeCalls() {
    return vectors.recorder().totalCalls() + recordedMetadata.recorder().totalCalls();
  }

  @Override
  public void close() {
    vectors.recorder().clearFailures();
    recordedMetadata.recorder().clearFailures();
    opened.forEach(SemanticCache::close);
    vectorCache.close();
    metadataStore.close();
    vectors.close();
  }
}
