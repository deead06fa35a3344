package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InMemoryVectorStoreTest {
  private final InMemoryVectorStore store = new InMemoryVectorStore();

  private static PointStruct point(PointId id, float... v) {
    return new PointStruct(id, v, Map.of());
  }

  @Test
  void scrollVisitsEveryPointOnceInIdOrderAcrossManyPages() {
    store.createCollection("c", CollectionConfig.builder(2, Distance.DOT).build());
    Random rnd = new Random(42);
    List<PointId> ids = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      ids.add(PointId.of(rnd.nextInt(1_000_000)));
      ids.add(PointId.of(new UUID(rnd.nextLong(), rnd.nextLong())));
    }
    ids.add(PointId.of(-1L)); // 2^64-1: the largest number, still before every UUID
    List<PointStruct> points = new ArrayList<>();
    for (PointId id : ids) {
      points.add(point(id, 1f, 0f));
    }
    store.upsert("c", points);
    List<PointId> expected = ids.stream().distinct().sorted().toList();

    List<PointId> seen = new ArrayList<>();
    ScrollRequest req = ScrollRequest.firstPage(7);
    int pages = 0;
    while (true) {
      ScrollPage page = store.scroll("c", req);
      page.points().forEach(p -> seen.add(p.id()));
      pages++;
      if (page.nextOffset() == null) {
        break;
      }
      assertThat(page.points()).hasSize(7);
      req = req.withOffset(page.nextOffset());
    }
    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(pages).isEqualTo((expected.size() + 6) / 7);
    int firstUuid = seen.indexOf(seen.stream().filter(PointId::isUuid).findFirst().orElseThrow());
    assertThat(seen.get(firstUuid - 1)).isEqualTo(PointId.of(-1L));
  }

  @Test
  void cosineNormalisesOnInsertAndQuery() {
    store.createCollection("c", CollectionConfig.builder(3, Distance.COSINE).build());
    store.upsert("c", List.of(point(PointId.of(1), 0f, 3f, 4f)));
    RetrievedPoint p =
        store.retrieve("c", List.of(PointId.of(1)), PayloadSelector.NONE, true).get(0);
    assertThat(p.vector()).containsExactly(new float[] {0f, 0.6f, 0.8f}, within(1e-6f));
    // an unnormalised query scores the same as its unit vector
    float a =
        store
            .search("c", SearchRequest.builder(new float[] {0f, 10f, 0f}, 1).build())
            .get(0)
            .score();
    float b =
        store
            .search("c", SearchRequest.builder(new float[] {0f, 1f, 0f}, 1).build())
            .get(0)
            .score();
    assertThat(a).isCloseTo(0.6f, within(1e-6f)).isEqualTo(b);
  }

  @Test
  void topKMatchesAFullSortOnRandomData() {
    int seed = 0; // one seed per distance, in declaration order
    for (Distance d : Distance.values()) {
      String c = "c-" + d;
      store.createCollection(c, CollectionConfig.builder(8, d).build());
      Random rnd = new Random(seed++);
      List<PointStruct> points = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        float[] v = new float[8];
        for (int j = 0; j < 8; j++) {
          v[j] = (float) rnd.nextGaussian();
        }
        points.add(point(PointId.of(i), v));
      }
      store.upsert(c, points);
      float[] q = new float[8];
      for (int j = 0; j < 8; j++) {
        q[j] = (float) rnd.nextGaussian();
      }
      List<ScoredPoint> all = store.search(c, SearchRequest.builder(q, 500).build());
      assertThat(all).hasSize(500);
      Comparator<ScoredPoint> bestFirst =
          (x, y) ->
              d.compareBestFirst(x.score(), y.score()) != 0
                  ? d.compareBestFirst(x.score(), y.score())
                  : x.id().compareTo(y.id());
      assertThat(all).isSortedAccordingTo(bestFirst);
      List<ScoredPoint> top = store.search(c, SearchRequest.builder(q, 10).offset(5).build());
      assertThat(top).containsExactlyElementsOf(all.subList(5, 15));
    }
  }

  @Test
  void deletedSlotsAreReusedAndSearchesStayCorrect() {
    store.createCollection("c", CollectionConfig.builder(2, Distance.EUCLID).build());
    for (int round = 0; round < 20; round++) {
      List<PointStruct> batch = new ArrayList<>();
      List<PointId> ids = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        PointId id = PointId.of(round * 1000L + i);
        ids.add(id);
        batch.add(point(id, i, round));
      }
      store.upsert("c", batch);
      if (round < 19) {
        store.delete("c", ids);
      }
    }
    long afterChurn = store.collectionInfo("c").memory().heapBytes();
    assertThat(store.count("c", null)).isEqualTo(50);
    List<ScoredPoint> hit =
        store.search("c", SearchRequest.builder(new float[] {3f, 19f}, 1).build());
    assertThat(hit.get(0).id()).isEqualTo(PointId.of(19_003));
    assertThat(hit.get(0).score()).isZero();

    // without slot reuse the churn would have left 1000 slots behind; with it, the footprint stays
    // close to that of a collection that only ever held the same 50 points
    store.createCollection("d", CollectionConfig.builder(2, Distance.EUCLID).build());
    List<PointStruct> batch = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      batch.add(point(PointId.of(i), i, 0f));
    }
    store.upsert("d", batch);
    assertThat(afterChurn).isLessThan(2 * store.collectionInfo("d").memory().heapBytes());
  }

  @Test
  void capabilitiesAreDeclaredHonestly() {
    assertThat(store.isSupported(Capability.MEMORY_USAGE_REPORT)).isTrue();
    assertThat(store.isSupported(Capability.SCALAR_QUANTIZATION)).isTrue();
    assertThat(store.isSupported(Capability.BINARY_QUANTIZATION)).isTrue();
    assertThat(store.isSupported(Capability.PRODUCT_QUANTIZATION)).isTrue();
    assertThat(store.isSupported(Capability.MMAP_STORAGE)).isTrue();
    assertThat(store.isSupported(Capability.FULL_TEXT_INDEX)).isFalse();
    assertThat(store.async().isSupported(Capability.MEMORY_USAGE_REPORT)).isTrue();
    assertThat(store.async().blocking()).isSameAs(store);
    assertThat(store.unwrap(InMemoryVectorStore.class)).isSameAs(store);
  }

  @Test
  void payloadIndexesAreRecorded() {
    store.createCollection("c", CollectionConfig.builder(2, Distance.DOT).build());
    store.createPayloadIndex("c", "city", PayloadSchemaType.KEYWORD);
    assertThat(store.payloadIndexes("c")).containsEntry("city", PayloadSchemaType.KEYWORD);
  }

  @Test
  void pingReportsTheEmbeddedEngine() {
    var info = store.ping();
    assertThat(info.backend()).isEqualTo("memory");
    assertThat(info.client()).isEqualTo("in-memory");
    assertThat(info.serverVersion()).isEqualTo("embedded");
  }

  @Test
  void namesAreValidatedBeforeLookup() {
    assertThatThrownBy(() -> store.count("a:b", null)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> store.collectionExists(null))
        .isInstanceOf(InvalidInputException.class);
    assertThat(store.collectionExists("x".repeat(255))).isFalse();
  }

  @Test
  void aClosedPrivateStoreFailsAndForgetsItsData() {
    store.createCollection("c", CollectionConfig.builder(2, Distance.DOT).build());
    store.close();
    assertThatThrownBy(() -> store.listCollections())
        .isInstanceOf(BackendUnavailableException.class);
  }
}
