package dev.vectorcache.core.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.core.testing.FakeMetadataStore;
import dev.vectorcache.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Metadata store bridges")
class MetadataStoreBridgesTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private final MutableClock clock = new MutableClock(START);
  private final FakeMetadataStore fake = new FakeMetadataStore(clock);

  private static MetadataEntry entry(String key, long version) {
    return new MetadataEntry(key, Map.of("v", version), version, START.plusSeconds(60));
  }

  private static BackendUnavailableException down() {
    return new BackendUnavailableException("redis", "connection reset", null);
  }

  @Nested
  @DisplayName("BlockingMetadataStore over a non-blocking store")
  class Blocking {
    private final MetadataStore store =
        new BlockingMetadataStore(new InlineAsyncMetadataStore(fake));

    @Test
    @DisplayName("passes every call through and returns its result")
    void calls() {
      store.put(entry("a", 1), Duration.ofSeconds(60));
      store.put(entry("b", 2), Duration.ofSeconds(30));
      assertThat(store.get("a")).contains(entry("a", 1));
      assertThat(store.get("zz")).isEmpty();
      assertThat(store.getAll(List.of("a", "b", "zz"))).containsOnlyKeys("a", "b");
      assertThat(store.ttl("b")).contains(Duration.ofSeconds(30));
      assertThat(store.expire("b", Duration.ofSeconds(5))).isTrue();
      assertThat(store.expire("zz", Duration.ofSeconds(5))).isFalse();
      clock.advance(Duration.ofSeconds(5));
      assertThat(store.get("b")).isEmpty();
      assertThat(store.ttl("b")).isEmpty();
      assertThat(store.delete("a")).isTrue();
      assertThat(store.delete("a")).isFalse();
      store.put(entry("c", 3), Duration.ofSeconds(60));
      assertThat(store.deleteAll(List.of("c", "zz"))).isEqualTo(1);
      assertThat(store.ping().backend()).isEqualTo("memory");
    }

    @Test
    @DisplayName("delivers published events to the collection's subscribers")
    void events() {
      List<MetadataEvent> seen = new ArrayList<>();
      Subscription s = store.subscribe("docs", seen::add);
      MetadataEvent stored = new MetadataEvent(MetadataEvent.Type.STORED, "docs", "a", 1, START);
      store.publish(stored);
      store.publish(new MetadataEvent(MetadataEvent.Type.STORED, "other", "a", 1, START));
      assertThat(seen).containsExactly(stored);
      assertThat(s.channel()).isEqualTo("docs");
      s.close();
      store.publish(stored);
      assertThat(seen).hasSize(1);
    }

    @Test
    @DisplayName("throws the store's own exception, not a CompletionException")
    void failures() {
      BackendUnavailableException failure = down();
      fake.log().failNext("getAll", failure);
      assertThatThrownBy(() -> store.getAll(List.of("a"))).isSameAs(failure);
      assertThatThrownBy(() -> store.put(entry("a", 1), Duration.ZERO))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("ttl"));
    }

    @Test
    @DisplayName("forwards capabilities, unwrapping and closing to the wrapped store")
    void plumbing() {
      assertThat(store.async()).isInstanceOf(InlineAsyncMetadataStore.class);
      assertThat(store.isSupported(Capability.CROSS_PROCESS_PUBSUB)).isFalse();
      assertThat(store.unwrap(BlockingMetadataStore.class)).isSameAs(store);
      assertThat(store.unwrap(FakeMetadataStore.class)).isSameAs(fake);
      assertThatThrownBy(() -> store.unwrap(Integer.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot be unwrapped to java.lang.Integer");
      store.close();
      assertThat(fake.isClosed()).isTrue();
    }
  }

  @Nested
  @DisplayName("InlineAsyncMetadataStore over a quick store")
  class Inline {
    private final AsyncMetadataStore store = new InlineAsyncMetadataStore(fake);

    @Test
    @DisplayName("returns futures that are already complete with the store's results")
    void completed() {
      assertThat(store.put(entry("a", 1), Duration.ofSeconds(60))).isDone();
      assertThat(store.get("a")).isCompletedWithValue(Optional.of(entry("a", 1)));
      assertThat(store.getAll(List.of("a"))).isCompletedWithValue(Map.of("a", entry("a", 1)));
      assertThat(store.ttl("a")).isCompletedWithValue(Optional.of(Duration.ofSeconds(60)));
      assertThat(store.expire("a", Duration.ofSeconds(10))).isCompletedWithValue(true);
      assertThat(store.delete("a")).isCompletedWithValue(true);
      assertThat(store.deleteAll(List.of("a"))).isCompletedWithValue(0L);
      List<MetadataEvent> seen = new ArrayList<>();
      Subscription s = store.subscribe("docs", seen::add).join();
      MetadataEvent gone = new MetadataEvent(MetadataEvent.Type.DELETED, "docs", "a", 1, START);
      assertThat(store.publish(gone)).isDone();
      assertThat(seen).containsExactly(gone);
      s.close();
      assertThat(store.ping().join().client()).isEqualTo("fake");
    }

    @Test
    @DisplayName("turns a backend failure into a failed future but throws invalid input at once")
    void failures() {
      BackendUnavailableException failure = down();
      fake.log().failNext("publish", failure);
      CompletableFuture<Void> f =
          store.publish(new MetadataEvent(MetadataEvent.Type.EXPIRED, "docs", "a", 1, START));
      assertThat(f).isCompletedExceptionally();
      assertThatThrownBy(f::join).hasCause(failure);
      assertThatThrownBy(() -> store.put(entry("a", 1), Duration.ofSeconds(-1)))
          .isInstanceOf(InvalidInputException.class);
    }

    @Test
    @DisplayName("forwards capabilities, unwrapping and closing to the wrapped store")
    void plumbing() {
      assertThat(store.blocking()).isSameAs(fake);
      assertThat(store.isSupported(Capability.FULL_TEXT_INDEX)).isFalse();
      assertThat(store.unwrap(InlineAsyncMetadataStore.class)).isSameAs(store);
      assertThat(store.unwrap(FakeMetadataStore.class)).isSameAs(fake);
      store.close();
      assertThat(fake.isClosed()).isTrue();
    }
  }
}
