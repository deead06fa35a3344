package dev.vectorcache.core;

import static dev.vectorcache.core.CacheFixture.COLL;
import static dev.vectorcache.core.CacheFixture.copyKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.VectorCacheException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.model.PayloadSchemaType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorCache#deleteAll}, {@link VectorCache#deleteWhere} and {@link VectorCache#clear}
 * against the in-core fakes: the write order (vector store first, then copies, then events), page
 * by page, the counts and listener hooks, and the refusals before any I/O. Each backend runs the
 * same promises in testkit's {@code VectorCacheRemovalCases}.
 */
@DisplayName("VectorCache deleting by keys, by filter and everything")
class VectorCacheRemovalTest {
  private static final float[] X = {1, 0, 0};
  private static final Filter GROUP_X = Filter.must(Condition.match("group", "x"));

  private final CacheFixture f = new CacheFixture();
  private final VectorCache cache = f.open();

  @AfterEach
  void close() {
    f.close();
  }

  private static BackendUnavailableException down() {
    return new BackendUnavailableException("fake", "down", null);
  }

  /** Stores {@code n} entries {@code prefix0..} of {@code group} in one batch. */
  private List<String> storeMany(String prefix, int n, String group) {
    List<CacheWrite> writes = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(prefix + i);
      Ttl ttl = i % 2 == 0 ? Ttl.none() : Ttl.of(Duration.ofMinutes(5));
      writes.add(CacheWrite.of(prefix + i, new float[] {1, i, 0}, Map.of("group", group), ttl));
    }
    cache.storeAll(writes);
    return keys;
  }

  private List<MetadataEvent> published(MetadataEvent.Type type) {
    return f.metadata.published().stream().filter(e -> e.type() == type).toList();
  }

  @Nested
  @DisplayName("by keys")
  class ByKeys {
    @Test
    @DisplayName(
        "deletes the points in one call, then drops every key's copy and announces the existing"
            + " ones together")
    void deletesExistingKeys() {
      CacheEntry a = cache.store("a", X, Map.of());
      CacheEntry b = cache.store("b", X, Map.of(), Ttl.none());
      cache.store("kept", X, Map.of());
      f.metadata.put(new MetadataEntry(copyKey("orphan"), Map.of(), 1, null), null);
      f.vectors.log().clear();
      f.metadata.log().clear();
      f.heard.clear();

      long n = cache.deleteAll(List.of("a", "b", "a", "orphan", "missing"));

      assertThat(n).isEqualTo(2);
      assertThat(f.vectors.log().calls()).containsExactly("retrieve", "delete");
      // the copies' removal and the events: sent together, one round trip on the caller's path
      assertThat(f.metadata.log().calls()).containsExactly("deleteAll", "writeAll");
      assertThat(f.metadata.keys()).containsExactly(copyKey("kept"));
      assertThat(f.vectors.size(COLL)).isEqualTo(1);
      assertThat(published(MetadataEvent.Type.DELETED))
          .extracting(MetadataEvent::key, MetadataEvent::version)
          .containsExactly(tuple("a", a.version()), tuple("b", b.version()));
      assertThat(f.heard).containsExactly("deleted 2", "DELETE ok");
      assertThat(cache.stats().deleted()).isEqualTo(2);
      assertThat(cache.stats().expiredSwept()).isZero();
    }

    @Test
    @DisplayName("counts and announces nothing for missing keys, and needs no I/O for no keys")
    void missingAndNoKeys() {
      assertThat(cache.deleteAllAsync(Collections.emptySet()).join()).isZero();
      assertThat(f.vectors.log().calls()).isEmpty();
      assertThat(f.metadata.log().calls()).isEmpty();

      assertThat(cache.deleteAll(List.of("x", "y"))).isZero();

      assertThat(f.metadata.log().calls()).containsExactly("deleteAll"); // no event to send
      assertThat(f.metadata.published()).isEmpty();
      assertThat(f.heard).containsExactly("DELETE ok");
      assertThat(cache.stats().deleted()).isZero();
    }

    @Test
    @SuppressWarnings("NullAway") // null keys on purpose: they must be refused, typed
    @DisplayName("refuses a bad key, named by its index in the caller's list, before any I/O")
    void refusesABadKey() {
      assertThatThrownBy(() -> cache.deleteAll(List.of("a", "a", "a", "\t")))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("keys[3]"));
      assertThatThrownBy(() -> cache.deleteAll(Arrays.asList(null, "a")))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("keys[0]"));
      assertThatThrownBy(() -> cache.deleteAll(List.of("ok", "\uD83D")))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("keys[1]"));
      assertThatThrownBy(() -> cache.delete(""))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("key"));
      assertThatThrownBy(() -> cache.deleteAll(null)).hasMessage("keys");

      assertThat(f.vectors.log().calls()).isEmpty();
      assertThat(f.metadata.log().calls()).isEmpty();
      assertThat(f.heard).as("bad input is not an operation").isEmpty();
    }

    @Test
    @DisplayName(
        "fails with the vector store's exception, leaving the copies and announcing nothing")
    void vectorStoreFailure() {
      cache.store("a", X, Map.of());
      f.heard.clear();
      f.metadata.log().clear();
      f.vectors.log().failNext("delete", down());

      assertThatThrownBy(() -> cache.deleteAll(List.of("a")))
          .isInstanceOf(BackendUnavailableException.class);

      assertThat(f.metadata.log().calls()).isEmpty();
      assertThat(f.metadata.peek(copyKey("a"))).isPresent();
      assertThat(f.heard).containsExactly("DELETE failed");
      assertThat(cache.get("a")).isPresent();
    }

    @Test
    @DisplayName(
        "tolerates a failed drop of the copies: the keys are deleted and their copies pending")
    void metadataStoreFailure() {
      cache.store("a", X, Map.of());
      f.metadata.log().failNext("deleteAll", down());

      assertThat(cache.delete("a")).isTrue();

      assertThat(f.vectors.size(COLL)).isZero();
      assertThat(cache.stats().invalidationsPending()).isEqualTo(1);
      assertThat(cache.stats().metadataStoreFailures()).isEqualTo(1);
      assertThat(published(MetadataEvent.Type.DELETED)).hasSize(1);
      assertThat(cache.get("a")).isEmpty(); // readers go by the vector store
    }
  }

  @Nested
  @DisplayName("by filter")
  class ByFilter {
    @Test
    @DisplayName(
        "deletes only matching entries, page by page: each page's points, then copies, then events")
    void deletesMatchingEntriesPageByPage() {
      int matching = Sweeper.PAGE_SIZE + 10;
      List<String> x = storeMany("x", matching, "x");
      List<String> y = storeMany("y", 5, "y");
      f.vectors.log().clear();
      f.metadata.log().clear();
      f.heard.clear();

      assertThat(cache.deleteWhere(GROUP_X)).isEqualTo(matching);

      assertThat(f.vectors.log().calls())
          .containsExactly("scroll", "delete", "scroll", "delete"); // the last page has no next
      assertThat(f.metadata.log().calls())
          .containsExactly("deleteAll", "writeAll", "deleteAll", "writeAll");
      assertThat(f.vectors.size(COLL)).isEqualTo(y.size());
      assertThat(f.metadata.keys())
          .containsExactlyInAnyOrderElementsOf(y.stream().map(CacheFixture::copyKey).toList());
      assertThat(published(MetadataEvent.Type.DELETED))
          .extracting(MetadataEvent::key)
          .containsExactlyInAnyOrderElementsOf(x);
      assertThat(f.heard)
          .containsExactly("deleted " + Sweeper.PAGE_SIZE, "deleted 10", "DELETE ok");
      assertThat(cache.stats().deleted()).isEqualTo(matching);
      assertThat(cache.stats().expiredSwept()).isZero();
    }

    @Test
    @DisplayName("deletes matching entries without expiry and expired ones; others stay")
    void entriesWithoutExpiryAndExpiredOnes() {
      cache.store("forever", X, Map.of("group", "x"), Ttl.none());
      cache.store("old", X, Map.of("group", "x"), Duration.ofMinutes(1));
      cache.store("other", X, Map.of("group", "y"), Ttl.none());
      f.clock.advance(Duration.ofMinutes(2));

      assertThat(cache.deleteWhereAsync(GROUP_X).join()).isEqualTo(2);

      assertThat(f.vectors.size(COLL)).isEqualTo(1);
      assertThat(f.metadata.keys()).containsExactly(copyKey("other"));
      assertThat(published(MetadataEvent.Type.DELETED))
          .extracting(MetadataEvent::key)
          .containsExactlyInAnyOrder("forever", "old");
      assertThat(cache.sweepExpired()).isZero();
    }

    @Test
    @SuppressWarnings("NullAway") // a null filter on purpose: it must be refused, typed
    @DisplayName(
        "refuses a null filter before any I/O, and matches nothing without a call to delete")
    void nullAndNothingMatching() {
      assertThatThrownBy(() -> cache.deleteWhere(null))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo("filter");
                assertThat(e.expected()).contains("clear()");
              });
      assertThat(f.vectors.log().calls()).isEmpty();
      assertThat(f.heard).isEmpty();

      assertThat(cache.deleteWhere(GROUP_X)).isZero();
      assertThat(f.vectors.log().calls()).containsExactly("scroll");
      assertThat(f.metadata.log().calls()).isEmpty();
      assertThat(f.heard).containsExactly("DELETE ok");
    }

    @Test
    @DisplayName("stops with an error, reported as failed, when the vector store keeps the points")
    void stuck() {
      storeMany("x", Sweeper.PAGE_SIZE + 1, "x");
      f.vectors.applyDeletes(false);
      f.heard.clear();

      assertThatThrownBy(() -> cache.deleteWhere(GROUP_X))
          .isInstanceOf(VectorCacheException.class)
          .hasMessageContaining("still there after it was deleted");
      assertThat(f.heard).endsWith("DELETE failed");
    }
  }

  @Nested
  @DisplayName("everything")
  class Everything {
    @Test
    @DisplayName(
        "clear deletes every entry from both stores and announces each; the collection, its"
            + " settings and indexes stay, and the cache works on")
    void clearDeletesEverything() {
      List<String> keys = storeMany("k", Sweeper.PAGE_SIZE + 3, "x");
      Map<String, PayloadSchemaType> indexes = f.vectors.indexes(COLL);
      f.vectors.log().clear();
      f.heard.clear();

      assertThat(cache.clear()).isEqualTo(keys.size());

      assertThat(f.vectors.log().calls()).containsOnly("scroll", "delete");
      assertThat(f.vectors.size(COLL)).isZero();
      assertThat(f.metadata.keys()).isEmpty();
      assertThat(published(MetadataEvent.Type.DELETED))
          .extracting(MetadataEvent::key)
          .containsExactlyInAnyOrderElementsOf(keys);
      assertThat(f.heard).containsExactly("deleted " + Sweeper.PAGE_SIZE, "deleted 3", "DELETE ok");
      assertThat(f.vectors.collectionExists(COLL)).isTrue();
      assertThat(f.vectors.collectionInfo(COLL).config()).isEqualTo(CacheFixture.CONFIG);
      assertThat(f.vectors.indexes(COLL)).isEqualTo(indexes).hasSize(2);

      CacheEntry again = cache.store("again", X, Map.of("group", "x"));
      assertThat(cache.get("again")).contains(again);
      assertThat(cache.searchSimilar(X, 5, GROUP_X, null))
          .extracting(CacheHit::key)
          .containsExactly("again");
      assertThat(cache.clearAsync().join()).isEqualTo(1);
      assertThat(cache.clear()).isZero();
      assertThat(cache.stats().deleted()).isEqualTo(keys.size() + 1L);
    }

    @Test
    @DisplayName("a sweep counts expired entries, a clear deleted ones")
    void sweepAndClearAreCountedApart() {
      cache.store("old", X, Map.of(), Duration.ofMinutes(1));
      cache.store("live", X, Map.of(), Duration.ofMinutes(10));
      f.clock.advance(Duration.ofMinutes(1));

      assertThat(cache.sweepExpired()).isEqualTo(1);
      assertThat(cache.clear()).isEqualTo(1);

      assertThat(cache.stats().expiredSwept()).isEqualTo(1);
      assertThat(cache.stats().deleted()).isEqualTo(1);
      assertThat(published(MetadataEvent.Type.EXPIRED))
          .extracting(MetadataEvent::key)
          .containsExactly("old");
      assertThat(published(MetadataEvent.Type.DELETED))
          .extracting(MetadataEvent::key)
          .containsExactly("live");
    }
  }

  @Test
  @DisplayName("a closed cache refuses every deleting call")
  void closed() {
    cache.close();
    List<Runnable> calls =
        List.of(
            () -> cache.deleteAll(List.of("a")),
            () -> cache.deleteWhere(GROUP_X),
            cache::clear,
            () -> cache.extendExpiry(new CacheEntry("a", Map.of(), 1, null), CacheFixture.START),
            () -> {
              CompletableFuture<?> unused = cache.getCopyAsync("a"); // throws before any future
            });
    for (Runnable call : calls) {
      assertThatThrownBy(call::run)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }
}
