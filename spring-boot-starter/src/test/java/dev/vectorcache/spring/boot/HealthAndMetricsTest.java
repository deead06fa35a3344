package dev.vectorcache.spring.boot;

import static dev.vectorcache.spring.boot.VectorCacheAutoConfigurationTest.RUNNER;
import static dev.vectorcache.spring.boot.VectorCacheAutoConfigurationTest.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.adapter.InlineAsyncMetadataStore;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.micrometer.VectorCacheMetrics;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.semantic.LookupOptions;
import dev.vectorcache.semantic.Scope;
import dev.vectorcache.semantic.SemanticCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class HealthAndMetricsTest {
  static Health health(ApplicationContext context, String member) {
    CompositeHealthContributor c =
        context.getBean("vectorcacheHealthContributor", CompositeHealthContributor.class);
    return ((HealthIndicator) c.getContributor(member)).health();
  }

  @Test
  void bothStoresUpOnTheEmbeddedDefaults() {
    RUNNER.run(
        context -> {
          assertThat(health(context, "vectorStore").getStatus()).isEqualTo(Status.UP);
          Health metadata = health(context, "metadataStore");
          assertThat(metadata.getStatus()).isEqualTo(Status.UP);
          assertThat(metadata.getDetails()).containsEntry("backend", "memory");
        });
  }

  @Test
  void switchedOffWithManagementHealthVectorcacheEnabledFalse() {
    RUNNER
        .withPropertyValues("management.health.vectorcache.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("vectorcacheHealthContributor"));
  }

  @Test
  void absentWithoutSpringBootHealth() {
    RUNNER
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean("vectorcacheHealthContributor");
            });
  }

  @Test
  void aFailingStoreIsDownAndTheResultIsCached() {
    RUNNER
        .withUserConfiguration(FailingMetadata.class)
        .withPropertyValues("vectorcache.health.cache-for=1h")
        .run(
            context -> {
              Health h = health(context, "metadataStore");
              assertThat(h.getStatus()).isEqualTo(Status.DOWN);
              assertThat(h.getDetails().get("error").toString()).contains("redis is down");
              int pings = FailingMetadata.PINGS.get();
              health(context, "metadataStore");
              assertThat(FailingMetadata.PINGS).hasValue(pings);
              assertThat(health(context, "vectorStore").getStatus()).isEqualTo(Status.UP);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class FailingMetadata {
    static final AtomicInteger PINGS = new AtomicInteger();

    @Bean(destroyMethod = "close")
    AsyncMetadataStore failing() {
      AsyncMetadataStore delegate = new InlineAsyncMetadataStore(new InMemoryMetadataStore());
      return (AsyncMetadataStore)
          Proxy.newProxyInstance(
              AsyncMetadataStore.class.getClassLoader(),
              new Class<?>[] {AsyncMetadataStore.class},
              (proxy, method, args) -> {
                if (method.getName().equals("ping")) {
                  PINGS.incrementAndGet();
                  return CompletableFuture.failedFuture(new IllegalStateException("redis is down"));
                }
                try {
                  return method.invoke(delegate, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }

  @Test
  void aHungQdrantIsReportedDownWithinTheBound() throws Exception {
    try (QdrantTestServer qdrant = QdrantTestServer.start();
        HangingProxy proxy = new HangingProxy(qdrant.port())) {
      RUNNER
          .withPropertyValues(
              "vectorcache.vector-store.url=grpc://127.0.0.1:" + proxy.port(),
              "vectorcache.vector-store.timeout=60s",
              "vectorcache.health.timeout=300ms",
              "vectorcache.health.cache-for=0s")
          .run(
              context -> {
                assertThat(health(context, "vectorStore").getStatus()).isEqualTo(Status.UP);
                proxy.hang();
                Health h =
                    assertTimeoutPreemptively(
                        Duration.ofSeconds(20), () -> health(context, "vectorStore"));
                assertThat(h.getStatus()).isEqualTo(Status.DOWN);
                assertThat(h.getDetails()).containsEntry("error", "no answer within PT0.3S");
                assertThat(health(context, "metadataStore").getStatus()).isEqualTo(Status.UP);
              });
    }
  }

  @Test
  void metricsOfTheCacheAndTheSemanticCacheInTheRegistry() {
    RUNNER
        .withUserConfiguration(Registry.class)
        .withPropertyValues(
            "vectorcache.semantic-cache.enabled=true",
            "vectorcache.semantic-cache.model-id=m",
            "vectorcache.semantic-cache.threshold=0.9")
        .run(
            context -> {
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              context.getBean(VectorCache.class).store("k", vector(1), Map.of());
              assertThat(
                      registry
                          .get("vectorcache.operations")
                          .tags("cache", "vectorcache", "operation", "store", "outcome", "success")
                          .timer()
                          .count())
                  .isEqualTo(1);
              assertThat(
                      registry
                          .get("vectorcache.writebacks.pending")
                          .tag("cache", "vectorcache")
                          .gauge()
                          .value())
                  .isZero();
              SemanticCache semantic = context.getBean(SemanticCache.class);
              semantic.lookup(
                  Scope.of("t", "1"), "q", LookupOptions.builder().vector(vector(1)).build());
              assertThat(
                      registry
                          .get("vectorcache.misses")
                          .tag("cache", "vectorcache-semantic")
                          .counter()
                          .count())
                  .isEqualTo(1);
              assertThat(
                      registry
                          .get("vectorcache.operations")
                          .tags("cache", "vectorcache-semantic", "operation", "search")
                          .timers())
                  .isNotEmpty();
            });
  }

  @Test
  void noMetricsWithoutARegistryOrWithoutTheModule() {
    RUNNER.run(context -> assertThat(context).doesNotHaveBean(MetricsCustomizer.class));
    RUNNER
        .withUserConfiguration(Registry.class)
        .withClassLoader(new FilteredClassLoader(VectorCacheMetrics.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(MetricsCustomizer.class);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class Registry {
    @Bean
    MeterRegistry registry() {
      return new SimpleMeterRegistry();
    }
  }
}
