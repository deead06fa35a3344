package dev.vectorcache.examples;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.semantic.Scope;
import dev.vectorcache.semantic.SemanticCache;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spring.ai.SemanticCacheAdvisor;
import dev.vectorcache.spring.ai.VectorCacheChatMemoryRepository;
import dev.vectorcache.spring.ai.VectorCacheVectorStore;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.TokenCountBatchingStrategy;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;

/**
 * docs/spring.md: the Spring AI module without Spring Boot, offline, on the embedded stores: the
 * vector store, the chat memory repository and the semantic-cache advisor, each built by hand.
 */
public class SpringAiWithoutBoot {
  public static void main(String[] args) {
    Backends backends = Backends.discover();
    EmbeddingModel embeddingModel = new SpringAiApplication.MiniLm();
    ChatModel chatModel = new SpringAiApplication.StandInChatModel();
    ObservationRegistry observationRegistry = ObservationRegistry.create();
    VectorCache vectorCache =
        VectorCache.builder()
            .collection("docs")
            .collectionConfig(CollectionConfig.builder(384, Distance.COSINE).build())
            .vectorStore(backends.openEmbeddedVectorStore())
            .metadataStore(backends.openEmbeddedMetadataStore())
            .build();
    vectorCache.initialize();
    AsyncMetadataStore metadataStore = backends.openEmbeddedMetadataStore().async();
    VectorCache answers =
        VectorCache.builder()
            .collection("answers")
            .collectionConfig(CollectionConfig.builder(384, Distance.COSINE).build())
            .vectorStore(backends.openEmbeddedVectorStore())
            .metadataStore(backends.openEmbeddedMetadataStore())
            .build();
    SemanticCache semanticCache =
        SemanticCache.builder()
            .vectorCache(answers)
            .modelId("all-minilm-l6-v2")
            .embeddingFunction(texts -> embeddingModel.embed(texts))
            .threshold(0.92)
            .build();
    semanticCache.initialize();
    String tenantId = "acme";

    // tag::vector-store[]
    VectorStore store =
        VectorCacheVectorStore.builder(vectorCache, embeddingModel)
            .observationRegistry(observationRegistry) // optional: db.vector observations
            .batchingStrategy(new TokenCountBatchingStrategy()) // optional: Spring AI's default
            .ttl(Duration.ofDays(30)) // optional: entries never expire without it
            .build();
    // end::vector-store[]
    store.add(
        List.of(
            new Document("a", "Refunds are paid within 14 days.", Map.of("year", 2026)),
            new Document("b", "Invoices are sent monthly.", Map.of("year", 2025))));
    // tag::filters[]
    List<Document> recent =
        store.similaritySearch(
            SearchRequest.builder()
                .query("When do I get my money back?")
                .topK(5)
                .similarityThreshold(0.5)
                .filterExpression("year >= 2026 && lang != 'de'")
                .build());
    store.delete("year < 2026"); // the same text form deletes
    // end::filters[]
    System.out.println("found: " + recent.stream().map(Document::getId).toList());

    // tag::chat-memory[]
    ChatMemoryRepository repository =
        VectorCacheChatMemoryRepository.builder()
            .metadataStore(metadataStore) // required, not closed by the repository
            .keyPrefix("support-bot") // default "spring-ai"
            .ttl(Duration.ofDays(7)) // optional: forget idle conversations
            .build();
    ChatMemory memory = MessageWindowChatMemory.builder().chatMemoryRepository(repository).build();
    // end::chat-memory[]
    memory.add("user-17", new UserMessage("My order number is 4711."));
    System.out.println("conversations: " + repository.findConversationIds());

    // tag::advisor[]
    ChatClient client =
        ChatClient.builder(chatModel)
            .defaultAdvisors(SemanticCacheAdvisor.builder().semanticCache(semanticCache).build())
            .build();
    String answer =
        client
            .prompt()
            .user("What is a vector cache?")
            .advisors(a -> a.param(SemanticCacheAdvisor.SCOPE_KEY, Scope.of("tenant", tenantId)))
            .call()
            .content();
    // end::advisor[]
    System.out.println("answer: " + answer);
    semanticCache.close();
    vectorCache.close();
    metadataStore.close();
  }
}
