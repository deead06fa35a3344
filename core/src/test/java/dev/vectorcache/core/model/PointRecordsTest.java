package dev.vectorcache.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.InvalidMetadataException;
import dev.vectorcache.core.exception.InvalidVectorException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Point and request records")
class PointRecordsTest {
  private static final PointId ID = PointId.of(7);

  @Nested
  @DisplayName("ScoredPoint")
  class Scored {
    @Test
    @DisplayName("copies its vector in and out and compares it by value")
    void vectorByValue() {
      float[] v = {1, 2};
      ScoredPoint p = new ScoredPoint(ID, 0.5f, Map.of("a", 1), v);
      v[0] = 9;
      p.vector()[1] = 9;
      assertThat(p.vector()).containsExactly(1, 2);
      ScoredPoint same = new ScoredPoint(ID, 0.5f, Map.of("a", 1L), new float[] {1, 2});
      assertThat(p).isEqualTo(same).hasSameHashCodeAs(same);
      assertThat(p).isNotEqualTo(new ScoredPoint(ID, 0.6f, Map.of("a", 1L), new float[] {1, 2}));
      assertThat(p).isNotEqualTo(new ScoredPoint(ID, 0.5f, Map.of("a", 1L), new float[] {1, 3}));
      assertThat(p).isNotEqualTo(new ScoredPoint(ID, 0.5f, Map.of("a", 1L), null));
      assertThat(p).isNotEqualTo("not a point");
    }

    @Test
    @DisplayName("holds no vector unless asked, and an unmodifiable JSON payload")
    void payload() {
      ScoredPoint p = new ScoredPoint(ID, 1f, null, null);
      assertThat(p.vector()).isNull();
      assertThat(p.payload()).isEmpty();
      assertThat(p.toString()).isEqualTo("ScoredPoint[id=7, score=1.0, payload={}]");
      Map<String, Object> bad = new HashMap<>();
      bad.put("x", new Object());
      assertThatThrownBy(() -> new ScoredPoint(ID, 1f, bad, null))
          .isInstanceOf(InvalidMetadataException.class)
          .hasMessageContaining("payload.x");
      assertThatThrownBy(() -> new ScoredPoint(null, 1f, null, null)).hasMessage("id");
      assertThatThrownBy(() -> new ScoredPoint(ID, 1f, Map.of("a", 1), null).payload().clear())
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Nested
  @DisplayName("RetrievedPoint")
  class Retrieved {
    @Test
    @DisplayName("copies its vector in and out and compares it by value")
    void vectorByValue() {
      float[] v = {3, 4};
      RetrievedPoint p = new RetrievedPoint(ID, Map.of("k", "v"), v);
      v[0] = 0;
      p.vector()[0] = 0;
      assertThat(p.vector()).containsExactly(3, 4);
      RetrievedPoint same = new RetrievedPoint(ID, Map.of("k", "v"), new float[] {3, 4});
      assertThat(p).isEqualTo(same).hasSameHashCodeAs(same);
      assertThat(p).isNotEqualTo(new RetrievedPoint(ID, Map.of("k", "w"), new float[] {3, 4}));
      assertThat(p).isNotEqualTo(new RetrievedPoint(PointId.of(8), Map.of("k", "v"), null));
      assertThat(p.toString()).isEqualTo("RetrievedPoint[id=7, payload={k=v}, dimension=2]");
    }

    @Test
    @DisplayName("without a vector says nothing of a dimension")
    void noVector() {
      RetrievedPoint p = new RetrievedPoint(ID, null, null);
      assertThat(p.vector()).isNull();
      assertThat(p.payload()).isEmpty();
      assertThat(p.toString()).isEqualTo("RetrievedPoint[id=7, payload={}]");
      assertThatThrownBy(() -> new RetrievedPoint(null, null, null)).hasMessage("id");
    }
  }

  @Nested
  @DisplayName("ScrollRequest")
  class Scroll {
    @Test
    @DisplayName(
        "starts at the beginning with payload and no vectors, and changes one field at a time")
    void pages() {
      ScrollRequest first = ScrollRequest.firstPage(10);
      assertThat(first).isEqualTo(new ScrollRequest(null, 10, null, PayloadSelector.ALL, false));
      ScrollRequest next = first.withOffset(ID);
      assertThat(next.offset()).isEqualTo(ID);
      assertThat(next.limit()).isEqualTo(10);
      Filter f = Filter.must(Condition.match("k", "v"));
      ScrollRequest filtered = next.withFilter(f);
      assertThat(filtered.filter()).isEqualTo(f);
      assertThat(filtered.offset()).isEqualTo(ID);
      assertThat(new ScrollRequest(null, 1, null, null, true).withPayload())
          .isEqualTo(PayloadSelector.ALL);
    }

    @Test
    @DisplayName("refuses a limit below 1, naming it")
    void limit() {
      assertThatThrownBy(() -> ScrollRequest.firstPage(0))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo("limit");
                assertThat(e.expected()).isEqualTo("1 or more");
                assertThat(e.found()).isEqualTo("0");
              });
    }
  }

  @Nested
  @DisplayName("SearchRequest")
  class Search {
    @Test
    @DisplayName("builds with every setting and defaults to no payload, no vectors, default params")
    void builder() {
      SearchRequest plain = SearchRequest.builder(new float[] {1, 0}, 5).build();
      assertThat(plain.offset()).isZero();
      assertThat(plain.filter()).isNull();
      assertThat(plain.scoreThreshold()).isNull();
      assertThat(plain.params()).isEqualTo(SearchParams.DEFAULT);
      assertThat(plain.withPayload()).isEqualTo(PayloadSelector.NONE);
      assertThat(plain.withVectors()).isFalse();

      Filter f = Filter.must(Condition.match("k", 1L));
      SearchRequest full =
          SearchRequest.builder(new float[] {1, 0}, 5)
              .offset(2)
              .filter(f)
              .scoreThreshold(0.3f)
              .params(SearchParams.exactSearch())
              .withPayload(true)
              .withVectors(true)
              .build();
      assertThat(full.offset()).isEqualTo(2);
      assertThat(full.filter()).isEqualTo(f);
      assertThat(full.scoreThreshold()).isEqualTo(0.3f);
      assertThat(full.params()).isEqualTo(SearchParams.exactSearch());
      assertThat(full.withPayload()).isEqualTo(PayloadSelector.ALL);
      assertThat(full.withVectors()).isTrue();
      assertThat(
              SearchRequest.builder(new float[] {1}, 1)
                  .withPayload(PayloadSelector.include("a"))
                  .build()
                  .withPayload()
                  .include())
          .containsExactly("a");
      assertThat(new SearchRequest(new float[] {1}, 1, 0, null, null, null, null, false).params())
          .isEqualTo(SearchParams.DEFAULT);
    }

    @Test
    @DisplayName("copies the query and compares it by value")
    void byValue() {
      float[] q = {1, 2, 3};
      SearchRequest r = SearchRequest.builder(q, 3).build();
      q[0] = 0;
      r.vector()[1] = 0;
      assertThat(r.vector()).containsExactly(1, 2, 3);
      SearchRequest same = SearchRequest.builder(new float[] {1, 2, 3}, 3).build();
      assertThat(r).isEqualTo(same).hasSameHashCodeAs(same);
      assertThat(r).isNotEqualTo(SearchRequest.builder(new float[] {1, 2, 4}, 3).build());
      assertThat(r).isNotEqualTo(SearchRequest.builder(new float[] {1, 2, 3}, 4).build());
      assertThat(r)
          .isNotEqualTo(SearchRequest.builder(new float[] {1, 2, 3}, 3).withVectors(true).build());
      assertThat(r.toString())
          .startsWith("SearchRequest[dimension=3, limit=3, offset=0")
          .doesNotContain("1.0");
    }

    @Test
    @DisplayName(
        "refuses a missing or empty query, a bad limit, offset or threshold, naming the field")
    void invalid() {
      assertThatThrownBy(() -> SearchRequest.builder(new float[0], 1).build())
          .isInstanceOfSatisfying(
              InvalidVectorException.class, e -> assertThat(e.field()).isEqualTo("query"));
      assertThatThrownBy(() -> SearchRequest.builder(null, 1).build())
          .isInstanceOf(InvalidVectorException.class);
      assertThatThrownBy(() -> SearchRequest.builder(new float[] {1}, 0).build())
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("limit"));
      assertThatThrownBy(() -> SearchRequest.builder(new float[] {1}, 1).offset(-1).build())
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("offset"));
      assertThatThrownBy(
              () ->
                  SearchRequest.builder(new float[] {1}, 1)
                      .scoreThreshold(Float.POSITIVE_INFINITY)
                      .build())
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo("scoreThreshold");
                assertThat(e.found()).isEqualTo("Infinity");
              });
    }
  }
}
