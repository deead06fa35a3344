package dev.vectorcache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.CacheHit;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.QuantizationType;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.semantic.CachedResponse;
import dev.vectorcache.semantic.Scope;
import dev.vectorcache.semantic.SemanticCache;
import dev.vectorcache.spring.ai.VectorCacheChatMemoryRepository;
import dev.vectorcache.testkit.TestRequirements;
import dev.vectorcache.testkit.redis.RedisProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter end to end in a {@code @SpringBootTest}: a real redis-server (Lettuce) and the Qdrant
 * test server over real gRPC, from {@code vectorcache.*} properties alone.
 */
@SpringBootTest(
    classes = VectorCacheStarterIT.App.class,
    properties = {
      "vectorcache.collection.name=starter-it",
      "vectorcache.collection.dimension=8",
      "vectorcache.collection.preset=memory-optimized",
      "vectorcache.metadata-store.key-prefix=starter-it:",
      "vectorcache.metadata-store.client=lettuce",
      "vectorcache.semantic-cache.enabled=true",
      "vectorcache.semantic-cache.model-id=hashing",
      "vectorcache.semantic-cache.threshold=0.99",
      "vectorcache.spring-ai.vector-store.ttl=1h"
    })
@DirtiesContext
class VectorCacheStarterIT {
  private static @Nullable RedisProcess redis;
  private static @Nullable QdrantTestServer qdrant;

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    EmbeddingModel embeddingModel() {
      return new HashingEmbeddingModel(8);
    }
  }

  @BeforeAll
  static void startServers() {
    Optional<Path> binary = RedisProcess.findBinary();
    TestRequirements.requireOrSkip(
        binary.isPresent(), "redis-server not found: install it or put it on the PATH");
    redis = RedisProcess.start(binary.orElseThrow(), List.of());
    qdrant = QdrantTestServer.start();
  }

  @DynamicPropertySource
  static void urls(DynamicPropertyRegistry registry) {
    registry.add(
        "vectorcache.metadata-store.url", () -> "redis://" + redis.host() + ":" + redis.port());
    registry.add("vectorcache.vector-store.url", () -> qdrant.url());
  }

  @AfterAll
  static void stopServers() {
    // @DirtiesContext closes the context after this (its stores' close is quick on a stopped
    // server, and pending write-backs get at most a second)
    if (qdrant != null) {
      qdrant.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Autowired ConfigurableApplicationContext context;
  @Autowired VectorCache cache;
  @Autowired AsyncVectorStore vectors;
  @Autowired AsyncMetadataStore metadata;
  @Autowired VectorStore springAiStore;
  @Autowired ChatMemoryRepository chatMemory;
  @Autowired SemanticCache semanticCache;

  Health health(String member) {
    CompositeHealthContributor c =
        context.getBean("vectorcacheHealthContributor", CompositeHealthContributor.class);
    return ((HealthIndicator) c.getContributor(member)).health();
  }

  @Test
  void theCacheOnRedisAndQdrantWithBothStoresHealthy() {
    assertThat(vectors.ping().join().backend()).isEqualTo("qdrant");
    assertThat(metadata.ping().join().backend()).isEqualTo("redis");
    float[] v = VectorCacheAutoConfigurationTest.vector(1);
    cache.store("it-key", v, Map.of("lang", "en"));
    assertThat(cache.get("it-key"))
        .hasValueSatisfying(e -> assertThat(e.metadata()).containsEntry("lang", "en"));
    List<CacheHit> hits = cache.searchSimilar(v, 1);
    assertThat(hits).extracting(CacheHit::key).containsExactly("it-key");
    // the memory-optimized preset reached the Qdrant test server
    assertThat(vectors.collectionInfo("starter-it").join().config().quantization())
        .extracting(QuantizationConfig::type)
        .isEqualTo(QuantizationType.SCALAR_INT8);

    Health vectorHealth = health("vectorStore");
    assertThat(vectorHealth.getStatus()).isEqualTo(Status.UP);
    assertThat(vectorHealth.getDetails()).containsEntry("backend", "qdrant");
    Health metadataHealth = health("metadataStore");
    assertThat(metadataHealth.getStatus()).isEqualTo(Status.UP);
    assertThat(metadataHealth.getDetails()).containsEntry("backend", "redis");
  }

  @Test
  void theSpringAiBeansOnTheRealStores() {
    springAiStore.add(
        List.of(
            new Document("doc-1", "redis keeps the metadata", Map.of("kind", "note")),
            new Document("doc-2", "qdrant keeps the vectors", Map.of("kind", "note"))));
    List<Document> found =
        springAiStore.similaritySearch(
            SearchRequest.builder().query("qdrant keeps the vectors").topK(1).build());
    assertThat(found).extracting(Document::getId).containsExactly("doc-2");
    assertThat(cache.get("doc-2")).hasValueSatisfying(e -> assertThat(e.expiresAt()).isNotNull());
    springAiStore.delete(List.of("doc-1", "doc-2"));
    assertThat(cache.get("doc-2")).isEmpty();

    assertThat(chatMemory).isInstanceOf(VectorCacheChatMemoryRepository.class);
    chatMemory.saveAll("it-conversation", List.of(new UserMessage("hello")));
    assertThat(chatMemory.findByConversationId("it-conversation")).hasSize(1);
    assertThat(chatMemory.findConversationIds()).contains("it-conversation");

    Scope scope = Scope.of("tenant", "it");
    semanticCache.put(scope, "what stores the vectors", CachedResponse.of("qdrant"));
    assertThat(semanticCache.lookup(scope, "what stores the vectors"))
        .hasValueSatisfying(h -> assertThat(h.response().text()).isEqualTo("qdrant"));
  }
}
