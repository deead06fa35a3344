package dev.vectorcache.testkit;

import static dev.vectorcache.testkit.VectorStoreContract.id;
import static dev.vectorcache.testkit.VectorStoreContract.map;
import static dev.vectorcache.testkit.VectorStoreContract.point;
import static dev.vectorcache.testkit.VectorStoreContract.vec;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.PointStruct;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The data set and the cases of {@link VectorStoreContract}'s filter tests: one set of points with
 * every payload type, and one case per filter rule with the ids it must select, in Qdrant's
 * semantics. Kept apart so that the contract class reads as its tests.
 */
final class VectorStoreFilterCases {
  private VectorStoreFilterCases() {}

  static final PointId U6 = PointId.of(UUID.fromString("6f1c2c3e-0000-4000-8000-000000000006"));

  static List<PointStruct> dataSet() {
    return List.of(
        point(1, vec(1f, 0.1f), payload1()),
        point(2, vec(1f, 0.2f), payload2()),
        point(3, vec(1f, 0.3f), payload3()),
        point(4, vec(1f, 0.4f), payload4()),
        point(5, vec(1f, 0.5f), map()),
        point(U6, vec(1f, 0.6f), payload6()));
  }

  private static Map<String, Object> payload1() {
    Map<String, Object> p1 = new LinkedHashMap<>();
    p1.put("city", "London");
    p1.put("count", 1L);
    p1.put("price", 9.5);
    p1.put("active", true);
    p1.put("tags", List.of("a", "b"));
    p1.put("meta", map("color", "red"));
    p1.put("items", List.of(map("name", "x", "qty", 1L), map("name", "y", "qty", 5L)));
    p1.put("note", "hello world");
    return p1;
  }

  private static Map<String, Object> payload2() {
    Map<String, Object> p2 = new LinkedHashMap<>();
    p2.put("city", "Berlin");
    p2.put("count", 2L);
    p2.put("price", 20.0);
    p2.put("active", false);
    p2.put("tags", List.of("b"));
    p2.put("meta", map("color", "blue"));
    p2.put("items", List.of(map("name", "x", "qty", 5L)));
    p2.put("nullable", null);
    return p2;
  }

  private static Map<String, Object> payload3() {
    Map<String, Object> p3 = new LinkedHashMap<>();
    p3.put("city", "Paris");
    p3.put("count", 2.0); // a float: integer matches must not see it
    p3.put("price", 5L);
    p3.put("active", 1L); // an integer: bool matches must not see it
    p3.put("tags", List.of());
    p3.put("note", "Hello");
    return p3;
  }

  private static Map<String, Object> payload4() {
    Map<String, Object> p4 = new LinkedHashMap<>();
    p4.put("city", "london"); // keyword matching is case-sensitive
    p4.put("count", "2"); // a string: integer and range matches must not see it
    p4.put("nullable", Collections.singletonList(null));
    p4.put("note", 7L); // a number: keyword and text matches must not see it
    return p4;
  }

  private static Map<String, Object> payload6() {
    Map<String, Object> p6 = new LinkedHashMap<>();
    p6.put("city", "London");
    p6.put("count", 3L);
    p6.put("tags", List.of("c"));
    p6.put("items", List.of(map("name", "y", "qty", 1L)));
    p6.put("note", "world peace");
    return p6;
  }

  /** Every point of the data set. */
  private static Object[] all() {
    return new Object[] {1, 2, 3, 4, 5, U6};
  }

  private static Filter must(Condition... conditions) {
    return Filter.must(conditions);
  }

  private static Arguments fc(String rule, Filter filter, Object... expected) {
    List<PointId> ids = new ArrayList<>();
    for (Object e : expected) {
      ids.add(e instanceof PointId p ? p : id(((Number) e).longValue()));
    }
    return Arguments.of(rule, filter, ids);
  }

  static Stream<Arguments> cases() {
    return Stream.of(matchCases(), rangeNullAndIdCases(), pathCases(), booleanCases())
        .flatMap(cases -> cases);
  }

  /** Cases for match, except and text: typed, exact, element-wise. */
  private static Stream<Arguments> matchCases() {
    return Stream.of(
        fc("keyword is exact and case-sensitive", must(Condition.match("city", "London")), 1, U6),
        fc("keyword never matches a number", must(Condition.match("note", "7"))),
        fc(
            "integer match is type-strict: not 2.0, not \"2\"",
            must(Condition.match("count", 2L)),
            2),
        fc("bool true", must(Condition.match("active", true)), 1),
        fc("bool false", must(Condition.match("active", false)), 2),
        fc("integer 1 does not match true", must(Condition.match("active", 1L)), 3),
        fc("keyword matches any element of an array", must(Condition.match("tags", "b")), 1, 2),
        fc("match any keywords", must(Condition.matchAny("city", "Berlin", "Paris")), 2, 3),
        fc("match any integers", must(Condition.matchAnyIntegers("count", 1, 3)), 1, U6),
        fc(
            "except keywords: other values pass, a missing field does not",
            must(Condition.matchExcept("city", "London")),
            2,
            3,
            4),
        fc(
            "except integers: floats and strings are other types and pass",
            must(Condition.matchExceptIntegers("count", 2)),
            1,
            3,
            4,
            U6),
        fc(
            "except over an array: some element not excepted",
            must(Condition.matchExcept("tags", "a")),
            1,
            2,
            U6),
        fc("except on null is false", must(Condition.matchExcept("nullable", "x"))),
        fc("text is a substring match", must(Condition.matchText("note", "world")), 1, U6),
        fc("text is case-sensitive", must(Condition.matchText("note", "Hello")), 3),
        fc("text never matches a number", must(Condition.matchText("note", "7"))));
  }

  /** Cases for range, is_empty, is_null, missing fields and has_id. */
  private static Stream<Arguments> rangeNullAndIdCases() {
    return Stream.of(
        fc(
            "range matches integers and floats, never strings",
            must(Condition.range("count", Range.gt(1))),
            2,
            3,
            U6),
        fc(
            "range bounds gte/lte are inclusive",
            must(Condition.range("price", Range.between(5, 9.5))),
            1,
            3),
        fc("range lt is exclusive", must(Condition.range("price", Range.lt(9.5))), 3),
        fc("range on a string field matches nothing", must(Condition.range("city", Range.gte(0)))),
        fc("is_empty: missing and [] are empty", must(Condition.isEmpty("tags")), 3, 4, 5),
        fc("is_empty: null and [null] are empty", must(Condition.isEmpty("nullable")), all()),
        fc("is_null: null and [null]", must(Condition.isNull("nullable")), 2, 4),
        fc("is_null: a missing field is not null", must(Condition.isNull("no_such_field"))),
        fc("match on a missing field is false", must(Condition.match("no_such_field", "x"))),
        fc("has_id with numeric and UUID ids", must(Condition.hasId(id(1), U6)), 1, U6));
  }

  /** Cases for nested objects and a.b / a[].b / a[0].b paths. */
  private static Stream<Arguments> pathCases() {
    return Stream.of(
        fc(
            "nested: one object must satisfy the whole sub-filter",
            must(
                Condition.nested(
                    "items",
                    Filter.must(
                        Condition.match("name", "x"), Condition.range("qty", Range.gte(5))))),
            2),
        fc(
            "flattened a[].b paths may match different objects",
            must(
                Condition.match("items[].name", "x"), Condition.range("items[].qty", Range.gte(5))),
            1,
            2),
        fc("a.b goes into objects", must(Condition.match("meta.color", "red")), 1),
        fc("a.b does not descend into arrays", must(Condition.match("items.name", "x"))),
        fc("a[0].b picks one element", must(Condition.match("items[0].name", "y")), U6));
  }

  /** Cases for must, should, must_not and min_should. */
  private static Stream<Arguments> booleanCases() {
    return Stream.of(
        fc(
            "must_not excludes matches (points without the field pass)",
            Filter.mustNot(Condition.match("city", "London")),
            2,
            3,
            4,
            5),
        fc(
            "should: at least one",
            Filter.should(Condition.match("city", "Berlin"), Condition.match("count", 3L)),
            2,
            U6),
        fc(
            "empty lists are no constraint",
            new Filter(List.of(), List.of(), List.of(), null),
            all()),
        fc(
            "min_should: at least 2 of 3",
            Filter.builder()
                .minShould(
                    2,
                    Condition.match("city", "London"),
                    Condition.match("tags", "b"),
                    Condition.match("count", 3L))
                .build(),
            1,
            U6),
        fc(
            "min_should with min 0 passes everything",
            Filter.builder().minShould(0, Condition.match("city", "Nowhere")).build(),
            all()),
        fc(
            "must and must_not together",
            Filter.builder()
                .must(Condition.match("tags", "b"))
                .mustNot(Condition.match("active", false))
                .build(),
            1),
        fc(
            "sub-filters nest boolean logic",
            Filter.should(
                Condition.filter(
                    Filter.must(Condition.match("city", "London"), Condition.match("count", 1L))),
                Condition.filter(Filter.must(Condition.match("city", "Berlin")))),
            1,
            2),
        fc(
            "must_not is_empty: non-empty arrays",
            Filter.mustNot(Condition.isEmpty("tags")),
            1,
            2,
            U6));
  }
}
