package dev.vectorcache.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.InvalidMetadataException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Payloads, edge cases")
class PayloadsEdgeCasesTest {

  @Test
  @DisplayName("turns primitive arrays, object arrays and other iterables into lists")
  void arraysAndIterables() {
    Map<String, Object> in = new HashMap<>();
    in.put("longs", new long[] {1, 2});
    in.put("doubles", new double[] {0.5});
    in.put("floats", new float[] {1.5f});
    in.put("objects", new Object[] {"a", 1});
    in.put("set", new LinkedHashSet<>(List.of("x", "y")));
    Map<String, Object> out = Payloads.copy(in, "m");
    assertThat(out.get("longs")).isEqualTo(List.of(1L, 2L));
    assertThat(out.get("doubles")).isEqualTo(List.of(0.5));
    assertThat(out.get("floats")).isEqualTo(List.of(1.5));
    assertThat(out.get("objects")).isEqualTo(List.of("a", 1L));
    assertThat(out.get("set")).isEqualTo(List.of("x", "y"));
  }

  @Test
  @DisplayName("refuses non-finite numbers, naming the path")
  void nonFinite() {
    assertThatThrownBy(() -> Payloads.copy(Map.of("f", Float.NaN), "meta"))
        .isInstanceOfSatisfying(
            InvalidMetadataException.class,
            e -> {
              assertThat(e.field()).isEqualTo("meta.f");
              assertThat(e.expected()).isEqualTo("a finite number");
            });
    assertThatThrownBy(() -> Payloads.copy(Map.of("l", List.of(new BigDecimal("1e400"))), "meta"))
        .isInstanceOfSatisfying(
            InvalidMetadataException.class, e -> assertThat(e.field()).isEqualTo("meta.l[0]"));
  }

  @Test
  @DisplayName("refuses cycles and non-string keys, naming the path")
  void cyclesAndKeys() {
    Map<String, Object> loop = new HashMap<>();
    loop.put("self", loop);
    assertThatThrownBy(() -> Payloads.copy(Map.of("a", loop), "m"))
        .isInstanceOfSatisfying(
            InvalidMetadataException.class, e -> assertThat(e.found()).contains("a cycle"));
    List<Object> list = new ArrayList<>();
    list.add(list);
    assertThatThrownBy(() -> Payloads.copy(Map.of("l", list), "m"))
        .isInstanceOfSatisfying(
            InvalidMetadataException.class, e -> assertThat(e.field()).isEqualTo("m.l[0]"));
    Map<Object, Object> intKeys = new HashMap<>();
    intKeys.put(1, "one");
    assertThatThrownBy(() -> Payloads.copy(Map.of("n", intKeys), "m"))
        .isInstanceOfSatisfying(
            InvalidMetadataException.class,
            e -> {
              assertThat(e.field()).isEqualTo("m.n");
              assertThat(e.expected()).isEqualTo("string keys");
              assertThat(e.found()).contains("java.lang.Integer key 1");
            });
    Map<Object, Object> nullKey = new HashMap<>();
    nullKey.put(null, "x");
    assertThatThrownBy(() -> Payloads.copy(Map.of("n", nullKey), "m"))
        .isInstanceOfSatisfying(
            InvalidMetadataException.class, e -> assertThat(e.found()).isEqualTo("null"));
  }

  @Test
  @DisplayName("reuses a value it already copied instead of copying it again")
  void reusesCopies() {
    Map<String, Object> inner = Payloads.copy(Map.of("tags", List.of("a")), "m");
    Map<String, Object> outer =
        Payloads.copy(Map.of("inner", inner, "tags", inner.get("tags")), "m");
    assertThat(outer.get("inner")).isSameAs(inner);
    assertThat(outer.get("tags")).isSameAs(inner.get("tags"));
  }

  @Test
  @DisplayName("valuesAt flattens arrays and selects nothing for a bad or missing index")
  void valuesAt() {
    Map<String, Object> p =
        Payloads.copy(Map.of("tags", List.of("a", "b"), "items", List.of(Map.of("n", 1))), "p");
    assertThat(Payloads.valuesAt(p, "tags")).containsExactly("a", "b");
    assertThat(Payloads.valuesAt(p, "items[x].n")).isEmpty();
    assertThat(Payloads.valuesAt(p, "items[5].n")).isEmpty();
    assertThat(Payloads.valuesAt(p, "items[0].n")).containsExactly(1L);
    assertThat(Payloads.valuesAt(p, "items[0]")).containsExactly(Map.of("n", 1L));
  }
}
