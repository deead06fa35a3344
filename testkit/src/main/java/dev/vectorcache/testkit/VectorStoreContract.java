package dev.vectorcache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.DimensionMismatchException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.InvalidVectorException;
import dev.vectorcache.core.exception.PointNotFoundException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.CollectionStatus;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.HnswConfig;
import dev.vectorcache.core.model.MemoryUsage;
import dev.vectorcache.core.model.OptimizersConfig;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.VectorStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every {@link VectorStore} must show, with Qdrant's semantics as the reference: the
 * in-memory engine, the Qdrant adapter against a real server and against the test server all run
 * this class and must give the same answers.
 *
 * <p>A backend adds one small subclass:
 *
 * <pre>{@code
 * class InMemoryVectorStoreContractTest extends VectorStoreContract {
 *   @Override
 *   protected VectorStore createStore() {
 *     return new InMemoryVectorStore();
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #createStore()} is called before each test and {@link #closeStore(VectorStore)} after
 * it. Each test works in collections with fresh random names and deletes them afterwards, so a
 * shared server can be reused. Differences between backends are read from {@link
 * VectorStore#isSupported(Capability)}; no assertion is loosened for a backend.
 *
 * <p>The tests are grouped by concern in {@code @Nested} inner classes (collections, upsert and
 * retrieve, payloads, search per distance, search options, filters, scroll, delete and count, bad
 * input, batch search, aliases, named and sparse vectors, the async form), each with a
 * {@code @DisplayName} that reads as a sentence. JUnit runs the inner classes of this abstract
 * class for every concrete subclass, so a backend still writes one small class.
 */
public abstract class VectorStoreContract {
  /** Tolerance for scores computed in {@code float}. */
  private static final float EPS = 1e-5f;

  private static final PointId U1 =
      PointId.of(UUID.fromString("11111111-1111-4111-8111-111111111111"));
  private static final PointId U2 =
      PointId.of(UUID.fromString("ffffffff-0000-4000-8000-000000000000"));

  private VectorStore store;
  private final List<String> collections = new ArrayList<>();

  /** Subclasses have a no-argument constructor, as JUnit requires. */
  protected VectorStoreContract() {}

  /** A store to test: new, or a handle to a shared backend. Called before each test. */
  protected abstract VectorStore createStore();

  /** Releases the store after each test; closes it by default. */
  protected void closeStore(VectorStore store) {
    store.close();
  }

  /** The store under test. */
  protected final VectorStore store() {
    return store;
  }

  @BeforeEach
  final void openStore() {
    store = createStore();
  }

  @AfterEach
  final void dropCollectionsAndClose() {
    try {
      for (String c : collections) {
        try {
          store.deleteCollection(c);
        } catch (RuntimeException e) {
          // best effort: a failed cleanup must not hide the test's own result
        }
      }
    } finally {
      closeStore(store);
    }
  }

  /** A fresh collection name, deleted after the test. */
  protected final String newName() {
    String name = "contract_" + UUID.randomUUID().toString().replace("-", "");
    collections.add(name);
    return name;
  }

  /** Creates a collection with a fresh name. */
  protected final String newCollection(CollectionConfig config) {
    String name = newName();
    store.createCollection(name, config);
    return name;
  }

  /** Creates a plain collection with a fresh name. */
  protected final String newCollection(int dimension, Distance distance) {
    return newCollection(CollectionConfig.builder(dimension, distance).build());
  }

  /** Whether the store declares the quantization capability {@code config} needs. */
  private boolean supports(CollectionConfig config) {
    QuantizationConfig q = config.quantization();
    if (q != null) {
      Capability needed =
          switch (q.type()) {
            case SCALAR_INT8 -> Capability.SCALAR_QUANTIZATION;
            case PRODUCT -> Capability.PRODUCT_QUANTIZATION;
            case BINARY -> Capability.BINARY_QUANTIZATION;
          };
      return store.isSupported(needed);
    }
    return true;
  }

  /** A point id from a number. */
  protected static PointId id(long n) {
    return PointId.of(n);
  }

  /** A vector from its components. */
  protected static float[] vec(float... components) {
    return components;
  }

  /** A point without payload. */
  protected static PointStruct point(long id, float... vector) {
    return new PointStruct(PointId.of(id), vector, Map.of());
  }

  /** A point with payload. */
  protected static PointStruct point(long id, float[] vector, Map<String, ?> payload) {
    return PointStruct.of(PointId.of(id), vector, payload);
  }

  /** A point with payload. */
  protected static PointStruct point(PointId id, float[] vector, Map<String, ?> payload) {
    return PointStruct.of(id, vector, payload);
  }

  /** An ordered map from alternating keys and values; values may be {@code null}. */
  protected static Map<String, Object> map(@Nullable Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static SearchRequest threshold(float[] query, float threshold) {
    return SearchRequest.builder(query, 10).scoreThreshold(threshold).build();
  }

  private static List<PointId> ids(List<?> points) {
    List<PointId> out = new ArrayList<>();
    for (Object p : points) {
      out.add(p instanceof ScoredPoint s ? s.id() : ((RetrievedPoint) p).id());
    }
    return out;
  }

  private Map<String, Object> payloadOf(String collection, long id) {
    return store.retrieve(collection, List.of(id(id)), PayloadSelector.ALL, false).get(0).payload();
  }

  @Nested
  @DisplayName("Collections are created once, listed, described exactly and deleted")
  class CollectionManagement {
    @DisplayName("Creating a collection twice fails")
    @Test
    void creatingACollectionTwiceFails() {
      String c = newCollection(2, Distance.DOT);
      assertThatThrownBy(
              () -> store.createCollection(c, CollectionConfig.builder(2, Distance.DOT).build()))
          .isInstanceOf(CollectionAlreadyExistsException.class);
      assertThat(store.collectionExists(c)).isTrue();
    }

    @DisplayName("Invalid collection names are rejected")
    @Test
    void invalidCollectionNamesAreRejected() {
      CollectionConfig cfg = CollectionConfig.builder(2, Distance.DOT).build();
      for (String bad : List.of("", "  ", "a/b", "a\\b", "nul\0here", "x".repeat(256))) {
        assertThatThrownBy(() -> store.createCollection(bad, cfg))
            .as("name %s", bad.length() > 20 ? bad.length() + " chars" : bad)
            .isInstanceOf(InvalidInputException.class);
      }
    }

    @DisplayName("Collections are listed and deleted")
    @Test
    void collectionsAreListedAndDeleted() {
      String c = newCollection(2, Distance.DOT);
      assertThat(store.listCollections()).contains(c);
      assertThat(store.collectionExists(c)).isTrue();
      assertThat(store.deleteCollection(c)).isTrue();
      assertThat(store.listCollections()).doesNotContain(c);
      assertThat(store.collectionExists(c)).isFalse();
    }

    static Stream<Arguments> configs() {
      OptimizersConfig optimizers = new OptimizersConfig(20_000L, 10_000L, 2);
      return Stream.of(
          Arguments.of(
              "memory-optimised: mmap, int8, on-disk payload and HNSW",
              CollectionConfig.memoryOptimized(4, Distance.COSINE).toBuilder()
                  .optimizers(optimizers)
                  .shardNumber(1)
                  .replicationFactor(1)
                  .writeConsistencyFactor(1)
                  .build()),
          Arguments.of(
              "on-disk with binary quantization",
              CollectionConfig.builder(8, Distance.EUCLID)
                  .storageMode(StorageMode.ON_DISK)
                  .quantization(QuantizationConfig.binary(false))
                  .hnsw(new HnswConfig(32, 128, 5_000, true, 2))
                  .optimizers(optimizers)
                  .shardNumber(1)
                  .replicationFactor(1)
                  .writeConsistencyFactor(1)
                  .build()),
          Arguments.of(
              "in memory with product quantization",
              CollectionConfig.builder(16, Distance.DOT)
                  .quantization(
                      QuantizationConfig.product(QuantizationConfig.Compression.X16, true))
                  .hnsw(new HnswConfig(8, 64, 10_000, false))
                  .optimizers(new OptimizersConfig(0L, 20_000L, 1))
                  .shardNumber(1)
                  .replicationFactor(1)
                  .writeConsistencyFactor(1)
                  .build()),
          Arguments.of(
              "in memory, int8 with quantile and codes on disk",
              CollectionConfig.builder(3, Distance.MANHATTAN)
                  .quantization(QuantizationConfig.scalarInt8(0.95f, false))
                  .optimizers(optimizers)
                  .shardNumber(1)
                  .replicationFactor(1)
                  .writeConsistencyFactor(1)
                  .build()));
    }

    @DisplayName("Collection info echoes the config exactly")
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void collectionInfoEchoesTheConfigExactly(String description, CollectionConfig config) {
      if (!supports(config)) {
        // a backend that cannot apply a setting refuses it instead of ignoring it
        String refused = newName();
        assertThatThrownBy(() -> store.createCollection(refused, config))
            .isInstanceOf(UnsupportedCapabilityException.class)
            .hasMessageContaining(
                Objects.requireNonNull(config.quantization(), "quantization").type().name());
        assertThat(store.collectionExists(refused)).isFalse();
        return;
      }
      String c = newCollection(config);
      CollectionInfo info = store.collectionInfo(c);
      assertThat(info.name()).isEqualTo(c);
      assertThat(info.config()).isEqualTo(config);
      assertThat(info.pointsCount()).isZero();
      assertThat(info.status()).isEqualTo(CollectionStatus.GREEN);
    }

    @DisplayName("Collection info counts points and reports memory where supported")
    @Test
    void collectionInfoCountsPointsAndReportsMemoryWhereSupported() {
      String c = newCollection(4, Distance.DOT);
      List<PointStruct> points = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        points.add(point(i, i, 1f, 2f, 3f));
      }
      store.upsert(c, points);
      CollectionInfo info = store.collectionInfo(c);
      assertThat(info.pointsCount()).isEqualTo(100);
      if (!store.isSupported(Capability.MEMORY_USAGE_REPORT)) {
        // a backend that declares it cannot measure memory says so instead of guessing
        assertThat(info.memory()).isEqualTo(MemoryUsage.UNKNOWN);
        return;
      }
      assertThat(info.memory().isKnown()).isTrue();
      assertThat(
              info.memory().heapBytes()
                  + info.memory().offHeapBytes()
                  + info.memory().mappedBytes())
          .as("at least the raw vectors: 100 x 4 floats")
          .isGreaterThanOrEqualTo(100L * 4 * Float.BYTES);
    }

    @DisplayName("Ping describes the backend")
    @Test
    void pingDescribesTheBackend() {
      BackendInfo info = store.ping();
      assertThat(info.backend()).isNotBlank();
      assertThat(info.client()).isNotBlank();
      assertThat(info.roundTrip()).isGreaterThanOrEqualTo(Duration.ZERO);
    }
  }

  @Nested
  @DisplayName("Upsert and retrieve store points and give them back as stored")
  class UpsertAndRetrieve {
    @DisplayName("Cosine vectors are returned normalised")
    @Test
    void cosineVectorsAreReturnedNormalised() {
      String c = newCollection(2, Distance.COSINE);
      store.upsert(c, List.of(point(1, 3f, 4f))); // |[3,4]| = 5 -> [0.6, 0.8]
      float[] v =
          Objects.requireNonNull(
              store.retrieve(c, List.of(id(1)), PayloadSelector.NONE, true).get(0).vector(),
              "vector");
      assertThat(v[0]).isCloseTo(0.6f, within(EPS));
      assertThat(v[1]).isCloseTo(0.8f, within(EPS));
      float[] s =
          Objects.requireNonNull(
              store
                  .search(c, SearchRequest.builder(vec(1f, 0f), 1).withVectors(true).build())
                  .get(0)
                  .vector(),
              "vector");
      assertThat(s[0]).isCloseTo(0.6f, within(EPS));
      assertThat(s[1]).isCloseTo(0.8f, within(EPS));
    }

    @DisplayName("Upsert replaces an existing point")
    @Test
    void upsertReplacesAnExistingPoint() {
      String c = newCollection(2, Distance.DOT);
      store.upsert(c, List.of(point(1, vec(1f, 0f), map("v", 1L))));
      store.upsert(c, List.of(point(1, vec(0f, 2f), map("v", 2L))));
      assertThat(store.count(c, null)).isEqualTo(1);
      RetrievedPoint p = store.retrieve(c, List.of(id(1)), PayloadSelector.ALL, true).get(0);
      assertThat(p.vector()).containsExactly(0f, 2f);
      assertThat(p.payload()).isEqualTo(map("v", 2L));
      assertThat(store.search(c, SearchRequest.builder(vec(0f, 1f), 10).build())).hasSize(1);
    }

    @DisplayName("Retrieve keeps the given order and skips missing ids")
    @Test
    void retrieveKeepsTheGivenOrderAndSkipsMissingIds() {
      String c = newCollection(2, Distance.DOT);
      store.upsert(c, List.of(point(1, 1f, 0f), point(2, 0f, 1f), point(3, 1f, 1f)));
      List<RetrievedPoint> got =
          store.retrieve(c, List.of(id(3), id(99), id(1)), PayloadSelector.ALL, false);
      assertThat(got).extracting(RetrievedPoint::id).containsExactly(id(3), id(1));
      assertThat(got).allSatisfy(p -> assertThat(p.vector()).isNull());
    }
  }

  @Nested
  @DisplayName("Payloads are updated, selected and typed as in Qdrant")
  class Payload {
    @DisplayName("Payload set merges, overwrite replaces, delete removes keys and clear empties")
    @Test
    void payloadSetMergesOverwriteReplacesDeleteKeysAndClear() {
      String c = newCollection(2, Distance.DOT);
      store.upsert(
          c,
          List.of(
              point(1, vec(1f, 0f), map("a", 1L, "b", "x")), point(2, vec(0f, 1f), map("a", 2L))));

      store.setPayload(c, List.of(id(1)), map("b", "y", "c", true));
      assertThat(payloadOf(c, 1)).isEqualTo(map("a", 1L, "b", "y", "c", true));
      assertThat(payloadOf(c, 2)).isEqualTo(map("a", 2L));

      store.deletePayloadKeys(c, List.of(id(1)), List.of("a", "missing"));
      assertThat(payloadOf(c, 1)).isEqualTo(map("b", "y", "c", true));

      store.overwritePayload(c, List.of(id(1), id(2)), map("z", 2.5));
      assertThat(payloadOf(c, 1)).isEqualTo(map("z", 2.5));
      assertThat(payloadOf(c, 2)).isEqualTo(map("z", 2.5));

      store.clearPayload(c, List.of(id(2)));
      assertThat(payloadOf(c, 2)).isEmpty();
      assertThat(payloadOf(c, 1)).isEqualTo(map("z", 2.5));
    }

    @DisplayName("A payload update of a missing point fails and changes nothing")
    @Test
    void payloadUpdateOfAMissingPointFailsAndChangesNothing() {
      String c = newCollection(2, Distance.DOT);
      store.upsert(c, List.of(point(1, vec(1f, 0f), map("a", 1L))));
      assertThatThrownBy(() -> store.setPayload(c, List.of(id(1), id(404)), map("a", 9L)))
          .isInstanceOf(PointNotFoundException.class);
      assertThat(payloadOf(c, 1)).isEqualTo(map("a", 1L));
      assertThatThrownBy(() -> store.overwritePayload(c, List.of(id(404)), map("a", 9L)))
          .isInstanceOf(PointNotFoundException.class);
      assertThatThrownBy(() -> store.clearPayload(c, List.of(id(404))))
          .isInstanceOf(PointNotFoundException.class);
      assertThat(store.count(c, null)).isEqualTo(1);
    }

    @DisplayName("The payload selector chooses what comes back")
    @Test
    void payloadSelectorChoosesWhatComesBack() {
      String c = newCollection(2, Distance.DOT);
      Map<String, Object> payload = map("a", 1L, "b", "two", "c", map("d", false));
      store.upsert(c, List.of(point(1, vec(1f, 0f), payload)));
      List<PointId> one = List.of(id(1));
      assertThat(store.retrieve(c, one, PayloadSelector.ALL, false).get(0).payload())
          .isEqualTo(payload);
      assertThat(store.retrieve(c, one, PayloadSelector.NONE, false).get(0).payload()).isEmpty();
      assertThat(store.retrieve(c, one, PayloadSelector.include("a", "c"), false).get(0).payload())
          .isEqualTo(map("a", 1L, "c", map("d", false)));
      // search returns no payload unless asked, like Qdrant
      assertThat(store.search(c, SearchRequest.builder(vec(1f, 0f), 1).build()).get(0).payload())
          .isEmpty();
      assertThat(
              store
                  .search(
                      c,
                      SearchRequest.builder(vec(1f, 0f), 1)
                          .withPayload(PayloadSelector.include("b"))
                          .build())
                  .get(0)
                  .payload())
          .isEqualTo(map("b", "two"));
      // and no vector unless asked
      assertThat(store.search(c, SearchRequest.builder(vec(1f, 0f), 1).build()).get(0).vector())
          .isNull();
    }

    @DisplayName("The payload keeps integers and floats apart")
    @Test
    void payloadKeepsIntegersAndFloatsApart() {
      String c = newCollection(2, Distance.DOT);
      Map<String, Object> payload =
          map("i", 2L, "f", 2.0, "list", List.of(1L, 1.5, "s", true), "nothing", null);
      store.upsert(c, List.of(point(1, vec(1f, 0f), payload)));
      Map<String, Object> back = payloadOf(c, 1);
      assertThat(back).isEqualTo(payload);
      assertThat(back.get("i")).isInstanceOf(Long.class);
      assertThat(back.get("f")).isInstanceOf(Double.class);
    }

    @DisplayName("Creating a payload index changes no result")
    @Test
    void createPayloadIndexChangesNoResult() {
      String c = newCollection(2, Distance.DOT);
      store.upsert(
          c,
          List.of(
              point(1, vec(1f, 0f), map("kind", "a")), point(2, vec(0f, 1f), map("kind", "b"))));
      Filter f = Filter.must(Condition.match("kind", "a"));
      long before = store.count(c, f);
      store.createPayloadIndex(c, "kind", PayloadSchemaType.KEYWORD);
      assertThat(store.count(c, f)).isEqualTo(before).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("Search scores each distance as Qdrant does")
  class SearchPerDistance {
    @DisplayName("Cosine scores are dot products of normalised vectors")
    @Test
    void cosineScoresAreDotProductsOfNormalisedVectors() {
      String c = newCollection(2, Distance.COSINE);
      store.upsert(
          c,
          List.of(
              point(1, 0.6f, 0.8f), // already unit length
              point(2, 0f, 5f), // normalised to [0, 1]
              point(3, -2f, 0f))); // normalised to [-1, 0]
      // the query [2, 0] is normalised to [1, 0] too
      List<ScoredPoint> hits = store.search(c, SearchRequest.builder(vec(2f, 0f), 10).build());
      assertThat(ids(hits)).containsExactly(id(1), id(2), id(3));
      assertThat(hits.get(0).score()).isCloseTo(0.6f, within(EPS)); // 1*0.6 + 0*0.8
      assertThat(hits.get(1).score()).isCloseTo(0.0f, within(EPS)); // 1*0 + 0*1
      assertThat(hits.get(2).score()).isCloseTo(-1.0f, within(EPS)); // 1*-1 + 0*0
    }

    @DisplayName("Dot scores are raw dot products")
    @Test
    void dotScoresAreRawDotProducts() {
      String c = newCollection(2, Distance.DOT);
      store.upsert(c, List.of(point(1, 1f, 2f), point(2, 3f, -1f), point(3, 0.5f, 0.5f)));
      List<ScoredPoint> hits =
          store.search(c, SearchRequest.builder(vec(2f, 1f), 10).withVectors(true).build());
      assertThat(ids(hits)).containsExactly(id(2), id(1), id(3));
      assertThat(hits.get(0).score()).isCloseTo(5f, within(EPS)); // 2*3 + 1*-1
      assertThat(hits.get(1).score()).isCloseTo(4f, within(EPS)); // 2*1 + 1*2
      assertThat(hits.get(2).score()).isCloseTo(1.5f, within(EPS)); // 2*0.5 + 1*0.5
      // Dot vectors are stored as given, not normalised
      assertThat(hits.get(0).vector()).containsExactly(3f, -1f);
    }

    @DisplayName("Euclid scores are L2 distances, smallest first")
    @Test
    void euclidScoresAreL2DistancesSmallestFirst() {
      String c = newCollection(2, Distance.EUCLID);
      store.upsert(c, List.of(point(1, 3f, 4f), point(2, 1f, 1f), point(3, 0f, 0f)));
      List<ScoredPoint> hits = store.search(c, SearchRequest.builder(vec(0f, 0f), 10).build());
      assertThat(ids(hits)).containsExactly(id(3), id(2), id(1));
      assertThat(hits.get(0).score()).isCloseTo(0f, within(EPS)); // sqrt(0)
      assertThat(hits.get(1).score()).isCloseTo((float) Math.sqrt(2), within(EPS)); // sqrt(1+1)
      assertThat(hits.get(2).score()).isCloseTo(5f, within(EPS)); // sqrt(9+16)
    }

    @DisplayName("Manhattan scores are L1 distances, smallest first")
    @Test
    void manhattanScoresAreL1DistancesSmallestFirst() {
      String c = newCollection(2, Distance.MANHATTAN);
      store.upsert(c, List.of(point(1, 3f, 4f), point(2, 1f, -1f), point(3, -0.5f, 0f)));
      List<ScoredPoint> hits = store.search(c, SearchRequest.builder(vec(0f, 0f), 10).build());
      assertThat(ids(hits)).containsExactly(id(3), id(2), id(1));
      assertThat(hits.get(0).score()).isCloseTo(0.5f, within(EPS)); // |-0.5| + |0|
      assertThat(hits.get(1).score()).isCloseTo(2f, within(EPS)); // |1| + |-1|
      assertThat(hits.get(2).score()).isCloseTo(7f, within(EPS)); // |3| + |4|
    }

    @DisplayName("A threshold is a strict minimum for similarities")
    @Test
    void thresholdIsStrictForSimilarities() {
      // Dot: [1,0]·[0.5,0] = 0.5 exactly, equal to the threshold, so excluded
      String dot = newCollection(2, Distance.DOT);
      store.upsert(dot, List.of(point(1, 0.5f, 0f), point(2, 0.25f, 0f), point(3, 1f, 0f)));
      assertThat(ids(store.search(dot, threshold(vec(1f, 0f), 0.5f)))).containsExactly(id(3));
      assertThat(ids(store.search(dot, threshold(vec(1f, 0f), 0.49f))))
          .containsExactly(id(3), id(1));

      // Cosine: [1,0]·[1,0] = 1 and [1,0]·[0,1] = 0 exactly
      String cos = newCollection(2, Distance.COSINE);
      store.upsert(cos, List.of(point(1, 1f, 0f), point(2, 0f, 1f)));
      assertThat(ids(store.search(cos, threshold(vec(1f, 0f), 0f)))).containsExactly(id(1));
      assertThat(store.search(cos, threshold(vec(1f, 0f), 1f))).isEmpty();
    }

    @DisplayName("A threshold is a strict maximum for distances")
    @Test
    void thresholdIsAStrictMaximumForDistances() {
      // Euclid from [0,0]: [3,4] is 5 exactly (the threshold, so excluded), [0,1] is 1, [6,8] is 10
      String eu = newCollection(2, Distance.EUCLID);
      store.upsert(eu, List.of(point(1, 3f, 4f), point(2, 0f, 1f), point(3, 6f, 8f)));
      assertThat(ids(store.search(eu, threshold(vec(0f, 0f), 5f)))).containsExactly(id(2));
      assertThat(ids(store.search(eu, threshold(vec(0f, 0f), 5.01f))))
          .containsExactly(id(2), id(1));

      // Manhattan from [0,0]: [1,2] is 3 exactly (excluded), [0,1] is 1
      String mh = newCollection(2, Distance.MANHATTAN);
      store.upsert(mh, List.of(point(1, 1f, 2f), point(2, 0f, 1f)));
      assertThat(ids(store.search(mh, threshold(vec(0f, 0f), 3f)))).containsExactly(id(2));
    }
  }

  @Nested
  @DisplayName("Search pages through hits and combines a filter with a threshold")
  class SearchOptions {
    @DisplayName("Offset and limit page through hits, best first")
    @Test
    void offsetAndLimitPageThroughHitsBestFirst() {
      String c = newCollection(2, Distance.DOT);
      // scores against [1,0] are 1..5
      store.upsert(
          c,
          List.of(
              point(1, 1f, 0f),
              point(2, 2f, 0f),
              point(3, 3f, 0f),
              point(4, 4f, 0f),
              point(5, 5f, 0f)));
      SearchRequest page = SearchRequest.builder(vec(1f, 0f), 2).offset(1).build();
      assertThat(ids(store.search(c, page))).containsExactly(id(4), id(3));
      SearchRequest past = SearchRequest.builder(vec(1f, 0f), 2).offset(5).build();
      assertThat(store.search(c, past)).isEmpty();
    }

    @DisplayName("Search combines a filter and a threshold")
    @Test
    void searchCombinesFilterAndThreshold() {
      String c = newCollection(2, Distance.DOT);
      store.upsert(
          c,
          List.of(
              point(1, vec(3f, 0f), map("kind", "a")),
              point(2, vec(2f, 0f), map("kind", "b")),
              point(3, vec(1f, 0f), map("kind", "a"))));
      SearchRequest r =
          SearchRequest.builder(vec(1f, 0f), 10)
              .filter(Filter.must(Condition.match("kind", "a")))
              .scoreThreshold(1.5f)
              .build();
      assertThat(ids(store.search(c, r))).containsExactly(id(1));
    }
  }

  @Nested
  @DisplayName("Filters follow Qdrant semantics in search and count")
  class Filters {

    @DisplayName("A filter selects the same points in search and count")
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vectorcache.testkit.VectorStoreFilterCases#cases")
    void filtersFollowQdrantSemantics(String rule, Filter filter, List<PointId> expected) {
      String c = newCollection(2, Distance.DOT);
      store.upsert(c, VectorStoreFilterCases.dataSet());
      List<ScoredPoint> hits =
          store.search(c, SearchRequest.builder(vec(1f, 0f), 100).filter(filter).build());
      assertThat(ids(hits)).as(rule).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(store.count(c, filter)).as(rule).isEqualTo(expected.size());
    }
  }

  @Nested
  @DisplayName("Scroll pages through every point in id order")
  class Scroll {
    @DisplayName("Scroll pages in id order, numeric ids before UUIDs")
    @Test
    void scrollPagesInIdOrderNumericBeforeUuids() {
      String c = newCollection(2, Distance.DOT);
      // inserted out of order; U1 < U2 by their bytes
      store.upsert(
          c,
          List.of(
              point(U2, vec(1f, 0f), map()),
              point(10, 1f, 0f),
              point(U1, vec(1f, 0f), map()),
              point(2, 1f, 0f),
              point(7, 1f, 0f)));
      ScrollPage p1 = store.scroll(c, ScrollRequest.firstPage(2));
      assertThat(ids(p1.points())).containsExactly(id(2), id(7));
      assertThat(p1.nextOffset()).isEqualTo(id(10)); // the id of the (limit+1)-th point
      ScrollPage p2 = store.scroll(c, ScrollRequest.firstPage(2).withOffset(p1.nextOffset()));
      assertThat(ids(p2.points())).containsExactly(id(10), U1);
      assertThat(p2.nextOffset()).isEqualTo(U2);
      ScrollPage p3 = store.scroll(c, ScrollRequest.firstPage(2).withOffset(p2.nextOffset()));
      assertThat(ids(p3.points())).containsExactly(U2);
      assertThat(p3.nextOffset()).isNull();

      ScrollPage all = store.scroll(c, ScrollRequest.firstPage(5));
      assertThat(ids(all.points())).containsExactly(id(2), id(7), id(10), U1, U2);
      assertThat(all.nextOffset()).isNull();
    }

    @DisplayName("Scroll applies the filter and the payload and vector selectors")
    @Test
    void scrollAppliesFilterPayloadAndVectors() {
      String c = newCollection(2, Distance.DOT);
      store.upsert(
          c,
          List.of(
              point(1, vec(1f, 0f), map("kind", "a", "n", 1L)),
              point(2, vec(0f, 1f), map("kind", "b", "n", 2L)),
              point(3, vec(1f, 1f), map("kind", "a", "n", 3L))));
      ScrollRequest r =
          new ScrollRequest(
              Filter.must(Condition.match("kind", "a")),
              1,
              null,
              PayloadSelector.include("n"),
              true);
      ScrollPage p1 = store.scroll(c, r);
      assertThat(ids(p1.points())).containsExactly(id(1));
      assertThat(p1.points().get(0).payload()).isEqualTo(map("n", 1L));
      assertThat(p1.points().get(0).vector()).containsExactly(1f, 0f);
      assertThat(p1.nextOffset()).isEqualTo(id(3)); // 2 is filtered out
      ScrollPage p2 = store.scroll(c, r.withOffset(p1.nextOffset()));
      assertThat(ids(p2.points())).containsExactly(id(3));
      assertThat(p2.nextOffset()).isNull();
    }
  }

  @Nested
  @DisplayName("Delete and count act on ids or on a filter")
  class DeleteAndCount {
    @DisplayName("Delete by ids ignores missing ids")
    @Test
    void deleteByIdsIgnoresMissingIds() {
      String c = newCollection(2, Distance.DOT);
      store.upsert(c, List.of(point(1, 1f, 0f), point(2, 0f, 1f), point(3, 1f, 1f)));
      store.delete(c, List.of(id(1), id(42)));
      assertThat(store.count(c, null)).isEqualTo(2);
      assertThat(store.retrieve(c, List.of(id(1)), PayloadSelector.NONE, false)).isEmpty();
    }

    @DisplayName("Delete by filter removes exactly what count with the same filter counts")
    @Test
    void deleteByFilterAndCountWithFilter() {
      String c = newCollection(2, Distance.DOT);
      store.upsert(
          c,
          List.of(
              point(1, vec(1f, 0f), map("kind", "a")),
              point(2, vec(0f, 1f), map("kind", "b")),
              point(U1, vec(1f, 1f), map("kind", "a"))));
      Filter kindA = Filter.must(Condition.match("kind", "a"));
      assertThat(store.count(c, kindA)).isEqualTo(2);
      assertThat(store.count(c, null)).isEqualTo(3);
      store.deleteByFilter(c, kindA);
      assertThat(store.count(c, null)).isEqualTo(1);
      assertThat(store.count(c, kindA)).isZero();
      assertThat(ids(store.scroll(c, ScrollRequest.firstPage(10)).points())).containsExactly(id(2));
    }
  }

  @Nested
  @DisplayName("Bad input is refused with a typed exception and writes nothing")
  class BadInput {
    @DisplayName("A vector of the wrong dimension is rejected and nothing is written")
    @Test
    void wrongDimensionIsRejectedAndNothingIsWritten() {
      String c = newCollection(3, Distance.DOT);
      List<PointStruct> batch = List.of(point(1, 1f, 2f, 3f), point(2, 1f, 2f));
      assertThatThrownBy(() -> store.upsert(c, batch))
          .isInstanceOfSatisfying(
              DimensionMismatchException.class,
              e -> {
                assertThat(e.expectedDimension()).isEqualTo(3);
                assertThat(e.actualDimension()).isEqualTo(2);
              });
      assertThat(store.count(c, null)).isZero();
      assertThatThrownBy(() -> store.search(c, SearchRequest.builder(vec(1f, 0f), 1).build()))
          .isInstanceOf(DimensionMismatchException.class);
    }

    @DisplayName("A zero vector is rejected for Cosine")
    @Test
    void zeroVectorIsRejectedForCosine() {
      String c = newCollection(2, Distance.COSINE);
      assertThatThrownBy(() -> store.upsert(c, List.of(point(1, 1f, 0f), point(2, 0f, 0f))))
          .isInstanceOf(InvalidVectorException.class);
      assertThat(store.count(c, null)).isZero();
      assertThatThrownBy(() -> store.search(c, SearchRequest.builder(vec(0f, 0f), 1).build()))
          .isInstanceOf(InvalidVectorException.class);
    }

    @DisplayName("Every points operation on a missing collection fails")
    @Test
    void everyPointsOperationOnAMissingCollectionFails() {
      String m = newName(); // never created
      List<Consumer<VectorStore>> ops =
          List.of(
              s -> s.collectionInfo(m),
              s -> s.upsert(m, List.of(point(1, 1f, 0f))),
              s -> s.retrieve(m, List.of(id(1)), PayloadSelector.ALL, false),
              s -> s.delete(m, List.of(id(1))),
              s -> s.deleteByFilter(m, Filter.must(Condition.hasId(id(1)))),
              s -> s.search(m, SearchRequest.builder(vec(1f, 0f), 1).build()),
              s -> s.count(m, null),
              s -> s.scroll(m, ScrollRequest.firstPage(1)),
              s -> s.setPayload(m, List.of(id(1)), map("a", 1L)),
              s -> s.overwritePayload(m, List.of(id(1)), map("a", 1L)),
              s -> s.deletePayloadKeys(m, List.of(id(1)), List.of("a")),
              s -> s.clearPayload(m, List.of(id(1))),
              s -> s.createPayloadIndex(m, "a", PayloadSchemaType.KEYWORD));
      for (Consumer<VectorStore> op : ops) {
        assertThatThrownBy(() -> op.accept(store)).isInstanceOf(CollectionNotFoundException.class);
      }
      assertThat(store.collectionExists(m)).isFalse();
      assertThat(store.deleteCollection(m)).isFalse();
    }
  }

  @Nested
  @DisplayName("Batch search: several searches in one request, each answered as alone, in order")
  class BatchSearchGroup extends VectorStoreBatchSearchCases {
    @Override
    VectorStore store() {
      return store;
    }

    @Override
    String newCollection(int dimension, Distance distance) {
      return VectorStoreContract.this.newCollection(dimension, distance);
    }

    @Override
    String newName() {
      return VectorStoreContract.this.newName();
    }
  }

  @Nested
  @DisplayName("Aliases: alternative names of collections, switched in one step")
  class Aliases extends VectorStoreAliasCases {
    @Override
    VectorStore store() {
      return store;
    }

    @Override
    String newName() {
      return VectorStoreContract.this.newName();
    }

    @Override
    String newCollection(CollectionConfig config) {
      return VectorStoreContract.this.newCollection(config);
    }
  }

  @Nested
  @DisplayName("Named and sparse vectors: each space searched on its own, hybrid queries fused")
  class MultiVectorsGroup extends VectorStoreMultiVectorCases {
    @Override
    VectorStore store() {
      return store;
    }

    @Override
    String newName() {
      return VectorStoreContract.this.newName();
    }

    @Override
    String newCollection(CollectionConfig config) {
      return VectorStoreContract.this.newCollection(config);
    }
  }

  @Nested
  @DisplayName("The asynchronous form gives the same answers")
  class AsyncForm {
    @DisplayName("The async form gives the same answers as the blocking one")
    @Test
    void asyncFormGivesTheSameAnswers() throws Exception {
      String c = newCollection(2, Distance.COSINE);
      AsyncVectorStore async = store.async();
      async
          .upsert(
              c,
              List.of(
                  point(1, vec(1f, 0f), map("k", "a")),
                  point(2, vec(1f, 1f), map("k", "b")),
                  point(3, vec(0f, 1f), map("k", "a"))))
          .get();
      SearchRequest r = SearchRequest.builder(vec(1f, 0.2f), 3).withPayload(true).build();
      assertThat(async.search(c, r).get()).isEqualTo(store.search(c, r));
      Filter f = Filter.must(Condition.match("k", "a"));
      assertThat(async.count(c, f).get()).isEqualTo(store.count(c, f)).isEqualTo(2L);
      assertThat(async.retrieve(c, List.of(id(3), id(1)), PayloadSelector.ALL, true).get())
          .isEqualTo(store.retrieve(c, List.of(id(3), id(1)), PayloadSelector.ALL, true));
      assertThat(async.scroll(c, ScrollRequest.firstPage(2)).get())
          .isEqualTo(store.scroll(c, ScrollRequest.firstPage(2)));
      assertThat(async.collectionExists(c).get()).isTrue();
      assertThat(async.blocking().collectionInfo(c).config())
          .isEqualTo(store.collectionInfo(c).config());

      // a backend failure completes the future exceptionally with the library's exception
      assertThat(async.count(newName(), null))
          .failsWithin(Duration.ofSeconds(30))
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(CollectionNotFoundException.class);
    }
  }
}
