package dev.vectorcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.adapter.JsonSize;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.InvalidMetadataException;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.Payloads;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.testing.FakeMetadataStore;
import dev.vectorcache.core.testing.FakeVectorStore;
import dev.vectorcache.core.testing.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The cache's promises when its metadata store fails, and its refusals of ill-formed input. */
@DisplayName("Fault tolerance of VectorCache")
class FaultToleranceTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final float[] X = {1, 0, 0};

  private final MutableClock clock = new MutableClock(START);
  private final FakeVectorStore vectors = new FakeVectorStore();
  private final FakeMetadataStore metadata = new FakeMetadataStore(clock).withBatchWrites();
  private final List<String> circuit = new ArrayList<>();
  private final List<VectorCache> opened = new ArrayList<>();

  private VectorCacheBuilder builder() {
    return VectorCache.builder()
        .collection("docs")
        .collectionConfig(CollectionConfig.builder(3, Distance.COSINE).build())
        .vectorStore(vectors)
        .metadataStore(metadata)
        .clock(clock)
        .listener(
            new CacheListener() {
              @Override
              public void onCircuitStateChange(CircuitState from, CircuitState to) {
                circuit.add(from + ">" + to);
              }
            });
  }

  private VectorCache open(VectorCacheBuilder b) {
    VectorCache c = b.ownsStores(false).build();
    c.initialize();
    opened.add(c);
    return c;
  }

  @AfterEach
  void close() {
    opened.forEach(VectorCache::close);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static BackendTimeoutException hung() {
    return new BackendTimeoutException("redis", "command timed out", null);
  }

  @Nested
  @DisplayName("with a failing metadata store")
  class Breaker {
    @Test
    @DisplayName("a store costs one metadata-store call: the copy and its event in one round trip")
    void oneRoundTripPerStore() {
      VectorCache cache = open(builder());
      metadata.log().clear();
      cache.store("a", X, Map.of("t", 1));
      assertThat(metadata.log().calls()).containsExactly("writeAll");
      assertThat(metadata.published()).hasSize(1);
      assertThat(metadata.peek("docs:a")).isPresent();
    }

    @Test
    @DisplayName(
        "opens after 5 timeouts; while open no call is sent and searches and gets are served from"
            + " the payload; after the cool-down one probe closes it")
    void opensServesDegradedAndRecovers() {
      VectorCache cache = open(builder());
      cache.store("a", X, Map.of("t", "payload"));
      metadata.log().failAlways("getAll", hung());
      metadata.log().failAlways("writeAll", hung());
      for (int i = 0; i < 5; i++) {
        assertThat(cache.get("a")).isPresent();
      }
      cache.flushAsync().join();
      assertThat(cache.circuitState()).isEqualTo(CircuitState.OPEN);
      metadata.log().clear();

      assertThat(cache.searchSimilar(X, 1))
          .singleElement()
          .satisfies(h -> assertThat(h.metadata()).containsEntry("t", "payload"));
      assertThat(cache.get("a")).isPresent();
      cache.store("b", X, Map.of());
      cache.flushAsync().join();
      assertThat(metadata.log().calls()).isEmpty(); // nothing reached the metadata store
      assertThat(cache.stats().metadataCallsShortCircuited()).isGreaterThanOrEqualTo(3);
      assertThat(cache.stats().circuitOpenings()).isEqualTo(1);

      metadata.log().failAlways("getAll", null);
      metadata.log().failAlways("writeAll", null);
      clock.advance(CircuitBreakerConfig.DEFAULT_COOL_DOWN);
      assertThat(cache.get("a")).isPresent(); // the probe
      assertThat(cache.stats().circuitState()).isEqualTo(CircuitState.CLOSED);
      assertThat(circuit).containsExactly("CLOSED>OPEN", "OPEN>HALF_OPEN", "HALF_OPEN>CLOSED");
    }

    @Test
    @DisplayName("server-side errors (WRONGTYPE) are counted but never open the breaker")
    void serverErrorsDoNotOpen() {
      VectorCache cache = open(builder());
      cache.store("a", X, Map.of());
      metadata
          .log()
          .failAlways(
              "getAll",
              new dev.vectorcache.core.exception.BackendException("redis", "WRONGTYPE", null));
      for (int i = 0; i < 30; i++) {
        cache.get("a");
      }
      assertThat(cache.circuitState()).isEqualTo(CircuitState.CLOSED);
      assertThat(cache.stats().metadataStoreFailures()).isEqualTo(30);
    }

    @Test
    @DisplayName("a full write-back queue drops and counts; nothing waits")
    void fullQueueDrops() {
      VectorCache cache = open(builder().writeBackQueueCapacity(1));
      for (int i = 0; i < 5; i++) {
        cache.store("k" + i, new float[] {1, i, 0}, Map.of());
      }
      CountDownLatch hang = new CountDownLatch(1);
      metadata.log().beforeNext("writeAll", () -> awaitQuietly(hang)); // the write-back hangs
      for (int i = 0; i < 5; i++) {
        metadata.delete("docs:k" + i);
      }
      assertThat(cache.searchSimilar(X, 5)).hasSize(5); // returns although the write-back hangs
      CacheStats s = cache.stats();
      assertThat(s.metadataMisses()).isEqualTo(5);
      assertThat(s.writeBacksQueued() + s.writeBacksDropped()).isEqualTo(5);
      // at most one waits in the queue and one is being sent
      assertThat(s.writeBacksDropped()).isGreaterThanOrEqualTo(3);
      hang.countDown();
    }
  }

  @Nested
  @DisplayName("single flight")
  class SingleFlight {
    @Test
    @DisplayName("64 gets of a key whose copy is missing: one payload read and one write-back")
    void stampede() {
      VectorCache seed = open(builder());
      seed.store("hot", X, Map.of("t", "v"));
      metadata.delete("docs:hot");
      HeldReads held = new HeldReads(vectors.async());
      VectorCache cache = open(builder().vectorStore(held.proxy()).collection("docs"));
      metadata.log().clear();

      List<CompletableFuture<Optional<CacheEntry>>> gets = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        gets.add(cache.getAsync("hot"));
      }
      assertThat(held.fullReads).hasValue(1);
      assertThat(gets).noneMatch(CompletableFuture::isDone);
      held.release();

      assertThat(gets)
          .allSatisfy(
              g ->
                  assertThat(g.join())
                      .hasValueSatisfying(e -> assertThat(e.key()).isEqualTo("hot")));
      cache.flushAsync().join();
      assertThat(metadata.log().count("writeAll")).isEqualTo(1);
      assertThat(cache.stats().singleFlightJoins()).isEqualTo(63);
      assertThat(metadata.peek("docs:hot")).isPresent();
    }
  }

  /** Wraps a vector store so that full-payload reads wait until {@link #release()}. */
  private static final class HeldReads {
    final AtomicInteger fullReads = new AtomicInteger();
    private final AsyncVectorStore target;
    private final List<Runnable> waiting = new ArrayList<>();

    HeldReads(AsyncVectorStore target) {
      this.target = target;
    }

    AsyncVectorStore proxy() {
      return (AsyncVectorStore)
          Proxy.newProxyInstance(
              AsyncVectorStore.class.getClassLoader(),
              new Class<?>[] {AsyncVectorStore.class},
              (p, m, args) -> {
                Object out;
                try {
                  out = m.invoke(target, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
                if (m.getName().equals("retrieve") && args[2] == PayloadSelector.ALL) {
                  fullReads.incrementAndGet();
                  @SuppressWarnings("unchecked")
                  CompletableFuture<List<RetrievedPoint>> read =
                      (CompletableFuture<List<RetrievedPoint>>) out;
                  CompletableFuture<List<RetrievedPoint>> later = new CompletableFuture<>();
                  waiting.add(() -> later.complete(read.join()));
                  return later;
                }
                return out;
              });
    }

    void release() {
      waiting.forEach(Runnable::run);
    }
  }

  @Nested
  @DisplayName("ill-formed input")
  class IllFormed {
    @Test
    @DisplayName(
        "keys with a lone surrogate are refused before I/O (they would map to one point id)")
    void loneSurrogateKeys() {
      VectorCache cache = open(builder());
      vectors.log().clear();
      for (String key : List.of("user\uD83D", "user\uD83C", "\uDC00x")) {
        assertThatThrownBy(() -> cache.store(key, X, Map.of()))
            .isInstanceOfSatisfying(
                InvalidInputException.class,
                e -> {
                  assertThat(e.field()).isEqualTo("key");
                  assertThat(e.expected()).isEqualTo("well-formed UTF-16 text");
                  assertThat(e.found()).contains("lone surrogate");
                });
        assertThatThrownBy(() -> cache.get(key)).isInstanceOf(InvalidInputException.class);
      }
      assertThat(vectors.log().calls()).isEmpty();
      cache.store("user\uD83D\uDE00", X, Map.of()); // a whole emoji is fine
      assertThat(cache.get("user\uD83D\uDE00")).isPresent();
    }

    @Test
    @DisplayName("metadata strings and map keys with a lone surrogate are refused, naming the path")
    void loneSurrogateMetadata() {
      VectorCache cache = open(builder());
      assertThatThrownBy(() -> cache.store("k", X, Map.of("a", Map.of("b", "a\uD800b"))))
          .isInstanceOfSatisfying(
              InvalidMetadataException.class, e -> assertThat(e.field()).isEqualTo("metadata.a.b"));
      assertThatThrownBy(() -> cache.store("k", X, Map.of("x\uDC00", 1)))
          .isInstanceOf(InvalidMetadataException.class);
    }

    @Test
    @DisplayName("nesting: 32 levels are accepted, 33 refused before I/O")
    void nestingLimit() {
      VectorCache cache = open(builder());
      assertThat(cache.store("ok", X, nested(Payloads.MAX_DEPTH)).metadata()).isNotEmpty();
      vectors.log().clear();
      assertThatThrownBy(() -> cache.store("deep", X, nested(Payloads.MAX_DEPTH + 1)))
          .isInstanceOf(InvalidMetadataException.class)
          .hasMessageContaining("nesting of at most 32 levels");
      assertThat(vectors.log().calls()).isEmpty();
    }

    private Map<String, Object> nested(int levels) {
      Map<String, Object> m = new HashMap<>(Map.of("leaf", 1));
      for (int i = 1; i < levels; i++) {
        m = new HashMap<>(Map.of("n", m));
      }
      return m;
    }

    @Test
    @DisplayName("a huge metadata map is measured only up to the limit")
    void hugeMetadataStopsAtTheLimit() {
      List<String> big = new ArrayList<>();
      for (int i = 0; i < 200_000; i++) {
        big.add("0123456789012345678901234567890123456789"); // about 8 MB of JSON
      }
      long measured = JsonSize.of(Map.of("big", big), 65_536);
      assertThat(measured).isGreaterThan(65_536).isLessThan(65_536 + 100);
      assertThat(JsonSize.of(Map.of("a", "b"), 65_536)).isEqualTo(JsonSize.of(Map.of("a", "b")));
      VectorCache cache = open(builder());
      assertThatThrownBy(() -> cache.store("k", X, Map.of("big", big)))
          .hasMessageContaining("more than 65536 bytes");
    }

    @Test
    @DisplayName("Cosine vectors with tiny or huge norms are stored normalised and found exactly")
    void cosineNorms() {
      VectorCache cache = open(builder());
      cache.store("tiny", new float[] {1e-5f, 2e-5f, 0}, Map.of());
      cache.store("huge", new float[] {0, 1e20f, 1e20f}, Map.of());
      cache.store("subnormal", new float[] {0, 0, Float.MIN_VALUE}, Map.of());
      assertThat(cache.searchSimilar(new float[] {1, 2, 0}, 1).get(0))
          .satisfies(
              h -> {
                assertThat(h.key()).isEqualTo("tiny");
                assertThat(h.score()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
              });
      assertThat(cache.searchSimilar(new float[] {0, 1, 1}, 1).get(0).key()).isEqualTo("huge");
      assertThat(cache.searchSimilar(new float[] {0, 0, 1}, 1).get(0).key()).isEqualTo("subnormal");
    }
  }
}
