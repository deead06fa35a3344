package dev.vectorcache.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.DimensionMismatchException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.InvalidMetadataException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every refusal names its field and happens before any I/O (recording stores see no call). */
@DisplayName("SemanticCache refuses bad input before any I/O")
class BadInputTest {
  private static final Scope ACME = Scope.of("tenant", "acme");

  private final Harness h = new Harness();

  @AfterEach
  void close() {
    h.close();
  }

  private void refused(ThrowingCallable call, Class<?> type, String field) {
    h.resetCalls();
    assertThatThrownBy(call)
        .isInstanceOf(type)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field));
    assertThat(h.storeCalls()).as("calls sent to the stores").isZero();
  }

  @Test
  @DisplayName("put: scope, prompt, response, vector")
  void put() {
    SemanticCache cache = h.open();
    CachedResponse ok = CachedResponse.of("a");
    refused(() -> cache.put(null, "q", ok), InvalidInputException.class, "scope");
    refused(() -> cache.put(ACME, " ", ok), InvalidInputException.class, "prompt");
    refused(() -> cache.put(ACME, null, ok), InvalidInputException.class, "prompt");
    refused(() -> cache.putAsync(ACME, "\n", ok), InvalidInputException.class, "prompt");
    refused(() -> cache.put(ACME, "q", null), InvalidInputException.class, "response");
    refused(
        () -> cache.put(ACME, "q", ok, PutOptions.builder().vector(new float[3]).build()),
        DimensionMismatchException.class,
        "vector");
    float[] nan = TopicEmbeddings.vector("q");
    nan[5] = Float.NaN;
    refused(
        () -> cache.putAsync(ACME, "q", ok, PutOptions.builder().vector(nan).build()),
        InvalidInputException.class,
        "vector[5]");
  }

  @Test
  @DisplayName("responses: a null text, metadata that is not JSON, a reserved key")
  void responses() {
    refused(() -> new CachedResponse(null, Map.of()), InvalidInputException.class, "response.text");
    refused(
        () -> new CachedResponse("a", Map.of("when", new Object())),
        InvalidMetadataException.class,
        "response.metadata.when");
    refused(
        () -> new CachedResponse("a", Map.of("score", Double.NaN)),
        InvalidMetadataException.class,
        "response.metadata.score");
    refused(
        () -> new CachedResponse("a", Map.of("sc_scope", "x")),
        InvalidMetadataException.class,
        "response.metadata.sc_scope");
    refused(
        () -> new CachedResponse("a", Map.of("_vc_key", "x")),
        InvalidMetadataException.class,
        "response.metadata._vc_key");
    Map<String, Object> cycle = new HashMap<>();
    cycle.put("self", cycle);
    assertThatThrownBy(() -> new CachedResponse("a", cycle))
        .isInstanceOf(InvalidMetadataException.class);
    assertThat(new CachedResponse("", null).metadata()).isEmpty();
  }

  @Test
  @DisplayName("lookup: scope, prompt, threshold override, vector")
  void lookup() {
    SemanticCache cache = h.open();
    refused(() -> cache.lookup(null, "q"), InvalidInputException.class, "scope");
    refused(() -> cache.lookupAsync(ACME, ""), InvalidInputException.class, "prompt");
    refused(
        () -> cache.lookup(ACME, "q", LookupOptions.builder().threshold(1.5).build()),
        InvalidInputException.class,
        "threshold");
    refused(
        () -> cache.lookup(ACME, "q", LookupOptions.builder().vector(new float[] {1}).build()),
        DimensionMismatchException.class,
        "vector");
    refused(() -> cache.invalidate(ACME, " "), InvalidInputException.class, "prompt");
    refused(() -> cache.invalidateScope(null), InvalidInputException.class, "scope");
    refused(() -> cache.scopeStats(null), InvalidInputException.class, "scope");
  }

  @Test
  @DisplayName("without an embedding function, a vector is required (not for exact-only lookups)")
  void noEmbeddingFunction() {
    SemanticCache cache =
        h.open(
            SemanticCache.builder()
                .vectorCache(h.vectorCache)
                .ownsCache(false)
                .modelId("model-a")
                .threshold(0.9));
    refused(
        () -> cache.put(ACME, "q", CachedResponse.of("a")), InvalidInputException.class, "vector");
    refused(() -> cache.lookup(ACME, "q"), InvalidInputException.class, "vector");
    assertThat(cache.lookup(ACME, "q", LookupOptions.builder().exactOnly(true).build())).isEmpty();
  }

  static Stream<Arguments> badEmbeddings() {
    float[] nan = TopicEmbeddings.vector("q");
    nan[3] = Float.NaN;
    float[] inf = TopicEmbeddings.vector("q");
    inf[0] = Float.NEGATIVE_INFINITY;
    List<float[]> withNull = new ArrayList<>();
    withNull.add(null);
    return Stream.of(
        Arguments.of(
            "the wrong dimension",
            (Supplier<List<float[]>>) () -> List.of(new float[8]),
            "embedding"),
        Arguments.of("a NaN", (Supplier<List<float[]>>) () -> List.of(nan), "embedding[3]"),
        Arguments.of("an infinity", (Supplier<List<float[]>>) () -> List.of(inf), "embedding[0]"),
        Arguments.of("two vectors", (Supplier<List<float[]>>) () -> List.of(inf, nan), "embedding"),
        Arguments.of("no vector", (Supplier<List<float[]>>) List::of, "embedding"),
        Arguments.of("a null vector", (Supplier<List<float[]>>) () -> withNull, "embedding"),
        Arguments.of("null", (Supplier<List<float[]>>) () -> null, "embedding"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badEmbeddings")
  @DisplayName("an embedding function that returns")
  void badEmbedding(String what, Supplier<List<float[]>> result, String field) {
    SemanticCache cache = h.open(h.builder().embeddingFunction(texts -> result.get()));
    CachedResponse ok = CachedResponse.of("a");

    // put: nothing reaches a store
    refused(() -> cache.put(ACME, "q", ok), InvalidInputException.class, field);
    h.resetCalls();
    assertThatThrownBy(() -> cache.putAsync(ACME, "q", ok).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field));
    assertThat(h.storeCalls()).isZero();

    // lookup: after the exact tier's one GET, no search is sent
    h.resetCalls();
    assertThatThrownBy(() -> cache.lookup(ACME, "q"))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field));
    assertThat(h.vectors.recorder().totalCalls()).isZero();
    assertThat(h.recordedMetadata.recorder().allCalls()).containsExactly(Map.entry("get", 1));
  }
}
