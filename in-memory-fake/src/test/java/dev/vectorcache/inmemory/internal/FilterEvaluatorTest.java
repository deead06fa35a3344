package dev.vectorcache.inmemory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.id.PointId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FilterEvaluatorTest {
  private static final PointId ID = PointId.of(7);

  private static Map<String, Object> payload(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Arguments t(String rule, Filter f, Map<String, Object> p, boolean expected) {
    return Arguments.of(rule, f, p, expected);
  }

  private static Filter must(Condition c) {
    return Filter.must(c);
  }

  static Stream<Arguments> cases() {
    Map<String, Object> empty = payload();
    return Stream.of(
        // structure
        t("null filter passes", null, empty, true),
        t("all-empty lists pass", new Filter(List.of(), List.of(), List.of(), null), empty, true),
        t("empty should is no constraint", new Filter(null, List.of(), null, null), empty, true),
        t(
            "empty min_should list is no constraint",
            new Filter(null, null, null, new Filter.MinShould(List.of(), 3)),
            empty,
            true),
        t(
            "should needs one",
            Filter.should(Condition.match("a", 1L), Condition.match("a", 2L)),
            payload("a", 2L),
            true),
        t(
            "should with none true fails",
            Filter.should(Condition.match("a", 1L)),
            payload("a", 2L),
            false),
        t("must_not rejects", Filter.mustNot(Condition.match("a", 1L)), payload("a", 1L), false),
        t("must_not on missing passes", Filter.mustNot(Condition.match("a", 1L)), empty, true),
        t(
            "min_should 2 of 3 with 2",
            Filter.builder()
                .minShould(
                    2, Condition.match("a", 1L), Condition.match("b", 1L), Condition.match("c", 1L))
                .build(),
            payload("a", 1L, "c", 1L),
            true),
        t(
            "min_should 2 of 3 with 1",
            Filter.builder()
                .minShould(
                    2, Condition.match("a", 1L), Condition.match("b", 1L), Condition.match("c", 1L))
                .build(),
            payload("a", 1L),
            false),
        t(
            "sub filter",
            must(Condition.filter(Filter.should(Condition.match("a", "x")))),
            payload("a", "x"),
            true),
        // type strictness
        t("integer vs float 2.0", must(Condition.match("n", 2L)), payload("n", 2.0), false),
        t("integer vs integer", must(Condition.match("n", 2L)), payload("n", 2L), true),
        t("integer vs string", must(Condition.match("n", 2L)), payload("n", "2"), false),
        t("integer vs bool", must(Condition.match("n", 1L)), payload("n", true), false),
        t("bool vs integer", must(Condition.match("b", true)), payload("b", 1L), false),
        t("bool vs bool", must(Condition.match("b", true)), payload("b", true), true),
        t("keyword vs number", must(Condition.match("s", "2")), payload("s", 2L), false),
        t("keyword case-sensitive", must(Condition.match("s", "A")), payload("s", "a"), false),
        t(
            "any integers ignores floats",
            must(Condition.matchAnyIntegers("n", 1, 2)),
            payload("n", 1.0),
            false),
        t("any keywords", must(Condition.matchAny("s", "x", "y")), payload("s", "y"), true),
        // except
        t("except keywords other", must(Condition.matchExcept("s", "x")), payload("s", "y"), true),
        t("except keywords same", must(Condition.matchExcept("s", "x")), payload("s", "x"), false),
        t("except keywords on int", must(Condition.matchExcept("s", "x")), payload("s", 3L), true),
        t(
            "except keywords on bool",
            must(Condition.matchExcept("s", "x")),
            payload("s", false),
            true),
        t(
            "except keywords on object",
            must(Condition.matchExcept("s", "x")),
            payload("s", payload("k", 1L)),
            true),
        t("except on null", must(Condition.matchExcept("s", "x")), payload("s", null), false),
        t("except on missing", must(Condition.matchExcept("s", "x")), empty, false),
        t(
            "except integers on float",
            must(Condition.matchExceptIntegers("n", 2)),
            payload("n", 2.0),
            true),
        t(
            "except integers same",
            must(Condition.matchExceptIntegers("n", 2)),
            payload("n", 2L),
            false),
        // text
        t(
            "text substring",
            must(Condition.matchText("t", "lo w")),
            payload("t", "hello world"),
            true),
        t("text case", must(Condition.matchText("t", "Hello")), payload("t", "hello"), false),
        t("text on number", must(Condition.matchText("t", "1")), payload("t", 1L), false),
        // range
        t("range int", must(Condition.range("n", Range.gte(2))), payload("n", 2L), true),
        t("range float", must(Condition.range("n", Range.gt(2))), payload("n", 2.5), true),
        t("range strict", must(Condition.range("n", Range.gt(2))), payload("n", 2L), false),
        t("range string", must(Condition.range("n", Range.gte(0))), payload("n", "5"), false),
        t("range missing", must(Condition.range("n", Range.gte(0))), empty, false),
        t(
            "range all bounds",
            must(Condition.range("n", new Range(10.0, 1.0, null, null))),
            payload("n", 10L),
            false),
        // missing fields, empty, null
        t("match on missing", must(Condition.match("a", "x")), empty, false),
        t("is_empty missing", must(Condition.isEmpty("a")), empty, true),
        t("is_empty null", must(Condition.isEmpty("a")), payload("a", null), true),
        t("is_empty []", must(Condition.isEmpty("a")), payload("a", List.of()), true),
        t(
            "is_empty [null, []]",
            must(Condition.isEmpty("a")),
            payload("a", Arrays.asList(null, List.of())),
            true),
        t("is_empty value", must(Condition.isEmpty("a")), payload("a", 0L), false),
        t("is_empty [x]", must(Condition.isEmpty("a")), payload("a", List.of("x")), false),
        t("is_null missing", must(Condition.isNull("a")), empty, false),
        t("is_null null", must(Condition.isNull("a")), payload("a", null), true),
        t(
            "is_null [1, null]",
            must(Condition.isNull("a")),
            payload("a", Arrays.asList(1L, null)),
            true),
        t("is_null []", must(Condition.isNull("a")), payload("a", List.of()), false),
        t("is_null value", must(Condition.isNull("a")), payload("a", "x"), false),
        // ids
        t("has_id yes", must(Condition.hasId(ID, PointId.of(8))), empty, true),
        t(
            "has_id no",
            must(
                Condition.hasId(
                    PointId.of(UUID.fromString("00000000-0000-0000-0000-000000000007")))),
            empty,
            false),
        // paths
        t(
            "a.b into objects",
            must(Condition.match("a.b", 1L)),
            payload("a", payload("b", 1L)),
            true),
        t(
            "a.b not into arrays",
            must(Condition.match("a.b", 1L)),
            payload("a", List.of(payload("b", 1L))),
            false),
        t(
            "a[].b into arrays",
            must(Condition.match("a[].b", 1L)),
            payload("a", List.of(payload("b", 2L), payload("b", 1L))),
            true),
        t(
            "a[1].b one element",
            must(Condition.match("a[1].b", 2L)),
            payload("a", List.of(payload("b", 1L), payload("b", 2L))),
            true),
        t(
            "a[0].b one element only",
            must(Condition.match("a[0].b", 2L)),
            payload("a", List.of(payload("b", 1L), payload("b", 2L))),
            false),
        t(
            "final array: any element",
            must(Condition.match("tags", "b")),
            payload("tags", List.of("a", "b")),
            true),
        // nested
        t(
            "nested: one object satisfies all",
            must(
                Condition.nested(
                    "a", Filter.must(Condition.match("x", 1L), Condition.match("y", 2L)))),
            payload("a", List.of(payload("x", 1L, "y", 1L), payload("x", 1L, "y", 2L))),
            true),
        t(
            "nested: split across objects fails",
            must(
                Condition.nested(
                    "a", Filter.must(Condition.match("x", 1L), Condition.match("y", 2L)))),
            payload("a", List.of(payload("x", 1L, "y", 1L), payload("x", 2L, "y", 2L))),
            false),
        t(
            "nested: must_not inside applies per object",
            must(Condition.nested("a", Filter.mustNot(Condition.match("x", 1L)))),
            payload("a", List.of(payload("x", 1L), payload("x", 2L))),
            true),
        t(
            "nested on missing",
            must(Condition.nested("a", Filter.must(Condition.isEmpty("x")))),
            empty,
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void evaluatesWithQdrantSemantics(
      String rule, Filter filter, Map<String, Object> payload, boolean expected) {
    assertThat(FilterEvaluator.test(filter, ID, payload)).as(rule).isEqualTo(expected);
  }
}
