package dev.vectorcache.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.testkit.CallRecorder.FailureMode;
import dev.vectorcache.testkit.MutableClock;
import dev.vectorcache.testkit.RecordingMetadataStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("EmbeddingCache on the embedded metadata store")
class EmbeddingCacheTest {
  private static final int DIM = 8;
  private static final String MODEL = "test-model/v1";

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryMetadataStore store = new InMemoryMetadataStore(clock);
  private final Model model = new Model();
  private final List<EmbeddingCache> opened = new ArrayList<>();

  /** A deterministic stand-in model that records its calls. */
  static final class Model implements EmbeddingFunction {
    final List<List<String>> calls = new CopyOnWriteArrayList<>();
    volatile Function<List<String>, List<float[]>> output =
        texts -> texts.stream().map(Model::vectorOf).toList();

    @Override
    public List<float[]> embedAll(List<String> texts) {
      calls.add(List.copyOf(texts));
      return output.apply(texts);
    }

    static float[] vectorOf(String text) {
      SplittableRandom r = new SplittableRandom(text.hashCode());
      float[] v = new float[DIM];
      for (int i = 0; i < DIM; i++) {
        v[i] = (float) (r.nextDouble() * 2 - 1);
      }
      return v;
    }

    int textsEmbedded() {
      return calls.stream().mapToInt(List::size).sum();
    }
  }

  private EmbeddingCacheBuilder builder() {
    return EmbeddingCache.builder()
        .metadataStore(store)
        .embeddingFunction(model)
        .modelId(MODEL)
        .dimension(DIM)
        .clock(clock)
        .executor(Runnable::run)
        .ownsStore(false);
  }

  private EmbeddingCache open(EmbeddingCacheBuilder b) {
    EmbeddingCache c = b.build();
    opened.add(c);
    return c;
  }

  private EmbeddingCache open() {
    return open(builder());
  }

  @AfterEach
  void close() {
    opened.forEach(EmbeddingCache::close);
    store.close();
  }

  @Nested
  @DisplayName("lookups and embedding")
  class Lookups {
    @Test
    @DisplayName("a miss is embedded and stored; the same texts again are hits, with no call")
    void missThenHit() {
      EmbeddingCache cache = open();
      List<float[]> first = cache.embedAll(List.of("alpha", "beta"));
      assertThat(model.calls).containsExactly(List.of("alpha", "beta"));
      assertThat(first.get(0)).containsExactly(Model.vectorOf("alpha"));
      assertThat(first.get(1)).containsExactly(Model.vectorOf("beta"));

      List<float[]> second = cache.embedAll(List.of("beta", "alpha"));
      assertThat(model.calls).hasSize(1);
      assertThat(second.get(0)).containsExactly(Model.vectorOf("beta"));
      assertThat(second.get(1)).containsExactly(Model.vectorOf("alpha"));
      assertThat(cache.embed("alpha")).containsExactly(Model.vectorOf("alpha"));
      assertThat(cache.stats())
          .isEqualTo(new EmbeddingCacheStats(3, 2, 1, 2, 0, 0)); // hits, misses, calls, texts
    }

    @Test
    @DisplayName("one getAll per batch, one embedAll for its misses, one pipelined write")
    void oneRoundTripEach() {
      EmbeddingCache cache = open();
      cache.embed("cached");
      long getAlls = store.operationCount("getAll");
      long writes = store.operationCount("writeAll");
      model.calls.clear();

      cache.embedAll(List.of("a", "cached", "b", "c"));
      assertThat(store.operationCount("getAll")).isEqualTo(getAlls + 1);
      assertThat(store.operationCount("get")).isZero();
      assertThat(store.operationCount("writeAll")).isEqualTo(writes + 1);
      assertThat(store.operationCount("put")).isZero();
      assertThat(model.calls).containsExactly(List.of("a", "b", "c"));
    }

    @Test
    @DisplayName("duplicates are looked up and embedded once; results keep the input order")
    void duplicatesCollapsed() {
      EmbeddingCache cache = open();
      List<float[]> out = cache.embedAll(List.of("x", "y", "x", "z", "y", "x"));
      assertThat(model.calls).containsExactly(List.of("x", "y", "z"));
      String[] expected = {"x", "y", "x", "z", "y", "x"};
      for (int i = 0; i < expected.length; i++) {
        assertThat(out.get(i)).as("position %d", i).containsExactly(Model.vectorOf(expected[i]));
      }
      out.get(0)[0] = 42f; // each position is its own array
      assertThat(out.get(2)[0]).isNotEqualTo(42f);
      assertThat(cache.stats().misses()).isEqualTo(3);
    }

    @Test
    @DisplayName("an empty batch answers at once without touching the store or the model")
    void emptyBatch() {
      EmbeddingCache cache = open();
      assertThat(cache.embedAll(List.of())).isEmpty();
      assertThat(store.operationCount("getAll")).isZero();
      assertThat(model.calls).isEmpty();
    }

    @Test
    @DisplayName("texts are used exactly as given: case and whitespace make another key")
    void noNormalisation() {
      EmbeddingCache cache = open();
      cache.embedAll(List.of("Hello", "hello", "hello ", "hello"));
      assertThat(model.calls).containsExactly(List.of("Hello", "hello", "hello "));
      assertThat(cache.key("hello")).isNotEqualTo(cache.key("hello "));
    }

    @Test
    @DisplayName("the key is namespace:model:sha256, and another model id never shares it")
    void keyFormat() {
      EmbeddingCache cache = open(builder().namespace("app:emb"));
      assertThat(cache.key("text")).matches("app:emb:test-model_v1:[0-9a-f]{64}");
      EmbeddingCache other = open(builder().namespace("app:emb").modelId("test-model:v1"));
      assertThat(other.key("text")).startsWith("app:emb:test-model_v1:"); // same readable part
      assertThat(other.key("text")).isNotEqualTo(cache.key("text")); // but another hash
      // the lengths are hashed too: ("ab", "c") is not ("a", "bc")
      EmbeddingCache ab = open(builder().modelId("ab"));
      EmbeddingCache a = open(builder().modelId("a"));
      assertThat(ab.key("c").substring(ab.key("c").lastIndexOf(':')))
          .isNotEqualTo(a.key("bc").substring(a.key("bc").lastIndexOf(':')));
      assertThat(EmbeddingCacheKeys.safe("x".repeat(100))).hasSize(EmbeddingCacheKeys.MODEL_CHARS);
    }

    @Test
    @DisplayName("the async forms answer the same, and a hit and a miss return equal vectors")
    void asyncForms() {
      EmbeddingCache cache = open();
      float[] miss = cache.embedAsync("q").join();
      float[] hit = cache.embedAllAsync(List.of("q")).join().get(0);
      assertThat(hit).containsExactly(miss);
      assertThat(model.calls).hasSize(1);
    }

    @Test
    @DisplayName("invalidate removes a text's vector, so the next call embeds it again")
    void invalidate() {
      EmbeddingCache cache = open();
      cache.embed("stale");
      assertThat(cache.invalidate("stale")).isTrue();
      assertThat(cache.invalidateAsync("never cached").join()).isFalse();
      cache.embed("stale");
      assertThat(model.calls).hasSize(2);
    }
  }

  @Nested
  @DisplayName("single flight")
  class SingleFlight {
    @Test
    @DisplayName("32 threads asking for the same text share one lookup and one embedding call")
    void oneCallForConcurrentCallers() throws Exception {
      CountDownLatch release = new CountDownLatch(1);
      Function<List<String>, List<float[]>> plain = model.output;
      model.output =
          texts -> {
            awaitQuietly(release);
            return plain.apply(texts);
          };
      EmbeddingCache cache = open(builder().executor(ForkJoinPoolHolder.POOL));
      int threads = 32;
      ExecutorService callers = Executors.newFixedThreadPool(threads);
      try {
        List<Future<float[]>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          results.add(callers.submit(() -> cache.embed("popular")));
        }
        // every other caller has joined the leader's flight before the model answers
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.stats().singleFlightJoins() == 31);
        release.countDown();
        for (Future<float[]> f : results) {
          assertThat(f.get(10, TimeUnit.SECONDS)).containsExactly(Model.vectorOf("popular"));
        }
      } finally {
        callers.shutdownNow();
      }
      assertThat(model.calls).containsExactly(List.of("popular"));
      assertThat(store.operationCount("getAll")).isEqualTo(1);
      assertThat(cache.stats().misses()).isEqualTo(threads); // each caller's text was a miss
      assertThat(cache.embed("popular")).containsExactly(Model.vectorOf("popular"));
      assertThat(model.calls).hasSize(1); // the flight ended after the write: later calls hit
    }

    @Test
    @DisplayName("a batch joins only the texts in flight and resolves the others itself")
    void partialJoin() {
      CountDownLatch release = new CountDownLatch(1);
      Function<List<String>, List<float[]>> plain = model.output;
      model.output =
          texts -> {
            if (texts.contains("slow")) {
              awaitQuietly(release);
            }
            return plain.apply(texts);
          };
      EmbeddingCache cache = open(builder().executor(ForkJoinPoolHolder.POOL));
      CompletableFuture<float[]> slow = cache.embedAsync("slow");
      await().atMost(Duration.ofSeconds(10)).until(() -> model.calls.size() == 1);
      CompletableFuture<List<float[]>> batch = cache.embedAllAsync(List.of("slow", "fast"));
      await().atMost(Duration.ofSeconds(10)).until(() -> model.calls.size() == 2);
      assertThat(model.calls.get(1)).containsExactly("fast");
      assertThat(batch).isNotDone();
      release.countDown();
      assertThat(batch.join().get(0)).containsExactly(slow.join());
      assertThat(cache.stats().singleFlightJoins()).isEqualTo(1);
    }

    @Test
    @DisplayName("the default executor is the cache's own daemon pool, ended by close")
    void defaultExecutor() {
      EmbeddingCache cache =
          EmbeddingCache.builder()
              .metadataStore(store)
              .embeddingFunction(
                  texts -> {
                    assertThat(Thread.currentThread().getName())
                        .startsWith("vectorcache-embed-emb-");
                    assertThat(Thread.currentThread().isDaemon()).isTrue();
                    return model.embedAll(texts);
                  })
              .modelId(MODEL)
              .dimension(DIM)
              .ownsStore(false)
              .build();
      assertThat(cache.embed("t")).containsExactly(Model.vectorOf("t"));
      cache.close();
      assertThatThrownBy(() -> cache.embed("t")).isInstanceOf(IllegalStateException.class);
    }
  }

  /** A pool for the single-flight tests, whose threads outlive none of them (daemon). */
  static final class ForkJoinPoolHolder {
    static final ExecutorService POOL =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "test-embed");
              t.setDaemon(true);
              return t;
            });
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Nested
  @DisplayName("encodings")
  class Encodings {
    private float[] awkward() {
      return new float[] {
        -0.0f, Float.MIN_VALUE, 0x1.fffffep-3f, -0.33333334f, 1e-7f, 0.70710677f, -1f, 3.4e-5f
      };
    }

    @ParameterizedTest
    @EnumSource(VectorEncoding.class)
    @DisplayName("a new cache instance reads back what the first stored, equal to what it returned")
    void roundTripThroughTheStore(VectorEncoding encoding) {
      float[] original = awkward();
      model.output = texts -> texts.stream().map(t -> original.clone()).toList();
      float[] miss = open(builder().encoding(encoding)).embed("t");
      float[] hit = open(builder().encoding(encoding)).embed("t");
      assertThat(model.calls).hasSize(1);
      for (int i = 0; i < DIM; i++) {
        assertThat(Float.floatToRawIntBits(hit[i])).isEqualTo(Float.floatToRawIntBits(miss[i]));
        double error = Math.abs((double) hit[i] - original[i]);
        switch (encoding) {
          case FLOAT32 ->
              assertThat(Float.floatToRawIntBits(hit[i]))
                  .as("FLOAT32 is bit for bit, component %d", i)
                  .isEqualTo(Float.floatToRawIntBits(original[i]));
          case FLOAT16 ->
              assertThat(error)
                  .isLessThanOrEqualTo(Math.max(Math.abs(original[i]) * 0x1p-11, 0x1p-25));
          case INT8 -> assertThat(error).isLessThanOrEqualTo(1.0 / 254 + Math.ulp(1f));
        }
      }
    }

    @ParameterizedTest
    @EnumSource(VectorEncoding.class)
    @DisplayName("the stored value: encoding, dimension and the Base64 of bytes(d)")
    void storedForm(VectorEncoding encoding) {
      EmbeddingCache cache = open(builder().encoding(encoding));
      cache.embed("t");
      MetadataEntry e = store.get(cache.key("t")).orElseThrow();
      assertThat(e.version()).isEqualTo(1);
      assertThat(e.expiresAt()).isNull();
      assertThat(e.metadata())
          .containsEntry("encoding", encoding.name())
          .containsEntry("dimension", (long) DIM) // the metadata copy widens integers
          .containsOnlyKeys("encoding", "dimension", "vector");
      String base64 = (String) e.metadata().get("vector");
      assertThat(Base64.getDecoder().decode(base64)).hasSize(encoding.bytes(DIM));
      assertThat(base64).hasSize(4 * ((encoding.bytes(DIM) + 2) / 3));
    }

    @Test
    @DisplayName("an entry of another encoding or dimension is a miss, and is replaced")
    void otherEncodingIsAMiss() {
      EmbeddingCache half = open(builder().encoding(VectorEncoding.FLOAT16));
      half.embed("t");
      EmbeddingCache exact = open(builder());
      assertThat(exact.embed("t")).containsExactly(Model.vectorOf("t"));
      assertThat(model.calls).hasSize(2);
      assertThat(store.get(exact.key("t")).orElseThrow().metadata())
          .containsEntry("encoding", "FLOAT32");
    }

    @Test
    @DisplayName("a damaged entry is a miss: wrong length, bad Base64, non-finite, old format")
    void damagedEntriesAreMisses() {
      EmbeddingCache cache = open();
      String key = cache.key("t");
      List<MetadataEntry> damaged =
          List.of(
              new MetadataEntry(
                  key, Map.of("encoding", "FLOAT32", "dimension", DIM, "vector", "AAAA"), 1, null),
              new MetadataEntry(
                  key, Map.of("encoding", "FLOAT32", "dimension", DIM, "vector", "***"), 1, null),
              new MetadataEntry(key, nanEntry(), 1, null),
              new MetadataEntry(key, Map.of("encoding", "FLOAT32"), 1, null),
              new MetadataEntry(key, validEntry(), 2, null));
      for (MetadataEntry e : damaged) {
        store.put(e, null);
        assertThat(cache.embed("t")).containsExactly(Model.vectorOf("t"));
      }
      assertThat(model.calls).hasSize(damaged.size());
    }

    private Map<String, Object> nanEntry() {
      float[] v = new float[DIM];
      v[3] = Float.NaN;
      return Map.of(
          "encoding",
          "FLOAT32",
          "dimension",
          DIM,
          "vector",
          Base64.getEncoder().encodeToString(VectorEncoding.FLOAT32.encode(v)));
    }

    private Map<String, Object> validEntry() {
      return Map.of(
          "encoding",
          "FLOAT32",
          "dimension",
          DIM,
          "vector",
          Base64.getEncoder().encodeToString(VectorEncoding.FLOAT32.encode(new float[DIM])));
    }
  }

  @Nested
  @DisplayName("TTL")
  class Ttl {
    @Test
    @DisplayName("with a TTL the store expires the vector; the next call embeds it again")
    void ttlApplied() {
      EmbeddingCache cache = open(builder().ttl(Duration.ofMinutes(10)));
      cache.embed("t");
      String key = cache.key("t");
      assertThat(store.ttl(key)).contains(Duration.ofMinutes(10));
      assertThat(store.get(key).orElseThrow().expiresAt())
          .isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
      clock.advance(Duration.ofMinutes(9));
      cache.embed("t");
      assertThat(model.calls).hasSize(1);
      clock.advance(Duration.ofMinutes(1));
      cache.embed("t");
      assertThat(model.calls).hasSize(2);
    }

    @Test
    @DisplayName("without a TTL the vector never expires")
    void noTtl() {
      EmbeddingCache cache = open();
      cache.embed("t");
      assertThat(store.ttl(cache.key("t"))).contains(ChronoUnit.FOREVER.getDuration());
    }

    @Test
    @DisplayName("an entry past its expiresAt by the cache's clock is a miss, whatever the store")
    void expiredByTheCachesClock() {
      EmbeddingCache cache = open();
      String key = cache.key("t");
      MetadataEntry expired =
          new MetadataEntry(
              key,
              Map.of(
                  "encoding",
                  "FLOAT32",
                  "dimension",
                  DIM,
                  "vector",
                  Base64.getEncoder().encodeToString(new byte[4 * DIM])),
              1,
              clock.instant());
      store.put(expired, null);
      assertThat(cache.embed("t")).containsExactly(Model.vectorOf("t"));
    }
  }

  @Nested
  @DisplayName("bad input")
  class BadInput {
    @Test
    @DisplayName("a null list, a null, blank or cut text: refused naming texts[i], before any I/O")
    void badTexts() {
      EmbeddingCache cache = open();
      assertThatThrownBy(() -> cache.embedAll(null))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("texts"));
      assertThatThrownBy(() -> cache.embedAllAsync(Arrays.asList("ok", null)))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("texts[1]"));
      assertThatThrownBy(() -> cache.embedAll(List.of("ok", "fine", " \t")))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo("texts[2]");
                assertThat(e.expected()).isEqualTo("a non-blank text");
                assertThat(e.found()).contains("blank text of 2 characters");
              });
      assertThatThrownBy(() -> cache.embedAll(List.of("secret \uD83D")))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo("texts[0]");
                assertThat(e.getMessage()).doesNotContain("secret");
              });
      assertThatThrownBy(() -> cache.embed(""))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("text"));
      assertThatThrownBy(() -> cache.invalidate(null)).isInstanceOf(InvalidInputException.class);
      assertThat(store.operationCount("getAll")).isZero();
      assertThat(store.operationCount("delete")).isZero();
      assertThat(model.calls).isEmpty();
    }

    @Test
    @DisplayName("the builder refuses missing and bad settings, naming them")
    void builderRefusals() {
      assertThatThrownBy(() -> EmbeddingCache.builder().build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("metadataStore");
      assertThatThrownBy(() -> EmbeddingCache.builder().metadataStore(store).build())
          .hasMessageContaining("embeddingFunction");
      assertThatThrownBy(
              () -> EmbeddingCache.builder().metadataStore(store).embeddingFunction(model).build())
          .hasMessageContaining("modelId");
      assertThatThrownBy(
              () ->
                  EmbeddingCache.builder()
                      .metadataStore(store)
                      .embeddingFunction(model)
                      .modelId("m")
                      .build())
          .hasMessageContaining("dimension");
      assertField(() -> builder().dimension(0), "dimension");
      assertField(() -> builder().dimension(65_537), "dimension");
      assertField(() -> builder().namespace("has space"), "namespace");
      assertField(() -> builder().namespace(""), "namespace");
      assertField(() -> builder().ttl(Duration.ZERO), "ttl");
      assertField(() -> builder().ttl(Duration.ofNanos(999_999)), "ttl");
      assertField(() -> builder().modelId(" "), "modelId");
      assertField(() -> builder().modelId("m".repeat(257)), "modelId");
      assertField(() -> builder().modelId("m\uDC00"), "modelId");
    }

    private void assertField(Runnable call, String field) {
      assertThatThrownBy(call::run)
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
  }

  @Nested
  @DisplayName("embedding output that does not fit")
  class BadOutput {
    private void assertRefused(
        Function<List<String>, List<float[]>> output, String field, String expected) {
      model.output = output;
      EmbeddingCache cache = open();
      assertThatThrownBy(() -> cache.embedAll(List.of("a", "b")))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.field()).isEqualTo(field);
                assertThat(e.expected()).contains(expected);
              });
      assertThat(store.operationCount("writeAll")).isZero();
      assertThat(store.operationCount("put")).isZero();
      assertThat(store.get(cache.key("a"))).isEmpty();
      assertThat(cache.stats().textsEmbedded()).isZero();
      assertThat(cache.stats().embedCalls()).isEqualTo(1);
    }

    @Test
    @DisplayName("too few vectors")
    void count() {
      assertRefused(t -> List.of(new float[DIM]), "embedding", "2 vectors, one per text");
    }

    @Test
    @DisplayName("no list at all")
    void nullList() {
      assertRefused(t -> null, "embedding", "2 vectors");
    }

    @Test
    @DisplayName("a wrong dimension")
    void dimension() {
      assertRefused(
          t -> List.of(new float[DIM], new float[DIM + 1]), "embedding[1]", "dimension " + DIM);
    }

    @Test
    @DisplayName("a NaN or an infinite component")
    void notFinite() {
      float[] nan = new float[DIM];
      nan[5] = Float.NaN;
      assertRefused(t -> List.of(new float[DIM], nan), "embedding[1][5]", "a finite number");
      float[] inf = new float[DIM];
      inf[0] = Float.NEGATIVE_INFINITY;
      assertRefused(t -> List.of(inf, new float[DIM]), "embedding[0][0]", "a finite number");
    }

    @Test
    @DisplayName("a component FLOAT16 cannot hold")
    void float16Range() {
      float[] big = new float[DIM];
      big[2] = 70_000f;
      model.output = t -> List.of(big, new float[DIM]);
      EmbeddingCache cache = open(builder().encoding(VectorEncoding.FLOAT16));
      assertThatThrownBy(() -> cache.embedAll(List.of("a", "b")))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("embedding[0][2]"));
      assertThat(store.operationCount("writeAll")).isZero();
    }

    @Test
    @DisplayName("a failed embedding call fails the caller with its cause; the next call retries")
    void failedCall() {
      IllegalStateException boom = new IllegalStateException("model down");
      model.output =
          t -> {
            throw boom;
          };
      EmbeddingCache cache = open();
      assertThatThrownBy(() -> cache.embed("t")).isSameAs(boom);
      assertThat(cache.embedAsync("t"))
          .failsWithin(Duration.ofSeconds(5))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCause(boom);
      model.output = texts -> texts.stream().map(Model::vectorOf).toList();
      assertThat(cache.embed("t")).containsExactly(Model.vectorOf("t"));
      assertThat(cache.stats().embedCalls()).isEqualTo(3);
      assertThat(cache.stats().textsEmbedded()).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("metadata-store failures")
  class StoreFailures {
    private final RecordingMetadataStore recording = new RecordingMetadataStore(store);
    private final List<String> reported = new CopyOnWriteArrayList<>();

    private EmbeddingCache openRecording() {
      return open(
          builder()
              .metadataStore(recording)
              .listener(
                  new EmbeddingCacheListener() {
                    @Override
                    public void onStoreFailure(String operation) {
                      reported.add(operation);
                    }
                  }));
    }

    @Test
    @DisplayName("a failed read is a miss: the texts are embedded and still written")
    void failedReadIsAMiss() {
      EmbeddingCache cache = openRecording();
      cache.embed("t");
      recording
          .recorder()
          .failOn(
              "getAll", FailureMode.FAIL, () -> new BackendTimeoutException("redis", "t", null));
      assertThat(cache.embedAll(List.of("t", "u"))).hasSize(2);
      assertThat(model.calls).containsExactly(List.of("t"), List.of("t", "u"));
      assertThat(cache.stats().storeFailures()).isEqualTo(1);
      assertThat(reported).containsExactly("getAll");
      assertThat(store.get(cache.key("u"))).isPresent();
    }

    @Test
    @DisplayName("without batch writes the puts go out together; a failed one is dropped")
    void failedWriteIsDropped() {
      EmbeddingCache cache = openRecording();
      recording
          .recorder()
          .failOn("put", FailureMode.FAIL, () -> new BackendTimeoutException("redis", "t", null));
      List<float[]> out = cache.embedAll(List.of("a", "b", "c"));
      assertThat(out.get(2)).containsExactly(Model.vectorOf("c"));
      assertThat(recording.recorder().calls("put")).isEqualTo(3);
      assertThat(cache.stats().storeFailures()).isEqualTo(3);
      assertThat(reported).containsExactly("put", "put", "put");
      recording.recorder().clearFailures();
      cache.embedAll(List.of("a", "b", "c"));
      assertThat(model.calls).hasSize(2); // nothing was stored, so they were embedded again
      cache.embedAll(List.of("a", "b", "c"));
      assertThat(model.calls).hasSize(2);
    }

    @Test
    @DisplayName("a store that throws instead of failing its future is tolerated the same way")
    void throwingStore() {
      EmbeddingCache cache =
          open(
              builder()
                  .metadataStore(
                      new ForwardingMetadataStore(store.async()) {
                        @Override
                        public CompletableFuture<Map<String, MetadataEntry>> getAll(
                            java.util.Collection<String> keys) {
                          throw new BackendTimeoutException("redis", "thrown", null);
                        }
                      }));
      assertThat(cache.embed("t")).containsExactly(Model.vectorOf("t"));
      assertThat(cache.stats().storeFailures()).isEqualTo(1);
    }

    @Test
    @DisplayName("a failing invalidation is thrown, not swallowed")
    void failedInvalidation() {
      EmbeddingCache cache = openRecording();
      recording
          .recorder()
          .failOn(
              "delete", FailureMode.FAIL, () -> new BackendTimeoutException("redis", "t", null));
      assertThatThrownBy(() -> cache.invalidate("t")).isInstanceOf(BackendTimeoutException.class);
    }
  }

  @Nested
  @DisplayName("listeners and lifecycle")
  class Listeners {
    @Test
    @DisplayName("a listener hears each lookup and embedding call; one that throws is ignored")
    void events() {
      List<String> heard = new CopyOnWriteArrayList<>();
      EmbeddingCache cache =
          open(
              builder()
                  .listener(
                      new EmbeddingCacheListener() {
                        @Override
                        public void onLookup(int hits, int misses, long nanos) {
                          heard.add("lookup " + hits + "/" + misses);
                          assertThat(nanos).isNotNegative();
                        }

                        @Override
                        public void onEmbed(int texts, long nanos, boolean failed) {
                          heard.add("embed " + texts + (failed ? " failed" : ""));
                        }
                      })
                  .listener(
                      new EmbeddingCacheListener() {
                        @Override
                        public void onLookup(int hits, int misses, long nanos) {
                          throw new IllegalStateException("a broken listener");
                        }
                      }));
      cache.embedAll(List.of("a", "b"));
      cache.embedAll(List.of("a", "c", "a"));
      model.output = t -> List.of();
      assertThatThrownBy(() -> cache.embed("d")).isInstanceOf(InvalidInputException.class);
      assertThat(heard)
          .containsExactly(
              "embed 2", "lookup 0/2", "embed 1", "lookup 1/1", "embed 1 failed", "lookup 0/1");
    }

    @Test
    @DisplayName("close closes an owned store, leaves a shared one, and refuses later calls")
    void close() {
      InMemoryMetadataStore own = new InMemoryMetadataStore(clock);
      EmbeddingCache owning = builder().metadataStore(own).ownsStore(true).build();
      owning.embed("t");
      owning.close();
      owning.close(); // idempotent
      assertThatThrownBy(() -> own.get("x")).hasMessageContaining("closed");
      assertThatThrownBy(() -> owning.embedAll(List.of("t")))
          .isInstanceOf(IllegalStateException.class);

      EmbeddingCache sharing = open();
      sharing.close();
      assertThat(store.get("x")).isEqualTo(Optional.empty()); // still open
      assertThat(sharing.toString())
          .contains("modelId=" + MODEL, "dimension=" + DIM, "encoding=FLOAT32", "ttl=none");
      assertThat(sharing.modelId()).isEqualTo(MODEL);
      assertThat(sharing.dimension()).isEqualTo(DIM);
      assertThat(sharing.encoding()).isEqualTo(VectorEncoding.FLOAT32);
    }
  }
}
