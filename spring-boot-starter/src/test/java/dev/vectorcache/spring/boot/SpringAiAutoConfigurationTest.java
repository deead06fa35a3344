package dev.vectorcache.spring.boot;

import static dev.vectorcache.spring.boot.VectorCacheAutoConfigurationTest.RUNNER;
import static dev.vectorcache.spring.boot.VectorCacheAutoConfigurationTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.Ttl;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.semantic.CachedResponse;
import dev.vectorcache.semantic.Scope;
import dev.vectorcache.semantic.SemanticCache;
import dev.vectorcache.spring.ai.SemanticCacheAdvisor;
import dev.vectorcache.spring.ai.VectorCacheChatMemoryRepository;
import dev.vectorcache.spring.ai.VectorCacheVectorStore;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.InMemoryChatMemoryRepository;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class SpringAiAutoConfigurationTest {
  static final String SEMANTIC =
      "vectorcache.semantic-cache.enabled=true,vectorcache.semantic-cache.model-id=hashing,"
          + "vectorcache.semantic-cache.threshold=0.99";

  @Configuration(proxyBeanMethods = false)
  static class Model {
    @Bean
    EmbeddingModel embeddingModel() {
      return new HashingEmbeddingModel(8);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Observations {
    static final List<Observation.Context> SEEN = new CopyOnWriteArrayList<>();

    @Bean
    ObservationRegistry observationRegistry() {
      ObservationRegistry registry = ObservationRegistry.create();
      registry
          .observationConfig()
          .observationHandler(
              new ObservationHandler<>() {
                @Override
                public boolean supportsContext(Observation.Context context) {
                  return true;
                }

                @Override
                public void onStop(Observation.Context context) {
                  SEEN.add(context);
                }
              });
      return registry;
    }
  }

  @Test
  void vectorStoreOverTheCacheWithTheEmbeddingModelAndTheObservationRegistry() {
    RUNNER
        .withUserConfiguration(Model.class, Observations.class)
        .withPropertyValues("vectorcache.spring-ai.vector-store.ttl=30m")
        .run(
            context -> {
              VectorStore store = context.getBean(VectorStore.class);
              assertThat(store).isInstanceOf(VectorCacheVectorStore.class);
              assertThat(((VectorCacheVectorStore) store).ttl())
                  .isEqualTo(Ttl.of(Duration.ofMinutes(30)));
              store.add(List.of(new Document("d1", "vector caches are fast", java.util.Map.of())));
              List<Document> found =
                  store.similaritySearch(
                      SearchRequest.builder().query("vector caches are fast").topK(1).build());
              assertThat(found).extracting(Document::getId).containsExactly("d1");
              assertThat(context.getBean(VectorCache.class).get("d1")).isPresent();
              assertThat(Observations.SEEN)
                  .anyMatch(c -> c instanceof VectorStoreObservationContext);
            });
  }

  @Test
  void withoutTtlDocumentsNeverExpire() {
    RUNNER
        .withUserConfiguration(Model.class)
        .run(
            context ->
                assertThat(context.getBean(VectorCacheVectorStore.class).ttl())
                    .isEqualTo(Ttl.none()));
  }

  @Test
  void noVectorStoreWithoutAnEmbeddingModelButChatMemoryStill() {
    RUNNER.run(
        context -> {
          assertThat(context).doesNotHaveBean(VectorStore.class);
          assertThat(context).hasSingleBean(VectorCacheChatMemoryRepository.class);
        });
  }

  @Test
  void switchedOffByProperty() {
    RUNNER
        .withUserConfiguration(Model.class)
        .withPropertyValues(
            "vectorcache.spring-ai.vector-store.enabled=false",
            "vectorcache.spring-ai.chat-memory.enabled=false",
            "vectorcache.spring-ai.advisor.enabled=false")
        .withPropertyValues(SEMANTIC.split(","))
        .run(
            context -> {
              assertThat(context).hasSingleBean(SemanticCache.class);
              assertThat(context).doesNotHaveBean(VectorStore.class);
              assertThat(context).doesNotHaveBean(ChatMemoryRepository.class);
              assertThat(context).doesNotHaveBean(SemanticCacheAdvisor.class);
            });
  }

  @Test
  void noSpringAiBeansWithoutSpringAiOrTheModule() {
    for (FilteredClassLoader loader :
        List.of(
            new FilteredClassLoader("org.springframework.ai"),
            new FilteredClassLoader(
                VectorCacheVectorStore.class, VectorCacheChatMemoryRepository.class))) {
      RUNNER
          .withClassLoader(loader)
          .withPropertyValues(SEMANTIC.split(","))
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(VectorCache.class);
                assertThat(context).hasSingleBean(SemanticCache.class);
                assertThat(context).doesNotHaveBean("vectorCacheSpringAiVectorStore");
                assertThat(context).doesNotHaveBean("vectorCacheChatMemoryRepository");
                assertThat(context).doesNotHaveBean("vectorCacheSemanticCacheAdvisor");
              });
    }
  }

  @Test
  void chatMemoryWithItsPrefixAndTtlAndTheApplicationsRepositoryWins() {
    RUNNER
        .withPropertyValues(
            "vectorcache.spring-ai.chat-memory.key-prefix=bot",
            "vectorcache.spring-ai.chat-memory.ttl=7d")
        .run(
            context -> {
              VectorCacheChatMemoryRepository repo =
                  context.getBean(VectorCacheChatMemoryRepository.class);
              assertThat(repo.key("c1")).startsWith("bot:");
              assertThat(repo.ttl()).isEqualTo(Optional.of(Duration.ofDays(7)));
              repo.saveAll("c1", List.of(new UserMessage("hello")));
              assertThat(repo.findByConversationId("c1")).hasSize(1);
            });
    RUNNER
        .withBean(ChatMemoryRepository.class, InMemoryChatMemoryRepository::new)
        .run(
            context ->
                assertThat(context.getBean(ChatMemoryRepository.class))
                    .isInstanceOf(InMemoryChatMemoryRepository.class));
  }

  @Test
  void badChatMemoryTtlNamesTheProperty() {
    RUNNER
        .withPropertyValues("vectorcache.spring-ai.chat-memory.ttl=0s")
        .run(
            context ->
                assertThat(failure(context)).contains("vectorcache.spring-ai.chat-memory.ttl"));
  }

  @Test
  void vectorStoreNeedsACosineCollection() {
    RUNNER
        .withUserConfiguration(Model.class)
        .withPropertyValues("vectorcache.collection.distance=euclid")
        .run(
            context ->
                assertThat(failure(context))
                    .contains("vectorcache.spring-ai.vector-store")
                    .contains("Cosine"));
  }

  @Test
  void advisorWithItsOrderAndTheModelEmbeddingTheSemanticCachesPrompts() {
    RUNNER
        .withUserConfiguration(Model.class)
        .withPropertyValues(SEMANTIC.split(","))
        .withPropertyValues("vectorcache.spring-ai.advisor.order=42")
        .run(
            context -> {
              assertThat(context.getBean(SemanticCacheAdvisor.class).getOrder()).isEqualTo(42);
              SemanticCache semantic = context.getBean(SemanticCache.class);
              Scope scope = Scope.of("tenant", "a");
              semantic.put(scope, "what is vectorcache", CachedResponse.of("a cache"));
              assertThat(semantic.lookup(scope, "what is vectorcache")).isPresent();
              HashingEmbeddingModel model = context.getBean(HashingEmbeddingModel.class);
              assertThat(model.calls.get()).isPositive();
            });
    RUNNER
        .withPropertyValues(SEMANTIC.split(","))
        .run(
            context ->
                assertThat(context.getBean(SemanticCacheAdvisor.class).getOrder())
                    .isEqualTo(SemanticCacheAdvisor.DEFAULT_ORDER));
  }
}
