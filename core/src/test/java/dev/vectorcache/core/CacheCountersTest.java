package dev.vectorcache.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Counters and listeners")
class CacheCountersTest {

  @Test
  @DisplayName("every event is counted and passed to each listener in order")
  void eventsReachListeners() {
    List<String> seen = new ArrayList<>();
    CacheListener first =
        new CacheListener() {
          @Override
          public void onStored(int count) {
            seen.add("first stored " + count);
          }

          @Override
          public void onMetadataStoreFailure(String operation, Throwable cause) {
            seen.add("first failure " + operation + " " + cause.getMessage());
          }
        };
    CacheListener second =
        new CacheListener() {
          @Override
          public void onStored(int count) {
            seen.add("second stored " + count);
          }

          @Override
          public void onExpiredSwept(long count) {
            seen.add("second swept " + count);
          }
        };
    CacheCounters counters = new CacheCounters(List.of(first, second));

    counters.stored(3);
    counters.searched();
    counters.metadataHit();
    counters.metadataMiss();
    counters.staleRejected();
    counters.metadataFailure("getAll", new IllegalStateException("down"));
    counters.swept(2);

    assertThat(counters.snapshot(CircuitState.CLOSED, 0, 0, 0))
        .isEqualTo(
            new CacheStats(
                3, 1, 1, 1, 1, 1, 2, 0, 0, 0, 0, 0, 0, CircuitState.CLOSED, 0, 0, 0, 0, 0));
    assertThat(seen)
        .containsExactly(
            "first stored 3", "second stored 3", "first failure getAll down", "second swept 2");
  }

  @Test
  @DisplayName(
      "deletes are counted apart from sweeps; timings, hit scores and pending invalidations are"
          + " passed on")
  void deletesTimingsAndScores() {
    List<String> seen = new ArrayList<>();
    CacheCounters counters =
        new CacheCounters(
            List.of(
                new CacheListener() {
                  @Override
                  public void onDeleted(long count) {
                    seen.add("deleted " + count);
                  }

                  @Override
                  public void onOperation(Operation operation, long nanos, boolean failed) {
                    seen.add(operation + " " + nanos + " " + failed);
                  }

                  @Override
                  public void onHitScore(float score) {
                    seen.add("score " + score);
                  }
                }));
    CacheEntry e = new CacheEntry("k", Map.of(), 1, null);

    counters.deleted(3);
    counters.deleted(2);
    counters.swept(4);
    counters.timed(CacheListener.Operation.DELETE, 42, false);
    counters.timed(CacheListener.Operation.SEARCH, 7, true);
    counters.hitScores(
        List.of(
            new CacheHit(e, 0.5f, CacheHit.Source.METADATA_STORE),
            new CacheHit(e, 0.25f, CacheHit.Source.VECTOR_STORE_PAYLOAD)));

    CacheStats stats = counters.snapshot(CircuitState.OPEN, 2, 9, 0);
    assertThat(stats.deleted()).isEqualTo(5);
    assertThat(stats.expiredSwept()).isEqualTo(4);
    assertThat(stats.writeBacksPending()).isEqualTo(2);
    assertThat(stats.invalidationsPending()).isEqualTo(9);
    assertThat(stats.circuitState()).isEqualTo(CircuitState.OPEN);
    assertThat(seen)
        .containsExactly(
            "deleted 3",
            "deleted 2",
            "DELETE 42 false",
            "SEARCH 7 true",
            "score 0.5",
            "score 0.25");
  }

  @Test
  @DisplayName("a listener that throws is skipped, and the others and the counters carry on")
  void failingListenerIsIgnored() {
    List<String> seen = new ArrayList<>();
    CacheListener broken =
        new CacheListener() {
          @Override
          public void onSearch() {
            throw new IllegalStateException("broken listener");
          }
        };
    CacheListener working =
        new CacheListener() {
          @Override
          public void onSearch() {
            seen.add("search");
          }
        };
    CacheCounters counters = new CacheCounters(List.of(broken, working));

    counters.searched();

    assertThat(seen).containsExactly("search");
    assertThat(counters.snapshot(CircuitState.CLOSED, 0, 0, 0).searches()).isEqualTo(1);
  }
}
