package dev.vectorcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.VectorCacheException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CacheStrategy;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.testing.FakeMetadataStore;
import dev.vectorcache.core.testing.FakeVectorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sweeping")
class SweeperTest {
  private static final Instant NOW = Instant.parse("2031-03-01T12:00:00Z");

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final FakeVectorStore vectors = new FakeVectorStore();
  private final FakeMetadataStore metadata = new FakeMetadataStore(clock);
  private final AtomicLong sweptEvents = new AtomicLong();
  private final List<Long> deletedEvents = new ArrayList<>();
  private final CacheCounters counters =
      new CacheCounters(
          List.of(
              new CacheListener() {
                @Override
                public void onExpiredSwept(long count) {
                  sweptEvents.addAndGet(count);
                }

                @Override
                public void onDeleted(long count) {
                  deletedEvents.add(count);
                }
              }));

  private Sweeper sweeper() {
    MetadataCopies copies =
        new MetadataCopies(
            metadata.async(),
            "c",
            VectorCache.builder().strategy(CacheStrategy.CACHE_ASIDE).clock(clock),
            counters,
            Runnable::run);
    vectors.log().clear(); // count only what sweeping does
    return new Sweeper(vectors.async(), "c", copies, clock, counters);
  }

  /**
   * An entry in both stores. The metadata copy gets a TTL an hour past its expiry, as if Redis had
   * not expired it yet, so the test sees that the sweep deletes it.
   */
  private void entry(int id, String key, @Nullable Instant expiresAt) {
    if (!vectors.collectionExists("c")) {
      vectors.createCollection("c", CollectionConfig.builder(2, Distance.DOT).build());
    }
    Map<String, Object> payload = EntryPayload.encode(new CacheEntry(key, Map.of(), id, expiresAt));
    vectors.upsert("c", List.of(PointStruct.of(PointId.of(id), new float[] {1, 0}, payload)));
    metadata.put(
        new MetadataEntry("c:" + key, Map.of(), id, expiresAt),
        expiresAt == null ? null : Duration.between(NOW, expiresAt).plusHours(1));
  }

  private List<PointId> ids() {
    return vectors.scroll("c", ScrollRequest.firstPage(10_000)).points().stream()
        .map(RetrievedPoint::id)
        .toList();
  }

  @Test
  @DisplayName("expired entries are deleted page by page, with their copies, and announced")
  void deletesExpiredEntries() {
    int n = Sweeper.PAGE_SIZE + 5; // more than one page
    for (int i = 1; i <= n; i++) {
      entry(i, "old" + i, NOW.minusSeconds(i));
    }
    entry(n + 1, "live", NOW.plusSeconds(1));

    long swept = sweeper().sweep().join();

    assertThat(swept).isEqualTo(n);
    assertThat(ids()).containsExactly(PointId.of(n + 1));
    assertThat(metadata.keys()).containsExactly("c:live");
    assertThat(metadata.published())
        .hasSize(n)
        .allMatch(e -> e.type() == MetadataEvent.Type.EXPIRED);
    assertThat(counters.snapshot(CircuitState.CLOSED, 0, 0, 0).expiredSwept()).isEqualTo(n);
    assertThat(sweptEvents).hasValue(n);
  }

  @Test
  @DisplayName("an entry whose expiry is now is expired; entries without expiry are left alone")
  void leavesEntriesWithoutExpiry() {
    entry(1, "now", NOW);
    entry(2, "forever", null);

    assertThat(sweeper().sweep().join()).isEqualTo(1);
    assertThat(ids()).containsExactly(PointId.of(2));
    assertThat(metadata.keys()).containsExactly("c:forever");
  }

  @Test
  @DisplayName("a store that does not delete stops the sweep with an error instead of looping")
  void stopsWhenDeletesDoNotApply() {
    for (int i = 1; i <= Sweeper.PAGE_SIZE + 1; i++) { // a second page, so the sweep scrolls again
      entry(i, "old" + i, NOW.minusSeconds(1));
    }
    vectors.applyDeletes(false);
    Sweeper sweeper = sweeper();

    assertThatThrownBy(() -> Futures.join(sweeper.sweep()))
        .isInstanceOf(VectorCacheException.class)
        .hasMessageContaining("still there after it was deleted");
  }

  @Test
  @DisplayName(
      "deleting by filter takes matching entries with or without expiry, page by page, and counts"
          + " them as deleted, not swept")
  void deleteMatchingCountsDeleted() {
    int n = Sweeper.PAGE_SIZE + 5;
    for (int i = 1; i <= n; i++) {
      entry(i, "k" + i, i % 2 == 0 ? null : NOW.minusSeconds(i)); // expired and without expiry
    }
    entry(n + 1, "kept", NOW.plusSeconds(60));
    Filter allButKept = Filter.mustNot(Condition.match(EntryPayload.KEY, "kept"));
    Sweeper sweeper = sweeper();

    long deleted = sweeper.deleteMatching(allButKept, MetadataEvent.Type.DELETED).join();

    assertThat(deleted).isEqualTo(n);
    assertThat(vectors.log().calls()).containsExactly("scroll", "delete", "scroll", "delete");
    assertThat(ids()).containsExactly(PointId.of(n + 1));
    assertThat(metadata.keys()).containsExactly("c:kept");
    assertThat(metadata.published())
        .hasSize(n)
        .allMatch(e -> e.type() == MetadataEvent.Type.DELETED);
    assertThat(deletedEvents).containsExactly((long) Sweeper.PAGE_SIZE, 5L);
    assertThat(sweptEvents).hasValue(0);
    CacheStats stats = counters.snapshot(CircuitState.CLOSED, 0, 0, 0);
    assertThat(stats.deleted()).isEqualTo(n);
    assertThat(stats.expiredSwept()).isZero();
  }

  @Test
  @DisplayName("deleting with no filter takes every point, also one that is not a cache entry")
  void deleteMatchingEverything() {
    entry(1, "a", null);
    entry(2, "b", NOW.plusSeconds(5));
    vectors.upsert("c", List.of(PointStruct.of(PointId.of(3), new float[] {0, 1}, Map.of())));
    Sweeper sweeper = sweeper();

    assertThat(sweeper.deleteMatching(null, MetadataEvent.Type.DELETED).join()).isEqualTo(3);

    assertThat(ids()).isEmpty();
    assertThat(metadata.keys()).isEmpty();
    // a point without a key has no copy to drop and no key to announce
    assertThat(metadata.published()).extracting(MetadataEvent::key).containsExactly("a", "b");
    assertThat(counters.snapshot(CircuitState.CLOSED, 0, 0, 0).deleted()).isEqualTo(3);
  }

  @Test
  @DisplayName("nothing expired means no delete call at all")
  void nothingToSweep() {
    entry(1, "live", NOW.plusSeconds(5));

    assertThat(sweeper().sweep().join()).isZero();
    assertThat(vectors.log().calls()).containsExactly("scroll");
  }
}
