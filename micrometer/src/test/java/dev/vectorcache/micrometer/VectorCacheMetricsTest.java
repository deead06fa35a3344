package dev.vectorcache.micrometer;

import static dev.vectorcache.micrometer.MeterAssertions.count;
import static dev.vectorcache.micrometer.MeterAssertions.gauge;
import static dev.vectorcache.micrometer.MeterAssertions.summary;
import static dev.vectorcache.micrometer.MeterAssertions.tagsAreBounded;
import static dev.vectorcache.micrometer.MeterAssertions.timer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.CacheStats;
import dev.vectorcache.core.CircuitState;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.testkit.CallRecorder.FailureMode;
import dev.vectorcache.testkit.MutableClock;
import dev.vectorcache.testkit.RecordingMetadataStore;
import dev.vectorcache.testkit.RecordingVectorStore;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("VectorCacheMetrics on a real VectorCache over the embedded stores")
class VectorCacheMetricsTest {
  private static final float[] X = {1, 0, 0};
  private static final float[] Y = {0.8f, 0.6f, 0};

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryVectorStore vectors = new InMemoryVectorStore();
  private final InMemoryMetadataStore metadata = new InMemoryMetadataStore(clock);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final VectorCacheMetrics metrics = new VectorCacheMetrics("docs", Tags.of("app", "test"));
  private final List<VectorCache> opened = new ArrayList<>();

  private VectorCache open(AsyncVectorStore vs, AsyncMetadataStore md) {
    return open(vs, md, 0);
  }

  private VectorCache open(AsyncVectorStore vs, AsyncMetadataStore md, int nearCache) {
    VectorCache cache =
        VectorCache.builder()
            .collection("docs")
            .collectionConfig(CollectionConfig.builder(3, Distance.COSINE).build())
            .vectorStore(vs)
            .metadataStore(md)
            .clock(clock)
            .listener(metrics)
            .ownsStores(false)
            .nearCache(nearCache)
            .build();
    opened.add(cache);
    metrics.monitor(cache);
    metrics.bindTo(registry);
    cache.initialize();
    return cache;
  }

  private VectorCache open() {
    return open(vectors.async(), metadata.async());
  }

  @AfterEach
  void close() {
    opened.forEach(VectorCache::close);
    metadata.close();
    vectors.close();
  }

  @Test
  @DisplayName("hits the near cache hydrates are counted under their own tier")
  void nearCacheHitsHaveTheirOwnTier() {
    VectorCache cache = open(vectors.async(), metadata.async(), 100);
    cache.store("a", X, Map.of("t", 1));
    cache.store("b", Y, Map.of("t", 2));

    assertThat(cache.searchSimilar(X, 2)).hasSize(2);
    assertThat(count(registry, "vectorcache.hits", "tier", "metadata_store")).isEqualTo(2);
    assertThat(count(registry, "vectorcache.hits", "tier", "near_cache")).isZero();

    assertThat(cache.searchSimilar(X, 2))
        .hasSize(2)
        .allMatch(h -> h.source() == CacheHit.Source.NEAR_CACHE);
    assertThat(count(registry, "vectorcache.hits", "tier", "metadata_store")).isEqualTo(2);
    assertThat(count(registry, "vectorcache.hits", "tier", "near_cache")).isEqualTo(2);
    assertThat(count(registry, "vectorcache.hits", "tier", "near_cache"))
        .isEqualTo((double) cache.stats().nearCacheHits());
  }

  @Test
  @DisplayName("stores, gets, searches (metadata-store and payload hits, scores) and deletes")
  void operationsHitsScoresDeletes() {
    VectorCache cache = open();
    cache.store("a", X, Map.of("t", 1));
    cache.store("b", Y, Map.of("t", 2));
    assertThat(
            timer(registry, "vectorcache.operations", "operation", "store", "outcome", "success")
                .count())
        .isEqualTo(2);
    assertThat(count(registry, "vectorcache.stored")).isEqualTo(2);

    List<CacheHit> hits = cache.searchSimilar(X, 2);
    assertThat(hits).hasSize(2);
    assertThat(count(registry, "vectorcache.hits", "tier", "metadata_store")).isEqualTo(2);
    assertThat(summary(registry, "vectorcache.search.score").count()).isEqualTo(2);
    assertThat(summary(registry, "vectorcache.search.score").totalAmount())
        .isCloseTo(
            hits.get(0).score() + hits.get(1).score(), org.assertj.core.data.Offset.offset(1e-6));

    metadata.delete("docs:a"); // the copy is gone: the next hit reads the payload
    assertThat(cache.searchSimilar(X, 1))
        .singleElement()
        .satisfies(h -> assertThat(h.key()).isEqualTo("a"));
    cache.flushAsync().join();
    assertThat(count(registry, "vectorcache.hits", "tier", "payload")).isEqualTo(1);
    assertThat(
            timer(registry, "vectorcache.operations", "operation", "search", "outcome", "success")
                .count())
        .isEqualTo(2);

    assertThat(cache.get("b")).isPresent();
    assertThat(
            timer(registry, "vectorcache.operations", "operation", "get", "outcome", "success")
                .count())
        .isEqualTo(1);
    assertThat(cache.delete("b")).isTrue();
    assertThat(
            timer(registry, "vectorcache.operations", "operation", "delete", "outcome", "success")
                .count())
        .isEqualTo(1);
    assertThat(count(registry, "vectorcache.deleted")).isEqualTo(1);
    assertThat(
            timer(registry, "vectorcache.operations", "operation", "store", "outcome", "success")
                .totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
        .isPositive();

    CacheStats stats = cache.stats();
    assertThat(count(registry, "vectorcache.hits", "tier", "metadata_store"))
        .isEqualTo((double) stats.metadataHits());
    assertThat(count(registry, "vectorcache.hits", "tier", "payload"))
        .isEqualTo((double) stats.metadataMisses());
    assertThat(gauge(registry, "vectorcache.writebacks.pending")).isZero();
    assertThat(gauge(registry, "vectorcache.invalidations.pending")).isZero();
    assertThat(gauge(registry, "vectorcache.circuit.state", "state", "closed")).isEqualTo(1);
    tagsAreBounded(
        registry,
        Set.of("cache", "app", "operation", "outcome", "tier", "state"),
        Set.of("a", "b", "docs:a", "docs:b"));
  }

  @Test
  @DisplayName("the sweeper's expired entries are counted as expirations")
  void expirations() {
    VectorCache cache = open();
    cache.store("short", X, Map.of(), Duration.ofMinutes(1));
    cache.store("long", Y, Map.of(), Duration.ofHours(1));
    clock.advance(Duration.ofMinutes(2));
    assertThat(cache.sweepExpired()).isEqualTo(1);
    assertThat(count(registry, "vectorcache.expirations")).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "a failing metadata store: failures by operation, the breaker's state and openings, dropped"
          + " write-backs")
  void breakerOpens() {
    RecordingMetadataStore failing = new RecordingMetadataStore(metadata);
    VectorCache cache = open(vectors.async(), failing);
    cache.store("a", X, Map.of());
    failing
        .recorder()
        .failOn(
            "getAll", FailureMode.FAIL, () -> new BackendTimeoutException("redis", "hung", null));
    failing
        .recorder()
        .failOn("put", FailureMode.FAIL, () -> new BackendTimeoutException("redis", "hung", null));
    for (int i = 0; i < 5; i++) {
      assertThat(cache.get("a")).isPresent(); // served from the payload
    }
    cache.flushAsync().join();
    assertThat(cache.circuitState()).isEqualTo(CircuitState.OPEN);

    assertThat(gauge(registry, "vectorcache.circuit.state", "state", "open")).isEqualTo(1);
    assertThat(gauge(registry, "vectorcache.circuit.state", "state", "closed")).isZero();
    assertThat(gauge(registry, "vectorcache.circuit.state", "state", "half_open")).isZero();
    assertThat(count(registry, "vectorcache.circuit.openings")).isEqualTo(1);
    CacheStats stats = cache.stats();
    int failedReads = failing.recorder().calls("getAll"); // every one failed
    assertThat(failedReads).isPositive();
    assertThat(count(registry, "vectorcache.metadata.store.failures", "operation", "getAll"))
        .isEqualTo(failedReads);
    double allFailures =
        registry.find("vectorcache.metadata.store.failures").counters().stream()
            .mapToDouble(c -> c.count())
            .sum();
    assertThat(allFailures).isEqualTo((double) stats.metadataStoreFailures());
    assertThat(count(registry, "vectorcache.metadata.store.failures", "operation", "other"))
        .isZero(); // the core reports only names of the known set
    assertThat(count(registry, "vectorcache.writebacks.dropped"))
        .isEqualTo((double) stats.writeBacksDropped());
    assertThat(count(registry, "vectorcache.hits", "tier", "payload")).isEqualTo(5);

    failing.recorder().clearFailures();
    clock.advance(Duration.ofSeconds(5)); // the cool-down: the next call is the probe
    assertThat(cache.get("a")).isPresent();
    assertThat(gauge(registry, "vectorcache.circuit.state", "state", "closed")).isEqualTo(1);
    assertThat(gauge(registry, "vectorcache.circuit.state", "state", "open")).isZero();
  }

  @Test
  @DisplayName("a failed operation is timed with outcome failure; bad input is not timed")
  void failedOperation() {
    RecordingVectorStore failing = new RecordingVectorStore(vectors);
    VectorCache cache = open(failing, metadata.async());
    failing
        .recorder()
        .failOn(
            "search",
            FailureMode.FAIL,
            () -> new BackendUnavailableException("qdrant", "down", null));
    assertThatThrownBy(() -> cache.searchSimilar(X, 1))
        .isInstanceOf(BackendUnavailableException.class);
    assertThatThrownBy(() -> cache.searchSimilar(new float[] {Float.NaN, 0, 0}, 1))
        .isInstanceOf(InvalidInputException.class);
    assertThat(
            timer(registry, "vectorcache.operations", "operation", "search", "outcome", "failure")
                .count())
        .isEqualTo(1);
    assertThat(
            timer(registry, "vectorcache.operations", "operation", "search", "outcome", "success")
                .count())
        .isZero();
  }

  @Test
  @DisplayName("an operation name outside the known set is counted as other, never as a tag value")
  void unknownOperationIsOther() {
    metrics.bindTo(registry);
    metrics.onMetadataStoreFailure("docs:secret-key", new IllegalStateException());
    assertThat(count(registry, "vectorcache.metadata.store.failures", "operation", "other"))
        .isEqualTo(1);
    tagsAreBounded(
        registry,
        Set.of("cache", "app", "operation", "outcome", "tier", "state"),
        Set.of("docs:secret-key"));
    assertThat(VectorCacheMetrics.OPERATIONS).contains("getAll", "writeAll", "put", "writeBack");
  }

  @Test
  @DisplayName("meters exist from bindTo; events before it are not counted; several registries")
  void registries() {
    metrics.onStored(3); // before any bindTo: counted nowhere
    metrics.bindTo(registry);
    assertThat(count(registry, "vectorcache.circuit.openings")).isZero(); // created eagerly
    assertThat(count(registry, "vectorcache.stored")).isZero();
    SimpleMeterRegistry second = new SimpleMeterRegistry();
    metrics.bindTo(second);
    metrics.bindTo(registry); // twice: still counted once
    metrics.onStored(2);
    metrics.onWriteBacksDropped(4);
    metrics.onStaleMetadataRejected();
    metrics.onCircuitStateChange(CircuitState.CLOSED, CircuitState.HALF_OPEN);
    for (SimpleMeterRegistry r : List.of(registry, second)) {
      assertThat(count(r, "vectorcache.stored")).isEqualTo(2);
      assertThat(count(r, "vectorcache.writebacks.dropped")).isEqualTo(4);
      assertThat(count(r, "vectorcache.metadata.stale")).isEqualTo(1);
      assertThat(gauge(r, "vectorcache.circuit.state", "state", "half_open")).isEqualTo(1);
      assertThat(count(r, "vectorcache.circuit.openings")).isZero();
      assertThat(r.find("vectorcache.stored").tags("cache", "docs", "app", "test").counter())
          .isNotNull();
    }
  }

  @Test
  @DisplayName("refuses a blank cache name, a tag key of its own, and a second monitored cache")
  void refusals() {
    assertThatThrownBy(() -> new VectorCacheMetrics(" "))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("cacheName"));
    assertThatThrownBy(() -> new VectorCacheMetrics("docs", Tags.of("tier", "x")))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("tags"));
    VectorCache cache = open();
    assertThatThrownBy(() -> metrics.monitor(cache)).isInstanceOf(IllegalStateException.class);
  }
}
