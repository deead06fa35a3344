package dev.vectorcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Near cache")
class NearCacheTest {
  private static final Map<String, Object> M1 = Map.of("title", "one");
  private static final Map<String, Object> M2 = Map.of("title", "two");

  @Test
  @DisplayName("gives an entry's metadata only for the version it was remembered with")
  void answersOnlyTheRememberedVersion() {
    NearCache near = new NearCache(10);
    near.put("a", 5, M1);

    assertThat(near.get("a", 5)).isSameAs(M1);
    assertThat(near.get("a", 6)).isNull();
    assertThat(near.get("a", 4)).isNull();
    assertThat(near.get("b", 5)).isNull();

    near.put("a", 6, M2); // a newer version replaces the older one
    assertThat(near.get("a", 6)).isSameAs(M2);
    assertThat(near.get("a", 5)).isNull();
    assertThat(near.size()).isEqualTo(1);
  }

  @Test
  @DisplayName("a small bound is one exact LRU map: the least recently used entry goes first")
  void smallBoundEvictsTheLeastRecentlyUsed() {
    NearCache near = new NearCache(2);
    near.put("a", 1, M1);
    near.put("b", 1, M1);
    assertThat(near.get("a", 1)).isNotNull(); // a is now the most recently used

    near.put("c", 1, M1);

    assertThat(near.get("b", 1)).isNull();
    assertThat(near.get("a", 1)).isNotNull();
    assertThat(near.get("c", 1)).isNotNull();
    assertThat(near.size()).isEqualTo(2);
  }

  @Test
  @DisplayName("never holds more than its bound, striped or not")
  void neverHoldsMoreThanItsBound() {
    for (int bound : new int[] {1, 63, 64, 127, 128, 1000, 1024}) {
      NearCache near = new NearCache(bound);
      for (int i = 0; i < bound * 4; i++) {
        near.put("doc:" + i, i, M1);
      }
      assertThat(near.size()).as("bound %d", bound).isPositive().isLessThanOrEqualTo(bound);
      // the latest entry is always there
      assertThat(near.get("doc:" + (bound * 4 - 1), bound * 4 - 1)).isSameAs(M1);
    }
  }

  @Test
  @DisplayName("forgets one key or everything")
  void forgets() {
    NearCache near = new NearCache(100);
    near.put("a", 1, M1);
    near.put("b", 1, M2);

    near.remove("a");
    assertThat(near.get("a", 1)).isNull();
    assertThat(near.get("b", 1)).isSameAs(M2);

    near.clear();
    assertThat(near.size()).isZero();
  }

  @Test
  @DisplayName("refuses a bound below 1 (the builder's 0 means no near cache at all)")
  void refusesAnEmptyBound() {
    assertThatThrownBy(() -> new NearCache(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
