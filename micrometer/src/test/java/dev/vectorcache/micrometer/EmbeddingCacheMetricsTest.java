package dev.vectorcache.micrometer;

import static dev.vectorcache.micrometer.MeterAssertions.count;
import static dev.vectorcache.micrometer.MeterAssertions.summary;
import static dev.vectorcache.micrometer.MeterAssertions.tagsAreBounded;
import static dev.vectorcache.micrometer.MeterAssertions.timer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.semantic.EmbeddingCache;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("EmbeddingCacheMetrics")
class EmbeddingCacheMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EmbeddingCacheMetrics metrics = new EmbeddingCacheMetrics("embeddings");

  @Test
  @DisplayName("on a real EmbeddingCache: lookups, hits, misses, embedding calls and batch sizes")
  void drivenByARealCache() {
    metrics.bindTo(registry);
    try (InMemoryMetadataStore store = new InMemoryMetadataStore();
        EmbeddingCache cache =
            EmbeddingCache.builder()
                .metadataStore(store)
                .embeddingFunction(
                    texts -> texts.stream().map(t -> new float[] {t.length(), 1}).toList())
                .modelId("m")
                .dimension(2)
                .executor(Runnable::run)
                .listener(metrics)
                .build()) {
      cache.embedAll(List.of("secret one", "secret two", "secret one"));
      cache.embedAll(List.of("secret one", "secret three"));
      assertThat(count(registry, "vectorcache.embeddings.hits")).isEqualTo(1);
      assertThat(count(registry, "vectorcache.embeddings.misses")).isEqualTo(3);
      assertThat(timer(registry, "vectorcache.embeddings.lookups").count()).isEqualTo(2);
      assertThat(timer(registry, "vectorcache.embeddings.calls", "outcome", "success").count())
          .isEqualTo(2);
      assertThat(summary(registry, "vectorcache.embeddings.batch.size").totalAmount()).isEqualTo(3);
      assertThat(summary(registry, "vectorcache.embeddings.batch.size").getId().getBaseUnit())
          .isEqualTo("texts");
      tagsAreBounded(
          registry,
          Set.of("cache", "outcome", "operation"),
          Set.of("secret one", "secret two", "secret three", cache.toString()));
    }
  }

  @Test
  @DisplayName("failed embedding calls and store failures, by bounded operation")
  void failures() {
    metrics.bindTo(registry);
    metrics.onEmbed(4, 3_000_000, true);
    metrics.onStoreFailure("getAll");
    metrics.onStoreFailure("writeAll");
    metrics.onStoreFailure("writeAll");
    metrics.onStoreFailure("emb:m:0123abcd");
    assertThat(timer(registry, "vectorcache.embeddings.calls", "outcome", "failure").count())
        .isEqualTo(1);
    assertThat(
            timer(registry, "vectorcache.embeddings.calls", "outcome", "failure")
                .totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(3);
    assertThat(count(registry, "vectorcache.embeddings.store.failures", "operation", "getAll"))
        .isEqualTo(1);
    assertThat(count(registry, "vectorcache.embeddings.store.failures", "operation", "writeAll"))
        .isEqualTo(2);
    assertThat(count(registry, "vectorcache.embeddings.store.failures", "operation", "put"))
        .isZero();
    assertThat(count(registry, "vectorcache.embeddings.store.failures", "operation", "other"))
        .isEqualTo(1);
    tagsAreBounded(registry, Set.of("cache", "outcome", "operation"), Set.of("emb:m:0123abcd"));
  }

  @Test
  @DisplayName("refuses a missing cache name")
  void refusals() {
    assertThatThrownBy(() -> new EmbeddingCacheMetrics(""))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new SemanticCacheMetrics(null))
        .isInstanceOf(InvalidInputException.class);
  }
}
