package dev.vectorcache.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Match;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.id.PointId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a filter written as Qdrant's REST API writes it:
 *
 * <pre>{@code
 * {"must": [{"key": "topic", "match": {"value": "astronomy"}}],
 *  "must_not": [{"key": "year", "range": {"lt": 2000}}]}
 * }</pre>
 *
 * <p>Conditions: {@code {"key", "match": {"value" | "any" | "except" | "text"}}} (a bare value
 * {@code "match": "astronomy"} is accepted as {@code {"value": ...}}), {@code {"key", "range":
 * {"gt", "gte", "lt", "lte"}}}, {@code {"is_empty": {"key"}}}, {@code {"is_null": {"key"}}}, {@code
 * {"has_id": [...]}}, {@code {"nested": {"key", "filter"}}}, and a nested filter object. Clauses:
 * {@code must}, {@code should}, {@code must_not}, {@code min_should: {"conditions", "min_count"}}.
 * A clause may be one condition instead of a list, as in Qdrant.
 */
final class FilterJson {
  private FilterJson() {}

  static Filter parse(String text) {
    return filter(Json.parse(text, "--filter"), "filter");
  }

  static Filter filter(JsonNode n, String at) {
    if (!n.isObject()) {
      throw bad(at, "an object with must, should, must_not or min_should", n);
    }
    Set<String> known = Set.of("must", "should", "must_not", "min_should");
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw bad(at + "." + f, "one of must, should, must_not, min_should", "\"" + f + "\"");
      }
    }
    Filter.MinShould min = null;
    JsonNode ms = n.get("min_should");
    if (ms != null && !ms.isNull()) {
      if (!ms.isObject() || !ms.path("min_count").canConvertToInt()) {
        throw bad(at + ".min_should", "{\"conditions\": [...], \"min_count\": N}", ms);
      }
      min =
          new Filter.MinShould(
              conditions(ms.get("conditions"), at + ".min_should.conditions"),
              ms.get("min_count").intValue());
    }
    return new Filter(
        conditions(n.get("must"), at + ".must"),
        conditions(n.get("should"), at + ".should"),
        conditions(n.get("must_not"), at + ".must_not"),
        min);
  }

  private static List<Condition> conditions(@Nullable JsonNode n, String at) {
    List<Condition> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        out.add(condition(n.get(i), at + "[" + i + "]"));
      }
    } else {
      out.add(condition(n, at));
    }
    return out;
  }

  private static Condition condition(JsonNode n, String at) {
    if (!n.isObject()) {
      throw bad(at, "a condition object", n);
    }
    if (n.has("is_empty")) {
      return new Condition.IsEmpty(key(n.get("is_empty"), at + ".is_empty"));
    }
    if (n.has("is_null")) {
      return new Condition.IsNull(key(n.get("is_null"), at + ".is_null"));
    }
    if (n.has("has_id")) {
      JsonNode ids = n.get("has_id");
      if (!ids.isArray()) {
        throw bad(at + ".has_id", "an array of point ids", ids);
      }
      Set<PointId> set = new HashSet<>();
      for (JsonNode id : ids) {
        set.add(pointId(id, at + ".has_id"));
      }
      return new Condition.HasId(set);
    }
    if (n.has("nested")) {
      JsonNode nested = n.get("nested");
      return new Condition.Nested(
          key(nested, at + ".nested"), filter(nested.path("filter"), at + ".nested.filter"));
    }
    if (n.has("must") || n.has("should") || n.has("must_not") || n.has("min_should")) {
      return new Condition.Sub(filter(n, at));
    }
    String key = key(n, at);
    if (n.has("match")) {
      return new Condition.FieldCondition(key, match(n.get("match"), at + ".match"), null);
    }
    if (n.has("range")) {
      return new Condition.FieldCondition(key, null, range(n.get("range"), at + ".range"));
    }
    throw bad(at, "\"match\" or \"range\" next to \"key\"", n);
  }

  private static String key(JsonNode n, String at) {
    JsonNode k = n.get("key");
    if (k == null || !k.isTextual() || k.textValue().isBlank()) {
      throw bad(at + ".key", "a payload key such as \"topic\"", k);
    }
    return k.textValue();
  }

  private static Match match(JsonNode m, String at) {
    if (m.isValueNode()) {
      return value(m, at);
    }
    if (!m.isObject()) {
      throw bad(
          at, "{\"value\": ...}, {\"any\": [...]}, {\"except\": [...]} or {\"text\": ...}", m);
    }
    if (m.has("value")) {
      return value(m.get("value"), at + ".value");
    }
    if (m.has("text")) {
      return new Match.Text(m.get("text").asText());
    }
    if (m.has("any")) {
      return list(m.get("any"), at + ".any", true);
    }
    if (m.has("except")) {
      return list(m.get("except"), at + ".except", false);
    }
    throw bad(at, "one of value, any, except, text", m);
  }

  private static Match value(JsonNode v, String at) {
    if (v.isTextual()) {
      return new Match.Keyword(v.textValue());
    }
    if (v.isBoolean()) {
      return new Match.Bool(v.booleanValue());
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return new Match.IntegerValue(v.longValue());
    }
    throw bad(at, "a string, an integer or a boolean (use range for decimals)", v);
  }

  private static Match list(JsonNode arr, String at, boolean any) {
    if (arr == null || !arr.isArray()) {
      throw bad(at, "an array of strings or of integers", arr);
    }
    boolean strings = arr.isEmpty() || arr.get(0).isTextual();
    List<String> s = new ArrayList<>();
    List<Long> l = new ArrayList<>();
    for (JsonNode e : arr) {
      if (strings && e.isTextual()) {
        s.add(e.textValue());
      } else if (!strings && e.isIntegralNumber() && e.canConvertToLong()) {
        l.add(e.longValue());
      } else {
        throw bad(at, "strings only or integers only", arr);
      }
    }
    if (strings) {
      return any ? new Match.AnyKeywords(s) : new Match.ExceptKeywords(s);
    }
    return any ? new Match.AnyIntegers(l) : new Match.ExceptIntegers(l);
  }

  private static Range range(JsonNode r, String at) {
    if (r == null || !r.isObject()) {
      throw bad(at, "{\"gt\"|\"gte\"|\"lt\"|\"lte\": number}", r);
    }
    for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!Set.of("gt", "gte", "lt", "lte").contains(f)) {
        throw bad(at + "." + f, "one of gt, gte, lt, lte", "\"" + f + "\"");
      }
      if (!r.get(f).isNumber()) {
        throw bad(at + "." + f, "a number", r.get(f));
      }
    }
    return new Range(num(r, "lt"), num(r, "gt"), num(r, "gte"), num(r, "lte"));
  }

  private static @Nullable Double num(JsonNode r, String f) {
    JsonNode v = r.get(f);
    return v == null ? null : v.doubleValue();
  }

  private static PointId pointId(JsonNode id, String at) {
    if (id.isIntegralNumber() && id.canConvertToLong() && id.longValue() >= 0) {
      return PointId.of(id.longValue());
    }
    if (id.isTextual()) {
      try {
        return PointId.parse(id.textValue());
      } catch (RuntimeException e) {
        throw bad(at, "an unsigned integer or a UUID", id);
      }
    }
    throw bad(at, "an unsigned integer or a UUID", id);
  }

  private static CliException bad(String at, String expected, Object found) {
    return CliException.usage(
        "invalid "
            + at
            + ": expected "
            + expected
            + ", found "
            + (found == null ? "nothing" : found));
  }
}
