package dev.vectorcache.langchain4j;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Condition.FieldCondition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Match;
import dev.vectorcache.core.filter.Range;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("LangChain4jFilters")
class LangChain4jFiltersTest {
  private static final UUID ID = UUID.fromString("8b0c8f44-9d2a-4c34-9a57-0c1f6e7d2b11");

  /** The one condition a mapped filter holds. */
  private static Condition only(dev.langchain4j.store.embedding.filter.Filter f) {
    Filter mapped = LangChain4jFilters.toFilter(f);
    assertThat(mapped.must()).hasSize(1);
    assertThat(mapped.should()).isEmpty();
    assertThat(mapped.mustNot()).isEmpty();
    return mapped.must().get(0);
  }

  private static FieldCondition field(String key, Match match) {
    return new FieldCondition(key, match, null);
  }

  private static FieldCondition range(String key, Range range) {
    return new FieldCondition(key, null, range);
  }

  private static Condition not(Condition c) {
    return new Condition.Sub(Filter.mustNot(c));
  }

  @Test
  @DisplayName("isEqualTo: a keyword for a String or a UUID, a range [v, v] for a number")
  void isEqualTo() {
    assertThat(only(metadataKey("k").isEqualTo("a"))).isEqualTo(field("k", new Match.Keyword("a")));
    assertThat(only(metadataKey("k").isEqualTo(ID)))
        .isEqualTo(field("k", new Match.Keyword(ID.toString())));
    assertThat(only(metadataKey("k").isEqualTo(1)))
        .isEqualTo(range("k", new Range(null, null, 1.0, 1.0)));
    assertThat(only(metadataKey("k").isEqualTo(-7L)))
        .isEqualTo(range("k", new Range(null, null, -7.0, -7.0)));
    double f = 1.23f;
    assertThat(only(metadataKey("k").isEqualTo(1.23f)))
        .isEqualTo(range("k", new Range(null, null, f, f)));
    assertThat(only(metadataKey("k").isEqualTo(1.23d)))
        .isEqualTo(range("k", new Range(null, null, 1.23, 1.23)));
  }

  @Test
  @DisplayName("isEqualTo: an integer beyond 2^53 is matched exactly, not as a double")
  void largeIntegers() {
    long big = 1746714878034235396L;
    assertThat(only(metadataKey("k").isEqualTo(big)))
        .isEqualTo(field("k", new Match.IntegerValue(big)));
    assertThat(only(metadataKey("k").isEqualTo(1L << 53)))
        .isEqualTo(field("k", new Match.IntegerValue(1L << 53)));
    long below = (1L << 53) - 1;
    assertThat(only(metadataKey("k").isEqualTo(below)))
        .isEqualTo(range("k", new Range(null, null, (double) below, (double) below)));
  }

  @Test
  @DisplayName("isNotEqualTo: the negation, so an entry without the key matches")
  void isNotEqualTo() {
    assertThat(only(metadataKey("k").isNotEqualTo("a")))
        .isEqualTo(not(field("k", new Match.Keyword("a"))));
    assertThat(only(metadataKey("k").isNotEqualTo(2)))
        .isEqualTo(not(range("k", new Range(null, null, 2.0, 2.0))));
  }

  @Test
  @DisplayName("the four ranges: numbers as doubles")
  void ranges() {
    assertThat(only(metadataKey("k").isGreaterThan(1))).isEqualTo(range("k", Range.gt(1)));
    assertThat(only(metadataKey("k").isGreaterThanOrEqualTo(2L)))
        .isEqualTo(range("k", Range.gte(2)));
    assertThat(only(metadataKey("k").isLessThan(1.5d))).isEqualTo(range("k", Range.lt(1.5)));
    double f = 0.1f;
    assertThat(only(metadataKey("k").isLessThanOrEqualTo(0.1f)))
        .isEqualTo(range("k", Range.lte(f)));
  }

  @Test
  @DisplayName("the four ranges: a String bound is refused, naming the key and the operator")
  void stringRangesAreRefused() {
    assertThatThrownBy(() -> LangChain4jFilters.toFilter(metadataKey("name").isGreaterThan("b")))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("isGreaterThan")
        .hasMessageContaining("'name'");
    assertThatThrownBy(
            () -> LangChain4jFilters.toFilter(metadataKey("name").isGreaterThanOrEqualTo("b")))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("isGreaterThanOrEqualTo");
    assertThatThrownBy(() -> LangChain4jFilters.toFilter(metadataKey("name").isLessThan("b")))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("isLessThan");
    assertThatThrownBy(
            () -> LangChain4jFilters.toFilter(metadataKey("name").isLessThanOrEqualTo("b")))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("isLessThanOrEqualTo");
  }

  @Test
  @DisplayName("isIn: any keyword; numbers each as isEqualTo; isNotIn: the negation")
  void isInAndIsNotIn() {
    assertThat(only(metadataKey("k").isIn("a", "b")))
        .isEqualTo(field("k", new Match.AnyKeywords(List.of("a", "b"))));
    assertThat(only(metadataKey("k").isIn(ID)))
        .isEqualTo(field("k", new Match.AnyKeywords(List.of(ID.toString()))));
    assertThat(only(metadataKey("k").isIn(1, 2)))
        .isEqualTo(
            new Condition.Sub(
                Filter.should(
                    range("k", new Range(null, null, 1.0, 1.0)),
                    range("k", new Range(null, null, 2.0, 2.0)))));
    assertThat(only(metadataKey("k").isNotIn("a")))
        .isEqualTo(not(field("k", new Match.AnyKeywords(List.of("a")))));
  }

  @Test
  @DisplayName("containsString: a case-sensitive substring match; an empty one is refused")
  void containsString() {
    assertThat(only(metadataKey("k").containsString("ab")))
        .isEqualTo(field("k", new Match.Text("ab")));
    assertThatThrownBy(() -> LangChain4jFilters.toFilter(new ContainsString("k", "")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("containsString");
  }

  @Test
  @DisplayName("and, or, not: both, either, the negation")
  void logical() {
    var a = metadataKey("a").isEqualTo("x");
    var b = metadataKey("b").isEqualTo("y");
    Condition ca = field("a", new Match.Keyword("x"));
    Condition cb = field("b", new Match.Keyword("y"));
    assertThat(only(a.and(b))).isEqualTo(new Condition.Sub(Filter.must(ca, cb)));
    assertThat(only(a.or(b))).isEqualTo(new Condition.Sub(Filter.should(ca, cb)));
    assertThat(only(dev.langchain4j.store.embedding.filter.Filter.not(a))).isEqualTo(not(ca));
  }

  @Test
  @DisplayName("refuses keys of the bridge or the cache, nested paths, and unknown filters")
  void refusals() {
    assertThatThrownBy(() -> LangChain4jFilters.toFilter(metadataKey("lc4j_text").isEqualTo("a")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("lc4j_");
    assertThatThrownBy(() -> LangChain4jFilters.toFilter(metadataKey("_vc_version").isEqualTo(1)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> LangChain4jFilters.toFilter(metadataKey("a.b").isEqualTo("x")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("nested path");
    assertThatThrownBy(() -> LangChain4jFilters.toFilter(metadataKey("a[0]").isEqualTo("x")))
        .isInstanceOf(InvalidInputException.class);
    dev.langchain4j.store.embedding.filter.Filter custom = object -> true;
    assertThatThrownBy(() -> LangChain4jFilters.toFilter(custom))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("has no equivalent");
  }
}
