package dev.vectorcache.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code VectorCache} degrades, it does not break, while Redis is down: writes still succeed on the
 * vector side and searches answer with metadata from the vector store's payload; failures are
 * counted; once Redis is back the cache fills it again. Runs against a private {@code redis-server}
 * that the test kills and restarts.
 *
 * <p>An adapter extends it with one class that opens its metadata store for a URL with a short
 * command timeout.
 */
@ExtendWith(RedisServerExtension.class)
public abstract class RedisOutageVectorCacheContract {
  /** Command timeout the adapters under test are opened with. */
  protected static final Duration TIMEOUT = Duration.ofMillis(500);

  private final RedisServer redis;
  private VectorCache cache;

  protected RedisOutageVectorCacheContract(RedisServer redis) {
    this.redis = redis;
  }

  /** A metadata store for {@code url} with a command timeout of {@link #TIMEOUT}. */
  protected abstract MetadataStore openMetadataStore(String url);

  /** The vector side: the embedded engine unless overridden. */
  protected abstract VectorStore openVectorStore();

  @BeforeEach
  void open() {
    cache =
        VectorCache.builder()
            .collection("outage_" + UUID.randomUUID().toString().substring(0, 8))
            .collectionConfig(CollectionConfig.builder(3, Distance.COSINE).build())
            .vectorStore(openVectorStore())
            .metadataStore(openMetadataStore(redis.url()))
            .build();
    cache.initialize();
  }

  @AfterEach
  void close() {
    if (cache != null) {
      cache.close();
    }
  }

  @Test
  void writesAndSearchesKeepWorkingWhileRedisIsDownAndRedisIsRefilledAfterwards() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        redis.canKill(), "needs a private redis-server process to kill");
    cache.store("before", new float[] {1, 0, 0}, Map.of("title", "before"), Duration.ofMinutes(5));

    redis.kill();
    // bounded: each metadata call fails within its timeout, the vector side carries on
    Duration bound = TIMEOUT.multipliedBy(8).plusSeconds(2);
    assertTimeoutPreemptively(
        bound,
        () ->
            cache.store(
                "during",
                new float[] {0.9f, 0.1f, 0},
                Map.of("title", "during"),
                Duration.ofMinutes(5)));
    List<CacheHit> hits =
        assertTimeoutPreemptively(bound, () -> cache.searchSimilar(new float[] {1, 0, 0}, 5));

    assertThat(hits).extracting(CacheHit::key).containsExactly("before", "during");
    assertThat(hits).allMatch(h -> h.source() == CacheHit.Source.VECTOR_STORE_PAYLOAD);
    assertThat(hits.get(1).metadata()).containsEntry("title", "during");
    assertThat(cache.stats().metadataStoreFailures()).isGreaterThanOrEqualTo(2);

    redis.restart(); // no persistence: the restarted server is empty
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              cache.searchSimilar(new float[] {1, 0, 0}, 5); // repopulates on a miss
              assertThat(cache.searchSimilar(new float[] {1, 0, 0}, 5))
                  .extracting(CacheHit::source)
                  .containsOnly(CacheHit.Source.METADATA_STORE);
            });
  }
}
