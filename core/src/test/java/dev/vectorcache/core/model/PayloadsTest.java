package dev.vectorcache.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.InvalidMetadataException;
import dev.vectorcache.core.id.PointId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PayloadsTest {

  @Test
  void aSubsetOfACopyIsNotCopiedAgainAndCannotBeChanged() {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("title", "t");
    in.put("_vc_key", "k");
    in.put("tags", List.of("a", "b"));
    in.put("_vc_expires_at", 7L);
    Map<String, Object> copy = Payloads.copy(in, "payload");
    Map<String, Object> kept =
        Payloads.subset(copy, Set.of("_vc_expires_at", "tags", "missing"), "payload");
    assertThat(kept)
        .containsExactly(Map.entry("tags", List.of("a", "b")), Map.entry("_vc_expires_at", 7L));
    assertThat(kept.get("tags")).isSameAs(copy.get("tags")); // values shared, not copied
    assertThat(Payloads.copy(kept, "payload")).isSameAs(kept); // a hit holding it copies nothing
    assertThat(ScoredPoint.withoutVector(PointId.of(1), 0f, kept).payload()).isSameAs(kept);
    assertThatThrownBy(() -> kept.put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    List<Object> tags = (List<Object>) kept.get("tags");
    assertThatThrownBy(() -> tags.add("c")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aSubsetOfAnotherMapIsCheckedAndCopied() {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("n", 3);
    in.put("other", "x");
    Map<String, Object> kept = Payloads.subset(in, Set.of("n"), "payload");
    assertThat(kept).containsExactly(Map.entry("n", 3L));
    in.put("n", 4);
    assertThat(kept.get("n")).isEqualTo(3L);
    in.put("bad", Double.NaN);
    assertThatThrownBy(() -> Payloads.subset(in, Set.of("n"), "payload"))
        .isInstanceOf(InvalidMetadataException.class);
  }

  @Test
  void normalisesNumbersAndKeepsIntegersApartFromFloats() {
    Map<String, Object> in = new HashMap<>();
    in.put("i", 3);
    in.put("s", (short) 4);
    in.put("f", 2.0f);
    in.put("d", 2.0);
    in.put("big", BigInteger.valueOf(5));
    in.put("dec", new BigDecimal("1.5"));
    in.put("arr", new int[] {1, 2});
    in.put("c", 'x');
    Map<String, Object> out = Payloads.copy(in, "m");
    assertThat(out.get("i")).isEqualTo(3L);
    assertThat(out.get("s")).isEqualTo(4L);
    assertThat(out.get("f")).isEqualTo(2.0);
    assertThat(out.get("d")).isEqualTo(2.0).isNotEqualTo(2L);
    assertThat(out.get("big")).isEqualTo(5L);
    assertThat(out.get("dec")).isEqualTo(1.5);
    assertThat(out.get("arr")).isEqualTo(List.of(1L, 2L));
    assertThat(out.get("c")).isEqualTo("x");
  }

  @Test
  void theCopyIsDeepAndUnmodifiable() {
    List<Object> tags = new ArrayList<>(List.of("a"));
    Map<String, Object> in = new HashMap<>(Map.of("tags", tags));
    Map<String, Object> out = Payloads.copy(in, "m");
    tags.add("b");
    assertThat(out.get("tags")).isEqualTo(List.of("a"));
    assertThatThrownBy(() -> out.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aCopyIsNotCopiedAgainButStaysEqualToOrdinaryMaps() {
    Map<String, Object> first = Payloads.copy(Map.of("a", List.of(1, Map.of("b", 2))), "m");
    assertThat(Payloads.copy(first, "m")).isSameAs(first);
    assertThat(first).isEqualTo(Map.of("a", List.of(1L, Map.of("b", 2L))));
    assertThat(first.hashCode()).isEqualTo(Map.of("a", List.of(1L, Map.of("b", 2L))).hashCode());
    @SuppressWarnings("unchecked")
    List<Object> nested = (List<Object>) first.get("a");
    assertThatThrownBy(() -> nested.add(3)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void nullValuesAreJsonNull() {
    Map<String, Object> in = new HashMap<>();
    in.put("n", null);
    assertThat(Payloads.copy(in, "m")).containsEntry("n", null);
  }

  @Test
  void rejectsIntegersBeyond64BitsAndDeepNesting() {
    assertThatThrownBy(() -> Payloads.copy(Map.of("x", BigInteger.ONE.shiftLeft(70)), "metadata"))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageContaining("metadata.x")
        .hasMessageContaining("64 bits");
    Object deep = "leaf";
    for (int i = 0; i < Payloads.MAX_DEPTH + 1; i++) {
      deep = List.of(deep);
    }
    Object finalDeep = deep;
    assertThatThrownBy(() -> Payloads.copy(Map.of("d", finalDeep), "m"))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageContaining("nesting");
  }

  @Test
  void aPathIsAnUnsupportedTypeNotADeepNesting() {
    // a Path is an Iterable of Paths: it must be named as a type, not walked as a list
    assertThatThrownBy(
            () -> Payloads.copy(Map.of("file", java.nio.file.Path.of("docs", "a.md")), "metadata"))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageContaining("metadata.file")
        .hasMessageContaining("unsupported metadata value type java.nio.file.Path")
        .hasMessageContaining("expected a JSON value")
        .hasMessageNotContaining("nesting");
    assertThatThrownBy(
            () ->
                Payloads.copy(Map.of("tags", List.of("a", java.nio.file.Path.of("x"))), "metadata"))
        .hasMessageContaining("metadata.tags[1]")
        .hasMessageContaining("unsupported metadata value type")
        .hasMessageContaining("toString()");
  }

  @Test
  void setsAreCopiedAsLists() {
    assertThat(Payloads.copy(Map.of("s", java.util.Set.of(1)), "m"))
        .containsEntry("s", List.of(1L));
  }

  @Test
  void valuesAtFollowsQdrantKeyPaths() {
    Map<String, Object> p =
        Payloads.copy(
            Map.of(
                "a", Map.of("b", 1),
                "list", List.of(Map.of("x", "p"), Map.of("x", "q")),
                "tags", List.of("t1", "t2")),
            "p");
    assertThat(Payloads.valuesAt(p, "a.b")).containsExactly(1L);
    assertThat(Payloads.valuesAt(p, "list[].x")).containsExactly("p", "q");
    assertThat(Payloads.valuesAt(p, "list[1].x")).containsExactly("q");
    assertThat(Payloads.valuesAt(p, "list.x")).as("a.b does not descend into arrays").isEmpty();
    assertThat(Payloads.valuesAt(p, "tags"))
        .as("a final array is flattened")
        .containsExactly("t1", "t2");
    assertThat(Payloads.valuesAt(p, "missing")).isEmpty();
  }

  @Test
  void requireWellFormedTextRefusesNullBlankAndLoneSurrogatesNamingTheField() {
    assertThat(Payloads.requireWellFormedText("keyPrefix", "chat \uD83D\uDE00", "a prefix"))
        .isEqualTo("chat \uD83D\uDE00");
    assertThatThrownBy(() -> Payloads.requireWellFormedText("keyPrefix", null, "a prefix"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("keyPrefix")
        .hasMessageContaining("a prefix");
    assertThatThrownBy(() -> Payloads.requireWellFormedText("keyPrefix", " \t", "a prefix"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("a prefix");
    assertThatThrownBy(() -> Payloads.requireWellFormedText("id", "ab\uD83D", "an id"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("id")
        .hasMessageContaining("well-formed UTF-16 text")
        .hasMessageContaining("index 2");
  }
}
