package dev.vectorcache.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

class JsonSyntaxTest {
  private static JsonSyntax.Problem problem(String json) {
    try {
      Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return JsonSyntax.of(e);
    }
    throw new AssertionError("valid JSON: " + json);
  }

  @Test
  void everyCommonMistakeGetsAPlainReason() {
    assertThat(problem("{\"a\":\"open").reason()).contains("a closing '\"' is missing");
    assertThat(problem("[1,2").reason()).contains("a closing ']' is missing");
    assertThat(problem("{\"a\" 1}").reason())
        .isEqualTo("found '1' where ':' was expected after the field name");
    assertThat(problem("{\"a\":1 \"b\":2}").reason())
        .isEqualTo("found '\"' where ',' or '}' was expected");
    assertThat(problem("[1 2]").reason()).isEqualTo("found '2' where ',' or ']' was expected");
    assertThat(problem("{\"a\":1]").describe())
        .isEqualTo(
            "column 7: found ']' where '}' was expected to close the object opened at column 1");
    assertThat(problem("}").reason()).isEqualTo("found '}' with nothing open to close");
    assertThat(problem("{\"a\":1} {\"b\":2}").reason()).startsWith("more text after the end");
    assertThat(problem("{\"a\":01}").reason()).startsWith("invalid number: leading zeroes");
    assertThat(problem("{\"a\":\"x\ty\"}").reason()).contains("control character (code 9)");
    assertThat(problem("{\"a\":NaN}").reason()).contains("JSON has no NaN");
    assertThat(problem("{\"a\":-}").reason()).isEqualTo("found '}' inside a number");
  }

  @Test
  void noJacksonInternalsInAnyReason() {
    for (String bad : new String[] {"{\"a\":[1,2}", "{", "{\"a\":tru}", "{\"a\":1} x", "{,}"}) {
      assertThat(problem(bad).reason())
          .as(bad)
          .doesNotContain("Source")
          .doesNotContain("REDACTED")
          .doesNotContain("Feature")
          .doesNotContain("(code ");
    }
  }

  @Test
  void optionValuesNameTheColumnToo() {
    assertThatThrownBy(() -> Json.parse("[1,0,", "--vector"))
        .hasMessageStartingWith("--vector: not valid JSON at column 6: the JSON ends inside an");
  }
}
