package dev.vectorcache.redis.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.port.ScoredSets.Update;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks and keys of the sorted-set calls both adapters send. */
class ScoredSetInputTest {
  private static final RedisKeys NAMES = new RedisKeys("p:");

  @Test
  void updatesGetTheStoresPrefixAndKeepTheirOrder() {
    List<ScoredSetInput.Change> changes =
        ScoredSetInput.updates(
            NAMES, List.of(Update.set("s", "a", 1.5), Update.increment("t", "b", -2)));
    assertThat(changes)
        .containsExactly(
            new ScoredSetInput.Change("p:s", "a", 1.5, false),
            new ScoredSetInput.Change("p:t", "b", -2, true));
    assertThat(ScoredSetInput.updates(NAMES, List.of())).isEmpty();
    assertThat(ScoredSetInput.key(NAMES, "s")).isEqualTo("p:s");
    assertThat(ScoredSetInput.lastIndex(1)).isZero();
    assertThat(ScoredSetInput.lastIndex(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE - 1L);
    assertThat(ScoredSetInput.members(List.of("a", "b"))).containsExactly("a", "b");
    assertThat(ScoredSetInput.members(List.of())).isEmpty();
  }

  @Test
  @SuppressWarnings("NullAway") // nulls on purpose: each must be refused, naming the field
  void badInputIsRefusedNamingTheField() {
    assertField(() -> ScoredSetInput.updates(NAMES, null), "updates");
    List<Update> withNull = new ArrayList<>();
    withNull.add(Update.set("s", "a", 1));
    withNull.add(null);
    assertField(() -> ScoredSetInput.updates(NAMES, withNull), "updates[1]");
    assertField(
        () ->
            ScoredSetInput.updates(
                NAMES, List.of(Update.set("s", "a", 1), Update.set(" ", "a", 1))),
        "updates[1].key");
    assertField(
        () -> ScoredSetInput.updates(NAMES, List.of(Update.increment("s", "", 1))),
        "updates[0].member");
    assertField(() -> ScoredSetInput.key(NAMES, "\t"), "key");
    assertField(() -> ScoredSetInput.key(NAMES, null), "key");
    assertField(() -> ScoredSetInput.lastIndex(0), "count");
    assertField(() -> ScoredSetInput.lastIndex(-3), "count");
    assertField(() -> ScoredSetInput.members(null), "members");
    assertField(() -> ScoredSetInput.members(Arrays.asList("a", null)), "members[1]");
    assertField(() -> ScoredSetInput.members(List.of(" ")), "members[0]");
  }

  private static void assertField(Runnable call, String field) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field));
  }
}
