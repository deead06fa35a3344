package dev.vectorcache.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.id.PointId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Filters")
class FilterTest {
  private static final Condition EN = Condition.match("lang", "en");
  private static final Condition RECENT = Condition.range("year", Range.gte(2020));

  @Nested
  @DisplayName("Filter")
  class Filters {
    @Test
    @DisplayName("puts the conditions of each factory in its own clause")
    void factories() {
      assertThat(Filter.must(EN, RECENT).must()).containsExactly(EN, RECENT);
      assertThat(Filter.should(EN).should()).containsExactly(EN);
      assertThat(Filter.mustNot(EN).mustNot()).containsExactly(EN);
      Filter f = Filter.should(EN);
      assertThat(f.must()).isEmpty();
      assertThat(f.mustNot()).isEmpty();
      assertThat(f.minShould()).isNull();
    }

    @Test
    @DisplayName("builds every clause, adding across calls")
    void builder() {
      Condition draft = Condition.match("draft", true);
      Filter f =
          Filter.builder()
              .must(EN)
              .must(RECENT)
              .should(draft)
              .mustNot(Condition.isNull("title"))
              .minShould(1, EN, draft)
              .build();
      assertThat(f.must()).containsExactly(EN, RECENT);
      assertThat(f.should()).containsExactly(draft);
      assertThat(f.mustNot()).containsExactly(Condition.isNull("title"));
      assertThat(f.minShould()).isEqualTo(new Filter.MinShould(List.of(EN, draft), 1));
      assertThat(f.isEmpty()).isFalse();
    }

    @Test
    @DisplayName("treats null clauses as empty and copies the lists it is given")
    void copies() {
      List<Condition> must = new ArrayList<>(List.of(EN));
      Filter f = new Filter(must, null, null, null);
      must.add(RECENT);
      assertThat(f.must()).containsExactly(EN);
      assertThat(f.should()).isEmpty();
      assertThatThrownBy(() -> f.must().add(RECENT))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    @DisplayName("is empty without conditions, an empty min_should included")
    void empty() {
      assertThat(Filter.builder().build().isEmpty()).isTrue();
      assertThat(Filter.builder().minShould(0).build().isEmpty()).isTrue();
      assertThat(Filter.builder().minShould(1, EN).build().isEmpty()).isFalse();
      assertThat(Filter.mustNot(EN).isEmpty()).isFalse();
      assertThat(Filter.should(EN).isEmpty()).isFalse();
    }

    @Test
    @DisplayName("and() returns a new filter with one more must condition")
    void and() {
      Filter base = Filter.builder().should(EN).mustNot(RECENT).minShould(1, EN).build();
      Filter more = base.and(RECENT);
      assertThat(more.must()).containsExactly(RECENT);
      assertThat(more.should()).isEqualTo(base.should());
      assertThat(more.mustNot()).isEqualTo(base.mustNot());
      assertThat(more.minShould()).isEqualTo(base.minShould());
      assertThat(base.must()).isEmpty();
      assertThatThrownBy(() -> base.and(null)).hasMessage("condition");
    }

    @Test
    @DisplayName("refuses a negative min_should count, naming the field")
    void negativeMinShould() {
      assertThatThrownBy(() -> Filter.builder().minShould(-1, EN))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo("filter.minShould.minCount");
                assertThat(e.found()).isEqualTo("-1");
              });
      assertThatThrownBy(() -> new Filter.MinShould(null, 1)).hasMessage("conditions");
    }
  }

  @Nested
  @DisplayName("Condition")
  class Conditions {
    @Test
    @DisplayName("factories make field conditions with the matching Match variant")
    void matches() {
      assertThat(Condition.match("k", "v"))
          .isEqualTo(new Condition.FieldCondition("k", new Match.Keyword("v"), null));
      assertThat(Condition.match("k", 3L))
          .isEqualTo(new Condition.FieldCondition("k", new Match.IntegerValue(3), null));
      assertThat(Condition.match("k", false))
          .isEqualTo(new Condition.FieldCondition("k", new Match.Bool(false), null));
      assertThat(match(Condition.matchAny("k", "a", "b")))
          .isEqualTo(new Match.AnyKeywords(List.of("a", "b")));
      assertThat(match(Condition.matchAnyIntegers("k", 1, 2)))
          .isEqualTo(new Match.AnyIntegers(List.of(1L, 2L)));
      assertThat(match(Condition.matchExcept("k", "a")))
          .isEqualTo(new Match.ExceptKeywords(List.of("a")));
      assertThat(match(Condition.matchExceptIntegers("k", 7)))
          .isEqualTo(new Match.ExceptIntegers(List.of(7L)));
      assertThat(match(Condition.matchText("k", "hello"))).isEqualTo(new Match.Text("hello"));
      Condition.FieldCondition r = (Condition.FieldCondition) Condition.range("k", Range.lt(2));
      assertThat(r.match()).isNull();
      assertThat(r.range()).isEqualTo(Range.lt(2));
    }

    @Test
    @DisplayName("numberEquals: a range over doubles, but an exact match beyond 2^53")
    void numberEquals() {
      Range one = new Range(null, null, 1.0, 1.0);
      assertThat(Condition.numberEquals("k", 1)).isEqualTo(Condition.range("k", one));
      assertThat(Condition.numberEquals("k", 1L)).isEqualTo(Condition.range("k", one));
      assertThat(Condition.numberEquals("k", (short) 1)).isEqualTo(Condition.range("k", one));
      assertThat(Condition.numberEquals("k", 1.0f)).isEqualTo(Condition.range("k", one));
      assertThat(Condition.numberEquals("k", -(1L << 53) + 1))
          .isEqualTo(Condition.range("k", new Range(null, null, -0x1p53 + 1, -0x1p53 + 1)));
      assertThat(Condition.numberEquals("k", 1L << 53)).isEqualTo(Condition.match("k", 1L << 53));
      assertThat(Condition.numberEquals("k", -(1L << 53)))
          .isEqualTo(Condition.match("k", -(1L << 53)));
      assertThat(Condition.numberEquals("k", 0x1p60))
          .isEqualTo(Condition.range("k", new Range(null, null, 0x1p60, 0x1p60)));
    }

    private Match match(Condition c) {
      return ((Condition.FieldCondition) c).match();
    }

    @Test
    @DisplayName("a field condition holds exactly one of match or range")
    void exactlyOne() {
      assertThatThrownBy(() -> new Condition.FieldCondition("k", null, null))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo("filter condition on 'k'");
                assertThat(e.expected()).isEqualTo("exactly one of match or range");
              });
      assertThatThrownBy(() -> new Condition.FieldCondition("k", new Match.Bool(true), Range.gt(1)))
          .hasMessageContaining("both or neither");
      assertThatThrownBy(() -> Condition.range("k", null)).hasMessage("range");
    }

    @Test
    @DisplayName("refuses a blank key in every keyed condition")
    void blankKeys() {
      for (Runnable bad :
          List.<Runnable>of(
              () -> Condition.match(" ", "v"),
              () -> Condition.isEmpty(""),
              () -> Condition.isNull(null),
              () -> Condition.nested(" ", Filter.must(EN)))) {
        assertThatThrownBy(bad::run)
            .isInstanceOfSatisfying(
                InvalidInputException.class,
                e -> {
                  assertThat(e.field()).isEqualTo("filter key");
                  assertThat(e.expected()).isEqualTo("a non-blank payload key path");
                });
      }
    }

    @Test
    @DisplayName("has_id copies its ids")
    void hasId() {
      PointId one = PointId.of(1);
      Set<PointId> ids = new HashSet<>(Set.of(one));
      Condition.HasId h = new Condition.HasId(ids);
      ids.add(PointId.of(2));
      assertThat(h.ids()).containsExactly(one);
      assertThat(Condition.hasId(one, PointId.of(2)))
          .isEqualTo(new Condition.HasId(Set.of(PointId.of(2), one)));
      assertThat(Condition.isEmpty("k")).isEqualTo(new Condition.IsEmpty("k"));
    }

    @Test
    @DisplayName("nested refuses a has_id anywhere inside, sub-filters and min_should included")
    void nested() {
      Condition id = Condition.hasId(PointId.of(1));
      Condition ok = Condition.nested("items", Filter.must(EN));
      assertThat(ok).isEqualTo(new Condition.Nested("items", Filter.must(EN)));
      for (Filter inner :
          List.of(
              Filter.must(id),
              Filter.should(Condition.filter(Filter.mustNot(id))),
              Filter.builder().minShould(1, id).build())) {
        assertThatThrownBy(() -> Condition.nested("items", inner))
            .isInstanceOfSatisfying(
                InvalidInputException.class,
                e -> {
                  assertThat(e.field()).isEqualTo("nested filter on 'items'");
                  assertThat(e.found()).isEqualTo("\"has_id\"");
                });
      }
      assertThatThrownBy(() -> Condition.nested("items", null)).hasMessage("filter");
      assertThatThrownBy(() -> Condition.filter(null)).hasMessage("filter");
      assertThat(Condition.filter(Filter.must(id))).isInstanceOf(Condition.Sub.class);
    }
  }

  @Nested
  @DisplayName("Match")
  class Matches {
    @Test
    @DisplayName("refuses a null keyword and an empty text, and copies its lists")
    void values() {
      assertThatThrownBy(() -> new Match.Keyword(null)).hasMessage("value");
      assertThatThrownBy(() -> new Match.Text(null)).hasMessage("text");
      assertThatThrownBy(() -> new Match.Text(""))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("match.text"));
      List<String> words = new ArrayList<>(List.of("a"));
      Match.AnyKeywords any = new Match.AnyKeywords(words);
      words.add("b");
      assertThat(any.values()).containsExactly("a");
    }
  }

  @Nested
  @DisplayName("Range")
  class Ranges {
    @Test
    @DisplayName("each bound is strict or inclusive as named")
    void bounds() {
      assertThat(Range.gt(1).test(1)).isFalse();
      assertThat(Range.gt(1).test(1.5)).isTrue();
      assertThat(Range.gte(1).test(1)).isTrue();
      assertThat(Range.gte(1).test(0.9)).isFalse();
      assertThat(Range.lt(1).test(1)).isFalse();
      assertThat(Range.lt(1).test(0)).isTrue();
      assertThat(Range.lte(1).test(1)).isTrue();
      assertThat(Range.lte(1).test(1.1)).isFalse();
    }

    @Test
    @DisplayName("between is inclusive at both ends, and every set bound must hold")
    void between() {
      Range r = Range.between(1, 3);
      assertThat(r).isEqualTo(new Range(null, null, 1.0, 3.0));
      assertThat(r.test(1)).isTrue();
      assertThat(r.test(3)).isTrue();
      assertThat(r.test(3.01)).isFalse();
      assertThat(r.test(0.99)).isFalse();
      assertThat(new Range(5.0, 1.0, null, null).test(3)).isTrue();
      assertThat(new Range(5.0, 1.0, null, null).test(6)).isFalse();
    }

    @Test
    @DisplayName("refuses no bound at all and NaN bounds, naming the bound")
    void invalid() {
      assertThatThrownBy(() -> new Range(null, null, null, null))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo("range");
                assertThat(e.expected()).isEqualTo("at least one of lt, gt, gte, lte");
              });
      assertThatThrownBy(() -> Range.gt(Double.NaN))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("range.gt"));
      assertThatThrownBy(() -> Range.lte(Double.NaN))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("range.lte"));
      assertThatThrownBy(() -> Range.lt(Double.NaN)).hasMessageContaining("range.lt");
      assertThatThrownBy(() -> Range.gte(Double.NaN)).hasMessageContaining("range.gte");
    }
  }
}
