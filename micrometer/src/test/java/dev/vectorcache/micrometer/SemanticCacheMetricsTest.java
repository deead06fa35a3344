package dev.vectorcache.micrometer;

import static dev.vectorcache.micrometer.MeterAssertions.count;
import static dev.vectorcache.micrometer.MeterAssertions.summary;
import static dev.vectorcache.micrometer.MeterAssertions.tagsAreBounded;
import static dev.vectorcache.micrometer.MeterAssertions.timer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.semantic.Tier;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SemanticCacheMetrics, driven through its listener methods")
class SemanticCacheMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SemanticCacheMetrics metrics =
      new SemanticCacheMetrics("answers", Tags.of("app", "chat"));

  @Test
  @DisplayName("hits by tier with their scores and lookup times, misses, rejections")
  void lookups() {
    metrics.bindTo(registry);
    metrics.onHit(Tier.EXACT, 1.0, 2_000_000);
    metrics.onHit(Tier.SEMANTIC, 0.91, 30_000_000);
    metrics.onHit(Tier.SEMANTIC, 0.87, 10_000_000);
    metrics.onMiss(40_000_000);
    metrics.onRejected();

    assertThat(count(registry, "vectorcache.hits", "tier", "exact")).isEqualTo(1);
    assertThat(count(registry, "vectorcache.hits", "tier", "semantic")).isEqualTo(2);
    assertThat(count(registry, "vectorcache.misses")).isEqualTo(1);
    assertThat(count(registry, "vectorcache.rejections")).isEqualTo(1);
    assertThat(summary(registry, "vectorcache.hit.score", "tier", "semantic").totalAmount())
        .isCloseTo(1.78, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(summary(registry, "vectorcache.hit.score", "tier", "semantic").max())
        .isCloseTo(0.91, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(summary(registry, "vectorcache.hit.score", "tier", "exact").count()).isEqualTo(1);
    assertThat(
            timer(registry, "vectorcache.lookups", "result", "hit", "tier", "semantic")
                .totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(40);
    assertThat(timer(registry, "vectorcache.lookups", "result", "hit", "tier", "exact").count())
        .isEqualTo(1);
    assertThat(
            timer(registry, "vectorcache.lookups", "result", "miss", "tier", "none")
                .totalTime(TimeUnit.SECONDS))
        .isEqualTo(0.04);
  }

  @Test
  @DisplayName("puts, evictions, invalidations, model sweeps and expiry extensions")
  void writes() {
    metrics.bindTo(registry);
    metrics.onPut(5_000_000);
    metrics.onPut(7_000_000);
    metrics.onEvicted(10);
    metrics.onInvalidated(3);
    metrics.onInvalidated(4);
    metrics.onModelSwept(20);
    metrics.onExpiryExtended(6);

    assertThat(timer(registry, "vectorcache.puts").count()).isEqualTo(2);
    assertThat(timer(registry, "vectorcache.puts").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(12);
    assertThat(count(registry, "vectorcache.evictions")).isEqualTo(10);
    assertThat(count(registry, "vectorcache.invalidations")).isEqualTo(7);
    assertThat(count(registry, "vectorcache.model.swept")).isEqualTo(20);
    assertThat(count(registry, "vectorcache.expiry.extensions")).isEqualTo(6);
  }

  @Test
  @DisplayName("every meter exists at bindTo, tagged only with bounded keys")
  void eagerAndBounded() {
    metrics.onEvicted(99); // before bindTo: not counted
    metrics.bindTo(registry);
    assertThat(count(registry, "vectorcache.evictions")).isZero();
    assertThat(registry.find("vectorcache.lookups").timers()).hasSize(3);
    assertThat(registry.getMeters()).hasSize(14);
    tagsAreBounded(
        registry, Set.of("cache", "app", "result", "tier"), Set.of("tenant-1", "a prompt"));
    assertThat(registry.find("vectorcache.misses").tags("cache", "answers").counter()).isNotNull();
  }
}
