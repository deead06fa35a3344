package dev.vectorcache.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.exception.InvalidInputException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;

/**
 * Every operator of Spring AI's {@link Filter.ExpressionType}, in both forms (an {@link
 * Filter.Expression} built with {@link FilterExpressionBuilder} and its text), searched on the
 * embedded store, and the refusals.
 */
class SpringAiFiltersTest {
  private static final FilterExpressionBuilder B = new FilterExpressionBuilder();
  private static VectorCache cache;
  private static VectorCacheVectorStore store;

  @BeforeAll
  static void open() {
    cache = Caches.embedded("filters");
    store = VectorCacheVectorStore.builder(cache, new HashingEmbeddingModel()).build();
    addDocuments(store);
  }

  @AfterAll
  static void close() {
    cache.close();
  }

  /** The four documents every case searches, added to {@code target}. */
  static void addDocuments(VectorCacheVectorStore target) {
    target.add(
        List.of(
            doc("a", Map.of("country", "BG", "year", 2020, "rating", 4.5, "active", true)),
            doc("b", Map.of("country", "NL", "year", 2023, "rating", 3.0, "active", false)),
            doc("c", Map.of("country", "US", "year", 2024)),
            doc("d", Map.of("country", "BG", "year", 2019L, "big", 9_007_199_254_740_993L))));
  }

  private static Document doc(String id, Map<String, Object> metadata) {
    return new Document(id, "document " + id, new LinkedHashMap<>(metadata));
  }

  /** Operator, the expression, the same in text, the ids it matches. */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            Filter.ExpressionType.EQ, B.eq("country", "BG").build(), "country == 'BG'", "a d"),
        Arguments.of(Filter.ExpressionType.EQ, B.eq("year", 2023).build(), "year == 2023", "b"),
        Arguments.of(Filter.ExpressionType.EQ, B.eq("year", 2019L).build(), "year == 2019", "d"),
        Arguments.of(Filter.ExpressionType.EQ, B.eq("rating", 4.5).build(), "rating == 4.5", "a"),
        Arguments.of(Filter.ExpressionType.EQ, B.eq("active", true).build(), "active == true", "a"),
        Arguments.of(
            Filter.ExpressionType.EQ,
            B.eq("big", 9_007_199_254_740_993L).build(),
            "big == 9007199254740993L",
            "d"),
        Arguments.of(
            Filter.ExpressionType.NE, B.ne("country", "BG").build(), "country != 'BG'", "b c"),
        Arguments.of(
            Filter.ExpressionType.NE, B.ne("active", true).build(), "active != true", "b c d"),
        Arguments.of(Filter.ExpressionType.GT, B.gt("year", 2020).build(), "year > 2020", "b c"),
        Arguments.of(
            Filter.ExpressionType.GTE, B.gte("year", 2020).build(), "year >= 2020", "a b c"),
        Arguments.of(Filter.ExpressionType.LT, B.lt("year", 2020).build(), "year < 2020", "d"),
        Arguments.of(Filter.ExpressionType.LTE, B.lte("rating", 3.0).build(), "rating <= 3.0", "b"),
        Arguments.of(
            Filter.ExpressionType.IN,
            B.in("country", "BG", "NL").build(),
            "country IN ['BG', 'NL']",
            "a b d"),
        Arguments.of(
            Filter.ExpressionType.IN,
            B.in("year", 2019, 2024).build(),
            "year IN [2019, 2024]",
            "c d"),
        Arguments.of(
            Filter.ExpressionType.IN,
            B.in("country", "US", 2020).build(),
            "country IN ['US', 2020]",
            "c"),
        Arguments.of(
            Filter.ExpressionType.NIN, B.nin("country", "BG").build(), "country NIN ['BG']", "b c"),
        Arguments.of(
            Filter.ExpressionType.NOT,
            B.not(B.eq("country", "BG")).build(),
            "NOT(country == 'BG')",
            "b c"),
        Arguments.of(
            Filter.ExpressionType.AND,
            B.and(B.eq("country", "BG"), B.gte("year", 2020)).build(),
            "country == 'BG' && year >= 2020",
            "a"),
        Arguments.of(
            Filter.ExpressionType.OR,
            B.or(B.eq("country", "US"), B.lt("year", 2020)).build(),
            "country == 'US' || year < 2020",
            "c d"),
        Arguments.of(
            Filter.ExpressionType.AND,
            B.and(B.group(B.or(B.eq("country", "BG"), B.eq("country", "NL"))), B.gt("year", 2020))
                .build(),
            "(country == 'BG' || country == 'NL') && year > 2020",
            "b"),
        Arguments.of(
            Filter.ExpressionType.ISNULL, B.isNull("rating").build(), "rating IS NULL", "c d"),
        Arguments.of(
            Filter.ExpressionType.ISNOTNULL,
            B.isNotNull("rating").build(),
            "rating IS NOT NULL",
            "a b"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("cases")
  void bothFormsMatchTheSameDocuments(
      Filter.ExpressionType type, Filter.Expression expression, String text, String expected) {
    List<String> want = List.of(expected.split(" "));
    assertThat(search(store, expression))
        .as("expression %s", expression)
        .containsExactlyInAnyOrderElementsOf(want);
    assertThat(search(store, text)).as("text %s", text).containsExactlyInAnyOrderElementsOf(want);
    assertThat(SpringAiFilters.toFilter(text)).isEqualTo(SpringAiFilters.toFilter(expression));
  }

  @Test
  void everyExpressionTypeHasACase() {
    Set<Filter.ExpressionType> covered = EnumSet.noneOf(Filter.ExpressionType.class);
    cases().forEach(a -> covered.add((Filter.ExpressionType) a.get()[0]));
    assertThat(covered).containsExactlyInAnyOrder(Filter.ExpressionType.values());
  }

  static List<String> search(VectorCacheVectorStore store, Object filter) {
    SearchRequest.Builder request = SearchRequest.builder().query("document").topK(10);
    if (filter instanceof String s) {
      request.filterExpression(s);
    } else {
      request.filterExpression((Filter.Expression) filter);
    }
    List<String> ids = new ArrayList<>();
    for (Document d : store.similaritySearch(request.build())) {
      ids.add(d.getId());
    }
    return ids;
  }

  @Test
  void aStringOrBooleanRangeIsRefusedNamingKeyAndOperator() {
    assertThatThrownBy(() -> SpringAiFilters.toFilter("country > 'BG'"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("GT")
        .hasMessageContaining("'country'");
    assertThatThrownBy(() -> SpringAiFilters.toFilter(B.lte("active", true).build()))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("LTE")
        .hasMessageContaining("'active'");
  }

  @Test
  void unsupportedValuesAreRefusedNamingKeyAndOperator() {
    assertThatThrownBy(() -> SpringAiFilters.toFilter(B.eq("when", Instant.EPOCH).build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("EQ")
        .hasMessageContaining("'when'")
        .hasMessageContaining("java.time.Instant");
    assertThatThrownBy(() -> SpringAiFilters.toFilter(B.gt("when", Instant.EPOCH).build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("GT");
    assertThatThrownBy(() -> SpringAiFilters.toFilter(B.in("year", List.of()).build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("IN")
        .hasMessageContaining("'year'");
    assertThatThrownBy(
            () ->
                SpringAiFilters.toFilter(
                    new Filter.Expression(
                        Filter.ExpressionType.IN, new Filter.Key("year"), new Filter.Value(2020))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("a non-empty list");
    assertThatThrownBy(
            () ->
                SpringAiFilters.toFilter(
                    new Filter.Expression(
                        Filter.ExpressionType.EQ, new Filter.Key("year"), new Filter.Value(null))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("EQ on 'year'");
    assertThatThrownBy(
            () ->
                SpringAiFilters.toFilter(
                    new Filter.Expression(
                        Filter.ExpressionType.EQ, new Filter.Value("x"), new Filter.Value("y"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("a metadata key on the left");
    assertThatThrownBy(
            () ->
                SpringAiFilters.toFilter(
                    new Filter.Expression(Filter.ExpressionType.AND, B.eq("a", 1).build(), null)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("right-hand operand");
  }

  @Test
  void reservedAndNestedKeysAreRefused() {
    for (String key : List.of("sai_content", "_vc_key", "distance")) {
      assertThatThrownBy(() -> SpringAiFilters.toFilter(B.eq(key, "x").build()))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining(key);
    }
    assertThatThrownBy(() -> SpringAiFilters.toFilter("meta.country == 'BG'"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("nested path");
    assertThatThrownBy(() -> SpringAiFilters.toFilter(B.eq("a[0]", 1).build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("nested path");
  }

  @Test
  void blankOrMalformedTextIsRefused() {
    assertThatThrownBy(() -> SpringAiFilters.toFilter(" "))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("filterExpression");
    assertThatThrownBy(() -> SpringAiFilters.toFilter("country = = 'BG'"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("country = = 'BG'");
    assertThatThrownBy(() -> SpringAiFilters.toFilter((Filter.Expression) null))
        .isInstanceOf(InvalidInputException.class);
  }
}
