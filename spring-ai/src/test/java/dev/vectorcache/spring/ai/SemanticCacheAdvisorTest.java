package dev.vectorcache.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.semantic.Scope;
import dev.vectorcache.semantic.SemanticCache;
import dev.vectorcache.testkit.CallRecorder.FailureMode;
import dev.vectorcache.testkit.RecordingVectorStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.Advisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * {@link SemanticCacheAdvisor} in a {@link ChatClient} over a fake model, on the embedded cache.
 */
class SemanticCacheAdvisorTest {
  private static final Scope TENANT_A = Scope.of("tenant", "a");
  private static final Scope TENANT_B = Scope.of("tenant", "b");

  private final HashingEmbeddingModel embeddings = new HashingEmbeddingModel();
  private final RecordingVectorStore vectors = new RecordingVectorStore(new InMemoryVectorStore());
  private final VectorCache vectorCache =
      Caches.cache(vectors, new InMemoryMetadataStore().async(), "answers");
  private final SemanticCache semanticCache =
      SemanticCache.builder()
          .vectorCache(vectorCache)
          .ownsCache(false)
          .modelId("hashing")
          .embeddingFunction(embeddings::embed)
          .threshold(0.9)
          .build();
  private final FakeChatModel model = new FakeChatModel();
  private final SemanticCacheAdvisor advisor =
      SemanticCacheAdvisor.builder().semanticCache(semanticCache).build();
  private final ChatClient client = ChatClient.builder(model).defaultAdvisors(advisor).build();

  SemanticCacheAdvisorTest() {
    semanticCache.initialize();
  }

  @AfterEach
  void close() {
    vectors.recorder().clearFailures();
    semanticCache.flushAsync().join();
    semanticCache.close();
    vectorCache.close();
  }

  private ChatResponse ask(Scope scope, String question) {
    return client
        .prompt()
        .user(question)
        .advisors(a -> a.param(SemanticCacheAdvisor.SCOPE_KEY, scope))
        .call()
        .chatResponse();
  }

  private static String text(ChatResponse response) {
    return response.getResult().getOutput().getText();
  }

  @Test
  void aSecondIdenticalQuestionIsAnsweredWithoutCallingTheModel() {
    ChatResponse first = ask(TENANT_A, "What is a vector cache?");
    assertThat(model.calls()).isOne();
    assertThat(SemanticCacheAdvisor.isCacheHit(first)).isFalse();

    ChatResponse second = ask(TENANT_A, "What is a vector cache?");
    assertThat(model.calls()).isOne();
    assertThat(text(second)).isEqualTo("answer to: What is a vector cache?");
    assertThat(SemanticCacheAdvisor.isCacheHit(second)).isTrue();
    assertThat(second.getMetadata().<String>get(SemanticCacheAdvisor.TIER_KEY)).isEqualTo("exact");
    assertThat(second.getMetadata().<Double>get(SemanticCacheAdvisor.SCORE_KEY)).isEqualTo(1.0);
    assertThat(second.getMetadata().getId()).startsWith("vectorcache:exact:");
    assertThat(second.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
  }

  @Test
  void aSimilarQuestionIsASemanticHit() {
    String question = "Explain in two sentences what a vector cache is and why it saves money";
    ask(TENANT_A, question);
    ChatResponse similar = ask(TENANT_A, question + "!");
    assertThat(model.calls()).isOne();
    assertThat(similar.getMetadata().<String>get(SemanticCacheAdvisor.TIER_KEY))
        .isEqualTo("semantic");
    assertThat(similar.getMetadata().<Double>get(SemanticCacheAdvisor.SCORE_KEY))
        .isGreaterThan(0.9)
        .isLessThan(1.0);
    assertThat(text(similar)).isEqualTo("answer to: " + question);
  }

  @Test
  void scopesAreIsolated() {
    ask(TENANT_A, "What is a vector cache?");
    ChatResponse other = ask(TENANT_B, "What is a vector cache?");
    assertThat(model.calls()).isEqualTo(2);
    assertThat(SemanticCacheAdvisor.isCacheHit(other)).isFalse();
    assertThat(SemanticCacheAdvisor.isCacheHit(ask(TENANT_B, "What is a vector cache?"))).isTrue();
    assertThat(model.calls()).isEqualTo(2);
  }

  @Test
  void differentSystemInstructionsDoNotShareAnswers() {
    client
        .prompt()
        .system("Answer in French.")
        .user("Hello there")
        .advisors(a -> a.param(SemanticCacheAdvisor.SCOPE_KEY, TENANT_A))
        .call()
        .content();
    ask(TENANT_A, "Hello there");
    assertThat(model.calls()).isEqualTo(2);
  }

  @Test
  void aMissingScopeFailsClosedBeforeTheModelIsCalled() {
    assertThatThrownBy(() -> client.prompt().user("What is a vector cache?").call().content())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(SemanticCacheAdvisor.SCOPE_KEY);
    assertThatThrownBy(
            () ->
                client
                    .prompt()
                    .user("What is a vector cache?")
                    .advisors(a -> a.param(SemanticCacheAdvisor.SCOPE_KEY, "tenant-a"))
                    .call()
                    .content())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("java.lang.String");
    assertThat(model.calls()).isZero();
  }

  @Test
  void aScopeFunctionReplacesTheContextKey() {
    SemanticCacheAdvisor byFunction =
        SemanticCacheAdvisor.builder()
            .semanticCache(semanticCache)
            .scope(request -> Scope.of("app", "demo"))
            .order(7)
            .build();
    assertThat(byFunction.getOrder()).isEqualTo(7);
    ChatClient functionClient = ChatClient.builder(model).defaultAdvisors(byFunction).build();
    functionClient.prompt().user("Hello").call().content();
    ChatResponse second = functionClient.prompt().user("Hello").call().chatResponse();
    assertThat(SemanticCacheAdvisor.isCacheHit(second)).isTrue();
    assertThat(model.calls()).isOne();

    SemanticCacheAdvisor nullScope =
        SemanticCacheAdvisor.builder().semanticCache(semanticCache).scope(request -> null).build();
    ChatClient nullClient = ChatClient.builder(model).defaultAdvisors(nullScope).build();
    assertThatThrownBy(() -> nullClient.prompt().user("Hello").call().content())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("scope");
  }

  @Test
  void aRequestWithoutUserTextPassesThrough() {
    Prompt endsWithAssistant =
        new Prompt(List.of(new UserMessage("question"), new AssistantMessage("partial answer")));
    for (int i = 0; i < 2; i++) {
      ChatResponse response =
          client
              .prompt(endsWithAssistant)
              .advisors(a -> a.param(SemanticCacheAdvisor.SCOPE_KEY, TENANT_A))
              .call()
              .chatResponse();
      assertThat(SemanticCacheAdvisor.isCacheHit(response)).isFalse();
    }
    assertThat(model.calls()).isEqualTo(2);
    // no scope needed either: the cache is not involved
    client.prompt(endsWithAssistant).call().content();
    assertThat(model.calls()).isEqualTo(3);
  }

  @Test
  void aBlankAnswerIsNotStored() {
    ask(TENANT_A, "Keep silence");
    ChatResponse again = ask(TENANT_A, "Keep silence");
    assertThat(SemanticCacheAdvisor.isCacheHit(again)).isFalse();
    assertThat(model.calls()).isEqualTo(2);
  }

  @Test
  void theStreamPathStoresTheAggregatedAnswerAndAHitIsOneChunk() {
    List<String> chunks =
        client
            .prompt()
            .user("Stream me an answer")
            .advisors(a -> a.param(SemanticCacheAdvisor.SCOPE_KEY, TENANT_A))
            .stream()
            .content()
            .collectList()
            .block(Duration.ofSeconds(10));
    assertThat(chunks).hasSizeGreaterThan(1);
    assertThat(String.join("", chunks)).isEqualTo("answer to: Stream me an answer");
    assertThat(model.streams()).isOne();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> semanticCache.lookup(TENANT_A, "Stream me an answer").isPresent());
    List<ChatResponse> hit =
        client
            .prompt()
            .user("Stream me an answer")
            .advisors(a -> a.param(SemanticCacheAdvisor.SCOPE_KEY, TENANT_A))
            .stream()
            .chatResponse()
            .collectList()
            .block(Duration.ofSeconds(10));
    assertThat(hit).hasSize(1);
    assertThat(text(hit.get(0))).isEqualTo("answer to: Stream me an answer");
    assertThat(SemanticCacheAdvisor.isCacheHit(hit.get(0))).isTrue();
    assertThat(model.streams()).isOne();
    assertThat(model.calls()).isZero();
  }

  @Test
  void theStreamPathFailsClosedWithoutAScopeAndPassesThroughWithoutUserText() {
    assertThatThrownBy(
            () -> client.prompt().user("Stream me").stream().content().collectList().block())
        .isInstanceOf(InvalidInputException.class);
    assertThat(model.streams()).isZero();
    Prompt endsWithAssistant =
        new Prompt(List.of(new UserMessage("question"), new AssistantMessage("partial")));
    assertThat(client.prompt(endsWithAssistant).stream().content().collectList().block())
        .isNotEmpty();
    assertThat(model.streams()).isOne();
  }

  @Test
  void theBuilderNeedsACacheAndTheDefaultsAreDocumented() {
    assertThatThrownBy(() -> SemanticCacheAdvisor.builder().build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("semanticCache");
    assertThat(advisor.getOrder())
        .isEqualTo(SemanticCacheAdvisor.DEFAULT_ORDER)
        .isGreaterThan(Advisor.DEFAULT_CHAT_MEMORY_PRECEDENCE_ORDER);
    assertThat(advisor.getName()).isEqualTo("SemanticCacheAdvisor");
    assertThat(SemanticCacheAdvisor.isCacheHit(null)).isFalse();
  }

  @Test
  void aFailingCacheNeverFailsTheChat() {
    BackendUnavailableException down =
        new BackendUnavailableException("qdrant", "connection refused", null);
    vectors.recorder().failOn("upsert", FailureMode.FAIL, () -> down);
    assertThat(text(ask(TENANT_A, "Is the cache up?"))).isEqualTo("answer to: Is the cache up?");
    assertThat(semanticCache.stats().puts()).isZero();
    vectors.recorder().failOn("search", FailureMode.FAIL, () -> down);
    ChatResponse second = ask(TENANT_A, "Is the cache up?");
    assertThat(SemanticCacheAdvisor.isCacheHit(second)).isFalse();
    assertThat(model.calls()).isEqualTo(2);

    List<String> streamed =
        client
            .prompt()
            .user("Is the cache up?")
            .advisors(a -> a.param(SemanticCacheAdvisor.SCOPE_KEY, TENANT_A))
            .stream()
            .content()
            .collectList()
            .block(Duration.ofSeconds(10));
    assertThat(String.join("", streamed)).isEqualTo("answer to: Is the cache up?");
    assertThat(model.streams()).isOne();
  }

  @Test
  void aRequestWithToolCallbacksPassesThrough() {
    ToolCallback tool =
        new ToolCallback() {
          @Override
          public ToolDefinition getToolDefinition() {
            return ToolDefinition.builder()
                .name("weather")
                .description("the weather")
                .inputSchema("{}")
                .build();
          }

          @Override
          public String call(String toolInput) {
            return "sunny";
          }
        };
    ChatClientRequest request =
        ChatClientRequest.builder()
            .prompt(
                new Prompt(
                    new UserMessage("Weather in Oslo?"),
                    ToolCallingChatOptions.builder().toolCallbacks(tool).build()))
            .context(SemanticCacheAdvisor.SCOPE_KEY, TENANT_A)
            .build();
    CallAdvisorChain toModel =
        new CallAdvisorChain() {
          @Override
          public ChatClientResponse nextCall(ChatClientRequest r) {
            return ChatClientResponse.builder().chatResponse(model.call(r.prompt())).build();
          }

          @Override
          public List<CallAdvisor> getCallAdvisors() {
            return List.of();
          }

          @Override
          public CallAdvisorChain copy(CallAdvisor after) {
            return this;
          }
        };
    advisor.adviseCall(request, toModel);
    ChatClientResponse second = advisor.adviseCall(request, toModel);
    assertThat(SemanticCacheAdvisor.isCacheHit(second.chatResponse())).isFalse();
    assertThat(model.calls()).isEqualTo(2);
    assertThat(semanticCache.stats().puts()).isZero();
  }
}
