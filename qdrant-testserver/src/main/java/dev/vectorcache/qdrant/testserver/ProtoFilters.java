package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Match;
import dev.vectorcache.core.filter.Range;
import io.grpc.Status;
import io.qdrant.client.grpc.Common;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Maps a protobuf filter to the core filter model the way the Qdrant server reads it: empty lists
 * and conditions with no oneof set are dropped (so {@code should: []} is no constraint), a field
 * condition without any condition and a match without a value are INVALID_ARGUMENT.
 *
 * <p>Written independently of the adapter's {@code QdrantMapping} on purpose, not shared through
 * {@code qdrant-common}: this server is the only Qdrant in CI, so a mapping shared by both sides
 * would turn a bug in it into a symmetric one that every test passes. Only the payload value codec
 * is shared (it has a round-trip test of its own).
 */
final class ProtoFilters {
  private ProtoFilters() {}

  /** The core filter, or {@code null} when the request has none or only empty parts. */
  static @Nullable Filter toCore(Common.Filter f) {
    List<Condition> must = conditions(f.getMustList());
    List<Condition> should = conditions(f.getShouldList());
    List<Condition> mustNot = conditions(f.getMustNotList());
    Filter.MinShould minShould = null;
    if (f.hasMinShould()) {
      List<Condition> c = conditions(f.getMinShould().getConditionsList());
      if (!c.isEmpty()) {
        minShould =
            new Filter.MinShould(
                c, (int) Math.min(Integer.MAX_VALUE, f.getMinShould().getMinCount()));
      }
    }
    Filter filter = new Filter(must, should, mustNot, minShould);
    return filter.isEmpty() ? null : filter;
  }

  private static List<Condition> conditions(List<Common.Condition> in) {
    List<Condition> out = new ArrayList<>();
    for (Common.Condition c : in) {
      Condition mapped = condition(c);
      if (mapped != null) {
        out.add(mapped);
      }
    }
    return out;
  }

  private static @Nullable Condition condition(Common.Condition c) {
    switch (c.getConditionOneOfCase()) {
      case FIELD:
        return field(c.getField());
      case IS_EMPTY:
        return Condition.isEmpty(c.getIsEmpty().getKey());
      case IS_NULL:
        return Condition.isNull(c.getIsNull().getKey());
      case HAS_ID:
        return new Condition.HasId(new HashSet<>(ProtoValues.ids(c.getHasId().getHasIdList())));
      case FILTER:
        Filter sub = toCore(c.getFilter());
        return Condition.filter(sub == null ? Filter.builder().build() : sub);
      case NESTED:
        Filter nested = toCore(c.getNested().getFilter());
        return Condition.nested(
            c.getNested().getKey(), nested == null ? Filter.builder().build() : nested);
      case HAS_VECTOR:
        throw unsupported("has_vector conditions");
      case CONDITIONONEOF_NOT_SET:
      default:
        return null;
    }
  }

  private static Condition field(Common.FieldCondition fc) {
    String key = fc.getKey();
    List<Condition> parts = new ArrayList<>();
    if (fc.hasMatch()) {
      parts.add(match(key, fc.getMatch()));
    }
    if (fc.hasRange()) {
      Common.Range r = fc.getRange();
      if (!(r.hasLt() || r.hasGt() || r.hasGte() || r.hasLte())) {
        // a range without bounds holds for every number and nothing else
        parts.add(Condition.range(key, new Range(null, null, Double.NEGATIVE_INFINITY, null)));
      } else {
        parts.add(
            Condition.range(
                key,
                new Range(
                    r.hasLt() ? r.getLt() : null,
                    r.hasGt() ? r.getGt() : null,
                    r.hasGte() ? r.getGte() : null,
                    r.hasLte() ? r.getLte() : null)));
      }
    }
    if (fc.hasIsEmpty()) {
      Condition e = Condition.isEmpty(key);
      parts.add(fc.getIsEmpty() ? e : Condition.filter(Filter.mustNot(e)));
    }
    if (fc.hasIsNull()) {
      Condition n = Condition.isNull(key);
      parts.add(fc.getIsNull() ? n : Condition.filter(Filter.mustNot(n)));
    }
    if (fc.hasGeoBoundingBox()
        || fc.hasGeoRadius()
        || fc.hasGeoPolygon()
        || fc.hasValuesCount()
        || fc.hasDatetimeRange()) {
      throw unsupported("geo, values_count and datetime_range conditions");
    }
    if (parts.isEmpty()) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "Validation error in body: [match: At least one field condition must be specified]")
          .asRuntimeException();
    }
    return parts.size() == 1
        ? parts.get(0)
        : Condition.filter(new Filter(parts, List.of(), List.of(), null));
  }

  private static Condition match(String key, Common.Match m) {
    switch (m.getMatchValueCase()) {
      case KEYWORD:
        return Condition.match(key, m.getKeyword());
      case INTEGER:
        return Condition.match(key, m.getInteger());
      case BOOLEAN:
        return Condition.match(key, m.getBoolean());
      case TEXT:
        return new Condition.FieldCondition(key, new Match.Text(m.getText()), null);
      case PHRASE:
        // without a full-text index Qdrant tests a phrase as a substring too
        return new Condition.FieldCondition(key, new Match.Text(m.getPhrase()), null);
      case TEXT_ANY:
        List<Condition> any = new ArrayList<>();
        for (String token : m.getTextAny().trim().split("\\s+", -1)) {
          if (!token.isEmpty()) {
            any.add(new Condition.FieldCondition(key, new Match.Text(token), null));
          }
        }
        return Condition.filter(new Filter(List.of(), any, List.of(), null));
      case KEYWORDS:
        return new Condition.FieldCondition(
            key, new Match.AnyKeywords(m.getKeywords().getStringsList()), null);
      case INTEGERS:
        return new Condition.FieldCondition(
            key, new Match.AnyIntegers(m.getIntegers().getIntegersList()), null);
      case EXCEPT_KEYWORDS:
        return new Condition.FieldCondition(
            key, new Match.ExceptKeywords(m.getExceptKeywords().getStringsList()), null);
      case EXCEPT_INTEGERS:
        return new Condition.FieldCondition(
            key, new Match.ExceptIntegers(m.getExceptIntegers().getIntegersList()), null);
      case MATCHVALUE_NOT_SET:
      default:
        throw Status.INVALID_ARGUMENT
            .withDescription("Malformed Match condition")
            .asRuntimeException();
    }
  }

  private static RuntimeException unsupported(String what) {
    return Status.UNIMPLEMENTED
        .withDescription("the vectorcache Qdrant test server does not support " + what)
        .asRuntimeException();
  }
}
