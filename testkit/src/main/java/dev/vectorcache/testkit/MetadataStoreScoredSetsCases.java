package dev.vectorcache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.BackendRejectedException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.ScoredSets;
import dev.vectorcache.core.port.ScoredSets.Update;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cases of {@link MetadataStoreContract}'s {@code @Nested} group for {@link ScoredSets} (kept
 * in their own file so that the contract stays readable). A store that does not advertise {@link
 * Capability#SCORED_SETS} skips them; one that does must offer the extension from both forms and
 * behave as Redis sorted sets do.
 *
 * <p>The port exposes no scores, so the cases read them through the order: a member placed between
 * two others of known scores proves its own.
 */
abstract class MetadataStoreScoredSetsCases {
  private ScoredSets sets;

  /** The store under test. */
  abstract MetadataStore store();

  /** A key unique to the test, deleted afterwards. */
  abstract String key(String name);

  @BeforeEach
  final void requireTheCapability() {
    MetadataStore store = store();
    assumeTrue(
        store.isSupported(Capability.SCORED_SETS), store + " does not advertise SCORED_SETS");
    assertThat(store.async().isSupported(Capability.SCORED_SETS)).isTrue();
    assertThat(store.async().extension(ScoredSets.class)).isPresent();
    sets = store.extension(ScoredSets.class).orElseThrow();
  }

  private void update(Update... updates) {
    Futures.join(sets.update(List.of(updates)));
  }

  private List<String> all(String key) {
    return Futures.join(sets.lowest(key, 1000));
  }

  private long size(String key) {
    return Futures.join(sets.size(key));
  }

  @DisplayName("Set gives a member its score; increment adds to it, from 0 for a new member")
  @Test
  void setAndIncrement() {
    String k = key("set-increment");
    update(Update.set(k, "a", 1), Update.set(k, "b", 3), Update.set(k, "c", 4));
    update(Update.increment(k, "a", 2.5)); // 3.5: between b and c
    assertThat(all(k)).containsExactly("b", "a", "c");
    update(Update.increment(k, "new", 3.75)); // 0 + 3.75: between a and c
    assertThat(all(k)).containsExactly("b", "a", "new", "c");
    update(Update.set(k, "b", 10), Update.increment(k, "c", -10)); // c at -6
    assertThat(all(k)).containsExactly("c", "a", "new", "b");
    update(Update.set(k, "a", -6.5)); // set, not added: below c
    assertThat(all(k)).containsExactly("a", "c", "new", "b");
    assertThat(size(k)).isEqualTo(4);
  }

  @DisplayName("Lowest orders by score, ties by member in byte order, and stops at the count")
  @Test
  void lowestOrdersByScoreThenMember() {
    String k = key("order");
    // equal scores: the members' UTF-8 bytes decide ("B" < "a" < "b" < "ä"; U+FF21 before an
    // emoji, although its UTF-16 form sorts after the emoji's surrogates)
    update(
        Update.set(k, "b", 1),
        Update.set(k, "😀", 1),
        Update.set(k, "ä", 1),
        Update.set(k, "Ａ", 1),
        Update.set(k, "a", 1),
        Update.set(k, "B", 1),
        Update.set(k, "ab", 1),
        Update.set(k, "low", -0.5),
        Update.set(k, "high", 1e12));
    assertThat(all(k)).containsExactly("low", "B", "a", "ab", "b", "ä", "Ａ", "😀", "high");
    assertThat(Futures.join(sets.lowest(k, 1))).containsExactly("low");
    assertThat(Futures.join(sets.lowest(k, 3))).containsExactly("low", "B", "a");
    assertThat(Futures.join(sets.lowest(k, Integer.MAX_VALUE))).hasSize(9);
    assertThat(Futures.join(sets.lowest(key("order-missing"), 5))).isEmpty();
  }

  @DisplayName("Size counts members, 0 for a missing set; setting a member again adds none")
  @Test
  void sizeCountsMembers() {
    String k = key("size");
    assertThat(size(k)).isZero();
    update(Update.set(k, "a", 1), Update.set(k, "b", 2), Update.set(k, "a", 5));
    assertThat(size(k)).isEqualTo(2);
    update(Update.increment(k, "b", 1), Update.increment(k, "c", 1));
    assertThat(size(k)).isEqualTo(3);
  }

  @DisplayName("Remove drops the members it finds; the last one gone, the set is gone")
  @Test
  void removeDropsMembers() {
    String k = key("remove");
    update(Update.set(k, "a", 1), Update.set(k, "b", 2), Update.set(k, "c", 3));
    assertThat(Futures.join(sets.remove(k, List.of("a", "missing", "c")))).isEqualTo(2);
    assertThat(all(k)).containsExactly("b");
    assertThat(Futures.join(sets.remove(k, List.of()))).isZero();
    assertThat(Futures.join(sets.remove(k, List.of("a")))).isZero();
    assertThat(Futures.join(sets.remove(k, List.of("b", "b")))).isEqualTo(1);
    assertThat(size(k)).isZero();
    assertThat(Futures.join(sets.deleteSet(k))).isFalse(); // an empty set does not exist
    assertThat(Futures.join(sets.remove(key("remove-missing"), List.of("a")))).isZero();
  }

  @DisplayName("Delete-set removes a whole set and reports whether it existed")
  @Test
  void deleteSetRemovesTheSet() {
    String k = key("delete");
    update(Update.set(k, "a", 1), Update.set(k, "b", 2));
    assertThat(Futures.join(sets.deleteSet(k))).isTrue();
    assertThat(size(k)).isZero();
    assertThat(all(k)).isEmpty();
    assertThat(Futures.join(sets.deleteSet(k))).isFalse();
    update(Update.increment(k, "c", 2)); // a new set under the same key
    assertThat(all(k)).containsExactly("c");
  }

  @DisplayName("Several sets in one update, applied in order")
  @Test
  void severalSetsInOneUpdate() {
    // keys without a hash tag: on a cluster they fall in different slots, on different nodes
    List<String> keys = new ArrayList<>();
    List<Update> updates = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String k = key("many-" + i);
      keys.add(k);
      updates.add(Update.set(k, "x", 1));
      updates.add(Update.set(k, "y", 2));
      // in order: x goes to 3 after its set, so x follows y
      updates.add(Update.increment(k, "x", 2));
      updates.add(Update.set(k, "m" + i, i));
    }
    Futures.join(sets.update(updates));
    for (int i = 0; i < keys.size(); i++) {
      String k = keys.get(i);
      String m = "m" + i; // score i; a tie with y (2) or x (3) goes to m, which sorts first
      List<String> expected =
          i <= 2 ? List.of(m, "y", "x") : i == 3 ? List.of("y", m, "x") : List.of("y", "x", m);
      assertThat(all(k)).as(k).containsExactlyElementsOf(expected);
      assertThat(size(k)).as(k).isEqualTo(3);
    }
  }

  @DisplayName("An empty update list completes and changes nothing")
  @Test
  void emptyUpdateListCompletes() {
    String k = key("empty-update");
    update(Update.set(k, "a", 1));
    assertThat(sets.update(List.of())).succeedsWithin(Duration.ofSeconds(10));
    assertThat(all(k)).containsExactly("a");
  }

  @DisplayName("Bad input is refused, naming the field, before any I/O")
  @Test
  @SuppressWarnings("NullAway") // passes nulls on purpose: the port must refuse them, typed
  void badInputIsRefusedBeforeAnyIo() {
    String k = key("bad-input");
    assertField(
        () -> sets.update(List.of(Update.set(k, "a", 1), Update.set(" ", "a", 1))),
        "updates[1].key");
    assertField(() -> sets.update(List.of(Update.set(k, "", 1))), "updates[0].member");
    List<Update> withNull = new ArrayList<>();
    withNull.add(Update.set(k, "a", 1));
    withNull.add(null);
    assertField(() -> sets.update(withNull), "updates[1]");
    assertField(() -> sets.update(null), "updates");
    assertThat(size(k)).as("nothing of a refused update was sent").isZero();

    update(Update.set(k, "a", 1));
    assertField(() -> sets.size(" "), "key");
    assertField(() -> sets.lowest(k, 0), "count");
    assertField(() -> sets.lowest(k, -1), "count");
    assertField(() -> sets.lowest("", 3), "key");
    assertField(() -> sets.remove(k, null), "members");
    assertField(() -> sets.remove(k, Arrays.asList("a", " ")), "members[1]");
    assertField(() -> sets.remove("\t", List.of("a")), "key");
    assertField(() -> sets.deleteSet(" "), "key");
    assertThat(all(k)).as("the refused remove removed nothing").containsExactly("a");
  }

  private static void assertField(ThrowingCallable call, String field) {
    // thrown at once, not through the future
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  @DisplayName("Sets share the key space with copies: a key of the other kind is rejected")
  @Test
  void setsShareTheKeySpaceWithCopies() {
    String copy = key("kind-copy");
    String set = key("kind-set");
    MetadataEntry entry = new MetadataEntry(copy, Map.of("k", "v"), 1, null);
    store().put(entry, Duration.ofMinutes(5));
    update(Update.set(set, "a", 1));

    assertRejected(() -> Futures.join(sets.size(copy)));
    assertRejected(() -> Futures.join(sets.lowest(copy, 3)));
    assertRejected(() -> Futures.join(sets.remove(copy, List.of("a"))));
    // in one update the other set's change still applies, and the call fails
    assertRejected(() -> update(Update.set(copy, "a", 1), Update.set(set, "b", 2)));
    assertThat(store().get(copy)).contains(entry);
    assertThat(all(set)).containsExactly("a", "b");

    assertRejected(() -> store().get(set));
    assertThat(store().getAll(List.of(set, copy))).containsOnlyKeys(copy); // as MGET: nil
    store().put(new MetadataEntry(set, Map.of(), 2, null), null); // a put replaces the set
    assertRejected(() -> Futures.join(sets.size(set)));
    assertThat(store().get(set)).isPresent();
    update(Update.set(key("kind-deleted"), "a", 1));
    assertThat(store().delete(key("kind-deleted"))).isTrue(); // a delete removes a set
    assertThat(size(key("kind-deleted"))).isZero();
  }

  private static void assertRejected(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(BackendRejectedException.class);
  }
}
