package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Payloads;
import dev.vectorcache.inmemory.internal.FilterEvaluator;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * A filter compiled against payload indexes answers exactly as the evaluator does, on random
 * payloads of every shape; the planner's estimates bound the true count.
 */
class SlotFilterTest {
  static final int N = 3_000;
  static final List<String> KEYS = List.of("a", "b", "c"); // a and b indexed, c not

  private final Random r = new Random(5);
  private final Object[] payloads = new Object[N];
  private final PointId[] ids = new PointId[N];
  private final PayloadColumns columns = new PayloadColumns();

  private Object value() {
    return switch (r.nextInt(9)) {
      case 0 -> (long) r.nextInt(4);
      case 1 -> (long) r.nextInt(4);
      case 2 -> r.nextInt(4) + 0.5;
      case 3 -> List.of("x", "y", "z").get(r.nextInt(3));
      case 4 -> List.of("x", "y", "z").get(r.nextInt(3)) + "x";
      case 5 -> r.nextBoolean();
      case 6 -> Arrays.asList((long) r.nextInt(4), "y");
      case 7 -> List.of();
      default -> Map.of("k", 1L);
    };
  }

  private void fill() {
    columns.ensureCapacity(N);
    for (int i = 0; i < N; i++) {
      Map<String, Object> p = new HashMap<>();
      for (String k : KEYS) {
        int shape = r.nextInt(10);
        if (shape == 0) {
          p.put(k, null);
        } else if (shape > 1) {
          p.put(k, value());
        }
      }
      payloads[i] = Payloads.copy(p, "payload");
      ids[i] = PointId.of(i);
    }
    columns.add("a", s -> payloads[s], ids, N);
    columns.add("b", s -> payloads[s], ids, N);
    columns.add("x.y", s -> payloads[s], ids, N); // a path: recorded, not columned
    assertThat(columns.column("x.y")).isNull();
  }

  private Condition condition() {
    String k = KEYS.get(r.nextInt(KEYS.size()));
    return switch (r.nextInt(15)) {
      case 0 -> Condition.match(k, "x");
      case 1 -> Condition.match(k, (long) r.nextInt(4));
      case 2 -> Condition.match(k, r.nextBoolean());
      case 3 -> Condition.matchAny(k, "x", "yx");
      case 4 -> Condition.matchAnyIntegers(k, 1, 2);
      case 5 -> Condition.matchExcept(k, "y");
      case 6 -> Condition.matchExceptIntegers(k, 0, 3);
      case 7 -> Condition.matchText(k, "x");
      case 8 -> Condition.range(k, Range.between(0.5, 2));
      case 9 -> Condition.isEmpty(k);
      case 10 -> Condition.isNull(k);
      case 11 -> Condition.hasId(PointId.of(r.nextInt(N)), PointId.of(7));
      case 12 -> Condition.filter(Filter.should(condition(), condition()));
      case 14 -> // a cache's not-expired shape: one field, checked twice
          Condition.filter(
              Filter.should(Condition.isEmpty(k), Condition.range(k, Range.gt(r.nextInt(4)))));
      default -> Condition.filter(Filter.mustNot(condition()));
    };
  }

  private Filter filter() {
    Filter.Builder b = Filter.builder();
    for (int i = r.nextInt(3); i > 0; i--) {
      b.must(condition());
    }
    for (int i = r.nextInt(3); i > 0; i--) {
      b.should(condition());
    }
    if (r.nextInt(3) == 0) {
      b.mustNot(condition());
    }
    if (r.nextInt(4) == 0) {
      b.minShould(1 + r.nextInt(2), condition(), condition(), condition());
    }
    return b.build();
  }

  @SuppressWarnings("unchecked")
  private IntPredicate compiled(Filter f) {
    return SlotFilter.compile(f, columns, s -> ids[s], s -> (Map<String, Object>) payloads[s]);
  }

  @Test
  void aCompiledFilterAnswersAsTheEvaluator() {
    fill();
    for (int t = 0; t < 400; t++) {
      Filter f = filter();
      IntPredicate p = compiled(f);
      for (int i = 0; i < N; i += 3) {
        @SuppressWarnings("unchecked")
        Map<String, ?> payload = (Map<String, ?>) payloads[i];
        assertThat(p.test(i))
            .as("%s on %s", f, payload)
            .isEqualTo(FilterEvaluator.test(f, ids[i], payload));
      }
    }
  }

  @Test
  void theNotExpiredFilterReadsOnlyTheColumnUnlessItCannotAnswer() {
    Object[] values = {
      null, 5L, 1L, 3.5, 0.5, "x", List.of(9L), List.of(), Map.of("k", 1L), true, null
    };
    Object[] ps = new Object[values.length];
    PointId[] pids = new PointId[values.length];
    PayloadColumns cols = new PayloadColumns();
    cols.ensureCapacity(values.length);
    for (int i = 0; i < values.length; i++) {
      Map<String, Object> p = new HashMap<>();
      if (i > 0) { // the first point has no expiry; the last one a null
        p.put("e", values[i]);
      }
      ps[i] = Payloads.copy(p, "payload");
      pids[i] = PointId.of(i);
    }
    cols.add("e", s -> ps[s], pids, values.length);
    Filter live =
        Filter.must(
            Condition.filter(
                Filter.should(Condition.isEmpty("e"), Condition.range("e", Range.gt(2)))));
    int[] reads = new int[values.length];
    @SuppressWarnings("unchecked")
    IntPredicate p =
        SlotFilter.compile(
            live,
            cols,
            s -> pids[s],
            s -> {
              reads[s]++;
              return (Map<String, Object>) ps[s];
            });
    for (int i = 0; i < values.length; i++) {
      @SuppressWarnings("unchecked")
      Map<String, ?> payload = (Map<String, ?>) ps[i];
      assertThat(p.test(i))
          .as("%s", payload)
          .isEqualTo(FilterEvaluator.test(live, pids[i], payload));
      // integers, floats, strings and a missing field are answered from the column
      boolean columned =
          !(values[i] instanceof List
              || values[i] instanceof Map
              || values[i] instanceof Boolean
              || (i > 0 && values[i] == null));
      assertThat(reads[i]).as("payload reads of %s", payload).isEqualTo(columned ? 0 : 1);
    }
  }

  @Test
  void columnsFollowUpdatesAndClears() {
    fill();
    Filter isTwo = Filter.must(Condition.match("a", 2L));
    columns.set(0, Map.of("a", 2L));
    columns.set(1, Map.of("a", 2L));
    columns.clear(1);
    payloads[0] = Map.of("a", 2L);
    payloads[1] = Map.of();
    assertThat(compiled(isTwo).test(0)).isTrue();
    assertThat(compiled(isTwo).test(1)).isFalse();
    assertThat(columns.heapBytes()).isGreaterThan(2L * N * 9);
  }

  @Test
  void estimatesBoundTheTrueCount() {
    fill();
    for (int t = 0; t < 60; t++) {
      Filter f = filter();
      IntPredicate p = compiled(f);
      long truth = 0;
      for (int i = 0; i < N; i++) {
        truth += p.test(i) ? 1 : 0;
      }
      FilterPlanner.Estimate e = FilterPlanner.estimate(f, p, columns, N, N, s -> true);
      assertThat(e.max()).as("%s matches %d", f, truth).isGreaterThanOrEqualTo(truth);
      assertThat(e.min()).isLessThanOrEqualTo(truth);
      assertThat(e.expected()).isBetween(e.min(), e.max());
    }
    // a counted index gives the upper bound exactly: 'a' holds 2 on some points, lists on others
    Filter two = Filter.must(Condition.match("a", 2L));
    long bound = columns.column("a").count(2L);
    FilterPlanner.Estimate e = FilterPlanner.estimate(two, compiled(two), columns, N, N, s -> true);
    assertThat(e.max()).isLessThanOrEqualTo(bound);
    Filter any = Filter.must(Condition.filter(Filter.must(Condition.matchAny("b", "x", "y"))));
    long anyBound = columns.column("b").count("x") + columns.column("b").count("y");
    assertThat(FilterPlanner.estimate(any, compiled(any), columns, N, N, s -> true).max())
        .isLessThanOrEqualTo(anyBound);
  }

  @Test
  void fewLivePointsAreCountedExactly() {
    fill();
    Filter f = Filter.must(Condition.match("a", 1L));
    IntPredicate p = compiled(f);
    IntPredicate live = s -> s < 500;
    long truth = 0;
    for (int i = 0; i < 500; i++) {
      truth += p.test(i) ? 1 : 0;
    }
    assertThat(FilterPlanner.estimate(f, p, columns, 500, N, live))
        .isEqualTo(new FilterPlanner.Estimate(truth, truth, truth));
    assertThat(FilterPlanner.estimate(f, p, columns, 2_000, N, s -> false).min()).isZero();
  }

  /**
   * Sampling stops once the interval decides the plan: a filter matching every point is sent to the
   * graph after 64 points, a filter matching none to the exact scan, with bounds that still hold;
   * the plan is the one the full sample gives.
   */
  @Test
  void anEstimateForAThresholdStopsOnceThePlanIsDecided() {
    fill();
    Filter all = Filter.should(Condition.isEmpty("nowhere"), Condition.isNull("nowhere"));
    Filter none = Filter.must(Condition.match("nowhere", "x"));
    long threshold = N / 4;
    int[] tested = new int[1];
    for (Filter f : List.of(all, none)) {
      IntPredicate p = compiled(f);
      IntPredicate counting =
          s -> {
            tested[0]++;
            return p.test(s);
          };
      tested[0] = 0;
      FilterPlanner.Estimate early =
          FilterPlanner.estimate(f, counting, columns, N, N, s -> true, threshold);
      int earlyTests = tested[0];
      tested[0] = 0;
      FilterPlanner.Estimate full = FilterPlanner.estimate(f, counting, columns, N, N, s -> true);
      assertThat(earlyTests).as("%s", f).isEqualTo(64).isLessThan(tested[0]);
      assertThat(FilterPlanner.plan(early, threshold))
          .isEqualTo(FilterPlanner.plan(full, threshold));
      long truth = f.equals(all) ? N : 0;
      assertThat(early.min()).isLessThanOrEqualTo(truth);
      assertThat(early.max()).isGreaterThanOrEqualTo(truth);
    }
  }

  @Test
  void thePlanFollowsTheThreshold() {
    assertThat(FilterPlanner.plan(new FilterPlanner.Estimate(0, 50, 99), 100))
        .isEqualTo(FilterPlanner.Plan.EXACT);
    assertThat(FilterPlanner.plan(new FilterPlanner.Estimate(100, 150, 200), 100))
        .isEqualTo(FilterPlanner.Plan.GRAPH);
    assertThat(FilterPlanner.plan(new FilterPlanner.Estimate(50, 120, 200), 100))
        .isEqualTo(FilterPlanner.Plan.GRAPH);
    assertThat(FilterPlanner.plan(new FilterPlanner.Estimate(50, 80, 200), 100))
        .isEqualTo(FilterPlanner.Plan.EXACT);
  }
}
