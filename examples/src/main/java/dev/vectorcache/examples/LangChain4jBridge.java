package dev.vectorcache.examples;

// tag::imports[]
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.filter.MetadataFilterBuilder;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.langchain4j.SemanticCachingChatModel;
import dev.vectorcache.langchain4j.VectorCacheChatMemoryStore;
import dev.vectorcache.langchain4j.VectorCacheEmbeddingStore;
import dev.vectorcache.semantic.SemanticCache;
import dev.vectorcache.spi.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

// end::imports[]

/**
 * docs/langchain4j.md: LangChain4j on vectorcache, offline, on the embedded stores: retrieval over
 * the embedding store (all-MiniLM-L6-v2), a chat memory kept in the metadata store, and a chat
 * model whose answers are cached by the semantic cache.
 */
public class LangChain4jBridge {
  /** How often the stand-in chat model was called. */
  static final AtomicInteger MODEL_CALLS = new AtomicInteger();

  /** A stand-in chat model: answers with the first line of the last user message's context. */
  static ChatModel standInModel() {
    return new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        MODEL_CALLS.incrementAndGet();
        String question = SemanticCachingChatModel.lastUserText(request);
        return ChatResponse.builder()
            .aiMessage(AiMessage.from("(model answer " + MODEL_CALLS.get() + ") " + question))
            .build();
      }
    };
  }

  public static void main(String[] args) {
    Backends backends = Backends.discover();
    EmbeddingModel miniLm = new AllMiniLmL6V2QuantizedEmbeddingModel();
    // tag::store[]
    VectorCache docs =
        VectorCache.builder()
            .collection("docs")
            .collectionConfig(CollectionConfig.memoryOptimized(384, Distance.COSINE))
            .vectorStore(backends.openEmbeddedVectorStore())
            .metadataStore(backends.openEmbeddedMetadataStore())
            .build();
    docs.initialize();
    VectorCacheEmbeddingStore store = VectorCacheEmbeddingStore.builder().vectorCache(docs).build();

    List<TextSegment> segments = new ArrayList<>();
    segments.add(TextSegment.from("Refunds are paid within 14 days.", meta("billing")));
    segments.add(TextSegment.from("Invoices are sent on the first of the month.", meta("billing")));
    segments.add(TextSegment.from("Passwords must be at least 12 characters.", meta("security")));
    List<Embedding> vectors = miniLm.embedAll(segments).content();
    store.addAll(vectors, segments);

    EmbeddingSearchRequest request =
        EmbeddingSearchRequest.builder()
            .queryEmbedding(miniLm.embed("How long does a refund take?").content())
            .maxResults(1)
            .minScore(0.6)
            .filter(MetadataFilterBuilder.metadataKey("topic").isEqualTo("billing"))
            .build();
    for (EmbeddingMatch<TextSegment> match : store.search(request).matches()) {
      System.out.printf("retrieved %.2f %s%n", match.score(), match.embedded().text());
    }
    // end::store[]

    // tag::memory[]
    AsyncMetadataStore sessions = backends.openEmbeddedMetadataStore().async();
    VectorCacheChatMemoryStore memory =
        VectorCacheChatMemoryStore.builder().metadataStore(sessions).build();
    List<ChatMessage> history = new ArrayList<>(memory.getMessages("user-17"));
    history.add(UserMessage.from("My order number is 4711."));
    memory.updateMessages("user-17", history);
    System.out.println("memory of user-17: " + memory.getMessages("user-17").size() + " message");
    // end::memory[]

    // tag::cached[]
    VectorCache answers =
        VectorCache.builder()
            .collection("answers")
            .collectionConfig(CollectionConfig.memoryOptimized(384, Distance.COSINE))
            .vectorStore(backends.openEmbeddedVectorStore())
            .metadataStore(backends.openEmbeddedMetadataStore())
            .build();
    SemanticCache cache =
        SemanticCache.builder()
            .vectorCache(answers)
            .modelId("all-MiniLM-L6-v2-q")
            .embeddingFunction(
                texts -> texts.stream().map(t -> miniLm.embed(t).content().vector()).toList())
            .threshold(0.9)
            .build();
    cache.initialize();
    ChatModel model =
        SemanticCachingChatModel.builder().delegate(standInModel()).semanticCache(cache).build();
    for (String question :
        List.of("How long does a refund take?", "How long does a refund take ?")) {
      ChatResponse response =
          model.chat(ChatRequest.builder().messages(UserMessage.from(question)).build());
      System.out.printf(
          "%s %s%n",
          SemanticCachingChatModel.isCacheHit(response) ? "cached" : "model ",
          response.aiMessage().text());
    }
    // end::cached[]
    cache.close();
    docs.close();
    sessions.close();
  }

  static dev.langchain4j.data.document.Metadata meta(String topic) {
    return dev.langchain4j.data.document.Metadata.from("topic", topic);
  }
}
