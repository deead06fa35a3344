package dev.vectorcache.core;

import static dev.vectorcache.core.CacheFixture.COLL;
import static dev.vectorcache.core.CacheFixture.copyKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.InvalidVectorException;
import dev.vectorcache.core.model.CacheStrategy;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.port.BatchMetadataWrites.CopyWrite;
import dev.vectorcache.core.testing.FakeMetadataStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorCache#extendExpiry}, {@link VectorCache#getCopyAsync} and the listener hooks for
 * timings and hit scores, against the in-core fakes. Each backend runs the same promises in
 * testkit's {@code VectorCacheExpiryAndCopyCases} and {@code VectorCacheListenerCases}.
 */
@DisplayName("VectorCache expiry moves, copies read alone, timings and hit scores")
class VectorCacheExpiryAndCopyTest {
  private static final float[] X = {1, 0, 0};
  private static final float[] Y = {0, 1, 0};

  private final CacheFixture f = new CacheFixture();
  private final VectorCache cache = f.open();

  @AfterEach
  void close() {
    f.close();
  }

  private Instant now() {
    return f.clock.instant();
  }

  private Object payloadExpiry(String key) {
    return f.vectors
        .retrieve(COLL, List.of(cache.pointId(key)), PayloadSelector.ALL, false)
        .get(0)
        .payload()
        .get(EntryPayload.EXPIRES_AT);
  }

  private void clearLogs() {
    f.vectors.log().clear();
    f.metadata.log().clear();
    f.heard.clear();
  }

  @Nested
  @DisplayName("moving the expiry")
  class ExtendExpiry {
    @Test
    @DisplayName(
        "moves the payload's expiry first, then the copy and its TTL, over the same version only")
    void movesBothStores() {
      CacheEntry stored = cache.store("k", X, Map.of("t", "a"), Duration.ofMinutes(10));
      f.clock.advance(Duration.ofMinutes(5));
      CacheEntry read = cache.get("k").orElseThrow();
      Instant moved = now().plus(Duration.ofMinutes(20));
      clearLogs();

      assertThat(cache.extendExpiry(read, moved)).isTrue();

      assertThat(f.vectors.log().calls()).containsExactly("retrieve", "setPayload");
      assertThat(f.metadata.log().calls()).containsExactly("writeAll");
      assertThat(f.heard).as("not one of the timed operations").isEmpty();
      assertThat(payloadExpiry("k")).isEqualTo(moved.toEpochMilli());
      CopyWrite sent = f.metadata.copyWrites().get(f.metadata.copyWrites().size() - 1);
      assertThat(sent.condition()).isEqualTo(CopyWrite.Condition.IF_SAME_VERSION);
      assertThat(sent.ttl()).isEqualTo(Duration.ofMinutes(20));
      assertThat(sent.entry())
          .isEqualTo(new MetadataEntry(copyKey("k"), stored.metadata(), stored.version(), moved));
      assertThat(f.metadata.peek(copyKey("k"))).contains(sent.entry());
      assertThat(f.metadata.ttl(copyKey("k"))).contains(Duration.ofMinutes(20));

      f.clock.advance(Duration.ofMinutes(10)); // past the first expiry
      CacheEntry later = new CacheEntry("k", stored.metadata(), stored.version(), moved);
      assertThat(cache.get("k")).contains(later);
      assertThat(cache.getCopyAsync("k").join()).contains(later);
      assertThat(cache.stats().metadataMisses()).isZero();
    }

    @Test
    @DisplayName(
        "a store racing the move keeps its copy; the point keeps the moved expiry (the documented"
            + " race)")
    void aRacingStoreKeepsItsCopy() {
      CacheEntry read = cache.store("k", X, Map.of("n", 1L), Duration.ofMinutes(10));
      AtomicReference<CacheEntry> racer = new AtomicReference<>();
      // the other store lands between the move's read of the point and its write
      f.vectors
          .log()
          .beforeNext(
              "setPayload",
              () -> racer.set(cache.store("k", Y, Map.of("n", 2L), Duration.ofMinutes(30))));
      Instant moved = now().plus(Duration.ofMinutes(20));

      assertThat(cache.extendExpiry(read, moved)).isTrue();

      CacheEntry newer = racer.get();
      assertThat(f.metadata.peek(copyKey("k")))
          .contains(
              new MetadataEntry(copyKey("k"), Map.of("n", 2L), newer.version(), newer.expiresAt()));
      assertThat(f.metadata.copyWrites())
          .last()
          .satisfies(w -> assertThat(w.entry().version()).isEqualTo(read.version()));
      assertThat(cache.get("k"))
          .contains(new CacheEntry("k", Map.of("n", 2L), newer.version(), moved));
    }

    @Test
    @DisplayName(
        "is refused for another version, an expired, a missing entry or one without expiry, with"
            + " one read and no write")
    void refused() {
      CacheEntry first = cache.store("k", X, Map.of(), Duration.ofMinutes(10));
      CacheEntry second = cache.store("k", X, Map.of(), Duration.ofMinutes(11));
      CacheEntry old = cache.store("old", Y, Map.of(), Duration.ofMinutes(1));
      CacheEntry forever = cache.store("forever", Y, Map.of(), Ttl.none());
      f.clock.advance(Duration.ofMinutes(1));
      Instant later = now().plus(Duration.ofMinutes(30));
      clearLogs();

      assertThat(cache.extendExpiry(first, later)).isFalse();
      assertThat(cache.extendExpiryAsync(old, later).join()).isFalse();
      assertThat(cache.extendExpiry(new CacheEntry("missing", Map.of(), 1, null), later)).isFalse();
      assertThat(cache.extendExpiry(forever, later)).as("never given an expiry").isFalse();

      assertThat(f.vectors.log().calls())
          .containsExactly("retrieve", "retrieve", "retrieve", "retrieve");
      assertThat(f.metadata.log().calls()).isEmpty();
      assertThat(payloadExpiry("k")).isEqualTo(second.expiresAt().toEpochMilli());
      assertThat(f.metadata.peek(copyKey("k")).orElseThrow().expiresAt())
          .isEqualTo(second.expiresAt());
      assertThat(cache.get("forever").orElseThrow().expiresAt()).isNull();
    }

    @Test
    @SuppressWarnings("NullAway") // null input on purpose: it must be refused
    @DisplayName(
        "refuses an expiry less than 1 ms after now or beyond maxTtl, and a bad entry, before any"
            + " I/O")
    void refusesBadInput() {
      VectorCache c = f.open(f.builder().maxTtl(Duration.ofDays(2)));
      CacheEntry e = c.store("k", X, Map.of());
      clearLogs();

      for (Instant bad :
          new Instant[] {now(), now().plusNanos(999_999), now().minusSeconds(1), null}) {
        assertThatThrownBy(() -> c.extendExpiry(e, bad))
            .isInstanceOfSatisfying(
                InvalidInputException.class,
                x -> {
                  assertThat(x.field()).isEqualTo("expiresAt");
                  assertThat(x.expected()).contains("at least 1 ms after now (" + now() + ")");
                });
      }
      assertThatThrownBy(() -> c.extendExpiry(e, now().plus(Duration.ofDays(2)).plusMillis(1)))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              x -> {
                assertThat(x.field()).isEqualTo("expiresAt");
                assertThat(x.expected()).contains("maxTtl (PT48H)");
                assertThat(x.getMessage()).contains("raise maxTtl");
              });
      assertThatThrownBy(
              () ->
                  c.extendExpiry(new CacheEntry("\uDC00", Map.of(), 1, null), now().plusSeconds(1)))
          .isInstanceOfSatisfying(
              InvalidInputException.class, x -> assertThat(x.field()).isEqualTo("entry.key"));
      assertThatThrownBy(() -> c.extendExpiry(null, now().plusSeconds(1))).hasMessage("entry");

      assertThat(f.vectors.log().calls()).isEmpty();
      assertThat(f.metadata.log().calls()).isEmpty();
      assertThat(c.extendExpiry(e, now().plusMillis(1))).isTrue();
      assertThat(c.extendExpiry(e, now().plus(Duration.ofDays(2)))).isTrue();
    }

    @Test
    @DisplayName(
        "moves only the payload without the batch extension or with payload-only: the copy stays")
    void copyStaysWithoutTheExtension() {
      FakeMetadataStore plain = new FakeMetadataStore(f.clock);
      VectorCache c = f.open(f.builder().metadataStore(plain));
      CacheEntry e = c.store("k", X, Map.of(), Duration.ofMinutes(10));
      plain.log().clear();
      Instant moved = now().plus(Duration.ofMinutes(20));

      assertThat(c.extendExpiry(e, moved)).isTrue();

      assertThat(payloadExpiry("k")).isEqualTo(moved.toEpochMilli());
      assertThat(plain.log().calls()).isEmpty();
      assertThat(plain.peek(copyKey("k")).orElseThrow().expiresAt()).isEqualTo(e.expiresAt());

      VectorCache payloadOnly = f.open(f.builder().strategy(CacheStrategy.PAYLOAD_ONLY));
      f.metadata.log().clear();
      assertThat(payloadOnly.extendExpiry(e, moved.plusSeconds(1))).isTrue();
      assertThat(payloadExpiry("k")).isEqualTo(moved.plusSeconds(1).toEpochMilli());
      assertThat(f.metadata.log().calls()).isEmpty();
    }

    @Test
    @DisplayName(
        "fails with the vector store's exception before touching the copy; tolerates a failed copy")
    void failures() {
      CacheEntry e = cache.store("k", X, Map.of(), Duration.ofMinutes(10));
      Instant moved = now().plus(Duration.ofMinutes(20));
      f.vectors
          .log()
          .failNext("setPayload", new BackendUnavailableException("qdrant", "down", null));
      f.metadata.log().clear();

      assertThatThrownBy(() -> cache.extendExpiry(e, moved))
          .isInstanceOf(BackendUnavailableException.class);
      assertThat(f.metadata.log().calls()).isEmpty();

      f.metadata.log().failNext("writeAll", new BackendTimeoutException("redis", "slow", null));
      assertThat(cache.extendExpiry(e, moved)).isTrue();
      assertThat(payloadExpiry("k")).isEqualTo(moved.toEpochMilli());
      assertThat(f.metadata.peek(copyKey("k")).orElseThrow().expiresAt()).isEqualTo(e.expiresAt());
      assertThat(cache.stats().metadataStoreFailures()).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("reading a copy alone")
  class GetCopy {
    @Test
    @DisplayName("returns the copy with one metadata-store get and no vector-store call")
    void hit() {
      CacheEntry stored = cache.store("k", X, Map.of("t", "a"), Duration.ofMinutes(5));
      CacheEntry forever = cache.store("forever", Y, Map.of(), Ttl.none());
      clearLogs();

      assertThat(cache.getCopyAsync("k").join()).contains(stored);
      assertThat(cache.getCopyAsync("forever").join()).contains(forever);
      assertThat(cache.getCopyAsync("missing").join()).isEmpty();

      assertThat(f.vectors.log().calls()).isEmpty();
      assertThat(f.metadata.log().calls()).containsExactly("get", "get", "get");
      assertThat(f.heard).as("not one of the timed operations").isEmpty();
      assertThat(cache.copiesTrusted()).isTrue();
      assertThat(cache.clock()).isSameAs(f.clock);
    }

    @Test
    @DisplayName("drops a copy expired at the cache's clock, though the store still holds it")
    void expiredCopy() {
      Instant expiresAt = now().plus(Duration.ofMinutes(1));
      f.metadata.put(
          new MetadataEntry(copyKey("k"), Map.of(), 1, expiresAt), Duration.ofMinutes(10));
      assertThat(cache.getCopyAsync("k").join()).isPresent();

      f.clock.advance(Duration.ofMinutes(1));

      assertThat(cache.getCopyAsync("k").join()).isEmpty();
      assertThat(f.metadata.peek(copyKey("k"))).isPresent();
    }

    @Test
    @DisplayName("is empty, and counts the failure, when the get fails")
    void failure() {
      cache.store("k", X, Map.of());
      f.metadata.log().failNext("get", new BackendTimeoutException("redis", "slow", null));

      assertThat(cache.getCopyAsync("k").join()).isEmpty();
      assertThat(cache.stats().metadataStoreFailures()).isEqualTo(1);
      assertThat(cache.getCopyAsync("k").join()).isPresent();
    }

    @Test
    @DisplayName("is empty without a call while the breaker is open, and serves once it closed")
    void breakerOpen() {
      CacheEntry stored = cache.store("k", X, Map.of());
      BackendTimeoutException hung = new BackendTimeoutException("redis", "hung", null);
      f.metadata.log().failAlways("getAll", hung);
      f.metadata.log().failAlways("writeAll", hung);
      for (int i = 0; i < 5; i++) {
        assertThat(cache.get("k")).contains(stored);
      }
      cache.flushAsync().join();
      assertThat(cache.circuitState()).isEqualTo(CircuitState.OPEN);
      f.metadata.log().failAlways("getAll", null);
      f.metadata.log().failAlways("writeAll", null);
      f.metadata.log().clear();

      assertThat(cache.copiesTrusted()).isFalse();
      assertThat(cache.getCopyAsync("k").join()).isEmpty();
      assertThat(f.metadata.log().calls()).isEmpty();

      f.clock.advance(CircuitBreakerConfig.DEFAULT_COOL_DOWN);
      assertThat(cache.get("k")).contains(stored); // the probe closes it
      assertThat(cache.getCopyAsync("k").join()).contains(stored);
    }

    @Test
    @DisplayName(
        "is empty while a failed invalidation is pending; one retry per look, and trusted again")
    void pendingInvalidation() {
      CacheEntry kept = cache.store("kept", X, Map.of());
      cache.store("gone", Y, Map.of());
      f.metadata.log().failNext("deleteAll", new BackendTimeoutException("redis", "slow", null));
      assertThat(cache.delete("gone")).isTrue();
      f.metadata.log().clear();

      assertThat(cache.stats().invalidationsPending()).isEqualTo(1);
      // the look starts the retry (inline with this fake), and is refused all the same
      assertThat(cache.getCopyAsync("kept").join()).isEmpty();
      assertThat(f.metadata.log().calls()).containsExactly("deleteAll");

      assertThat(cache.stats().invalidationsPending()).isZero();
      assertThat(f.metadata.peek(copyKey("gone"))).isEmpty();
      assertThat(cache.copiesTrusted()).isTrue();
      assertThat(cache.getCopyAsync("kept").join()).contains(kept);
    }

    @Test
    @DisplayName("is always empty with payload-only, and refuses a bad key before any I/O")
    void payloadOnlyAndBadKey() {
      VectorCache c = f.open(f.builder().strategy(CacheStrategy.PAYLOAD_ONLY));
      c.store("k", X, Map.of());
      clearLogs();

      assertThat(c.copiesTrusted()).isFalse();
      assertThat(c.getCopyAsync("k").join()).isEmpty();
      assertThatThrownBy(() -> c.getCopyAsync(" "))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("key"));
      assertThat(f.metadata.log().calls()).isEmpty();
    }
  }

  @Nested
  @DisplayName("timings and hit scores")
  class Hooks {
    @Test
    @DisplayName("stores, gets and searches are timed once each; each hit reports its score")
    void timingsAndScores() {
      cache.store("a", X, Map.of());
      cache.storeAll(List.of(CacheWrite.of("b", Y, null, Duration.ofMinutes(1))));
      assertThat(cache.storeAll(List.of())).isEmpty(); // nothing to do, nothing to time
      cache.get("a");
      List<CacheHit> hits = cache.searchSimilar(new float[] {1, 1, 0}, 2);

      assertThat(hits).hasSize(2);
      assertThat(f.heard)
          .containsExactly(
              "STORE ok",
              "STORE ok",
              "GET ok",
              "score " + hits.get(0).score(),
              "score " + hits.get(1).score(),
              "SEARCH ok");
    }

    @Test
    @DisplayName("a failed call is timed as failed; bad input is not timed")
    void failedCalls() {
      cache.store("a", X, Map.of());
      f.heard.clear();
      BackendUnavailableException down = new BackendUnavailableException("qdrant", "down", null);

      assertThatThrownBy(() -> cache.store("b", new float[] {0, 0, 0}, Map.of()))
          .isInstanceOf(InvalidVectorException.class);
      assertThat(f.heard).isEmpty();

      f.vectors.log().failNext("upsert", down);
      f.vectors.log().failNext("retrieve", down);
      f.vectors.log().failNext("search", down);
      assertThatThrownBy(() -> cache.store("b", Y, Map.of())).isSameAs(down);
      assertThatThrownBy(() -> cache.get("a")).isSameAs(down);
      assertThatThrownBy(() -> cache.searchSimilar(X, 1)).isSameAs(down);

      assertThat(f.heard).containsExactly("STORE failed", "GET failed", "SEARCH failed");
    }

    @Test
    @DisplayName("without listeners nothing is reported and nothing breaks")
    void withoutListeners() {
      VectorCache quiet =
          f.open(
              VectorCache.builder()
                  .collection(COLL)
                  .collectionConfig(CacheFixture.CONFIG)
                  .vectorStore(f.vectors)
                  .metadataStore(f.metadata)
                  .clock(f.clock)
                  .ownsStores(false));
      quiet.store("a", X, Map.of());
      assertThat(quiet.searchSimilar(X, 1)).hasSize(1);
      assertThat(quiet.deleteAll(List.of("a"))).isEqualTo(1);
      assertThat(f.heard).isEmpty();
      assertThat(quiet.stats().deleted()).isEqualTo(1);
    }
  }
}
