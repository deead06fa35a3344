package dev.vectorcache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.CacheEntry;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.semantic.CachedResponse;
import dev.vectorcache.semantic.Scope;
import dev.vectorcache.semantic.SemanticCache;
import dev.vectorcache.spi.Backends;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class VectorCacheAutoConfigurationTest {
  static final ApplicationContextRunner RUNNER =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  VectorCacheAutoConfiguration.class,
                  SemanticCacheAutoConfiguration.class,
                  VectorCacheHealthAutoConfiguration.class,
                  VectorCacheMetricsAutoConfiguration.class,
                  VectorCacheChatMemoryAutoConfiguration.class,
                  VectorCacheSpringAiAutoConfiguration.class))
          .withPropertyValues("vectorcache.collection.dimension=8");

  static float[] vector(float first) {
    float[] v = new float[8];
    v[0] = first;
    v[1] = 1;
    return v;
  }

  /** Every message of the start-up failure's cause chain. */
  static String failure(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    StringBuilder sb = new StringBuilder();
    for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
      sb.append(t.getMessage()).append('\n');
    }
    return sb.toString();
  }

  @Nested
  class Defaults {
    @Test
    void embeddedStoresAndAnInitializedCacheWithoutAnyServer() {
      RUNNER.run(
          context -> {
            assertThat(context).hasSingleBean(VectorCache.class);
            assertThat(context).hasSingleBean(Backends.class);
            assertThat(context).doesNotHaveBean(SemanticCache.class);
            VectorCache cache = context.getBean(VectorCache.class);
            assertThat(cache.collection()).isEqualTo("vectorcache");
            assertThat(cache.collectionConfig())
                .isEqualTo(CollectionConfig.builder(8, Distance.COSINE).build());
            AsyncVectorStore vectors = context.getBean(AsyncVectorStore.class);
            assertThat(vectors.ping().join().backend()).isEqualTo("memory");
            assertThat(context.getBean(AsyncMetadataStore.class).ping().join().backend())
                .isEqualTo("memory");
            assertThat(vectors.collectionExists("vectorcache").join()).isTrue();
            Instant before = Instant.now();
            CacheEntry e = cache.store("k", vector(1), Map.of("a", "b"));
            assertThat(e.expiresAt()).isAfterOrEqualTo(before.plus(Duration.ofHours(1)));
            assertThat(cache.get("k")).map(CacheEntry::metadata).contains(Map.of("a", "b"));
          });
    }

    @Test
    void closesTheCacheAndTheStoresOnShutdown() {
      VectorCache[] cache = new VectorCache[1];
      AsyncVectorStore[] vectors = new AsyncVectorStore[1];
      RUNNER.run(
          context -> {
            cache[0] = context.getBean(VectorCache.class);
            vectors[0] = context.getBean(AsyncVectorStore.class);
          });
      assertThatThrownBy(() -> cache[0].store("k", vector(1), Map.of()))
          .isInstanceOf(RuntimeException.class);
      assertThatThrownBy(() -> vectors[0].collectionExists("vectorcache").join())
          .isInstanceOf(RuntimeException.class);
    }
  }

  @Nested
  class PropertiesHonoured {
    @Test
    void nearCacheEntries() {
      RUNNER
          .withPropertyValues("vectorcache.near-cache-entries=100")
          .run(
              context -> {
                VectorCache cache = context.getBean(VectorCache.class);
                cache.store("k", vector(1), Map.of("t", 1));
                cache.searchSimilar(vector(1), 1);
                assertThat(cache.searchSimilar(vector(1), 1))
                    .singleElement()
                    .extracting(dev.vectorcache.core.CacheHit::source)
                    .isEqualTo(dev.vectorcache.core.CacheHit.Source.NEAR_CACHE);
                assertThat(cache.stats().nearCacheSize()).isEqualTo(1);
              });
    }

    @Test
    void collectionNameDistancePresetTtlsAndStartupInitialization() {
      RUNNER
          .withPropertyValues(
              "vectorcache.collection.name=docs",
              "vectorcache.collection.distance=dot",
              "vectorcache.collection.preset=memory-optimized",
              "vectorcache.default-ttl=5m",
              "vectorcache.max-ttl=1h")
          .run(
              context -> {
                VectorCache cache = context.getBean(VectorCache.class);
                assertThat(cache.collection()).isEqualTo("docs");
                assertThat(cache.collectionConfig())
                    .isEqualTo(CollectionConfig.memoryOptimized(8, Distance.DOT));
                Instant before = Instant.now();
                CacheEntry e = cache.store("k", vector(1), Map.of());
                assertThat(e.expiresAt())
                    .isBetween(
                        before.plus(Duration.ofMinutes(5)),
                        Instant.now().plus(Duration.ofMinutes(5)));
                assertThatThrownBy(
                        () ->
                            cache.store(
                                "k2",
                                vector(1),
                                Map.of(),
                                dev.vectorcache.core.Ttl.of(Duration.ofHours(2))))
                    .hasMessageContaining("maxTtl");
              });
    }

    @Test
    void onDiskPresetAndNoInitialization() {
      RUNNER
          .withPropertyValues(
              "vectorcache.collection.preset=on-disk",
              "vectorcache.collection.initialize-on-startup=false")
          .run(
              context -> {
                VectorCache cache = context.getBean(VectorCache.class);
                assertThat(cache.collectionConfig().storageMode()).isEqualTo(StorageMode.ON_DISK);
                assertThat(cache.collectionConfig().onDiskPayload()).isTrue();
                assertThat(
                        context
                            .getBean(AsyncVectorStore.class)
                            .collectionExists("vectorcache")
                            .join())
                    .isFalse();
              });
    }

    @Test
    void behindAliasCreatesTheFirstGenerationBehindTheName() {
      RUNNER
          .withPropertyValues("vectorcache.collection.behind-alias=true")
          .run(
              context -> {
                AsyncVectorStore vectors = context.getBean(AsyncVectorStore.class);
                assertThat(vectors.listCollections().join()).containsExactly("vectorcache__g0");
                assertThat(vectors.collectionExists("vectorcache").join()).isTrue();
                VectorCache cache = context.getBean(VectorCache.class);
                cache.store("k", vector(1), Map.of("a", "b"));
                assertThat(vectors.count("vectorcache__g0", null).join()).isEqualTo(1);
              });
    }

    @Test
    void behindAliasOnAStoreWithoutAliasesFailsStartUpNamingTheProperty() {
      RUNNER
          .withUserConfiguration(StoreWithoutAliases.class)
          .withPropertyValues("vectorcache.collection.behind-alias=true")
          .run(
              context ->
                  assertThat(failure(context))
                      .contains("invalid vectorcache.collection.behind-alias")
                      .contains("without collection aliases")
                      .contains("found true"));
    }

    @Test
    void sharedNamedInMemoryStores() {
      RUNNER
          .withPropertyValues(
              "vectorcache.vector-store.url=memory:starter-shared",
              "vectorcache.metadata-store.url=memory:starter-shared")
          .run(
              context -> {
                context.getBean(VectorCache.class).store("shared", vector(1), Map.of());
                try (var other = Backends.discover().openVectorStore("memory:starter-shared")) {
                  assertThat(other.collectionExists("vectorcache")).isTrue();
                }
              });
    }
  }

  @Nested
  class DurableEmbeddedStore {
    @Test
    void aPathUrlKeepsTheCacheAcrossARestartOfTheApplication(@TempDir Path dir) {
      ApplicationContextRunner durable =
          RUNNER.withPropertyValues("vectorcache.vector-store.url=memory:?path=" + dir);
      durable.run(
          context -> context.getBean(VectorCache.class).store("kept", vector(1), Map.of("a", "b")));
      assertThat(dir.resolve("LOCK")).exists();

      // a new application on the same directory: the metadata store (memory:) starts empty, the
      // entry comes back from the vector store's durable copy
      durable.run(
          context -> {
            VectorCache cache = context.getBean(VectorCache.class);
            assertThat(cache.get("kept")).map(CacheEntry::metadata).contains(Map.of("a", "b"));
            assertThat(cache.searchSimilar(vector(1), 1))
                .singleElement()
                .extracting(h -> h.entry().key())
                .isEqualTo("kept");
          });
    }

    @Test
    void aBadFsyncParameterNamesIt(@TempDir Path dir) {
      RUNNER
          .withPropertyValues(
              "vectorcache.vector-store.url=memory:?path=" + dir + "&fsync=sometimes")
          .run(
              context ->
                  assertThat(failure(context))
                      .contains("fsync")
                      .contains("always, interval or never")
                      .contains("sometimes"));
    }
  }

  @Nested
  class BackOff {
    @Test
    void anApplicationsVectorCacheWins() {
      RUNNER
          .withUserConfiguration(OwnCache.class)
          .run(
              context -> {
                assertThat(context).hasSingleBean(VectorCache.class);
                assertThat(context.getBean(VectorCache.class).collection()).isEqualTo("mine");
              });
    }

    @Test
    void anApplicationsStoresAreUsedByTheCacheAndLeftOpen() {
      RUNNER
          .withUserConfiguration(OwnStores.class)
          .run(
              context -> {
                assertThat(context).hasSingleBean(AsyncVectorStore.class);
                AsyncVectorStore mine = context.getBean(AsyncVectorStore.class);
                assertThat(mine).isSameAs(OwnStores.VECTORS);
                assertThat(mine.collectionExists("vectorcache").join()).isTrue();
              });
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnCache {
    @Bean(destroyMethod = "close")
    VectorCache mine() {
      return VectorCache.builder()
          .collection("mine")
          .collectionConfig(CollectionConfig.builder(4, Distance.COSINE).build())
          .vectorStore(new InMemoryVectorStore())
          .metadataStore(new InMemoryMetadataStore())
          .build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class StoreWithoutAliases {
    @Bean
    AsyncVectorStore noAliases() {
      // forwards the port's calls only: it offers no extension, collection aliases included
      return new dev.vectorcache.testkit.RecordingVectorStore(new InMemoryVectorStore());
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnStores {
    static final AsyncVectorStore VECTORS =
        new dev.vectorcache.core.adapter.InlineAsyncVectorStore(new InMemoryVectorStore());

    @Bean(destroyMethod = "")
    AsyncVectorStore myVectors() {
      return VECTORS;
    }
  }

  @Nested
  class SemanticCacheBean {
    @Test
    void onItsOwnCollectionWithTheConfiguredModelThresholdAndTtl() {
      RUNNER
          .withPropertyValues(
              "vectorcache.semantic-cache.enabled=true",
              "vectorcache.semantic-cache.model-id=test-model",
              "vectorcache.semantic-cache.threshold=0.95",
              "vectorcache.semantic-cache.ttl=10m")
          .run(
              context -> {
                SemanticCache semantic = context.getBean(SemanticCache.class);
                assertThat(semantic.modelId()).isEqualTo("test-model");
                assertThat(semantic.vectorCache().collection()).isEqualTo("vectorcache-semantic");
                assertThat(semantic.vectorCache()).isNotSameAs(context.getBean(VectorCache.class));
                Scope scope = Scope.of("tenant", "t1");
                var put = dev.vectorcache.semantic.PutOptions.builder().vector(vector(1)).build();
                Instant before = Instant.now();
                semantic.put(scope, "What is a cache?", CachedResponse.of("A store."), put);
                var hits = semantic.vectorCache().searchSimilar(vector(1), 1);
                assertThat(hits).hasSize(1);
                assertThat(hits.get(0).entry().expiresAt())
                    .isBetween(
                        before.plus(Duration.ofMinutes(10)),
                        Instant.now().plus(Duration.ofMinutes(10)));
                var near =
                    dev.vectorcache.semantic.LookupOptions.builder().vector(vector(1.01f)).build();
                assertThat(semantic.lookup(scope, "What's a cache?", near)).isPresent();
                var far =
                    dev.vectorcache.semantic.LookupOptions.builder().vector(vector(-5)).build();
                assertThat(semantic.lookup(scope, "Unrelated", far)).isEmpty();
              });
    }

    @Test
    void slidingTtlIsAccepted() {
      RUNNER
          .withPropertyValues(
              "vectorcache.semantic-cache.enabled=true",
              "vectorcache.semantic-cache.model-id=m",
              "vectorcache.semantic-cache.threshold=0.9",
              "vectorcache.semantic-cache.sliding=true",
              "vectorcache.semantic-cache.max-lifetime=1d",
              "vectorcache.semantic-cache.semantic-candidates=2",
              "vectorcache.semantic-cache.sweep-other-models-on-start=false",
              "vectorcache.semantic-cache.max-entries=100",
              "vectorcache.semantic-cache.max-entries-per-scope=10",
              "vectorcache.semantic-cache.eviction=lfu")
          .run(context -> assertThat(context).hasSingleBean(SemanticCache.class));
    }
  }

  @Nested
  class BadProperties {
    @Test
    void noDimension() {
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(VectorCacheAutoConfiguration.class))
          .run(
              context ->
                  assertThat(failure(context))
                      .contains("invalid vectorcache.collection.dimension: expected an integer")
                      .contains("found none"));
    }

    @Test
    void dimensionOutOfRange() {
      RUNNER
          .withPropertyValues("vectorcache.collection.dimension=0")
          .run(
              context ->
                  assertThat(failure(context))
                      .contains("invalid vectorcache.collection.dimension")
                      .contains("found 0"));
    }

    @Test
    void unknownDistanceNamesTheProperty() {
      RUNNER
          .withPropertyValues("vectorcache.collection.distance=hamming")
          .run(
              context ->
                  assertThat(failure(context))
                      .contains("vectorcache.collection.distance")
                      .contains("hamming"));
    }

    @Test
    void vectorStoreUrlWithAnUnknownScheme() {
      RUNNER
          .withPropertyValues("vectorcache.vector-store.url=ftp://host:1")
          .run(context -> assertThat(failure(context)).contains("vectorcache.vector-store"));
    }

    @Test
    void severalRedisHostsWithoutClusterNeverShowThePassword() {
      RUNNER
          .withPropertyValues("vectorcache.metadata-store.url=redis://u:s3cr3t@h1:1,h2:2")
          .run(
              context ->
                  assertThat(failure(context))
                      .contains("vectorcache.metadata-store.url")
                      .contains("cluster=true")
                      .doesNotContain("s3cr3t"));
    }

    @Test
    void clientForAnotherScheme() {
      RUNNER
          .withPropertyValues("vectorcache.metadata-store.client=jedis")
          .run(
              context ->
                  assertThat(failure(context))
                      .contains("vectorcache.metadata-store")
                      .contains("jedis"));
    }

    @Test
    void defaultTtlAboveMaxTtl() {
      RUNNER
          .withPropertyValues("vectorcache.default-ttl=2d", "vectorcache.max-ttl=1d")
          .run(
              context ->
                  assertThat(failure(context))
                      .contains("vectorcache.default-ttl")
                      .contains("at most maxTtl"));
    }

    @Test
    void negativeNearCache() {
      RUNNER
          .withPropertyValues("vectorcache.near-cache-entries=-1")
          .run(
              context ->
                  assertThat(failure(context))
                      .contains("vectorcache.near-cache-entries")
                      .contains("from 0 to 10000000 entries"));
    }

    @Test
    void negativeTimeout() {
      RUNNER
          .withPropertyValues("vectorcache.metadata-store.command-timeout=-1s")
          .run(
              context ->
                  assertThat(failure(context))
                      .contains("vectorcache.metadata-store.command-timeout"));
    }

    @Test
    void tlsKeyPasswordWithoutKeyAndWithoutTls() {
      RUNNER
          .withPropertyValues("vectorcache.vector-store.tls.key-password=pw-secret")
          .run(
              context ->
                  assertThat(failure(context))
                      .contains("vectorcache.vector-store.tls")
                      .doesNotContain("pw-secret"));
    }

    @Test
    void semanticCacheWithoutModelIdOrThreshold() {
      RUNNER
          .withPropertyValues("vectorcache.semantic-cache.enabled=true")
          .run(
              context ->
                  assertThat(failure(context))
                      .contains("invalid vectorcache.semantic-cache.model-id"));
      RUNNER
          .withPropertyValues(
              "vectorcache.semantic-cache.enabled=true", "vectorcache.semantic-cache.model-id=m")
          .run(
              context ->
                  assertThat(failure(context))
                      .contains("invalid vectorcache.semantic-cache.threshold"));
    }

    @Test
    void semanticThresholdOutsideTheDistancesRange() {
      RUNNER
          .withPropertyValues(
              "vectorcache.semantic-cache.enabled=true",
              "vectorcache.semantic-cache.model-id=m",
              "vectorcache.semantic-cache.threshold=2")
          .run(
              context ->
                  assertThat(failure(context)).contains("vectorcache.semantic-cache.threshold"));
    }

    @Test
    void maxLifetimeWithoutSlidingIsRefusedNotIgnored() {
      RUNNER
          .withPropertyValues(
              "vectorcache.semantic-cache.enabled=true",
              "vectorcache.semantic-cache.model-id=m",
              "vectorcache.semantic-cache.threshold=0.9",
              "vectorcache.semantic-cache.max-lifetime=1d")
          .run(
              context ->
                  assertThat(failure(context))
                      .contains("invalid vectorcache.semantic-cache.max-lifetime"));
    }

    @Test
    void evictionWithoutABound() {
      RUNNER
          .withPropertyValues(
              "vectorcache.semantic-cache.enabled=true",
              "vectorcache.semantic-cache.model-id=m",
              "vectorcache.semantic-cache.threshold=0.9",
              "vectorcache.semantic-cache.eviction=lru")
          .run(context -> assertThat(failure(context)).contains("vectorcache.semantic-cache"));
    }

    @Test
    void semanticCacheOnTheCachesCollection() {
      RUNNER
          .withPropertyValues(
              "vectorcache.semantic-cache.enabled=true",
              "vectorcache.semantic-cache.model-id=m",
              "vectorcache.semantic-cache.threshold=0.9",
              "vectorcache.semantic-cache.collection=vectorcache")
          .run(
              context ->
                  assertThat(failure(context))
                      .contains("invalid vectorcache.semantic-cache.collection"));
    }

    @Test
    void badCollectionName() {
      RUNNER
          .withPropertyValues("vectorcache.collection.name=has space")
          .run(context -> assertThat(failure(context)).contains("vectorcache.collection.name"));
    }

    @Test
    void existingCollectionOfAnotherDimension() {
      RUNNER
          .withPropertyValues(
              "vectorcache.vector-store.url=memory:starter-mismatch",
              "vectorcache.metadata-store.url=memory:starter-mismatch")
          .run(context -> assertThat(context).hasNotFailed());
      RUNNER
          .withPropertyValues(
              "vectorcache.vector-store.url=memory:starter-mismatch",
              "vectorcache.metadata-store.url=memory:starter-mismatch",
              "vectorcache.collection.dimension=16")
          .run(context -> assertThat(failure(context)).contains("vectorcache.collection"));
    }

    @Test
    void healthTimeoutMustBePositive() {
      RUNNER
          .withPropertyValues("vectorcache.health.timeout=0s")
          .run(context -> assertThat(failure(context)).contains("vectorcache.health.timeout"));
      RUNNER
          .withPropertyValues("vectorcache.health.cache-for=-1s")
          .run(context -> assertThat(failure(context)).contains("vectorcache.health.cache-for"));
    }
  }

  @Test
  void secretsNeverInToString() {
    VectorCacheProperties p = new VectorCacheProperties();
    p.getVectorStore().setApiKey("api-secret");
    p.getVectorStore().setUrl("grpcs://user:url-secret@q:6334");
    p.getVectorStore().getTls().setKeyPassword("key-secret");
    p.getMetadataStore().setPassword("redis-secret");
    p.getMetadataStore().setUrl("redis://u:url2-secret@h:6379?password=q-secret");
    p.getMetadataStore().getTls().setKeyPassword("key2-secret");
    String s = p.toString();
    assertThat(s).doesNotContain("secret").contains("****").contains("grpcs://****@q:6334");
    assertThat(Optional.of(p.getCollection().toString())).get().asString().contains("vectorcache");
  }
}
