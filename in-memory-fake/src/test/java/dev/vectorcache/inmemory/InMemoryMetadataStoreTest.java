package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.BackendRejectedException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.BatchMetadataWrites;
import dev.vectorcache.core.port.BatchMetadataWrites.CopyWrite;
import dev.vectorcache.core.port.ScoredSets;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class InMemoryMetadataStoreTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private final InMemoryMetadataStore store = new InMemoryMetadataStore(clock);

  private static MetadataEntry entry(String key) {
    return new MetadataEntry(key, Map.of("k", key), 1, Instant.EPOCH);
  }

  @Test
  void countsCallsPerOperation() {
    store.put(entry("a"), Duration.ofSeconds(1));
    store.put(entry("b"), Duration.ofSeconds(1));
    store.getAll(List.of("a", "b", "c"));
    assertThat(store.operationCount("put")).isEqualTo(2);
    assertThat(store.operationCount("getAll")).isEqualTo(1);
    assertThat(store.operationCount("get")).isZero();
  }

  @Test
  void expiredEntriesArePurgedLazilyAndOnDemand() {
    store.put(entry("a"), Duration.ofSeconds(1));
    store.put(entry("b"), Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.ping().details()).containsEntry("keys", "2"); // not yet purged
    store.purgeExpired();
    assertThat(store.ping().details()).containsEntry("keys", "1");
    clock.advance(Duration.ofSeconds(9));
    assertThat(store.get("b")).isEmpty();
    assertThat(store.ping().details()).containsEntry("keys", "0"); // purged by the read
  }

  @Test
  void listenersRunOnThePublishersThreadAndFailuresAreIsolated() {
    List<String> got = new ArrayList<>();
    Thread publisher = Thread.currentThread();
    List<Thread> threads = new ArrayList<>();
    store.subscribe(
        "c",
        e -> {
          throw new IllegalStateException("expected by the test");
        });
    Subscription s =
        store.subscribe(
            "c",
            e -> {
              got.add(e.key());
              threads.add(Thread.currentThread());
            });
    store.publish(new MetadataEvent(MetadataEvent.Type.STORED, "c", "x", 1, Instant.EPOCH));
    assertThat(got).containsExactly("x"); // synchronous: delivered before publish returned
    assertThat(threads).containsExactly(publisher);
    s.close();
    store.publish(new MetadataEvent(MetadataEvent.Type.STORED, "c", "y", 1, Instant.EPOCH));
    assertThat(got).containsExactly("x");
  }

  @Test
  void sameListenerSubscribedTwiceIsTwoSubscriptions() {
    List<String> got = new ArrayList<>();
    Subscription a = store.subscribe("c", e -> got.add(e.key()));
    java.util.function.Consumer<MetadataEvent> l = e -> got.add(e.key());
    Subscription b = store.subscribe("c", l);
    Subscription c = store.subscribe("c", l);
    b.close();
    store.publish(new MetadataEvent(MetadataEvent.Type.DELETED, "c", "z", 0, Instant.EPOCH));
    assertThat(got).containsExactly("z", "z");
    a.close();
    c.close();
  }

  @Test
  void inputIsValidated() {
    assertThatThrownBy(() -> store.put(null, Duration.ofSeconds(1)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> store.put(entry("a"), Duration.ZERO)) // null means no expiry
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("ttl"));
    assertThatThrownBy(() -> store.getAll(java.util.Arrays.asList("a", null)))
        .isInstanceOf(InvalidInputException.class);
    assertThat(store.operationCount("put")).isZero(); // rejected before anything happened
  }

  @Test
  void closedStoreFails() {
    ScoredSets sets = store.extension(ScoredSets.class).orElseThrow();
    store.close();
    assertThatThrownBy(() -> store.get("a")).isInstanceOf(BackendUnavailableException.class);
    assertThat(sets.size("s")).failsWithin(Duration.ofSeconds(1));
    assertThat(sets.update(List.of(ScoredSets.Update.set("s", "a", 1))))
        .failsWithin(Duration.ofSeconds(1))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(BackendUnavailableException.class);
  }

  @Test
  void aConditionalWriteOverASetIsRejectedAndTheRestOfTheBatchApplies() {
    ScoredSets sets = store.extension(ScoredSets.class).orElseThrow();
    BatchMetadataWrites batch = store.extension(BatchMetadataWrites.class).orElseThrow();
    Futures.join(sets.update(List.of(ScoredSets.Update.set("set", "m", 1))));
    List<String> events = new ArrayList<>();
    store.subscribe("c", e -> events.add(e.key()));
    MetadataEntry other = new MetadataEntry("other", Map.of(), 2, null);
    for (CopyWrite.Condition c :
        List.of(CopyWrite.Condition.IF_NEWER, CopyWrite.Condition.IF_SAME_VERSION)) {
      CompletableFuture<Integer> f =
          batch.writeAll(
              List.of(
                  new CopyWrite(new MetadataEntry("set", Map.of(), 1, null), null, c),
                  new CopyWrite(other, null, CopyWrite.Condition.ALWAYS)),
              List.of(new MetadataEvent(MetadataEvent.Type.STORED, "c", "set", 1, Instant.EPOCH)));
      assertThatThrownBy(() -> Futures.join(f))
          .isInstanceOf(BackendRejectedException.class)
          .hasMessageContaining("WRONGTYPE");
    }
    assertThat(store.get("other")).contains(other); // as in a pipeline: the rest was applied
    assertThat(events).containsExactly("set", "set"); // and the events published
    assertThat(Futures.join(sets.lowest("set", 5))).containsExactly("m");
    // a plain write replaces the set, as SET does
    MetadataEntry copy = new MetadataEntry("set", Map.of(), 3, null);
    assertThat(
            Futures.join(
                batch.writeAll(
                    List.of(new CopyWrite(copy, null, CopyWrite.Condition.ALWAYS)), List.of())))
        .isEqualTo(1);
    assertThat(store.get("set")).contains(copy);
  }

  @Test
  void aSetHasNoExpiryUntilExpireGivesItOne() {
    ScoredSets sets = store.extension(ScoredSets.class).orElseThrow();
    Futures.join(sets.update(List.of(ScoredSets.Update.increment("s", "a", 1))));
    assertThat(store.ttl("s")).contains(ChronoUnit.FOREVER.getDuration());
    assertThat(store.expire("s", Duration.ofSeconds(5))).isTrue();
    assertThat(store.ttl("s")).contains(Duration.ofSeconds(5));
    clock.advance(Duration.ofSeconds(5));
    assertThat(Futures.join(sets.size("s"))).isZero();
    assertThat(Futures.join(sets.remove("s", List.of("a")))).isZero();
    assertThat(Futures.join(sets.deleteSet("s"))).isFalse();
    assertThat(store.operationCount("update")).isEqualTo(1);
    assertThat(store.operationCount("size")).isEqualTo(1);
  }

  @Test
  void membersCompareByCodePointAndScoresAsNumbers() {
    assertThat(ScoredMembers.compareMembers("\uFF21", "\uD83D\uDE00")).isNegative();
    assertThat("\uFF21".compareTo("\uD83D\uDE00")).isPositive(); // UTF-16 order differs
    assertThat(ScoredMembers.compareMembers("a", "ab")).isNegative();
    assertThat(ScoredMembers.compareMembers("ab", "ab")).isZero();
    ScoredMembers set = new ScoredMembers();
    set.set("b", -0.0);
    set.set("a", 0.0); // -0.0 equals 0.0: the tie goes to the member order
    assertThat(set.lowest(2)).containsExactly("a", "b");
    assertThat(set.increment("c", -1)).isEqualTo(-1.0);
    assertThat(set.lowest(1)).containsExactly("c");
  }
}
