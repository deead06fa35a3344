package dev.vectorcache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vectorcache.core.CacheListener;
import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the case groups of {@link VectorCacheContract} kept in files of their own share: a cache of
 * their own over the contract's recording stores and clock, which (unlike the contract's) reaches
 * the metadata store's {@link dev.vectorcache.core.port.BatchMetadataWrites} as an application's
 * cache over the real store does, and a listener that records what it hears. The cache does not own
 * the stores; the contract closes them.
 */
abstract class VectorCacheCaseSupport {
  /** What the listener heard, each as {@code "operation OPERATION failed=..."} and the like. */
  final List<String> heard = new CopyOnWriteArrayList<>();

  /** The scores {@link CacheListener#onHitScore} reported, in order. */
  final List<Float> hitScores = new CopyOnWriteArrayList<>();

  /** The counts {@link CacheListener#onDeleted} reported, in order. */
  final List<Long> deletedCounts = new CopyOnWriteArrayList<>();

  /** This group's cache. */
  VectorCache cache;

  /** The contract this group runs in. */
  abstract VectorCacheContract contract();

  @BeforeEach
  final void openCacheWithBatchWrites() {
    VectorCacheContract c = contract();
    cache =
        c.cacheBuilder(c.collection, c.cache.collectionConfig(), c.metadata.withBatchWrites())
            .ownsStores(false)
            .listener(
                new CacheListener() {
                  @Override
                  public void onOperation(Operation operation, long nanos, boolean failed) {
                    assertThat(nanos).isNotNegative();
                    heard.add("operation " + operation + " failed=" + failed);
                  }

                  @Override
                  public void onHitScore(float score) {
                    hitScores.add(score);
                  }

                  @Override
                  public void onDeleted(long count) {
                    deletedCounts.add(count);
                  }
                })
            .build();
  }

  @AfterEach
  final void closeCacheWithBatchWrites() {
    if (cache != null) {
      cache.close();
    }
  }

  static float[] v(float... xs) {
    return xs;
  }

  static Map<String, Object> meta(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  MetadataStore metadataStore() {
    return contract().metadata.blocking();
  }

  /** Whether the metadata store offers the batch writes (and so conditional copy writes). */
  boolean conditionalCopyWrites() {
    return contract().metadata.withBatchWrites().isSupported(Capability.BATCH_METADATA_WRITES);
  }

  /** The metadata-store copy of {@code key}, read directly. */
  Optional<MetadataEntry> copy(String key) {
    return metadataStore().get(contract().collection + ":" + key);
  }

  /** The remaining TTL of the copy of {@code key} in the metadata store. */
  Optional<Duration> copyTtl(String key) {
    return metadataStore().ttl(contract().collection + ":" + key);
  }

  /** The vector store's point of {@code key} with its whole payload, read directly. */
  Optional<RetrievedPoint> point(String key) {
    VectorCacheContract c = contract();
    List<RetrievedPoint> found =
        c.vectors
            .blocking()
            .retrieve(c.collection, List.of(cache.pointId(key)), PayloadSelector.ALL, false);
    return found.stream().findFirst();
  }

  /** The expiry in the vector store's payload of {@code key}, or null when it has none. */
  @Nullable Instant payloadExpiry(String key) {
    Object ms = point(key).orElseThrow().payload().get(EntryPayload.EXPIRES_AT);
    return ms == null ? null : Instant.ofEpochMilli(((Number) ms).longValue());
  }

  /** How many points the collection holds. */
  long points() {
    return contract().vectors.blocking().count(contract().collection, null);
  }

  /**
   * Runs {@code action} while subscribed to the collection's events and returns those of {@code
   * type} that arrived: once {@code expected} have, a marker event of that type is published on the
   * channel and awaited too, so that one sent beyond those expected would be seen (the marker is
   * not returned). Other types are left out: on a Redis Cluster an event published before the
   * subscription may still reach it afterwards, through the cluster bus.
   */
  List<MetadataEvent> eventsOf(MetadataEvent.Type type, int expected, Runnable action) {
    VectorCacheContract c = contract();
    List<MetadataEvent> events = new CopyOnWriteArrayList<>();
    String marker = "marker-" + System.nanoTime();
    try (Subscription s =
        cache.subscribe(
            e -> {
              if (e.type() == type) {
                events.add(e);
              }
            })) {
      assertThat(s.channel()).isEqualTo(c.collection);
      action.run();
      await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= expected);
      c.metadata
          .publish(new MetadataEvent(type, c.collection, marker, 1, c.clock.instant()))
          .join();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> events.stream().anyMatch(e -> e.key().equals(marker)));
    }
    return events.stream().filter(e -> !e.key().equals(marker)).toList();
  }

  /** The keys of these events. */
  static List<String> keysOf(List<MetadataEvent> events) {
    return events.stream().map(MetadataEvent::key).toList();
  }
}
