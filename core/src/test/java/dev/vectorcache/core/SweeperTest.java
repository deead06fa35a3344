package dev.vectorcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.VectorCacheException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CacheStrategy;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sweeping")
class SweeperTest {
  private static final Instant NOW = Instant.parse("2031-03-01T12:00:00Z");

  private final FakeStores.Vectors vectors = new FakeStores.Vectors();
  private final FakeStores.Metadata metadata = new FakeStores.Metadata();
  private final AtomicLong sweptEvents = new AtomicLong();
  private final CacheCounters counters =
      new CacheCounters(
          List.of(
              new CacheListener() {
                @Override
                public void onExpiredSwept(long count) {
                  sweptEvents.addAndGet(count);
                }
              }));

  private Sweeper sweeper() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    MetadataCopies copies =
        new MetadataCopies(metadata.port(), "c", CacheStrategy.CACHE_ASIDE, true, clock, counters);
    return new Sweeper(vectors.port(), "c", copies, clock, counters);
  }

  private void entry(int id, String key, @Nullable Instant expiresAt) {
    vectors.put(PointId.of(id), EntryPayload.encode(new CacheEntry(key, Map.of(), id, expiresAt)));
    metadata.entries.put("c:" + key, new MetadataEntry("c:" + key, Map.of(), id, expiresAt));
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
    assertThat(vectors.points).containsOnlyKeys(PointId.of(n + 1));
    assertThat(metadata.entries).containsOnlyKeys("c:live");
    assertThat(metadata.events).hasSize(n).allMatch(e -> e.type() == MetadataEvent.Type.EXPIRED);
    assertThat(counters.snapshot().expiredSwept()).isEqualTo(n);
    assertThat(sweptEvents).hasValue(n);
  }

  @Test
  @DisplayName("an entry whose expiry is now is expired; entries without expiry are left alone")
  void leavesEntriesWithoutExpiry() {
    entry(1, "now", NOW);
    entry(2, "forever", null);

    assertThat(sweeper().sweep().join()).isEqualTo(1);
    assertThat(vectors.points).containsOnlyKeys(PointId.of(2));
    assertThat(metadata.entries).containsOnlyKeys("c:forever");
  }

  @Test
  @DisplayName("a store that does not delete stops the sweep with an error instead of looping")
  void stopsWhenDeletesDoNotApply() {
    for (int i = 1; i <= Sweeper.PAGE_SIZE + 1; i++) { // a second page, so the sweep scrolls again
      entry(i, "old" + i, NOW.minusSeconds(1));
    }
    vectors.deletes = false;
    Sweeper sweeper = sweeper();

    assertThatThrownBy(() -> Futures.join(sweeper.sweep()))
        .isInstanceOf(VectorCacheException.class)
        .hasMessageContaining("still there after it was deleted");
  }

  @Test
  @DisplayName("nothing expired means no delete call at all")
  void nothingToSweep() {
    entry(1, "live", NOW.plusSeconds(5));

    assertThat(sweeper().sweep().join()).isZero();
    assertThat(vectors.calls).containsExactly("scroll");
  }
}
