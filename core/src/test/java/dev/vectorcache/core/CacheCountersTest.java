package dev.vectorcache.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
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

    assertThat(counters.snapshot(CircuitState.CLOSED, 0, 0))
        .isEqualTo(
            new CacheStats(3, 1, 1, 1, 1, 1, 2, 0, 0, 0, 0, 0, 0, CircuitState.CLOSED, 0, 0, 0));
    assertThat(seen)
        .containsExactly(
            "first stored 3", "second stored 3", "first failure getAll down", "second swept 2");
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
    assertThat(counters.snapshot(CircuitState.CLOSED, 0, 0).searches()).isEqualTo(1);
  }
}
