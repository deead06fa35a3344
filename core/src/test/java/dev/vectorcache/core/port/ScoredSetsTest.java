package dev.vectorcache.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ScoredSets updates")
class ScoredSetsTest {
  @Test
  @DisplayName("set and increment build the two kinds of update")
  void factories() {
    assertThat(ScoredSets.Update.set("s", "m", 2.5))
        .isEqualTo(new ScoredSets.Update("s", "m", 2.5, false));
    assertThat(ScoredSets.Update.increment("s", "m", -1))
        .isEqualTo(new ScoredSets.Update("s", "m", -1, true));
  }

  @Test
  @SuppressWarnings("NullAway") // null on purpose: it must be refused
  @DisplayName("refuses a missing key or member and a score that is not finite, naming it")
  void refusals() {
    assertThatThrownBy(() -> ScoredSets.Update.set(null, "m", 1)).hasMessage("key");
    assertThatThrownBy(() -> ScoredSets.Update.set("s", null, 1)).hasMessage("member");
    assertThatThrownBy(() -> ScoredSets.Update.increment("s", "m", Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finite")
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> ScoredSets.Update.set("s", "m", Double.POSITIVE_INFINITY))
        .hasMessageContaining("Infinity");
  }
}
