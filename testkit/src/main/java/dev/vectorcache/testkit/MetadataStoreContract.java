package dev.vectorcache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MetadataStore} must show, with Redis's semantics as the reference. The
 * in-memory store and the Redis adapters run this class.
 *
 * <p>A backend adds one small subclass and says how time passes for it with a {@link TimeControl}:
 *
 * <pre>{@code
 * // a store that reads an injectable clock: time moves instantly and exactly
 * class InMemoryMetadataStoreContractTest extends MetadataStoreContract {
 *   private final MutableClock clock = MutableClock.startingNow();
 *
 *   protected TimeControl timeControl() { return TimeControl.manual(clock); }
 *   protected MetadataStore createStore() { return new InMemoryMetadataStore(clock); }
 * }
 *
 * // a real server: short real TTLs, waits with Awaitility
 * class LettuceMetadataStoreContractIT extends MetadataStoreContract {
 *   protected TimeControl timeControl() { return TimeControl.realTime(Duration.ofMillis(500)); }
 *   protected MetadataStore createStore() { return LettuceMetadataStore.open(config); }
 * }
 * }</pre>
 *
 * <p>{@link #timeControl()} is called before {@link #createStore()}, once per test, then {@link
 * #closeStore(MetadataStore)} after it. Keys and channels carry a random prefix and are deleted
 * afterwards, so a shared server can be reused.
 *
 * <p>In manual mode expiry is checked at the exact boundary (present at {@code ttl - 1ms}, gone at
 * {@code ttl}); in real-time mode the same behaviour is checked with a TTL of {@link
 * #realTimeTtl()} and Awaitility, allowing {@link TimeControl#slack()}.
 *
 * <p>The tests are grouped by concern in {@code @Nested} inner classes (put and get, expiry,
 * delete, bad input, publish/subscribe, batch writes, scored sets, the async form and ping) whose
 * {@code @DisplayName}s read as sentences; JUnit runs them for every concrete subclass.
 */
public abstract class MetadataStoreContract {
  private final String prefix = "contract:" + UUID.randomUUID() + ":";
  private final List<String> usedKeys = new ArrayList<>();
  private TimeControl time;
  private MetadataStore store;

  /** Subclasses have a no-argument constructor, as JUnit requires. */
  protected MetadataStoreContract() {}

  /** How time passes for the store of this test; called before {@link #createStore()}. */
  protected abstract TimeControl timeControl();

  /** A store to test, new or a handle to a shared server. Called before each test. */
  protected abstract MetadataStore createStore();

  /** Releases the store after each test; closes it by default. */
  protected void closeStore(MetadataStore store) {
    store.close();
  }

  /** The short TTL used when time is real; long enough for a few round trips. */
  protected Duration realTimeTtl() {
    return Duration.ofMillis(1500);
  }

  /** The store under test. */
  protected final MetadataStore store() {
    return store;
  }

  @BeforeEach
  final void openStore() {
    time = timeControl();
    store = createStore();
  }

  @AfterEach
  final void deleteKeysAndClose() {
    try {
      if (!usedKeys.isEmpty()) {
        store.deleteAll(usedKeys);
      }
    } catch (RuntimeException e) {
      // best effort: a failed cleanup must not hide the test's own result
    } finally {
      closeStore(store);
    }
  }

  /** A key unique to this test, deleted afterwards. */
  protected final String key(String name) {
    String k = prefix + name;
    usedKeys.add(k);
    return k;
  }

  /** A channel (collection) name unique to this test. */
  protected final String channel(String name) {
    return prefix + "channel:" + name;
  }

  private static Instant instant() {
    // millisecond precision: what every backend can store
    return Instant.now().truncatedTo(ChronoUnit.MILLIS).plus(Duration.ofHours(1));
  }

  private static MetadataEntry entry(String key, Map<String, Object> metadata, long version) {
    return new MetadataEntry(key, metadata, version, instant());
  }

  private static MetadataEntry entry(String key) {
    return entry(key, Map.of("k", key), 1);
  }

  private void assertRemaining(String key, Duration ttl) {
    Optional<Duration> remaining = store.ttl(key);
    assertThat(remaining).isPresent();
    assertThat(remaining.get()).isLessThanOrEqualTo(ttl);
    assertThat(remaining.get()).isGreaterThanOrEqualTo(ttl.minus(time.slack()));
  }

  @Nested
  @DisplayName("Put and get keep an entry exactly as written")
  class PutAndGet {
    @DisplayName("A round trip keeps nested JSON and exact number types")
    @Test
    void roundTripKeepsNestedJsonAndExactNumberTypes() {
      Map<String, Object> nested = new LinkedHashMap<>();
      nested.put("deep", 7L);
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("title", "Ünïcødé – \"quoted\" \\ text");
      metadata.put("count", 42L);
      metadata.put("ratio", 2.0);
      metadata.put("big", Long.MAX_VALUE);
      metadata.put("flag", false);
      metadata.put("nothing", null);
      metadata.put("list", Arrays.asList(1L, 2.5, "s", true, null, nested));
      metadata.put("object", Map.of("inner", List.of()));
      MetadataEntry e = entry(key("json"), metadata, 17);

      store.put(e, Duration.ofMinutes(5));
      MetadataEntry back = store.get(e.key()).orElseThrow();

      assertThat(back).isEqualTo(e);
      assertThat(back.metadata().get("count")).isInstanceOf(Long.class);
      assertThat(back.metadata().get("ratio")).isInstanceOf(Double.class).isEqualTo(2.0);
      assertThat(back.metadata().get("big")).isEqualTo(Long.MAX_VALUE);
      List<?> list = (List<?>) Objects.requireNonNull(back.metadata().get("list"), "list");
      assertThat(list.get(0)).isInstanceOf(Long.class);
      assertThat(list.get(1)).isInstanceOf(Double.class);
      assertThat(back.version()).isEqualTo(17);
      assertThat(back.expiresAt()).isEqualTo(e.expiresAt());
    }

    @DisplayName("Get-all returns only the keys that exist")
    @Test
    void getAllReturnsOnlyTheKeysThatExist() {
      MetadataEntry a = entry(key("a"));
      MetadataEntry b = entry(key("b"));
      store.put(a, Duration.ofMinutes(5));
      store.put(b, Duration.ofMinutes(5));
      Map<String, MetadataEntry> got = store.getAll(List.of(a.key(), key("missing"), b.key()));
      assertThat(got).containsOnlyKeys(a.key(), b.key());
      assertThat(got.get(a.key())).isEqualTo(a);
      assertThat(got.get(b.key())).isEqualTo(b);
      assertThat(store.getAll(List.of())).isEmpty();
      assertThat(store.get(key("missing"))).isEmpty();
    }

    @DisplayName("Put replaces an entry")
    @Test
    void putReplacesAnEntry() {
      String k = key("replace");
      store.put(entry(k, Map.of("v", 1L), 1), Duration.ofMinutes(5));
      MetadataEntry second = entry(k, Map.of("v", 2L), 2);
      store.put(second, Duration.ofMinutes(5));
      assertThat(store.get(k)).contains(second);
    }

    @DisplayName("Keys with special characters round-trip")
    @Test
    void keysWithSpecialCharactersRoundTrip() {
      List<String> keys =
          List.of(
              key("glob*?[a-z]\\:colon"),
              key("ключ-日本語-🙂"),
              key("spaces and\ttabs"),
              key("{braces}|pipes|%percent"));
      for (String k : keys) {
        store.put(entry(k, Map.of("key", k), 1), Duration.ofMinutes(5));
      }
      for (String k : keys) {
        assertThat(store.get(k)).as(k).map(e -> e.metadata().get("key")).contains(k);
      }
      assertThat(store.getAll(keys)).containsOnlyKeys(keys.toArray(String[]::new));
      // a glob-looking key must not act as a pattern
      assertThat(store.get(prefix + "glob*")).isEmpty();
      assertThat(store.deleteAll(keys)).isEqualTo(keys.size());
    }
  }

  @Nested
  @DisplayName("Entries expire after their TTL, which can be read and refreshed")
  class Expiry {
    @DisplayName("An entry expires after its TTL")
    @Test
    void entryExpiresAfterItsTtl() {
      MetadataEntry e = entry(key("expiring"));
      if (time.isManual()) {
        Duration ttl = Duration.ofSeconds(10);
        store.put(e, ttl);
        time.advance(ttl.minusMillis(1));
        assertThat(store.get(e.key())).contains(e);
        assertThat(store.getAll(List.of(e.key()))).containsKey(e.key());
        assertThat(store.ttl(e.key())).contains(Duration.ofMillis(1));
        time.advance(Duration.ofMillis(1)); // exactly ttl after the put: gone
        assertThat(store.get(e.key())).isEmpty();
      } else {
        store.put(e, realTimeTtl());
        assertThat(store.get(e.key())).contains(e);
        await()
            .atMost(realTimeTtl().plus(time.slack()).plusSeconds(5))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> store.get(e.key()).isEmpty());
      }
      assertThat(store.getAll(List.of(e.key()))).isEmpty();
      assertThat(store.ttl(e.key())).isEmpty();
      assertThat(store.expire(e.key(), Duration.ofMinutes(1))).isFalse();
      assertThat(store.delete(e.key())).isFalse();
    }

    @DisplayName("TTL reports the remaining time and expire refreshes it")
    @Test
    void ttlReportsTheRemainingTimeAndExpireRefreshesIt() {
      MetadataEntry e = entry(key("ttl"));
      Duration ttl = Duration.ofSeconds(100);
      store.put(e, ttl);
      assertRemaining(e.key(), ttl);
      if (time.isManual()) {
        time.advance(Duration.ofSeconds(40));
        assertThat(store.ttl(e.key())).contains(Duration.ofSeconds(60));
      }
      assertThat(store.expire(e.key(), Duration.ofMinutes(5))).isTrue();
      assertRemaining(e.key(), Duration.ofMinutes(5));
      assertThat(store.get(e.key())).contains(e);

      if (time.isManual()) {
        time.advance(Duration.ofSeconds(299));
        assertThat(store.get(e.key())).contains(e); // the old 100s TTL no longer applies
        time.advance(Duration.ofSeconds(1));
        assertThat(store.get(e.key())).isEmpty();
      } else {
        assertThat(store.expire(e.key(), realTimeTtl())).isTrue();
        await()
            .atMost(realTimeTtl().plus(time.slack()).plusSeconds(5))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> store.get(e.key()).isEmpty());
      }
      assertThat(store.ttl(key("never-put"))).isEmpty();
      assertThat(store.expire(key("never-put"), Duration.ofSeconds(1))).isFalse();
    }

    @Test
    @DisplayName("An entry put without a TTL stays until deleted and clears an earlier TTL")
    void anEntryPutWithoutTtlStaysUntilDeletedAndClearsAnEarlierTtl() {
      MetadataEntry e = new MetadataEntry(key("forever"), Map.of("k", "v"), 3, null);
      store.put(e, Duration.ofSeconds(100)); // an earlier write with a TTL
      store.put(e, null);
      assertThat(store.get(e.key())).contains(e);
      assertThat(store.get(e.key()).orElseThrow().expiresAt()).isNull();
      assertThat(store.ttl(e.key())).contains(ChronoUnit.FOREVER.getDuration());
      if (time.isManual()) {
        time.advance(Duration.ofDays(3650));
        assertThat(store.get(e.key())).contains(e);
      }
      assertThat(store.getAll(List.of(e.key()))).containsEntry(e.key(), e);
      assertThat(store.delete(e.key())).isTrue();
      assertThat(store.get(e.key())).isEmpty();
    }
  }

  @Nested
  @DisplayName("Delete reports what existed")
  class Delete {
    @DisplayName("Delete and delete-all report what existed")
    @Test
    void deleteAndDeleteAllReportWhatExisted() {
      MetadataEntry a = entry(key("a"));
      MetadataEntry b = entry(key("b"));
      MetadataEntry c = entry(key("c"));
      for (MetadataEntry e : List.of(a, b, c)) {
        store.put(e, Duration.ofMinutes(5));
      }
      assertThat(store.delete(a.key())).isTrue();
      assertThat(store.delete(a.key())).isFalse();
      assertThat(store.deleteAll(List.of(b.key(), c.key(), key("missing")))).isEqualTo(2);
      assertThat(store.deleteAll(List.of(b.key()))).isZero();
      assertThat(store.getAll(List.of(a.key(), b.key(), c.key()))).isEmpty();
    }
  }

  @Nested
  @DisplayName("Bad input is refused before any I/O")
  class BadInput {
    @DisplayName("A TTL of zero or less is rejected before any I/O")
    @Test
    void nonPositiveTtlIsRejectedBeforeAnyIo() {
      MetadataEntry e = entry(key("bad-ttl"));
      for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofSeconds(-30))) {
        assertThatThrownBy(() -> store.put(e, bad))
            .isInstanceOfSatisfying(
                InvalidInputException.class, ex -> assertThat(ex.field()).isEqualTo("ttl"));
        // the async form throws at once too, without returning a future
        assertThatThrownBy(() -> store.async().put(e, bad))
            .isInstanceOf(InvalidInputException.class);
      }
      assertThat(store.get(e.key())).isEmpty();

      store.put(e, Duration.ofMinutes(5));
      assertThatThrownBy(() -> store.expire(e.key(), Duration.ZERO))
          .isInstanceOfSatisfying(
              InvalidInputException.class, ex -> assertThat(ex.field()).isEqualTo("ttl"));
      assertThat(store.get(e.key())).contains(e);
    }

    @DisplayName("Blank keys are rejected")
    @Test
    void blankKeysAreRejected() {
      assertThatThrownBy(() -> store.get(" ")).isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> store.delete("")).isInstanceOf(InvalidInputException.class);
    }
  }

  @Nested
  @DisplayName("Publish and subscribe deliver events in order to every live listener")
  class PublishSubscribe {
    @DisplayName("Subscribers receive published events in order")
    @Test
    void subscribersReceivePublishedEventsInOrder() {
      String ch = channel("events");
      String other = channel("other");
      List<MetadataEvent> received = new CopyOnWriteArrayList<>();
      List<MetadataEvent> elsewhere = new CopyOnWriteArrayList<>();
      try (Subscription s = store.subscribe(ch, received::add);
          Subscription o = store.subscribe(other, elsewhere::add)) {
        assertThat(s.channel()).isEqualTo(ch);
        assertThat(o.channel()).isEqualTo(other);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<MetadataEvent> events =
            List.of(
                new MetadataEvent(MetadataEvent.Type.STORED, ch, "k1", 3, at),
                new MetadataEvent(MetadataEvent.Type.DELETED, ch, "k1", 3, at.plusMillis(1)),
                new MetadataEvent(MetadataEvent.Type.EXPIRED, ch, "k2:ü", 0, at.plusMillis(2)));
        events.forEach(store::publish);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= events.size());
        assertThat(received).containsExactlyElementsOf(events);
        assertThat(elsewhere).isEmpty();
      }
    }

    @DisplayName("Closing a subscription stops delivery")
    @Test
    void closingASubscriptionStopsDelivery() {
      String ch = channel("unsubscribe");
      List<MetadataEvent> closed = new CopyOnWriteArrayList<>();
      List<MetadataEvent> open = new CopyOnWriteArrayList<>();
      Subscription first = store.subscribe(ch, closed::add);
      try (Subscription second = store.subscribe(ch, open::add)) {
        assertThat(second.channel()).isEqualTo(ch);
        first.close();
        first.close(); // idempotent
        MetadataEvent e =
            new MetadataEvent(
                MetadataEvent.Type.STORED,
                ch,
                "k",
                1,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store.publish(e);
        await().atMost(Duration.ofSeconds(10)).until(() -> !open.isEmpty());
        assertThat(open).containsExactly(e);
        assertThat(closed).isEmpty();
      }
    }

    @DisplayName("A failing listener does not stop the others")
    @Test
    void aFailingListenerDoesNotStopOthers() {
      String ch = channel("failing");
      List<MetadataEvent> received = new CopyOnWriteArrayList<>();
      try (Subscription bad =
              store.subscribe(
                  ch,
                  e -> {
                    throw new IllegalStateException("listener failure (expected by the test)");
                  });
          Subscription good = store.subscribe(ch, received::add)) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        MetadataEvent e1 = new MetadataEvent(MetadataEvent.Type.STORED, ch, "a", 1, at);
        MetadataEvent e2 = new MetadataEvent(MetadataEvent.Type.STORED, ch, "b", 2, at);
        store.publish(e1);
        store.publish(e2);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 2);
        assertThat(received).containsExactly(e1, e2);
        assertThat(bad.channel()).isEqualTo(good.channel());
      }
    }
  }

  @Nested
  @DisplayName("Batch writes: copies (compare-and-set on the version) and events in one round trip")
  class BatchWrites extends MetadataStoreBatchWriteCases {
    @Override
    MetadataStore store() {
      return store;
    }

    @Override
    TimeControl time() {
      return time;
    }

    @Override
    String key(String name) {
      return MetadataStoreContract.this.key(name);
    }

    @Override
    String channel(String name) {
      return MetadataStoreContract.this.channel(name);
    }

    @Override
    Duration realTimeTtl() {
      return MetadataStoreContract.this.realTimeTtl();
    }
  }

  @Nested
  @DisplayName("Scored sets: members ordered by score, as Redis sorted sets")
  class ScoredSetsGroup extends MetadataStoreScoredSetsCases {
    @Override
    MetadataStore store() {
      return store;
    }

    @Override
    String key(String name) {
      return MetadataStoreContract.this.key(name);
    }
  }

  @Nested
  @DisplayName("The async form and ping")
  class FormsAndPing {
    @DisplayName("The async form gives the same answers as the blocking one")
    @Test
    void asyncFormGivesTheSameAnswers() throws Exception {
      AsyncMetadataStore async = store.async();
      MetadataEntry a = entry(key("async-a"));
      MetadataEntry b = entry(key("async-b"));
      async.put(a, Duration.ofMinutes(5)).get();
      store.put(b, Duration.ofMinutes(5));
      assertThat(async.get(a.key()).get()).contains(a).isEqualTo(store.get(a.key()));
      assertThat(async.getAll(List.of(a.key(), b.key(), key("none"))).get())
          .isEqualTo(store.getAll(List.of(a.key(), b.key(), key("none"))))
          .containsOnlyKeys(a.key(), b.key());
      assertThat(async.ttl(a.key()).get()).isPresent();
      assertThat(async.expire(a.key(), Duration.ofMinutes(10)).get()).isTrue();
      assertThat(async.delete(a.key()).get()).isTrue();
      assertThat(async.deleteAll(List.of(a.key(), b.key())).get()).isEqualTo(1L);
      assertThat(async.blocking().get(b.key())).isEmpty();
    }

    @DisplayName("Ping describes the backend")
    @Test
    void pingDescribesTheBackend() {
      BackendInfo info = store.ping();
      assertThat(info.backend()).isNotBlank();
      assertThat(info.client()).isNotBlank();
      assertThat(info.roundTrip()).isGreaterThanOrEqualTo(Duration.ZERO);
    }
  }
}
