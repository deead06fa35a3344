package dev.vectorcache.testkit;

import static dev.vectorcache.testkit.VectorStoreContract.id;
import static dev.vectorcache.testkit.VectorStoreContract.map;
import static dev.vectorcache.testkit.VectorStoreContract.point;
import static dev.vectorcache.testkit.VectorStoreContract.vec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.DimensionMismatchException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.InvalidVectorException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.port.BatchSearch;
import dev.vectorcache.core.port.VectorStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cases of {@link VectorStoreContract}'s {@code @Nested} group for {@link BatchSearch} (kept in
 * their own file so that the contract stays readable). A store that does not advertise {@link
 * Capability#BATCH_SEARCH} skips them; one that does must offer the extension from both forms and
 * answer each search of a batch exactly as {@code search} answers it, in order.
 */
abstract class VectorStoreBatchSearchCases {
  private BatchSearch batch;

  /** The store under test. */
  abstract VectorStore store();

  /** A new collection with a fresh name, deleted after the test. */
  abstract String newCollection(int dimension, Distance distance);

  /** A fresh collection name that is never created. */
  abstract String newName();

  @BeforeEach
  final void requireTheCapability() {
    VectorStore store = store();
    assumeTrue(
        store.isSupported(Capability.BATCH_SEARCH), store + " does not advertise BATCH_SEARCH");
    assertThat(store.async().isSupported(Capability.BATCH_SEARCH)).isTrue();
    assertThat(store.async().extension(BatchSearch.class)).isPresent();
    batch = store.extension(BatchSearch.class).orElseThrow();
  }

  private List<List<ScoredPoint>> search(String c, SearchRequest... requests) {
    return Futures.join(batch.searchBatch(c, List.of(requests)));
  }

  private static List<PointId> ids(List<ScoredPoint> hits) {
    List<PointId> out = new ArrayList<>();
    for (ScoredPoint p : hits) {
      out.add(p.id());
    }
    return out;
  }

  /** Five points scored 1..5 against [1,0] with DOT, "kind" a/b alternating. */
  private String fivePoints(Distance distance) {
    String c = newCollection(2, distance);
    store()
        .upsert(
            c,
            List.of(
                point(1, vec(1f, 0.5f), map("kind", "a", "n", 1L)),
                point(2, vec(2f, 0.1f), map("kind", "b", "n", 2L)),
                point(3, vec(3f, 0.9f), map("kind", "a", "n", 3L)),
                point(4, vec(4f, 0.2f), map("kind", "b", "n", 4L)),
                point(5, vec(5f, 0.3f), map("kind", "a", "n", 5L))));
    return c;
  }

  @DisplayName("Each search of a batch gets what the same search alone gets, in order")
  @Test
  void eachSearchGetsWhatTheSameSearchAloneGets() {
    for (Distance d : Distance.values()) {
      String c = fivePoints(d);
      List<SearchRequest> requests =
          List.of(
              SearchRequest.builder(vec(1f, 0f), 3).build(),
              SearchRequest.builder(vec(0.2f, 1f), 2).withPayload(true).withVectors(true).build(),
              SearchRequest.builder(vec(1f, 1f), 10)
                  .filter(Filter.must(Condition.match("kind", "a")))
                  .withPayload(PayloadSelector.include("n"))
                  .build(),
              SearchRequest.builder(vec(-1f, 0.5f), 2).offset(1).build());
      List<List<ScoredPoint>> expected = new ArrayList<>();
      for (SearchRequest r : requests) {
        expected.add(store().search(c, r));
      }
      assertThat(Futures.join(batch.searchBatch(c, requests))).as(d.name()).isEqualTo(expected);

      List<SearchRequest> reversed = new ArrayList<>(requests);
      Collections.reverse(reversed);
      List<List<ScoredPoint>> expectedReversed = new ArrayList<>(expected);
      Collections.reverse(expectedReversed);
      assertThat(Futures.join(batch.searchBatch(c, reversed)))
          .as(d.name() + ", reversed")
          .isEqualTo(expectedReversed);
    }
  }

  @DisplayName("Filters, thresholds, offsets and limits apply to their own search only")
  @Test
  void optionsApplyToTheirOwnSearchOnly() {
    String c = fivePoints(Distance.DOT);
    SearchRequest all = SearchRequest.builder(vec(1f, 0f), 10).build();
    SearchRequest onlyA =
        SearchRequest.builder(vec(1f, 0f), 10)
            .filter(Filter.must(Condition.match("kind", "a")))
            .build();
    SearchRequest above2 = SearchRequest.builder(vec(1f, 0f), 10).scoreThreshold(2f).build();
    SearchRequest page = SearchRequest.builder(vec(1f, 0f), 2).offset(1).build();
    SearchRequest none = SearchRequest.builder(vec(1f, 0f), 10).scoreThreshold(100f).build();

    List<List<ScoredPoint>> hits = search(c, all, onlyA, above2, page, none, all);

    assertThat(hits).hasSize(6);
    assertThat(ids(hits.get(0))).containsExactly(id(5), id(4), id(3), id(2), id(1));
    assertThat(ids(hits.get(1))).containsExactly(id(5), id(3), id(1));
    // strict: the point scored exactly 2 is left out
    assertThat(ids(hits.get(2))).containsExactly(id(5), id(4), id(3));
    assertThat(ids(hits.get(3))).containsExactly(id(4), id(3));
    assertThat(hits.get(4)).isEmpty();
    assertThat(hits.get(5)).isEqualTo(hits.get(0));
    assertThat(hits.get(0).get(0).payload()).isEmpty();
    assertThat(hits.get(0).get(0).vector()).isNull();
  }

  @DisplayName("Default read options give the same answers as no options")
  @Test
  void defaultReadOptionsGiveTheSameAnswers() {
    String c = fivePoints(Distance.EUCLID);
    List<SearchRequest> requests =
        List.of(
            SearchRequest.builder(vec(3f, 0f), 2).build(),
            SearchRequest.builder(vec(0f, 0f), 1).withPayload(true).build());
    assertThat(Futures.join(batch.searchBatch(c, requests, ReadOptions.DEFAULT)))
        .isEqualTo(Futures.join(batch.searchBatch(c, requests)));
  }

  @DisplayName("An empty batch is answered with no results")
  @Test
  void emptyBatchIsAnsweredWithNoResults() {
    String c = fivePoints(Distance.DOT);
    assertThat(Futures.join(batch.searchBatch(c, List.of()))).isEmpty();
  }

  @DisplayName("A batch on a missing collection fails, even an empty one")
  @Test
  void batchOnAMissingCollectionFails() {
    String m = newName();
    SearchRequest r = SearchRequest.builder(vec(1f, 0f), 1).build();
    assertThatThrownBy(() -> Futures.join(batch.searchBatch(m, List.of(r))))
        .isInstanceOf(CollectionNotFoundException.class);
    assertThatThrownBy(() -> Futures.join(batch.searchBatch(m, List.of())))
        .isInstanceOf(CollectionNotFoundException.class);
  }

  @DisplayName("A null search is refused at once, naming its index")
  @Test
  void nullSearchIsRefusedAtOnce() {
    String c = fivePoints(Distance.DOT);
    List<SearchRequest> withNull =
        Arrays.asList(SearchRequest.builder(vec(1f, 0f), 1).build(), null);
    // thrown by the call itself, not through the future
    assertThatThrownBy(() -> batch.searchBatch(c, withNull))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("requests[1]");
  }

  @DisplayName("A bad query anywhere in the batch fails the whole batch")
  @Test
  void badQueryAnywhereFailsTheWholeBatch() {
    String c = fivePoints(Distance.COSINE);
    SearchRequest good = SearchRequest.builder(vec(1f, 0f), 1).build();
    SearchRequest wrongDimension = SearchRequest.builder(vec(1f, 0f, 0f), 1).build();
    SearchRequest zero = SearchRequest.builder(vec(0f, 0f), 1).build();
    assertThatThrownBy(() -> Futures.join(batch.searchBatch(c, List.of(good, wrongDimension))))
        .isInstanceOfSatisfying(
            DimensionMismatchException.class,
            e -> {
              assertThat(e.expectedDimension()).isEqualTo(2);
              assertThat(e.actualDimension()).isEqualTo(3);
            });
    assertThatThrownBy(() -> Futures.join(batch.searchBatch(c, List.of(good, zero))))
        .isInstanceOf(InvalidVectorException.class);
  }
}
