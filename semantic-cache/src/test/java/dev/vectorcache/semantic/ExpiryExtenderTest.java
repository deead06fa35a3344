package dev.vectorcache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.testkit.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The sliding TTL's queue: bounded, coalescing, off the lookup's path. */
@DisplayName("The expiry mover")
class ExpiryExtenderTest {
  private static final Scope ACME = Scope.of("tenant", "acme");
  private static final Instant START = Instant.parse("2031-01-01T00:00:00Z");
  private static final LookupOptions EXACT = LookupOptions.builder().exactOnly(true).build();

  private final MutableClock clock = MutableClock.at(START);
  private final InMemoryVectorStore engine = new InMemoryVectorStore();
  private final InMemoryMetadataStore metadata = new InMemoryMetadataStore(clock);

  /** While set, the vector store's reads wait for it (the first move's read hangs). */
  private final AtomicReference<CompletableFuture<Void>> hold = new AtomicReference<>();

  private final CountDownLatch heldRead = new CountDownLatch(1);
  private final VectorCache vectorCache =
      VectorCache.builder()
          .collection("answers")
          .collectionConfig(CollectionConfig.builder(TopicEmbeddings.DIM, Distance.COSINE).build())
          .vectorStore(holding(engine.async()))
          .metadataStore(metadata)
          .clock(clock)
          .build();
  private final SemanticCache cache =
      SemanticCache.builder()
          .vectorCache(vectorCache)
          .modelId("m")
          .embeddingFunction(new TopicEmbeddings())
          .threshold(0.9)
          .defaultTtl(TtlPolicy.sliding(Duration.ofMinutes(10)))
          .extensionQueueCapacity(2)
          .build();

  @AfterEach
  void close() {
    CompletableFuture<Void> h = hold.getAndSet(null);
    if (h != null) {
      h.complete(null);
    }
    cache.close();
  }

  private AsyncVectorStore holding(AsyncVectorStore delegate) {
    return (AsyncVectorStore)
        Proxy.newProxyInstance(
            AsyncVectorStore.class.getClassLoader(),
            new Class<?>[] {AsyncVectorStore.class},
            (proxy, method, args) -> {
              Object result;
              try {
                result = method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              CompletableFuture<Void> h = hold.get();
              if (h != null && method.getName().equals("retrieve")) {
                heldRead.countDown();
                return ((CompletableFuture<?>) result).thenCombine(h, (r, v) -> r);
              }
              return result;
            });
  }

  private Instant expiry(String prompt) {
    String key = Prompts.key(ACME, "m", prompt);
    return Instant.ofEpochMilli(
        ((Number)
                engine
                    .retrieve(
                        "answers",
                        List.of(vectorCache.pointId(key)),
                        PayloadSelector.include(EntryPayload.EXPIRES_AT),
                        false)
                    .get(0)
                    .payload()
                    .get(EntryPayload.EXPIRES_AT))
            .longValue());
  }

  @Test
  @DisplayName("a full queue drops and counts; moves of one key coalesce, the latest winning")
  void boundedAndCoalescing() throws InterruptedException {
    cache.initialize();
    cache.flushAsync().join();
    for (String p : List.of("k1 q", "k2 q", "k3 q", "k4 q")) {
      cache.put(ACME, p, CachedResponse.of(p));
    }
    clock.advance(Duration.ofMinutes(6));
    CompletableFuture<Void> release = new CompletableFuture<>();
    hold.set(release);

    assertThat(cache.lookup(ACME, "k1 q", EXACT)).isPresent(); // taken at once, its read hangs
    assertThat(heldRead.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(cache.lookup(ACME, "k2 q", EXACT)).isPresent(); // waits
    assertThat(cache.lookup(ACME, "k3 q", EXACT)).isPresent(); // waits: the queue is full
    assertThat(cache.lookup(ACME, "k4 q", EXACT)).isPresent(); // served; its move is dropped
    clock.advance(Duration.ofMinutes(1));
    assertThat(cache.lookup(ACME, "k2 q", EXACT)).isPresent(); // coalesced with the waiting one

    SemanticCacheStats s = cache.stats();
    assertThat(s.expiryExtensionsQueued()).isEqualTo(3);
    assertThat(s.expiryExtensionsDropped()).isEqualTo(1);

    release.complete(null);
    hold.set(null);
    cache.flushAsync().join();

    assertThat(cache.stats().expiryExtended()).isEqualTo(3);
    assertThat(expiry("k1 q")).isEqualTo(START.plus(Duration.ofMinutes(16)));
    assertThat(expiry("k2 q")).isEqualTo(START.plus(Duration.ofMinutes(17))); // the latest
    assertThat(expiry("k3 q")).isEqualTo(START.plus(Duration.ofMinutes(16)));
    assertThat(expiry("k4 q")).isEqualTo(START.plus(Duration.ofMinutes(10))); // dropped
  }

  @Test
  @DisplayName("close gives hung moves a second, then drops and counts what waits")
  void closeDoesNotHang() throws InterruptedException {
    cache.initialize();
    cache.flushAsync().join();
    cache.put(ACME, "k1 q", CachedResponse.of("a"));
    cache.put(ACME, "k2 q", CachedResponse.of("b"));
    clock.advance(Duration.ofMinutes(6));
    hold.set(new CompletableFuture<>());
    cache.lookup(ACME, "k1 q", EXACT);
    assertThat(heldRead.await(10, TimeUnit.SECONDS)).isTrue();
    cache.lookup(ACME, "k2 q", EXACT);

    cache.close();

    assertThat(cache.stats().expiryExtensionsDropped()).isEqualTo(1);
  }
}
