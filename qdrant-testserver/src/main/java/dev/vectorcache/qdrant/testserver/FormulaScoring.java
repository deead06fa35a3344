package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.Payloads;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.Expression;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Formula queries ({@code Query.formula}): the union of the prefetched points re-scored by an
 * expression, as Qdrant evaluates it.
 *
 * <ul>
 *   <li>{@code $score} / {@code $score[i]} is the point's score in prefetch {@code i} (0 when it is
 *       not in that prefetch and the defaults name no value); any other variable is a payload key,
 *       which must hold one number (or a default);
 *   <li>a condition is 1 when the point matches it, else 0;
 *   <li>{@code geo_distance} is the haversine distance in metres from the origin to the geo point
 *       at the key; datetimes (constant or at a key) count as seconds since the epoch;
 *   <li>a product stops at its first 0, a division with a 0 numerator is 0, a division by 0 takes
 *       {@code by_zero_default} when given; any non-finite result is an error;
 *   <li>decays: linear {@code max(0, 1 - lambda |x - target|)} with {@code lambda = (1 - midpoint)
 *       / scale}; exponential {@code exp(lambda |x - target|)} with {@code lambda = ln(midpoint) /
 *       scale}; Gaussian {@code exp(lambda (x - target)^2)} with {@code lambda = ln(midpoint) /
 *       scale^2}; midpoint 0.5 and scale 1 by default.
 * </ul>
 *
 * <p>Results are the best {@code limit} by formula score (at or above the threshold, if any).
 */
final class FormulaScoring {
  /** Mean earth radius of the haversine distance, in metres. */
  private static final double EARTH_RADIUS = 6_371_008.8;

  private final Routed routed;
  private final String collection;
  private final Map<PointId, Map<String, Object>> payloads = new HashMap<>();
  private final Map<Common.Condition, Set<PointId>> matching = new HashMap<>();
  private final Map<String, Value> defaults;
  private final List<Map<PointId, Float>> scores = new ArrayList<>();
  private final Set<PointId> candidates = new LinkedHashSet<>();

  private FormulaScoring(Routed routed, String collection, Points.Formula formula) {
    this.routed = routed;
    this.collection = collection;
    this.defaults = formula.getDefaultsMap();
  }

  /** The prefetched points re-scored by {@code formula}, best first. */
  static List<UniversalQuery.Hit> rescore(
      Routed routed,
      String collection,
      Points.Formula formula,
      List<List<UniversalQuery.Hit>> sources,
      @Nullable Float threshold,
      int limit) {
    FormulaScoring f = new FormulaScoring(routed, collection, formula);
    for (String key : formula.getDefaultsMap().keySet()) {
      variable(key); // Qdrant parses the defaults' names up front
    }
    check(formula.getExpression());
    for (List<UniversalQuery.Hit> source : sources) {
      Map<PointId, Float> byId = new HashMap<>();
      for (UniversalQuery.Hit h : source) {
        byId.put(h.id(), h.score());
        f.candidates.add(h.id());
      }
      f.scores.add(byId);
    }
    if (f.candidates.isEmpty()) {
      return List.of();
    }
    for (RetrievedPoint r :
        routed.retrieve(collection, List.copyOf(f.candidates), PayloadSelector.ALL, false)) {
      f.payloads.put(r.id(), r.payload());
    }
    List<UniversalQuery.Hit> out = new ArrayList<>();
    for (PointId id : f.candidates) {
      if (!f.payloads.containsKey(id)) {
        continue; // deleted meanwhile
      }
      double v = f.eval(formula.getExpression(), id);
      float score = (float) v;
      if (!Float.isFinite(score)) {
        throw nonFinite(v + " as f32 = " + score);
      }
      if (threshold == null || score >= threshold) {
        out.add(new UniversalQuery.Hit(id, score, null));
      }
    }
    out.sort(
        (a, b) ->
            a.score() != b.score()
                ? Float.compare(b.score(), a.score())
                : a.id().compareTo(b.id()));
    return out.subList(0, Math.min(limit, out.size()));
  }

  // ---- parsing checks (before any point is scored, as Qdrant parses first) ----

  private static void check(Expression e) {
    switch (e.getVariantCase()) {
      case VARIABLE -> variable(e.getVariable());
      case DATETIME -> {
        if (OrderedScroll.micros(e.getDatetime()) == null) {
          throw validation(
              "failed to parse date-time " + e.getDatetime() + ": not an RFC 3339 date-time");
        }
      }
      case MULT -> e.getMult().getMultList().forEach(FormulaScoring::check);
      case SUM -> e.getSum().getSumList().forEach(FormulaScoring::check);
      case DIV -> {
        check(e.getDiv().getLeft());
        check(e.getDiv().getRight());
      }
      case NEG -> check(e.getNeg());
      case ABS -> check(e.getAbs());
      case SQRT -> check(e.getSqrt());
      case EXP -> check(e.getExp());
      case LOG10 -> check(e.getLog10());
      case LN -> check(e.getLn());
      case POW -> {
        check(e.getPow().getBase());
        check(e.getPow().getExponent());
      }
      case EXP_DECAY, GAUSS_DECAY, LIN_DECAY -> {
        Points.DecayParamsExpression d = decayParams(e);
        lambda(e.getVariantCase(), d);
        check(d.getX());
        if (d.hasTarget()) {
          check(d.getTarget());
        }
      }
      case VARIANT_NOT_SET ->
          throw Status.INVALID_ARGUMENT
              .withDescription("Wrong input: an expression has no variant")
              .asRuntimeException();
      default -> {
        // constants, conditions, geo distances and datetime keys need no check
      }
    }
  }

  /** A variable name: {@code $score}, {@code $score[i]} or a payload key. */
  private static @Nullable Integer variable(String name) {
    if (!name.startsWith("$")) {
      if (name.isEmpty()) {
        throw validation("failed to parse variable ID " + name + ": Invalid payload variable: ");
      }
      return null;
    }
    String rest = name.substring(1);
    if (rest.equals("score")) {
      return 0;
    }
    if (rest.startsWith("score[") && rest.endsWith("]")) {
      try {
        return Integer.parseInt(rest.substring(6, rest.length() - 1));
      } catch (NumberFormatException e) {
        throw validation(
            "failed to parse variable ID " + name + ": Invalid reserved variable: " + name);
      }
    }
    throw validation("failed to parse variable ID " + name + ": Invalid reserved word: " + name);
  }

  // ---- evaluation ----

  private double eval(Expression e, PointId id) {
    return switch (e.getVariantCase()) {
      case CONSTANT -> e.getConstant();
      case VARIABLE -> variableValue(e.getVariable(), id);
      case CONDITION -> matches(e.getCondition()).contains(id) ? 1.0 : 0.0;
      case GEO_DISTANCE -> geoDistance(e.getGeoDistance(), id);
      case DATETIME -> micros(e.getDatetime(), "datetime") / 1_000_000.0; // checked when parsed
      case DATETIME_KEY -> datetimeAt(e.getDatetimeKey(), id);
      case MULT -> {
        double product = 1.0;
        for (Expression x : e.getMult().getMultList()) {
          double v = eval(x, id);
          if (v == 0.0) {
            yield 0.0;
          }
          product *= v;
        }
        yield product;
      }
      case SUM -> {
        double sum = 0.0;
        for (Expression x : e.getSum().getSumList()) {
          sum += eval(x, id);
        }
        yield sum;
      }
      case DIV -> {
        Points.DivExpression d = e.getDiv();
        double left = eval(d.getLeft(), id);
        if (left == 0.0) {
          yield 0.0;
        }
        double right = eval(d.getRight(), id);
        if (right == 0.0 && d.hasByZeroDefault()) {
          yield d.getByZeroDefault();
        }
        yield finite(left / right, left + "/" + right + " = " + (left / right));
      }
      case NEG -> -eval(e.getNeg(), id);
      case ABS -> Math.abs(eval(e.getAbs(), id));
      case SQRT -> {
        double v = eval(e.getSqrt(), id);
        yield finite(Math.sqrt(v), "√" + v + " = " + Math.sqrt(v));
      }
      case POW -> {
        double base = eval(e.getPow().getBase(), id);
        double exponent = eval(e.getPow().getExponent(), id);
        double p = Math.pow(base, exponent);
        yield finite(p, base + "^" + exponent + " = " + p);
      }
      case EXP -> {
        double v = eval(e.getExp(), id);
        yield finite(Math.exp(v), "exp(" + v + ") = " + Math.exp(v));
      }
      case LOG10 -> {
        double v = eval(e.getLog10(), id);
        yield finite(Math.log10(v), "log10(" + v + ") = " + Math.log10(v));
      }
      case LN -> {
        double v = eval(e.getLn(), id);
        yield finite(Math.log(v), "ln(" + v + ") = " + Math.log(v));
      }
      case EXP_DECAY, GAUSS_DECAY, LIN_DECAY -> {
        Points.DecayParamsExpression d = decayParams(e);
        double lambda = lambda(e.getVariantCase(), d);
        double x = eval(d.getX(), id);
        double target = d.hasTarget() ? eval(d.getTarget(), id) : 0.0;
        double diff = x - target;
        yield switch (e.getVariantCase()) {
          case EXP_DECAY -> Math.exp(lambda * Math.abs(diff));
          case GAUSS_DECAY -> Math.exp(lambda * diff * diff);
          default -> Math.max(0.0, -lambda * Math.abs(diff) + 1.0);
        };
      }
      default ->
          throw Status.INVALID_ARGUMENT
              .withDescription("Wrong input: an expression has no variant")
              .asRuntimeException();
    };
  }

  private static Points.DecayParamsExpression decayParams(Expression e) {
    return switch (e.getVariantCase()) {
      case EXP_DECAY -> e.getExpDecay();
      case GAUSS_DECAY -> e.getGaussDecay();
      default -> e.getLinDecay();
    };
  }

  private static double lambda(Expression.VariantCase kind, Points.DecayParamsExpression d) {
    double midpoint = d.hasMidpoint() ? d.getMidpoint() : 0.5;
    double scale = d.hasScale() ? d.getScale() : 1.0;
    if (kind == Expression.VariantCase.LIN_DECAY) {
      if (!(midpoint >= 0.0 && midpoint <= 1.0)) {
        throw validation(
            "Linear decay midpoint should be in the range [0.0, 1.0], got " + num(midpoint) + ".");
      }
    } else if (!(midpoint > 0.0 && midpoint < 1.0)) {
      throw validation(
          "Decay midpoint should be in the range (0.0, 1.0), got " + num(midpoint) + ".");
    }
    if (!(scale > 0.0)) {
      throw validation("Decay scale should be non-zero positive, got " + num(scale) + ".");
    }
    return switch (kind) {
      case LIN_DECAY -> (1.0 - midpoint) / scale;
      case EXP_DECAY -> Math.log(midpoint) / scale;
      default -> Math.log(midpoint) / (scale * scale);
    };
  }

  private double variableValue(String name, PointId id) {
    Integer score = variable(name);
    if (score != null) {
      Float s = score < scores.size() ? scores.get(score).get(id) : null;
      if (s != null) {
        return s;
      }
      Value d = defaultFor(name, score);
      return d != null && d.hasDoubleValue()
          ? d.getDoubleValue()
          : d != null && d.hasIntegerValue() ? d.getIntegerValue() : 0.0;
    }
    Object v = single(name, id, "number");
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw variableError(name, "number", "Value is not a number");
  }

  private @Nullable Value defaultFor(String name, int score) {
    for (Map.Entry<String, Value> d : defaults.entrySet()) {
      Integer i = variable(d.getKey());
      if (i != null && i == score) {
        return d.getValue();
      }
    }
    return defaults.get(name);
  }

  /** The one value at {@code key}, or the default; several values form a list. */
  private Object single(String key, PointId id, String expected) {
    List<Object> values = Payloads.valuesAt(payloads.getOrDefault(id, Map.of()), key);
    if (values.size() == 1) {
      return values.get(0);
    }
    if (values.size() > 1) {
      return values;
    }
    Value d = defaults.get(key);
    if (d == null) {
      throw variableError(key, expected, "No value found in a payload nor defaults");
    }
    Object v = ProtoValues.toJava(Map.of("v", d)).get("v");
    if (v == null) {
      throw variableError(key, expected, "Value is null");
    }
    return v;
  }

  private double geoDistance(Points.GeoDistance g, PointId id) {
    Object v = single(g.getTo(), id, "geo point");
    if (!(v instanceof Map<?, ?> m)
        || !(m.get("lat") instanceof Number lat)
        || !(m.get("lon") instanceof Number lon)) {
      throw variableError(g.getTo(), "geo point", "Value is not a geo point");
    }
    Common.GeoPoint o = g.getOrigin();
    double p1 = Math.toRadians(o.getLat());
    double p2 = Math.toRadians(lat.doubleValue());
    double dp = p2 - p1;
    double dl = Math.toRadians(lon.doubleValue() - o.getLon());
    double a =
        Math.sin(dp / 2) * Math.sin(dp / 2)
            + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
    return 2 * EARTH_RADIUS * Math.asin(Math.sqrt(a));
  }

  private double datetimeAt(String key, PointId id) {
    Object v = single(key, id, "datetime");
    if (!(v instanceof String s)) {
      throw variableError(key, "datetime", "Value is not a string");
    }
    return micros(s, key) / 1_000_000.0;
  }

  private static long micros(String text, String field) {
    Long m = OrderedScroll.micros(text);
    if (m == null) {
      throw variableError(field, "datetime", "not an RFC 3339 date-time: " + text);
    }
    return m;
  }

  /** The candidates matching a condition, found with one filtered scroll per condition. */
  private Set<PointId> matches(Common.Condition c) {
    return matching.computeIfAbsent(
        c,
        k -> {
          Filter cond = ProtoFilters.toCore(Common.Filter.newBuilder().addMust(k).build());
          Filter f = Filter.must(new Condition.HasId(candidates));
          if (cond != null) {
            f = f.and(new Condition.Sub(cond));
          }
          Set<PointId> ids = new HashSet<>();
          ScrollRequest page = new ScrollRequest(f, 1000, null, PayloadSelector.NONE, false);
          while (true) {
            ScrollPage p = routed.scroll(collection, page);
            p.points().forEach(r -> ids.add(r.id()));
            if (p.nextOffset() == null) {
              return ids;
            }
            page = page.withOffset(p.nextOffset());
          }
        });
  }

  // ---- errors, with Qdrant's texts ----

  private static double finite(double v, String expression) {
    if (!Double.isFinite(v)) {
      throw nonFinite(expression);
    }
    return v;
  }

  private static String num(double v) {
    return v == Math.rint(v) && !Double.isInfinite(v)
        ? String.valueOf((long) v)
        : String.valueOf(v);
  }

  private static StatusRuntimeException nonFinite(String expression) {
    return Status.INVALID_ARGUMENT
        .withDescription(
            "Wrong input: The expression " + expression + " produced a non-finite number")
        .asRuntimeException();
  }

  private static StatusRuntimeException variableError(
      String field, String expected, String description) {
    return Status.INVALID_ARGUMENT
        .withDescription(
            "Wrong input: Expected "
                + expected
                + " value for "
                + field
                + " in the payload and/or in the formula defaults. Error: "
                + description)
        .asRuntimeException();
  }

  private static StatusRuntimeException validation(String message) {
    return Status.INVALID_ARGUMENT
        .withDescription("Wrong input: Validation failed: " + message)
        .asRuntimeException();
  }
}
