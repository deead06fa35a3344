package dev.vectorcache.core;

import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.testing.FakeMetadataStore;
import dev.vectorcache.core.testing.FakeVectorStore;
import dev.vectorcache.core.testing.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Caches over the in-core fakes (a metadata store with batch writes, as the Redis adapters have) on
 * a clock that moves only when a test moves it, each with a listener that records what it hears as
 * text: {@code "STORE ok"} / {@code "GET failed"} per operation, {@code "score 0.5"} per hit,
 * {@code "deleted 3"} per deleting call. The caches do not own the stores; {@link #close()} closes
 * the caches.
 */
final class CacheFixture implements AutoCloseable {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final String COLL = "docs";
  static final CollectionConfig CONFIG = CollectionConfig.builder(3, Distance.COSINE).build();

  final MutableClock clock = new MutableClock(START);
  final FakeVectorStore vectors = new FakeVectorStore();
  final FakeMetadataStore metadata = new FakeMetadataStore(clock).withBatchWrites();

  /** What the listener of every cache of this fixture heard, in order. */
  final List<String> heard = new CopyOnWriteArrayList<>();

  private final List<VectorCache> opened = new ArrayList<>();

  VectorCacheBuilder builder() {
    return VectorCache.builder()
        .collection(COLL)
        .collectionConfig(CONFIG)
        .vectorStore(vectors)
        .metadataStore(metadata)
        .clock(clock)
        .ownsStores(false)
        .listener(
            new CacheListener() {
              @Override
              public void onOperation(Operation operation, long nanos, boolean failed) {
                heard.add(operation + (failed ? " failed" : " ok"));
              }

              @Override
              public void onHitScore(float score) {
                heard.add("score " + score);
              }

              @Override
              public void onDeleted(long count) {
                heard.add("deleted " + count);
              }
            });
  }

  /** Builds and initializes a cache; the fixture closes it. */
  VectorCache open(VectorCacheBuilder b) {
    VectorCache c = b.build();
    opened.add(c);
    c.initialize();
    return c;
  }

  /** A cache with the fixture's settings, and the call logs cleared of its set-up. */
  VectorCache open() {
    VectorCache c = open(builder());
    vectors.log().clear();
    metadata.log().clear();
    return c;
  }

  /** The metadata-store key of a cache key of {@link #COLL}. */
  static String copyKey(String key) {
    return COLL + ":" + key;
  }

  @Override
  public void close() {
    opened.forEach(VectorCache::close);
  }
}
