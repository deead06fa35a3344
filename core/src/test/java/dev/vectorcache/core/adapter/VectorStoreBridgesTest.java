package dev.vectorcache.core.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.PointNotFoundException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.filter.Range;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.core.testing.FakeVectorStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Vector store bridges")
class VectorStoreBridgesTest {
  private static final String C = "c";
  private static final PointId ONE = PointId.of(1);
  private static final PointId TWO = PointId.of(2);
  private static final PointId THREE = PointId.of(3);

  private final FakeVectorStore fake = new FakeVectorStore().supports(Capability.MMAP_STORAGE);

  private static BackendUnavailableException down() {
    return new BackendUnavailableException("qdrant", "connection refused", null);
  }

  @Nested
  @DisplayName("BlockingVectorStore over a non-blocking store")
  class Blocking {
    private VectorStore store;

    @BeforeEach
    void setUp() {
      store = new BlockingVectorStore(new InlineAsyncVectorStore(fake));
      store.createCollection(C, CollectionConfig.builder(2, Distance.DOT).build());
      store.upsert(
          C,
          List.of(
              PointStruct.of(ONE, new float[] {1, 0}, Map.of("lang", "en", "n", 1)),
              PointStruct.of(TWO, new float[] {0, 1}, Map.of("lang", "fr", "n", 2)),
              PointStruct.of(THREE, new float[] {1, 1}, payloadWithNull())));
    }

    private Map<String, Object> payloadWithNull() {
      Map<String, Object> p = new HashMap<>();
      p.put("lang", null);
      p.put("tags", List.of());
      return p;
    }

    @Test
    @DisplayName("passes collection calls through and returns their results")
    void collections() {
      assertThat(store.collectionExists(C)).isTrue();
      assertThat(store.collectionExists("nope")).isFalse();
      assertThat(store.listCollections()).containsExactly(C);
      assertThat(store.collectionInfo(C).pointsCount()).isEqualTo(3);
      assertThat(store.collectionInfo(C).config().distance()).isEqualTo(Distance.DOT);
      store.createPayloadIndex(C, "lang", PayloadSchemaType.KEYWORD);
      assertThat(fake.indexes(C)).containsEntry("lang", PayloadSchemaType.KEYWORD);
      assertThat(store.deleteCollection(C)).isTrue();
      assertThat(store.deleteCollection(C)).isFalse();
    }

    @Test
    @DisplayName("passes point reads, searches, counts and scrolls through")
    void reads() {
      List<RetrievedPoint> got =
          store.retrieve(C, List.of(TWO, PointId.of(9), ONE), PayloadSelector.include("n"), true);
      assertThat(got).extracting(RetrievedPoint::id).containsExactly(TWO, ONE);
      assertThat(got.get(0).payload()).containsExactly(Map.entry("n", 2L));
      assertThat(got.get(0).vector()).containsExactly(0, 1);
      assertThat(
              store.search(
                  C, SearchRequest.builder(new float[] {1, 0}, 2).withPayload(true).build()))
          .extracting(p -> p.id())
          .containsExactly(ONE, THREE);
      assertThat(store.count(C, null)).isEqualTo(3);
      assertThat(store.count(C, Filter.should(Condition.match("lang", "en"), Condition.hasId(TWO))))
          .isEqualTo(2);
      assertThat(store.count(C, Filter.must(Condition.isNull("lang")))).isEqualTo(1);
      assertThat(store.count(C, Filter.must(Condition.isEmpty("tags")))).isEqualTo(3);
      assertThat(store.count(C, Filter.mustNot(Condition.range("n", Range.gte(2))))).isEqualTo(2);
      ScrollPage first = store.scroll(C, ScrollRequest.firstPage(2));
      assertThat(first.points()).extracting(RetrievedPoint::id).containsExactly(ONE, TWO);
      assertThat(first.nextOffset()).isEqualTo(THREE);
      ScrollPage last = store.scroll(C, ScrollRequest.firstPage(2).withOffset(THREE));
      assertThat(last.points()).extracting(RetrievedPoint::id).containsExactly(THREE);
      assertThat(last.nextOffset()).isNull();
      assertThat(store.ping().client()).isEqualTo("fake");
    }

    @Test
    @DisplayName("passes payload changes and deletes through")
    void writes() {
      store.setPayload(C, List.of(ONE), Map.of("extra", true));
      assertThat(payload(ONE)).containsEntry("extra", true).containsEntry("lang", "en");
      store.overwritePayload(C, List.of(ONE), Map.of("only", 1));
      assertThat(payload(ONE)).containsExactly(Map.entry("only", 1L));
      store.deletePayloadKeys(C, List.of(TWO), List.of("n"));
      assertThat(payload(TWO)).containsExactly(Map.entry("lang", "fr"));
      store.clearPayload(C, List.of(TWO));
      assertThat(payload(TWO)).isEmpty();
      store.delete(C, List.of(ONE));
      store.deleteByFilter(C, Filter.must(Condition.hasId(TWO)));
      assertThat(store.count(C, null)).isEqualTo(1);
    }

    private Map<String, Object> payload(PointId id) {
      return store.retrieve(C, List.of(id), PayloadSelector.ALL, false).get(0).payload();
    }

    @Test
    @DisplayName("throws the store's own exception, not a CompletionException")
    void failures() {
      BackendUnavailableException failure = down();
      fake.log().failNext("search", failure);
      SearchRequest q = SearchRequest.builder(new float[] {1, 0}, 1).build();
      assertThatThrownBy(() -> store.search(C, q)).isSameAs(failure);
      assertThatThrownBy(() -> store.count("missing", null))
          .isInstanceOf(CollectionNotFoundException.class)
          .hasMessageContaining("'missing'");
      assertThatThrownBy(() -> store.setPayload(C, List.of(PointId.of(42)), Map.of()))
          .isInstanceOf(PointNotFoundException.class)
          .hasMessageContaining("42");
    }

    @Test
    @DisplayName("forwards capabilities, unwrapping and closing to the wrapped store")
    void plumbing() {
      AsyncVectorStore inner = store.async();
      assertThat(inner).isInstanceOf(InlineAsyncVectorStore.class);
      assertThat(store.isSupported(Capability.MMAP_STORAGE)).isTrue();
      assertThat(store.isSupported(Capability.BINARY_QUANTIZATION)).isFalse();
      assertThat(store.unwrap(BlockingVectorStore.class)).isSameAs(store);
      assertThat(store.unwrap(FakeVectorStore.class)).isSameAs(fake);
      assertThatThrownBy(() -> store.unwrap(String.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot be unwrapped to java.lang.String");
      store.close();
      assertThat(fake.isClosed()).isTrue();
    }
  }

  @Nested
  @DisplayName("InlineAsyncVectorStore over an in-process store")
  class Inline {
    private AsyncVectorStore store;

    @BeforeEach
    void setUp() {
      store = new InlineAsyncVectorStore(fake);
      store.createCollection(C, CollectionConfig.builder(2, Distance.EUCLID).build()).join();
    }

    @Test
    @DisplayName("returns futures that are already complete with the store's results")
    void completed() {
      assertThat(store.upsert(C, List.of(PointStruct.of(1, new float[] {0, 0})))).isDone();
      assertThat(store.collectionExists(C)).isCompletedWithValue(true);
      assertThat(store.listCollections()).isCompletedWithValue(List.of(C));
      assertThat(store.collectionInfo(C).join().pointsCount()).isEqualTo(1);
      assertThat(store.retrieve(C, List.of(ONE), PayloadSelector.NONE, false).join())
          .containsExactly(new RetrievedPoint(ONE, Map.of(), null));
      assertThat(store.search(C, SearchRequest.builder(new float[] {3, 4}, 1).build()).join())
          .singleElement()
          .satisfies(p -> assertThat(p.score()).isEqualTo(5f));
      assertThat(store.count(C, null)).isCompletedWithValue(1L);
      assertThat(store.scroll(C, ScrollRequest.firstPage(10)).join().points()).hasSize(1);
      assertThat(store.setPayload(C, List.of(ONE), Map.of("a", 1))).isDone();
      assertThat(store.overwritePayload(C, List.of(ONE), Map.of("b", 2))).isDone();
      assertThat(store.deletePayloadKeys(C, List.of(ONE), List.of("b"))).isDone();
      assertThat(store.clearPayload(C, List.of(ONE))).isDone();
      assertThat(store.createPayloadIndex(C, "a", PayloadSchemaType.INTEGER)).isDone();
      assertThat(store.deleteByFilter(C, Filter.must(Condition.hasId(TWO)))).isDone();
      assertThat(store.delete(C, List.of(ONE))).isDone();
      assertThat(store.count(C, null)).isCompletedWithValue(0L);
      assertThat(store.ping().join().backend()).isEqualTo("memory");
      assertThat(store.deleteCollection(C)).isCompletedWithValue(true);
      assertThat(fake.log().calls()).contains("upsert", "search", "scroll", "deleteCollection");
    }

    @Test
    @DisplayName("turns a backend failure into a failed future but throws invalid input at once")
    void failures() {
      BackendUnavailableException failure = down();
      fake.log().failNext("count", failure);
      CompletableFuture<Long> f = store.count(C, null);
      assertThat(f).isCompletedExceptionally();
      assertThatThrownBy(f::join).hasCause(failure);
      InvalidInputException bad = new InvalidInputException("limit", "1 or more", 0);
      fake.log().failNext("scroll", bad);
      assertThatThrownBy(() -> store.scroll(C, ScrollRequest.firstPage(1))).isSameAs(bad);
    }

    @Test
    @DisplayName("forwards capabilities, unwrapping and closing to the wrapped store")
    void plumbing() {
      assertThat(store.blocking()).isSameAs(fake);
      assertThat(store.isSupported(Capability.MMAP_STORAGE)).isTrue();
      assertThat(store.unwrap(InlineAsyncVectorStore.class)).isSameAs(store);
      assertThat(store.unwrap(FakeVectorStore.class)).isSameAs(fake);
      store.close();
      assertThat(fake.isClosed()).isTrue();
    }
  }
}
