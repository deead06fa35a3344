package dev.vectorcache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SemanticCache and a change of embedding model")
class ModelChangeTest {
  private static final Scope ACME = Scope.of("tenant", "acme");

  private final Harness h = new Harness();

  @AfterEach
  void close() {
    h.close();
  }

  private long entriesOf(String model) {
    return h.vectors
        .count(Harness.COLLECTION, Filter.must(Condition.match("sc_model", model)))
        .join();
  }

  @Test
  @DisplayName("entries of model A are never returned by a cache of model B, in either tier")
  void neverReturned() {
    SemanticCache a = h.open();
    for (int i = 0; i < 5; i++) {
      a.put(ACME, "paris capital " + i, CachedResponse.of("from A"));
    }
    SemanticCache b = h.open(h.builder().modelId("model-b").sweepOtherModelsOnStart(false));

    assertThat(b.lookup(ACME, "paris capital 1")).isEmpty(); // same prompt: another key
    assertThat(b.lookup(ACME, "paris the capital")).isEmpty(); // same vector: filtered out
    float[] same = TopicEmbeddings.vector("paris capital 1");
    assertThat(b.lookup(ACME, "x", LookupOptions.builder().vector(same).threshold(-1).build()))
        .isEmpty();
    assertThat(a.lookup(ACME, "paris capital 1")).isPresent();
    assertThat(b.scopeStats(ACME).entries()).isZero();
    assertThat(a.scopeStats(ACME).entries()).isEqualTo(5);
  }

  @Test
  @DisplayName("a cache of model B sweeps model A's entries when it starts, and keeps its own")
  void sweptOnStart() {
    SemanticCache a = h.open();
    for (int i = 0; i < 7; i++) {
      a.put(ACME.with("user", "u" + i), "paris capital " + i, CachedResponse.of("from A"));
    }
    SemanticCache early = h.open(h.builder().modelId("model-b").sweepOtherModelsOnStart(false));
    early.put(ACME, "paris capital 0", CachedResponse.of("from B"));
    List<Long> swept = new CopyOnWriteArrayList<>();

    SemanticCache b =
        h.open(
            h.builder()
                .modelId("model-b")
                .listener(
                    new SemanticCacheListener() {
                      @Override
                      public void onModelSwept(long count) {
                        swept.add(count);
                      }
                    }));

    assertThat(swept).containsExactly(7L);
    assertThat(b.stats().modelSwept()).isEqualTo(7);
    assertThat(entriesOf("model-a")).isZero();
    assertThat(entriesOf("model-b")).isEqualTo(1);
    assertThat(b.lookup(ACME, "paris capital 0"))
        .map(hit -> hit.response().text())
        .contains("from B");
    String copyOfA =
        Harness.COLLECTION
            + ":"
            + Prompts.key(ACME.with("user", "u3"), "model-a", "paris capital 3");
    assertThat(h.metadataStore.get(copyOfA)).isEmpty(); // the copies went with the points
  }
}
