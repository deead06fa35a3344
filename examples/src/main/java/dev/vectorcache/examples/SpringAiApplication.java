package dev.vectorcache.examples;

// tag::imports[]
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.vectorcache.semantic.Scope;
import dev.vectorcache.spring.ai.SemanticCacheAdvisor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.client.advisor.vectorstore.QuestionAnswerAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

// end::imports[]

/**
 * docs/spring.md: a Spring Boot application on the starter, offline, on the embedded default. The
 * starter makes the {@code VectorCache}, the Spring AI {@link VectorStore}, the {@link
 * ChatMemoryRepository} and the {@link SemanticCacheAdvisor} from {@code
 * spring-example.properties}; the application adds an embedding model (all-MiniLM-L6-v2, run
 * in-process) and a stand-in chat model, then makes a RAG query, keeps a conversation and gets a
 * second answer from the cache.
 */
// tag::application[]
@SpringBootApplication
public class SpringAiApplication {
  /** The embedding model: the starter's vector store and semantic cache both use it. */
  @Bean
  EmbeddingModel embeddingModel() {
    return new MiniLm();
  }

  /** The chat model; a real application gets one from a Spring AI model starter. */
  @Bean
  ChatModel chatModel() {
    return new StandInChatModel();
  }

  /** Chat memory over the starter's repository, then the cache, then retrieval (RAG). */
  @Bean
  ChatClient chatClient(
      ChatModel model,
      ChatMemoryRepository memories,
      SemanticCacheAdvisor cache,
      VectorStore vectors) {
    ChatMemory memory =
        MessageWindowChatMemory.builder().chatMemoryRepository(memories).maxMessages(20).build();
    return ChatClient.builder(model)
        .defaultAdvisors(
            MessageChatMemoryAdvisor.builder(memory).build(),
            cache,
            QuestionAnswerAdvisor.builder(vectors)
                .searchRequest(SearchRequest.builder().topK(1).build())
                .build())
        .build();
  }

  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(SpringAiApplication.class);
    app.setDefaultProperties(Map.of("spring.config.name", "spring-example"));
    try (ConfigurableApplicationContext context = app.run(args)) {
      run(context);
    }
  }

  // end::application[]
  static void run(ConfigurableApplicationContext context) {
    // tag::rag[]
    VectorStore vectors = context.getBean(VectorStore.class);
    vectors.add(
        List.of(
            new Document(
                "mmap",
                "Memory-mapped vectors stay off the Java heap; the page cache holds them.",
                Map.of("topic", "memory")),
            new Document(
                "int8",
                "Int8 scalar quantization keeps one byte per dimension in RAM.",
                Map.of("topic", "memory")),
            new Document(
                "ttl", "Every entry can carry a time to live.", Map.of("topic", "expiry"))));
    List<Document> found =
        vectors.similaritySearch(
            SearchRequest.builder()
                .query("How do I keep vectors off the heap?")
                .topK(2)
                .filterExpression("topic == 'memory'")
                .build());
    System.out.println("retrieved: " + found.stream().map(Document::getId).toList());
    // end::rag[]

    // tag::chat[]
    ChatClient chat = context.getBean(ChatClient.class);
    for (int i = 0; i < 2; i++) {
      ChatResponse response =
          chat.prompt()
              .user("How do I keep vectors off the heap?")
              .advisors(
                  a ->
                      a.param(ChatMemory.CONVERSATION_ID, "alice")
                          .param(SemanticCacheAdvisor.SCOPE_KEY, Scope.of("tenant", "acme")))
              .call()
              .chatResponse();
      Generation answer = Objects.requireNonNull(Objects.requireNonNull(response).getResult());
      System.out.println(
          (SemanticCacheAdvisor.isCacheHit(response) ? "cached: " : "model:  ")
              + answer.getOutput().getText());
    }
    ChatMemoryRepository memories = context.getBean(ChatMemoryRepository.class);
    System.out.println(
        "conversation alice: " + memories.findByConversationId("alice").size() + " messages");
    // end::chat[]
    System.out.println("model calls: " + StandInChatModel.CALLS.get());
  }

  /** Spring AI's embedding model over all-MiniLM-L6-v2 (quantized), run offline in-process. */
  static final class MiniLm implements EmbeddingModel {
    private final AllMiniLmL6V2QuantizedEmbeddingModel model =
        new AllMiniLmL6V2QuantizedEmbeddingModel();

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
      List<Embedding> out = new ArrayList<>();
      List<String> texts = request.getInstructions();
      for (int i = 0; i < texts.size(); i++) {
        out.add(new Embedding(model.embed(texts.get(i)).content().vector(), i));
      }
      return new EmbeddingResponse(out);
    }

    @Override
    public float[] embed(Document document) {
      return model.embed(getEmbeddingContent(document)).content().vector();
    }

    @Override
    public int dimensions() {
      return 384;
    }
  }

  /**
   * A stand-in chat model, so that the example runs offline: it answers with the first line of the
   * context that retrieval put into the question, and counts its calls.
   */
  static final class StandInChatModel implements ChatModel {
    static final AtomicInteger CALLS = new AtomicInteger();

    @Override
    public ChatResponse call(Prompt prompt) {
      CALLS.incrementAndGet();
      String question = "";
      for (Message m : prompt.getInstructions()) {
        if (m instanceof UserMessage u && u.getText() != null) {
          question = u.getText();
        }
      }
      String answer =
          question
              .lines()
              .filter(l -> l.startsWith("Memory-mapped") || l.startsWith("Int8"))
              .findFirst()
              .orElse("I do not know.");
      return new ChatResponse(List.of(new Generation(new AssistantMessage(answer))));
    }
  }
}
