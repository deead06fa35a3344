package dev.vectorcache.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.model.CacheStrategy;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.BatchMetadataWrites.CopyWrite;
import dev.vectorcache.core.testing.FakeMetadataStore;
import dev.vectorcache.core.testing.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The metadata-store side of the cache's newer calls: invalidations that failed and wait for a
 * retry, copies read alone ({@code readTrusted}) and the same-version refresh of a copy's expiry.
 */
@DisplayName("Metadata copies")
class MetadataCopiesTest {
  private static final Instant NOW = Instant.parse("2031-03-01T12:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final FakeMetadataStore metadata = new FakeMetadataStore(clock).withBatchWrites();
  private final CacheCounters counters = new CacheCounters(List.of());

  private MetadataCopies copies(AsyncMetadataStore store, CacheStrategy strategy) {
    return new MetadataCopies(
        store, "c", VectorCache.builder().strategy(strategy).clock(clock), counters, Runnable::run);
  }

  private MetadataCopies copies() {
    return copies(metadata.async(), CacheStrategy.CACHE_ASIDE);
  }

  private static BackendTimeoutException hung() {
    return new BackendTimeoutException("redis", "command timed out", null);
  }

  private static CacheEntry entry(String key, long version, Instant expiresAt) {
    return new CacheEntry(key, Map.of("v", version), version, expiresAt);
  }

  /** Puts a copy of {@code key} directly, and forgets the call (set-up, not what is tested). */
  private void copy(String key, long version, Instant expiresAt) {
    metadata.put(
        new MetadataEntry("c:" + key, Map.of("v", version), version, expiresAt),
        Duration.between(NOW, expiresAt));
    metadata.log().clear();
  }

  /** Fails the next {@code n} reads, so that the breaker opens after five. */
  private void openBreaker(MetadataCopies c) {
    metadata.log().failAlways("getAll", hung());
    for (int i = 0; i < 5; i++) {
      c.readAll(List.of("c:x"), false).join();
    }
    metadata.log().failAlways("getAll", null);
    assertThat(c.circuitState()).isEqualTo(CircuitState.OPEN);
  }

  /** The fake's non-blocking form, except that {@code deleteAll} returns futures the test holds. */
  private AsyncMetadataStore heldDeletes(List<CompletableFuture<Long>> held) {
    AsyncMetadataStore target = metadata.async();
    return (AsyncMetadataStore)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {AsyncMetadataStore.class},
            (proxy, m, args) -> {
              if (m.getName().equals("deleteAll")) {
                CompletableFuture<Long> f = new CompletableFuture<>();
                held.add(f);
                return f;
              }
              try {
                return m.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Nested
  @DisplayName("pending invalidations")
  class PendingInvalidations {
    @Test
    @DisplayName(
        "a failed drop leaves its keys pending: not trusted, one retry in the background, trusted"
            + " again once it succeeded")
    void failedDropIsRetriedOnce() {
      List<CompletableFuture<Long>> held = new CopyOnWriteArrayList<>();
      MetadataCopies c = copies(heldDeletes(held), CacheStrategy.CACHE_ASIDE);
      assertThat(c.trusted()).isTrue();

      CompletableFuture<Void> dropped =
          c.invalidate(List.of(entry("a", 1, NOW.plusSeconds(60)), entry("b", 1, NOW)));
      held.get(0).completeExceptionally(hung());

      assertThat(dropped).isCompleted(); // tolerated
      assertThat(c.invalidationsPending()).isEqualTo(2);
      assertThat(c.trusted()).isFalse();
      assertThat(held).as("the retry, for both keys").hasSize(2);
      assertThat(c.trusted()).isFalse();
      assertThat(c.readTrusted("other").join()).isEmpty();
      assertThat(held).as("no second retry while one is under way").hasSize(2);

      held.get(1).complete(2L);

      assertThat(c.invalidationsPending()).isZero();
      assertThat(c.trusted()).isTrue();
      assertThat(held).hasSize(2);
    }

    @Test
    @DisplayName("a retry that fails keeps the keys pending, and the next look tries again")
    void failedRetryKeepsThemPending() {
      List<CompletableFuture<Long>> held = new CopyOnWriteArrayList<>();
      MetadataCopies c = copies(heldDeletes(held), CacheStrategy.CACHE_ASIDE);
      CompletableFuture<Void> unused = c.invalidate(List.of(entry("a", 1, NOW)));
      held.get(0).completeExceptionally(hung());

      assertThat(c.trusted()).isFalse();
      held.get(1).completeExceptionally(hung());
      assertThat(c.invalidationsPending()).isEqualTo(1);

      assertThat(c.trusted()).isFalse();
      assertThat(held).hasSize(3);
      held.get(2).complete(1L);
      assertThat(c.trusted()).isTrue();
      assertThat(counters.snapshot(CircuitState.CLOSED, 0, 0, 0).metadataStoreFailures())
          .isEqualTo(2);
    }

    @Test
    @DisplayName(
        "beyond the most keys it remembers, copies are never trusted again; retries go in batches")
    void tooManyPending() {
      List<CompletableFuture<Long>> held = new CopyOnWriteArrayList<>();
      MetadataCopies c = copies(heldDeletes(held), CacheStrategy.CACHE_ASIDE);
      List<CacheEntry> many = new ArrayList<>();
      for (int i = 0; i < MetadataCopies.MAX_PENDING_INVALIDATIONS; i++) {
        many.add(entry("k" + i, 1, NOW));
      }
      CompletableFuture<Void> unused = c.invalidate(many);
      held.get(0).completeExceptionally(hung());
      assertThat(c.invalidationsPending()).isEqualTo(MetadataCopies.MAX_PENDING_INVALIDATIONS);

      assertThat(c.trusted()).isFalse();
      held.get(1).complete(1L); // the retry: one batch
      assertThat(c.invalidationsPending())
          .isEqualTo(MetadataCopies.MAX_PENDING_INVALIDATIONS - MetadataCopies.RETRY_BATCH);

      CompletableFuture<Void> more =
          c.invalidate(List.of(entry("x1", 1, NOW), entry("x2", 1, NOW), entry("x3", 1, NOW)));
      assertThat(c.trusted()).isFalse(); // starts the next retry batch
      held.get(2).completeExceptionally(hung()); // x1..x3 fail: room for 1,000, all remembered
      assertThat(more).isCompleted();
      for (int round = 3; c.invalidationsPending() > 0; round++) {
        assertThat(c.trusted()).isFalse();
        held.get(round).complete(1L);
      }
      assertThat(c.trusted()).as("all dropped at last").isTrue();

      List<CacheEntry> tooMany = new ArrayList<>(many);
      tooMany.add(entry("one-more", 1, NOW));
      CompletableFuture<Void> lost = c.invalidate(tooMany);
      held.get(held.size() - 1).completeExceptionally(hung());
      assertThat(lost).isCompleted();
      assertThat(c.invalidationsPending()).isEqualTo(MetadataCopies.MAX_PENDING_INVALIDATIONS);
      int calls = held.size();
      assertThat(c.trusted()).as("one key was forgotten: never trusted again").isFalse();
      assertThat(held).as("nothing more to retry for").hasSize(calls);
    }

    @Test
    @DisplayName("a successful drop clears a key that a failed one left pending")
    void successfulDropClearsTheKey() {
      MetadataCopies c = copies();
      copy("a", 1, NOW.plusSeconds(60));
      metadata.log().failNext("deleteAll", hung());
      c.invalidate(List.of(entry("a", 1, NOW))).join();
      assertThat(c.invalidationsPending()).isEqualTo(1);
      assertThat(metadata.peek("c:a")).isPresent();

      c.invalidate(List.of(entry("a", 2, NOW))).join();

      assertThat(c.invalidationsPending()).isZero();
      assertThat(metadata.peek("c:a")).isEmpty();
      assertThat(c.trusted()).isTrue();
    }

    @Test
    @DisplayName(
        "a drop refused by an open breaker is pending too, and copies are not trusted while it is"
            + " open")
    void breakerOpen() {
      MetadataCopies c = copies();
      openBreaker(c);
      metadata.log().clear();

      c.invalidate(List.of(entry("a", 1, NOW))).join();

      assertThat(metadata.log().calls()).isEmpty();
      assertThat(c.invalidationsPending()).isEqualTo(1);
      assertThat(c.trusted()).isFalse();
      assertThat(metadata.log().calls()).as("no retry while open").isEmpty();
    }

    @Test
    @DisplayName("with payload-only nothing is dropped, pending or trusted")
    void payloadOnly() {
      MetadataCopies c = copies(metadata.async(), CacheStrategy.PAYLOAD_ONLY);
      c.invalidate(List.of(entry("a", 1, NOW))).join();
      assertThat(c.invalidationsPending()).isZero();
      assertThat(c.trusted()).isFalse();
      assertThat(c.readTrusted("a").join()).isEmpty();
      assertThat(metadata.log().calls()).isEmpty();
    }
  }

  @Nested
  @DisplayName("reading a copy alone")
  class ReadTrusted {
    @Test
    @DisplayName("returns the copy of a key with one get, and empty on a miss")
    void hitAndMiss() {
      MetadataCopies c = copies();
      copy("a", 3, NOW.plusSeconds(60));

      assertThat(c.readTrusted("a").join())
          .hasValueSatisfying(m -> assertThat(m.version()).isEqualTo(3));
      assertThat(c.readTrusted("b").join()).isEmpty();
      assertThat(metadata.log().calls()).containsExactly("get", "get");
    }

    @Test
    @DisplayName("is empty, and counts the failure, when the get fails")
    void failure() {
      MetadataCopies c = copies();
      copy("a", 3, NOW.plusSeconds(60));
      metadata.log().failNext("get", hung());

      assertThat(c.readTrusted("a").join()).isEmpty();
      assertThat(counters.snapshot(CircuitState.CLOSED, 0, 0, 0).metadataStoreFailures())
          .isEqualTo(1);
    }

    @Test
    @DisplayName("is empty without a call while the breaker is open")
    void breakerOpen() {
      MetadataCopies c = copies();
      copy("a", 3, NOW.plusSeconds(60));
      openBreaker(c);
      metadata.log().clear();

      assertThat(c.trusted()).isFalse();
      assertThat(c.readTrusted("a").join()).isEmpty();
      assertThat(metadata.log().calls()).isEmpty();
    }
  }

  @Nested
  @DisplayName("refreshing a copy's expiry")
  class Refresh {
    @Test
    @DisplayName("sends the copy with its new TTL, applied only over a copy of the same version")
    void sameVersionOnly() {
      MetadataCopies c = copies();
      Instant moved = NOW.plus(Duration.ofMinutes(20));
      copy("same", 5, NOW.plusSeconds(60));
      copy("newer", 6, NOW.plusSeconds(60));

      assertThat(c.refresh(entry("same", 5, moved)).join()).isTrue();
      assertThat(c.refresh(entry("newer", 5, moved)).join()).isFalse();
      assertThat(c.refresh(entry("absent", 5, moved)).join()).isFalse();

      assertThat(metadata.copyWrites())
          .hasSize(3)
          .allSatisfy(
              w -> {
                assertThat(w.condition()).isEqualTo(CopyWrite.Condition.IF_SAME_VERSION);
                assertThat(w.ttl()).isEqualTo(Duration.ofMinutes(20));
                assertThat(w.entry().expiresAt()).isEqualTo(moved);
              });
      assertThat(metadata.log().calls()).containsExactly("writeAll", "writeAll", "writeAll");
      assertThat(metadata.peek("c:same").orElseThrow().expiresAt()).isEqualTo(moved);
      assertThat(metadata.ttl("c:same")).contains(Duration.ofMinutes(20));
      assertThat(metadata.peek("c:newer").orElseThrow().version()).isEqualTo(6);
      assertThat(metadata.peek("c:absent")).isEmpty();
      assertThat(metadata.published()).as("a refresh announces nothing").isEmpty();
    }

    @Test
    @DisplayName("writes nothing without the batch extension, which alone can check the version")
    void withoutTheExtension() {
      FakeMetadataStore plain = new FakeMetadataStore(clock);
      plain.put(new MetadataEntry("c:a", Map.of(), 5, NOW.plusSeconds(60)), Duration.ofMinutes(1));
      plain.log().clear();
      MetadataCopies c = copies(plain.async(), CacheStrategy.CACHE_ASIDE);

      assertThat(c.refresh(entry("a", 5, NOW.plus(Duration.ofMinutes(20)))).join()).isFalse();

      assertThat(plain.log().calls()).isEmpty();
      assertThat(plain.peek("c:a").orElseThrow().expiresAt()).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    @DisplayName(
        "writes nothing with payload-only, or for an expiry less than a millisecond away, and"
            + " tolerates a failure")
    void nothingToWriteAndFailures() {
      copy("a", 5, NOW.plusSeconds(60));
      assertThat(
              copies(metadata.async(), CacheStrategy.PAYLOAD_ONLY)
                  .refresh(entry("a", 5, NOW.plusSeconds(600)))
                  .join())
          .isFalse();
      MetadataCopies c = copies();
      assertThat(c.refresh(entry("a", 5, NOW.plusNanos(999_999))).join()).isFalse();
      assertThat(metadata.log().calls()).isEmpty();

      metadata.log().failNext("writeAll", hung());
      assertThat(c.refresh(entry("a", 5, NOW.plusSeconds(600))).join()).isFalse();
      assertThat(counters.snapshot(CircuitState.CLOSED, 0, 0, 0).metadataStoreFailures())
          .isEqualTo(1);
      assertThat(metadata.peek("c:a").orElseThrow().expiresAt()).isEqualTo(NOW.plusSeconds(60));
    }
  }
}
