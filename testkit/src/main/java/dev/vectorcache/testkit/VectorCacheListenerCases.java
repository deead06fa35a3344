package dev.vectorcache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.CacheListener;
import dev.vectorcache.core.CacheWrite;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.InvalidVectorException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cases of {@link VectorCacheContract}'s {@code @Nested} group for the {@link CacheListener}
 * hooks a metrics module binds to: {@link CacheListener#onOperation} once per completed call with
 * its {@link CacheListener.Operation} and whether it failed (bad input, refused before any I/O, is
 * not reported), {@link CacheListener#onHitScore} once per hit returned, {@link
 * CacheListener#onDeleted} with the count of each deleting call.
 */
abstract class VectorCacheListenerCases extends VectorCacheCaseSupport {
  private static RuntimeException down() {
    return new BackendUnavailableException("test", "injected: vector store down", null);
  }

  private static String op(CacheListener.Operation operation, boolean failed) {
    return "operation " + operation + " failed=" + failed;
  }

  @Test
  @DisplayName("each completed operation is reported once, with its kind")
  void eachOperationIsReportedOnce() {
    cache.store("a", v(1, 0, 0, 0), meta("group", "x"), Duration.ofMinutes(5));
    cache.storeAll(
        List.of(
            CacheWrite.of("b", v(0, 1, 0, 0), meta("group", "x"), Duration.ofMinutes(5)),
            CacheWrite.of("c", v(0, 0, 1, 0), meta("group", "y"), Duration.ofMinutes(5))));
    cache.get("a");
    cache.getAsync("missing").join();
    cache.searchSimilar(v(1, 0, 0, 0), 3);
    cache.delete("a");
    cache.deleteAll(List.of("b", "missing"));
    cache.deleteWhere(Filter.must(Condition.match("group", "y")));
    cache.clear();

    assertThat(heard)
        .containsExactly(
            op(CacheListener.Operation.STORE, false),
            op(CacheListener.Operation.STORE, false),
            op(CacheListener.Operation.GET, false),
            op(CacheListener.Operation.GET, false),
            op(CacheListener.Operation.SEARCH, false),
            op(CacheListener.Operation.DELETE, false),
            op(CacheListener.Operation.DELETE, false),
            op(CacheListener.Operation.DELETE, false),
            op(CacheListener.Operation.DELETE, false));
  }

  @Test
  @DisplayName("an operation the vector store fails is reported as failed; bad input not at all")
  void failedOperationsAreReportedAsFailed() {
    cache.store("a", v(1, 0, 0, 0), meta(), Duration.ofMinutes(5));
    heard.clear();
    CallRecorder vectors = contract().vectors.recorder();

    assertThatThrownBy(() -> cache.store("k", new float[] {Float.NaN, 0, 0, 0}, meta()))
        .isInstanceOf(InvalidVectorException.class);
    assertThatThrownBy(() -> cache.get(" ")).isInstanceOf(RuntimeException.class);
    assertThat(heard).as("bad input is not an operation").isEmpty();

    vectors.failOn("upsert", CallRecorder.FailureMode.FAIL, VectorCacheListenerCases::down);
    vectors.failOn("retrieve", CallRecorder.FailureMode.FAIL, VectorCacheListenerCases::down);
    vectors.failOn("search", CallRecorder.FailureMode.FAIL, VectorCacheListenerCases::down);
    vectors.failOn("scroll", CallRecorder.FailureMode.FAIL, VectorCacheListenerCases::down);
    assertThatThrownBy(() -> cache.store("b", v(0, 1, 0, 0), meta()))
        .isInstanceOf(BackendUnavailableException.class);
    assertThatThrownBy(() -> cache.get("a")).isInstanceOf(BackendUnavailableException.class);
    assertThatThrownBy(() -> cache.searchSimilar(v(1, 0, 0, 0), 1))
        .isInstanceOf(BackendUnavailableException.class);
    assertThatThrownBy(() -> cache.deleteAll(List.of("a")))
        .isInstanceOf(BackendUnavailableException.class);
    assertThatThrownBy(cache::clear).isInstanceOf(BackendUnavailableException.class);
    vectors.clearFailures();

    assertThat(heard)
        .containsExactly(
            op(CacheListener.Operation.STORE, true),
            op(CacheListener.Operation.GET, true),
            op(CacheListener.Operation.SEARCH, true),
            op(CacheListener.Operation.DELETE, true),
            op(CacheListener.Operation.DELETE, true));
    assertThat(cache.get("a")).isPresent();
    assertThat(deletedCounts).isEmpty();
  }

  @Test
  @DisplayName("each hit a search returns reports its score; a search without hits reports none")
  void eachHitReportsItsScore() {
    cache.store("east", v(1, 0, 0, 0), meta(), Duration.ofMinutes(5));
    cache.store("north", v(0, 1, 0, 0), meta(), Duration.ofMinutes(5));
    cache.store("north-east", v(1, 1, 0, 0), meta(), Duration.ofMinutes(5));

    List<CacheHit> hits = cache.searchSimilar(v(1, 0.1f, 0, 0), 3);

    assertThat(hits).hasSize(3);
    assertThat(hitScores).containsExactlyElementsOf(hits.stream().map(CacheHit::score).toList());
    hitScores.clear();
    assertThat(cache.searchSimilar(v(1, 0, 0, 0), 3, null, 0.9999f))
        .extracting(CacheHit::key)
        .containsExactly("east");
    assertThat(hitScores).hasSize(1);
    hitScores.clear();
    assertThat(cache.searchSimilar(v(0, 0, 0, 1), 3, null, 0.5f)).isEmpty();
    assertThat(hitScores).isEmpty();
  }

  @Test
  @DisplayName(
      "each deleting call reports how many entries it deleted; one that deleted none, nothing")
  void deletesAreReportedWithTheirCount() {
    cache.store("a", v(1, 0, 0, 0), meta("group", "x"), Duration.ofMinutes(5));
    cache.store("b", v(0, 1, 0, 0), meta("group", "x"), Duration.ofMinutes(5));
    cache.store("c", v(0, 0, 1, 0), meta("group", "y"), Duration.ofMinutes(5));
    cache.store("d", v(0, 0, 0, 1), meta("group", "y"), Duration.ofMinutes(5));
    cache.store("e", v(1, 1, 0, 0), meta("group", "z"), Duration.ofMinutes(5));

    cache.delete("a");
    cache.delete("a");
    cache.deleteAll(List.of("b", "missing"));
    cache.deleteWhere(Filter.must(Condition.match("group", "y")));
    cache.deleteWhere(Filter.must(Condition.match("group", "y")));
    cache.clear();
    cache.clear();

    assertThat(deletedCounts).containsExactly(1L, 1L, 2L, 1L);
    assertThat(cache.stats().deleted()).isEqualTo(5);
  }
}
