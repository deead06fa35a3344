package dev.vectorcache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.vectorcache.core.CacheEntry;
import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.CacheWrite;
import dev.vectorcache.core.Ttl;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cases of {@link VectorCacheContract}'s {@code @Nested} group for deleting by keys ({@code
 * deleteAll}), by filter ({@code deleteWhere}) and everything ({@code clear}): each entry leaves
 * both stores (its point and its metadata-store copy), the vector store first, page by page, and is
 * announced once with a {@link MetadataEvent.Type#DELETED} event; bad input is refused before any
 * I/O.
 */
abstract class VectorCacheRemovalCases extends VectorCacheCaseSupport {
  /** The page size the javadoc of {@code deleteWhere} promises. */
  private static final int PAGE = 256;

  private static final Filter GROUP_X = Filter.must(Condition.match("group", "x"));

  /** Stores {@code n} entries {@code prefix0..} in one batch, every third without expiry. */
  private List<String> storeMany(String prefix, int n, String group) {
    List<CacheWrite> writes = new ArrayList<>(n);
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String key = prefix + i;
      keys.add(key);
      Ttl ttl = i % 3 == 0 ? Ttl.none() : Ttl.of(Duration.ofHours(1));
      writes.add(CacheWrite.of(key, v(1, i * 0.01f, 0, 0), meta("group", group), ttl));
    }
    cache.storeAll(writes);
    return keys;
  }

  private Map<String, MetadataEntry> copies(List<String> keys) {
    String prefix = contract().collection + ":";
    return metadataStore().getAll(keys.stream().map(k -> prefix + k).toList());
  }

  // ------------------------------------------------------------------ by keys

  @Test
  @DisplayName(
      "deleteAll removes the existing keys from both stores, counts each once, announces only them")
  void deleteAllRemovesExistingKeysFromBothStores() {
    CacheEntry a = cache.store("a", v(1, 0, 0, 0), meta("n", 1L), Duration.ofMinutes(5));
    CacheEntry b = cache.store("b", v(0, 1, 0, 0), meta("n", 2L), Ttl.none());
    cache.store("kept", v(0, 0, 1, 0), meta("n", 3L), Duration.ofMinutes(5));
    AtomicLong deleted = new AtomicLong();

    List<MetadataEvent> events =
        eventsOf(
            MetadataEvent.Type.DELETED,
            2,
            () -> deleted.set(cache.deleteAll(List.of("a", "b", "a", "missing"))));

    assertThat(deleted).hasValue(2);
    for (String k : List.of("a", "b")) {
      assertThat(point(k)).as("point of %s", k).isEmpty();
      assertThat(copy(k)).as("copy of %s", k).isEmpty();
      assertThat(cache.get(k)).isEmpty();
    }
    assertThat(point("kept")).isPresent();
    assertThat(copy("kept")).isPresent();
    assertThat(points()).isEqualTo(1);
    assertThat(events)
        .extracting(MetadataEvent::key, MetadataEvent::version)
        .containsExactlyInAnyOrder(tuple("a", a.version()), tuple("b", b.version()));
    assertThat(cache.stats().deleted()).isEqualTo(2);
    assertThat(deletedCounts).containsExactly(2L);
  }

  @Test
  @DisplayName(
      "deleteAll of missing keys returns 0, announces nothing, and still drops a copy left behind")
  void deleteAllOfMissingKeys() {
    String orphan = contract().collection + ":orphan";
    // a copy whose point is gone, as a failed invalidation may leave behind
    metadataStore()
        .put(
            new MetadataEntry(orphan, meta(), 1, contract().clock.instant().plusSeconds(300)),
            Duration.ofMinutes(5));
    contract().vectors.recorder().reset();
    contract().metadata.recorder().reset();

    assertThat(cache.deleteAll(List.of())).isZero();
    assertThat(contract().vectors.recorder().allCalls()).as("no I/O for no keys").isEmpty();
    assertThat(contract().metadata.recorder().allCalls()).isEmpty();

    List<MetadataEvent> events =
        eventsOf(
            MetadataEvent.Type.DELETED,
            0,
            () -> assertThat(cache.deleteAllAsync(List.of("orphan", "nope")).join()).isZero());

    assertThat(events).isEmpty();
    assertThat(metadataStore().get(orphan)).isEmpty();
    assertThat(cache.stats().deleted()).isZero();
    assertThat(deletedCounts).isEmpty();
  }

  @Test
  @SuppressWarnings("NullAway") // a null key on purpose: it must be refused, typed
  @DisplayName(
      "deleteAll refuses a bad key, named by its index in the caller's list, before any I/O")
  void deleteAllRefusesABadKeyBeforeAnyIo() {
    cache.store("a", v(1, 0, 0, 0), meta(), Duration.ofMinutes(5));
    contract().vectors.recorder().reset();
    contract().metadata.recorder().reset();

    // the duplicate before it does not shift the index
    assertThatThrownBy(() -> cache.deleteAll(List.of("a", "a", " ", "b")))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("keys[2]"))
        .hasMessageContaining("non-blank");
    assertThatThrownBy(() -> cache.deleteAllAsync(Arrays.asList("a", null)))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("keys[1]"));
    assertThatThrownBy(() -> cache.deleteAll(List.of("a", "k".repeat(1025))))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("keys[1]"))
        .hasMessageContaining("1024");

    assertThat(contract().vectors.recorder().allCalls()).as("vector store calls").isEmpty();
    assertThat(contract().metadata.recorder().allCalls()).as("metadata store calls").isEmpty();
    assertThat(point("a")).isPresent();
    assertThat(copy("a")).isPresent();
  }

  // ------------------------------------------------------------------ by filter

  @Test
  @DisplayName(
      "deleteWhere removes only the matching entries, page after page, from both stores, announcing"
          + " each")
  void deleteWhereRemovesOnlyMatchingEntriesPageByPage() {
    int matching = PAGE + 44; // more than one page
    List<String> x = storeMany("x", matching, "x");
    List<String> y = storeMany("y", 20, "y");
    contract().vectors.recorder().reset();
    AtomicLong deleted = new AtomicLong();

    List<MetadataEvent> events =
        eventsOf(
            MetadataEvent.Type.DELETED, matching, () -> deleted.set(cache.deleteWhere(GROUP_X)));

    assertThat(deleted).hasValue(matching);
    assertThat(points()).isEqualTo(y.size());
    assertThat(contract().vectors.blocking().count(contract().collection, GROUP_X)).isZero();
    assertThat(copies(x)).as("copies of the deleted entries").isEmpty();
    assertThat(copies(y)).as("copies of the others").hasSize(y.size());
    assertThat(keysOf(events)).hasSize(matching).containsExactlyInAnyOrderElementsOf(x);
    assertThat(events).hasSize(matching);
    // the vector store's points of each page first: one delete call per page
    assertThat(contract().vectors.recorder().calls("delete")).isEqualTo(2);
    assertThat(deletedCounts).containsExactly((long) PAGE, (long) matching - PAGE);
    assertThat(cache.stats().deleted()).isEqualTo(matching);
    assertThat(cache.stats().expiredSwept()).isZero();
    assertThat(cache.searchSimilar(v(1, 0, 0, 0), 100))
        .extracting(CacheHit::key)
        .containsExactlyInAnyOrderElementsOf(y);
  }

  @Test
  @DisplayName(
      "deleteWhere removes matching entries without expiry and expired ones too; the rest stays")
  void deleteWhereHandlesEntriesWithoutExpiryAndExpiredOnes() {
    cache.store("forever", v(1, 0, 0, 0), meta("group", "x"), Ttl.none());
    cache.store("old", v(0, 1, 0, 0), meta("group", "x"), Duration.ofMinutes(1));
    cache.store("live", v(0, 0, 1, 0), meta("group", "x"), Duration.ofHours(1));
    cache.store("other", v(0, 0, 0, 1), meta("group", "y"), Ttl.none());
    contract().clock.advance(Duration.ofMinutes(2)); // "old" has expired; its copy may remain

    assertThat(cache.deleteWhereAsync(GROUP_X).join()).isEqualTo(3);

    assertThat(points()).isEqualTo(1);
    for (String k : List.of("forever", "old", "live")) {
      assertThat(point(k)).as("point of %s", k).isEmpty();
      assertThat(copy(k)).as("copy of %s", k).isEmpty();
    }
    assertThat(cache.get("other")).isPresent();
    assertThat(copy("other")).isPresent();
    assertThat(cache.sweepExpired()).isZero();
    assertThat(cache.deleteWhere(GROUP_X)).as("nothing matches any more").isZero();
  }

  @Test
  @SuppressWarnings("NullAway") // a null filter on purpose: it must be refused, typed
  @DisplayName("deleteWhere refuses a null filter before any I/O, pointing to clear()")
  void deleteWhereRefusesANullFilter() {
    cache.store("a", v(1, 0, 0, 0), meta("group", "x"), Duration.ofMinutes(5));
    contract().vectors.recorder().reset();
    contract().metadata.recorder().reset();

    assertThatThrownBy(() -> cache.deleteWhere(null))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("filter"))
        .hasMessageContaining("clear()");
    assertThatThrownBy(() -> cache.deleteWhereAsync(null))
        .isInstanceOf(InvalidInputException.class);

    assertThat(contract().vectors.recorder().allCalls()).isEmpty();
    assertThat(contract().metadata.recorder().allCalls()).isEmpty();
    assertThat(points()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ everything

  @Test
  @DisplayName(
      "clear removes every entry from both stores and announces each; the collection stays and works")
  void clearRemovesEverythingAndTheCollectionStays() {
    int n = PAGE + 44;
    List<String> keys = storeMany("k", n, "x");
    contract().vectors.recorder().reset();
    AtomicLong deleted = new AtomicLong();

    List<MetadataEvent> events =
        eventsOf(MetadataEvent.Type.DELETED, n, () -> deleted.set(cache.clear()));
    // only points were read and deleted: the collection, its settings and payload indexes stay
    assertThat(contract().vectors.recorder().allCalls().keySet())
        .containsExactlyInAnyOrder("scroll", "delete");

    assertThat(deleted).hasValue(n);
    assertThat(points()).isZero();
    assertThat(copies(keys)).isEmpty();
    assertThat(keysOf(events)).containsExactlyInAnyOrderElementsOf(keys);
    assertThat(deletedCounts).containsExactly((long) PAGE, (long) n - PAGE);
    assertThat(cache.stats().deleted()).isEqualTo(n);
    assertThat(contract().vectors.blocking().collectionExists(contract().collection)).isTrue();
    assertThat(
            contract().vectors.blocking().collectionInfo(contract().collection).config().vectors())
        .isEqualTo(cache.collectionConfig().vectors());

    // the cleared cache works: store, read, search with a filter, expire, delete by filter
    CacheEntry again =
        cache.store("again", v(1, 0, 0, 0), meta("group", "x"), Duration.ofMinutes(1));
    assertThat(cache.get("again")).contains(again);
    assertThat(cache.searchSimilar(v(1, 0, 0, 0), 5, GROUP_X, null))
        .extracting(CacheHit::key)
        .containsExactly("again");
    contract().clock.advance(Duration.ofMinutes(1));
    assertThat(cache.searchSimilar(v(1, 0, 0, 0), 5)).isEmpty();
    assertThat(cache.clearAsync().join()).isEqualTo(1);
    assertThat(cache.clear()).as("an empty collection").isZero();
  }
}
