package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    store.close();
    assertThatThrownBy(() -> store.get("a")).isInstanceOf(BackendUnavailableException.class);
  }
}
