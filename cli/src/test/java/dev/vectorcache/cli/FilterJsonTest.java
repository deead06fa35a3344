package dev.vectorcache.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Match;
import dev.vectorcache.core.filter.Range;
import org.junit.jupiter.api.Test;

class FilterJsonTest {
  @Test
  void qdrantRestShapes() {
    Filter f =
        FilterJson.parse(
            "{\"must\":[{\"key\":\"topic\",\"match\":{\"value\":\"astronomy\"}},"
                + "{\"key\":\"year\",\"range\":{\"gte\":2000,\"lt\":2030.5}}],"
                + "\"should\":{\"key\":\"n\",\"match\":{\"any\":[1,2]}},"
                + "\"must_not\":[{\"is_empty\":{\"key\":\"tags\"}},{\"is_null\":{\"key\":\"x\"}},"
                + "{\"has_id\":[1,\"6f1c2a8e-5b7d-4c3e-9a0f-2d4b8e6c1a93\"]},"
                + "{\"nested\":{\"key\":\"items\",\"filter\":{\"must\":[{\"key\":\"ok\",\"match\":true}]}}},"
                + "{\"should\":[{\"key\":\"s\",\"match\":{\"except\":[\"a\"]}}]}],"
                + "\"min_should\":{\"conditions\":[{\"key\":\"d\",\"match\":{\"text\":\"hi\"}}],\"min_count\":1}}");
    assertThat(f.must())
        .containsExactly(
            new Condition.FieldCondition("topic", new Match.Keyword("astronomy"), null),
            new Condition.FieldCondition("year", null, new Range(2030.5, null, 2000.0, null)));
    assertThat(f.should())
        .containsExactly(
            new Condition.FieldCondition(
                "n", new Match.AnyIntegers(java.util.List.of(1L, 2L)), null));
    assertThat(f.mustNot()).hasSize(5);
    assertThat(f.mustNot().get(0)).isEqualTo(new Condition.IsEmpty("tags"));
    assertThat(f.mustNot().get(2)).isInstanceOf(Condition.HasId.class);
    assertThat(f.mustNot().get(3)).isInstanceOf(Condition.Nested.class);
    assertThat(f.mustNot().get(4)).isInstanceOf(Condition.Sub.class);
    assertThat(f.minShould().minCount()).isEqualTo(1);
  }

  @Test
  void bareMatchValueIsShorthand() {
    assertThat(FilterJson.parse("{\"must\":[{\"key\":\"topic\",\"match\":\"travel\"}]}").must())
        .containsExactly(new Condition.FieldCondition("topic", new Match.Keyword("travel"), null));
    assertThat(FilterJson.parse("{\"must\":[{\"key\":\"n\",\"match\":3}]}").must())
        .containsExactly(new Condition.FieldCondition("n", new Match.IntegerValue(3), null));
  }

  @Test
  void errorsSayWhereAndWhat() {
    assertThatThrownBy(() -> FilterJson.parse("{\"musst\":[]}"))
        .hasMessageContaining(
            "invalid filter.musst: expected one of must, should, must_not, min_should");
    assertThatThrownBy(() -> FilterJson.parse("{\"must\":[{\"key\":\"x\",\"match\":1.5}]}"))
        .hasMessageContaining(
            "invalid filter.must[0].match: expected a string, an integer or a boolean");
    assertThatThrownBy(
            () -> FilterJson.parse("{\"must\":[{\"key\":\"x\",\"range\":{\"gt\":\"a\"}}]}"))
        .hasMessageContaining("filter.must[0].range.gt: expected a number");
    assertThatThrownBy(
            () -> FilterJson.parse("{\"must\":[{\"key\":\"x\",\"match\":{\"any\":[1,\"a\"]}}]}"))
        .hasMessageContaining("strings only or integers only");
    assertThatThrownBy(() -> FilterJson.parse("[1]")).hasMessageContaining("expected an object");
    assertThatThrownBy(() -> FilterJson.parse("{"))
        .hasMessageContaining("--filter: not valid JSON");
  }
}
