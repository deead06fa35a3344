package dev.vectorcache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vectorcache.core.CacheEntry;
import dev.vectorcache.core.CircuitBreakerConfig;
import dev.vectorcache.core.CircuitState;
import dev.vectorcache.core.Ttl;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.MetadataEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cases of {@link VectorCacheContract}'s {@code @Nested} group for the sliding-expiry move
 * ({@code extendExpiry}) and for a copy read alone ({@code getCopyAsync}).
 *
 * <p>The move goes to the vector store's payload first, then rewrites the metadata-store copy (and
 * its TTL) only over a copy of the same version: a store whose metadata store offers conditional
 * copy writes ({@link dev.vectorcache.core.model.Capability#BATCH_METADATA_WRITES}) must never
 * overwrite a newer copy or bring back a deleted one; one without them leaves the copy as it is. A
 * copy read alone is trusted only while the breaker is closed and no invalidation is pending.
 */
abstract class VectorCacheExpiryAndCopyCases extends VectorCacheCaseSupport {
  private static RuntimeException down() {
    return new BackendUnavailableException("test", "injected: metadata store down", null);
  }

  private Instant now() {
    return contract().clock.instant();
  }

  private void advance(Duration d) {
    contract().clock.advance(d);
  }

  private void resetRecorders() {
    contract().vectors.recorder().reset();
    contract().metadata.recorder().reset();
  }

  // ------------------------------------------------------------------ extendExpiry

  @Test
  @DisplayName(
      "extendExpiry moves the expiry in the payload, in the copy and its TTL; the entry lives on")
  void extendExpiryMovesTheExpiryInBothStores() {
    CacheEntry stored = cache.store("k", v(1, 0, 0, 0), meta("t", "a"), Duration.ofMinutes(10));
    advance(Duration.ofMinutes(5));
    CacheEntry read = cache.get("k").orElseThrow();
    Instant moved = now().plus(Duration.ofMinutes(20));

    assertThat(cache.extendExpiry(read, moved)).isTrue();

    assertThat(payloadExpiry("k")).isEqualTo(moved);
    MetadataEntry copy = copy("k").orElseThrow();
    assertThat(copy.version()).isEqualTo(stored.version());
    assertThat(copy.metadata()).isEqualTo(stored.metadata());
    if (conditionalCopyWrites()) {
      assertThat(copy.expiresAt()).isEqualTo(moved);
      assertThat(copyTtl("k").orElseThrow())
          .isLessThanOrEqualTo(Duration.ofMinutes(20))
          .isGreaterThan(Duration.ofMinutes(19));
    } else {
      assertThat(copy.expiresAt())
          .as("a copy the store cannot check stays")
          .isEqualTo(stored.expiresAt());
    }

    advance(Duration.ofMinutes(10)); // past the first expiry
    CacheEntry later = new CacheEntry("k", stored.metadata(), stored.version(), moved);
    assertThat(cache.get("k")).contains(later);
    assertThat(cache.searchSimilar(v(1, 0, 0, 0), 1))
        .singleElement()
        .satisfies(h -> assertThat(h.entry()).isEqualTo(later));
    if (conditionalCopyWrites()) {
      assertThat(cache.getCopyAsync("k").join()).contains(later);
    }
    advance(Duration.between(now(), moved));
    assertThat(cache.get("k")).isEmpty();
    assertThat(cache.searchSimilar(v(1, 0, 0, 0), 1)).isEmpty();
  }

  @Test
  @DisplayName(
      "extendExpiry is refused for another version, an expired or a missing entry: false, nothing"
          + " changes")
  void extendExpiryIsRefusedForStaleExpiredOrMissingEntries() {
    CacheEntry first = cache.store("k", v(1, 0, 0, 0), meta("n", 1L), Duration.ofMinutes(10));
    advance(Duration.ofMinutes(1));
    CacheEntry second = cache.store("k", v(1, 0, 0, 0), meta("n", 2L), Duration.ofMinutes(10));
    CacheEntry old = cache.store("old", v(0, 1, 0, 0), meta(), Duration.ofMinutes(1));
    advance(Duration.ofMinutes(2)); // "old" has expired
    Instant later = now().plus(Duration.ofMinutes(30));
    resetRecorders();

    assertThat(cache.extendExpiry(first, later)).as("stored again since read").isFalse();
    assertThat(cache.extendExpiryAsync(old, later).join()).as("expired").isFalse();
    assertThat(cache.extendExpiry(new CacheEntry("missing", Map.of(), 1, null), later))
        .as("missing")
        .isFalse();

    assertThat(contract().vectors.recorder().allCalls().keySet()).containsOnly("retrieve");
    assertThat(contract().metadata.recorder().allCalls()).as("metadata store calls").isEmpty();
    assertThat(payloadExpiry("k")).isEqualTo(second.expiresAt());
    assertThat(copy("k").orElseThrow())
        .satisfies(c -> assertThat(c.version()).isEqualTo(second.version()))
        .satisfies(c -> assertThat(c.expiresAt()).isEqualTo(second.expiresAt()));
    assertThat(payloadExpiry("old")).isEqualTo(old.expiresAt());
    assertThat(cache.get("old")).isEmpty();
    assertThat(point("missing")).isEmpty();
    assertThat(copy("missing")).isEmpty();
  }

  @Test
  @SuppressWarnings("NullAway") // a null expiry on purpose: it must be refused, typed
  @DisplayName(
      "extendExpiry refuses an expiry not after now, or beyond maxTtl, and a bad key, before any"
          + " I/O")
  void extendExpiryRefusesBadInputBeforeAnyIo() {
    CacheEntry e = cache.store("k", v(1, 0, 0, 0), meta(), Duration.ofMinutes(10));
    resetRecorders();

    for (Instant bad :
        new Instant[] {
          now(),
          now().plusNanos(999_999),
          now().minusMillis(1),
          null,
          now().plus(Duration.ofDays(30)).plusMillis(1)
        }) {
      assertThatThrownBy(() -> cache.extendExpiry(e, bad))
          .as("expiresAt %s", bad)
          .isInstanceOfSatisfying(
              InvalidInputException.class, x -> assertThat(x.field()).isEqualTo("expiresAt"));
    }
    assertThatThrownBy(
            () ->
                cache.extendExpiryAsync(
                    new CacheEntry(" ", Map.of(), 1, null), now().plusSeconds(60)))
        .isInstanceOfSatisfying(
            InvalidInputException.class, x -> assertThat(x.field()).isEqualTo("entry.key"));

    assertThat(contract().vectors.recorder().allCalls()).isEmpty();
    assertThat(contract().metadata.recorder().allCalls()).isEmpty();
    assertThat(payloadExpiry("k")).isEqualTo(e.expiresAt());
    // the bounds accepted: 1 ms after now, exactly maxTtl from now
    assertThat(cache.extendExpiry(e, now().plusMillis(1))).isTrue();
    assertThat(payloadExpiry("k")).isEqualTo(now().plusMillis(1));
    assertThat(cache.extendExpiry(e, now().plus(Duration.ofDays(30)))).isTrue();
  }

  @Test
  @DisplayName(
      "extendExpiry rewrites the copy only over the same version: a newer copy from a racing store"
          + " stays")
  void extendExpiryLeavesANewerCopy() {
    CacheEntry read = cache.store("k", v(1, 0, 0, 0), meta("t", "old"), Duration.ofMinutes(10));
    // a store of "k" from another instance, whose copy landed after this one read the point
    MetadataEntry newer =
        new MetadataEntry(
            contract().collection + ":k",
            meta("t", "new"),
            read.version() + 1,
            now().plus(Duration.ofMinutes(30)));
    metadataStore().put(newer, Duration.ofMinutes(30));
    Instant moved = now().plus(Duration.ofMinutes(20));

    assertThat(cache.extendExpiry(read, moved)).isTrue();

    assertThat(payloadExpiry("k")).isEqualTo(moved);
    assertThat(copy("k")).as("the newer copy").contains(newer);
    assertThat(copyTtl("k").orElseThrow()).isGreaterThan(Duration.ofMinutes(29));
    // readers compare versions, so the newer copy is not taken for the point's version
    assertThat(cache.get("k").orElseThrow().metadata()).containsEntry("t", "old");
  }

  @Test
  @DisplayName(
      "extendExpiry rewrites the copy only over the same version: a dropped copy is not brought"
          + " back")
  void extendExpiryDoesNotBringBackADroppedCopy() {
    CacheEntry read = cache.store("k", v(1, 0, 0, 0), meta(), Duration.ofMinutes(10));
    // the copy is dropped meanwhile (an invalidation, or Redis evicting it)
    metadataStore().delete(contract().collection + ":k");
    Instant moved = now().plus(Duration.ofMinutes(20));

    assertThat(cache.extendExpiry(read, moved)).isTrue();

    assertThat(payloadExpiry("k")).isEqualTo(moved);
    assertThat(copy("k")).as("the dropped copy").isEmpty();
    // a reader falls back to the payload, which holds the new expiry
    assertThat(cache.get("k").orElseThrow().expiresAt()).isEqualTo(moved);
  }

  // ------------------------------------------------------------------ getCopyAsync

  @Test
  @DisplayName(
      "getCopyAsync returns the copy with one metadata-store call and no vector-store call; a miss"
          + " is empty")
  void getCopyAsyncReadsTheCopyAlone() {
    CacheEntry stored =
        cache.store("k", v(1, 0, 0, 0), meta("t", "a", "n", 2L), Duration.ofMinutes(5));
    CacheEntry forever = cache.store("forever", v(0, 1, 0, 0), meta(), Ttl.none());
    resetRecorders();

    assertThat(cache.getCopyAsync("k").join()).contains(stored);

    assertThat(contract().vectors.recorder().allCalls()).as("vector store calls").isEmpty();
    assertThat(contract().metadata.recorder().allCalls()).isEqualTo(Map.of("get", 1));
    assertThat(cache.getCopyAsync("forever").join()).contains(forever);
    assertThat(cache.getCopyAsync("missing").join()).isEmpty();
    assertThat(cache.copiesTrusted()).isTrue();
  }

  @Test
  @DisplayName("getCopyAsync drops a copy expired at the cache's clock, though the store holds it")
  void getCopyAsyncDropsAnExpiredCopy() {
    cache.store("k", v(1, 0, 0, 0), meta(), Duration.ofMinutes(1));
    advance(Duration.ofMinutes(1));

    assertThat(cache.getCopyAsync("k").join()).isEmpty();
    assertThat(copy("k")).as("the metadata store expires by its own clock").isPresent();
  }

  @Test
  @DisplayName("getCopyAsync refuses a bad key before any I/O")
  void getCopyAsyncRefusesABadKey() {
    resetRecorders();
    assertThatThrownBy(() -> cache.getCopyAsync(""))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("key"));
    assertThat(contract().metadata.recorder().allCalls()).isEmpty();
  }

  @Test
  @DisplayName("getCopyAsync is empty while the breaker is open, and serves again once it closes")
  void getCopyAsyncIsEmptyWhileTheBreakerIsOpen() {
    CacheEntry stored = cache.store("k", v(1, 0, 0, 0), meta(), Duration.ofMinutes(5));
    contract()
        .metadata
        .recorder()
        .failOn("getAll", CallRecorder.FailureMode.FAIL, VectorCacheExpiryAndCopyCases::down);
    contract()
        .metadata
        .recorder()
        .failOn("writeAll", CallRecorder.FailureMode.FAIL, VectorCacheExpiryAndCopyCases::down);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              assertThat(cache.get("k")).isPresent(); // served from the payload meanwhile
              return cache.circuitState() == CircuitState.OPEN;
            });
    contract().metadata.recorder().clearFailures();
    contract().metadata.recorder().reset();

    assertThat(cache.copiesTrusted()).isFalse();
    assertThat(cache.getCopyAsync("k").join()).isEmpty();
    assertThat(contract().metadata.recorder().calls("get")).as("no call while open").isZero();
    assertThat(copy("k")).as("though the copy is there").isPresent();

    advance(CircuitBreakerConfig.DEFAULT_COOL_DOWN);
    assertThat(cache.get("k")).contains(stored); // served either way; a probe closes the breaker
    // the half-open probe may be another call than this get's (one started in the background),
    // which completes on its own thread: wait for it, as a caller would
    await().atMost(Duration.ofSeconds(10)).until(() -> cache.circuitState() == CircuitState.CLOSED);
    assertThat(cache.copiesTrusted()).isTrue();
    assertThat(cache.getCopyAsync("k").join()).contains(stored);
  }

  @Test
  @DisplayName(
      "getCopyAsync is empty while an invalidation is pending, and serves again once a retry"
          + " dropped the copy")
  void getCopyAsyncIsEmptyWhileAnInvalidationIsPending() {
    CacheEntry kept = cache.store("kept", v(1, 0, 0, 0), meta(), Duration.ofMinutes(5));
    cache.store("gone", v(0, 1, 0, 0), meta(), Duration.ofMinutes(5));
    contract()
        .metadata
        .recorder()
        .failOn("deleteAll", CallRecorder.FailureMode.FAIL, VectorCacheExpiryAndCopyCases::down);

    assertThat(cache.delete("gone")).isTrue(); // the point is gone; dropping its copy failed

    assertThat(cache.stats().invalidationsPending()).isEqualTo(1);
    assertThat(copy("gone")).as("the copy the failed call left").isPresent();
    assertThat(cache.copiesTrusted()).isFalse();
    assertThat(cache.getCopyAsync("kept").join()).isEmpty();
    assertThat(cache.getCopyAsync("gone").join()).isEmpty();
    assertThat(cache.circuitState()).isEqualTo(CircuitState.CLOSED);

    contract().metadata.recorder().clearFailures();
    // each look while some are pending starts one retry in the background
    await().atMost(Duration.ofSeconds(10)).until(cache::copiesTrusted);
    assertThat(cache.stats().invalidationsPending()).isZero();
    assertThat(copy("gone")).isEmpty();
    assertThat(cache.getCopyAsync("kept").join()).contains(kept);
    assertThat(cache.getCopyAsync("gone").join()).isEmpty();
  }
}
