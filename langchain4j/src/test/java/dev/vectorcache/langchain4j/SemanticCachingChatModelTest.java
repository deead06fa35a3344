package dev.vectorcache.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.semantic.Scope;
import dev.vectorcache.semantic.TtlPolicy;
import dev.vectorcache.testkit.CallRecorder.FailureMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link SemanticCachingChatModel} over a semantic cache on the embedded default. */
class SemanticCachingChatModelTest {
  private final SemanticCacheHarness h = new SemanticCacheHarness();
  private final FakeChatModel delegate = new FakeChatModel();

  @AfterEach
  void close() {
    h.close();
  }

  private SemanticCachingChatModel.Builder builder() {
    return SemanticCachingChatModel.builder().delegate(delegate).semanticCache(h.cache);
  }

  private static ChatRequest ask(String question) {
    return ChatRequest.builder().messages(UserMessage.from(question)).build();
  }

  @Nested
  class HitsAndMisses {
    @Test
    void aMissAsksTheModelAndTheSameQuestionIsThenAnsweredFromTheCache() {
      SemanticCachingChatModel model = builder().build();
      ChatResponse first = model.chat(ask("What is the capital of France?"));
      assertThat(first.aiMessage().text()).isEqualTo("answer 1 to: What is the capital of France?");
      assertThat(SemanticCachingChatModel.isCacheHit(first)).isFalse();
      assertThat(h.cache.stats().puts()).isEqualTo(1);

      ChatResponse second = model.chat(ask("What is the capital of France?"));
      assertThat(delegate.calls()).isEqualTo(1);
      assertThat(second.aiMessage().text()).isEqualTo(first.aiMessage().text());
      assertThat(second.aiMessage().hasToolExecutionRequests()).isFalse();
      assertThat(SemanticCachingChatModel.isCacheHit(second)).isTrue();
      assertThat(second.id()).startsWith("vectorcache:exact:");
      assertThat(second.modelName()).isEqualTo("fake-model");
      assertThat(second.finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(second.tokenUsage()).isNull();
      assertThat(h.cache.stats().exactHits()).isEqualTo(1);
    }

    @Test
    void aSimilarQuestionIsASemanticHit() {
      SemanticCachingChatModel model = builder().build();
      model.chat(ask("What is the capital of France?"));
      ChatResponse similar = model.chat(ask("the capital of France is what"));

      assertThat(delegate.calls()).isEqualTo(1);
      assertThat(similar.aiMessage().text())
          .isEqualTo("answer 1 to: What is the capital of France?");
      assertThat(similar.id()).startsWith("vectorcache:semantic:");
      ChatResponse other = model.chat(ask("How tall is Mont Blanc?"));
      assertThat(SemanticCachingChatModel.isCacheHit(other)).isFalse();
      assertThat(delegate.calls()).isEqualTo(2);
    }

    @Test
    void theConvenienceFormsGoThroughTheCacheAndOptionsReachTheModel() {
      SemanticCachingChatModel model = builder().build();
      ChatRequestOptions options = ChatRequestOptions.builder().build();
      String first = model.chat("Why is the sky blue?");
      assertThat(model.chat(ask("Why is the sky blue?"), options).aiMessage().text())
          .isEqualTo(first);
      assertThat(model.chat(UserMessage.from("Why is the sky blue?")).aiMessage().text())
          .isEqualTo(first);
      assertThat(delegate.calls()).isEqualTo(1);

      model.chat(ask("Why is grass green?"), options);
      assertThat(delegate.calls()).isEqualTo(2);
    }

    @Test
    void answersExpireWithTheGivenTtl() {
      SemanticCachingChatModel model =
          builder().ttl(TtlPolicy.absolute(Duration.ofMinutes(5))).build();
      model.chat(ask("What time is it in Tokyo?"));
      h.clock.advance(Duration.ofMinutes(4));
      assertThat(SemanticCachingChatModel.isCacheHit(model.chat(ask("What time is it in Tokyo?"))))
          .isTrue();
      h.clock.advance(Duration.ofMinutes(1));
      assertThat(SemanticCachingChatModel.isCacheHit(model.chat(ask("What time is it in Tokyo?"))))
          .isFalse();
      assertThat(delegate.calls()).isEqualTo(2);
    }
  }

  @Nested
  class Scopes {
    @Test
    void theDefaultScopeSeparatesModelsAndSystemMessages() {
      SemanticCachingChatModel model = builder().build();
      model.chat(ask("Name a prime number."));
      ChatRequest otherModel =
          ChatRequest.builder()
              .messages(UserMessage.from("Name a prime number."))
              .modelName("bigger-model")
              .build();
      assertThat(SemanticCachingChatModel.isCacheHit(model.chat(otherModel))).isFalse();
      assertThat(model.chat(otherModel).modelName()).isEqualTo("bigger-model");

      ChatRequest pirate =
          ChatRequest.builder()
              .messages(
                  SystemMessage.from("Talk like a pirate."),
                  UserMessage.from("Name a prime number."))
              .build();
      ChatRequest poet =
          ChatRequest.builder()
              .messages(
                  SystemMessage.from("Answer in verse."), UserMessage.from("Name a prime number."))
              .build();
      assertThat(SemanticCachingChatModel.isCacheHit(model.chat(pirate))).isFalse();
      assertThat(SemanticCachingChatModel.isCacheHit(model.chat(poet))).isFalse();
      assertThat(SemanticCachingChatModel.isCacheHit(model.chat(pirate))).isTrue();
      assertThat(delegate.calls()).isEqualTo(4);
    }

    @Test
    void aModelWithoutAnyNameUsesTheDefaultName() {
      FakeChatModel unnamed =
          new FakeChatModel(
              null, request -> ChatResponse.builder().aiMessage(AiMessage.from("42")).build());
      SemanticCachingChatModel model =
          SemanticCachingChatModel.builder().delegate(unnamed).semanticCache(h.cache).build();
      model.chat(ask("The answer to everything?"));
      ChatResponse hit = model.chat(ask("The answer to everything?"));
      assertThat(hit.modelName()).isEqualTo(SemanticCachingChatModel.DEFAULT_MODEL_NAME);
      assertThat(hit.aiMessage().text()).isEqualTo("42");
      assertThat(unnamed.calls()).isEqualTo(1);
    }

    @Test
    void aScopeFunctionKeepsTenantsApart() {
      SemanticCachingChatModel model =
          builder()
              .scope(
                  request ->
                      Scope.of(
                          "tenant",
                          ((UserMessage) request.messages().get(request.messages().size() - 1))
                              .name()))
              .build();
      model.chat(ChatRequest.builder().messages(UserMessage.from("acme", "My balance?")).build());
      ChatResponse other =
          model.chat(
              ChatRequest.builder().messages(UserMessage.from("globex", "My balance?")).build());
      ChatResponse again =
          model.chat(
              ChatRequest.builder().messages(UserMessage.from("acme", "My balance?")).build());

      assertThat(SemanticCachingChatModel.isCacheHit(other)).isFalse();
      assertThat(SemanticCachingChatModel.isCacheHit(again)).isTrue();
      assertThat(delegate.calls()).isEqualTo(2);
    }

    @Test
    void aScopeFunctionThatReturnsNullIsRefused() {
      SemanticCachingChatModel model = builder().scope(request -> nullScope()).build();
      assertThatThrownBy(() -> model.chat(ask("anything")))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("scope"));
      assertThat(delegate.calls()).isZero();
    }

    @SuppressWarnings("NullAway")
    private static Scope nullScope() {
      return null;
    }
  }

  @Nested
  class Bypasses {
    @Test
    void requestsWithToolsAreNeitherLookedUpNorStored() {
      SemanticCachingChatModel model = builder().build();
      ChatRequest withTools =
          ChatRequest.builder()
              .messages(UserMessage.from("Weather in Oslo?"))
              .toolSpecifications(ToolSpecification.builder().name("weather").build())
              .build();
      model.chat(withTools);
      model.chat(withTools);
      assertThat(delegate.calls()).isEqualTo(2);
      assertThat(h.cache.stats().lookups()).isZero();
      assertThat(h.cache.stats().puts()).isZero();
    }

    @Test
    void requestsThatDoNotEndWithAUserTextAreNotCached() {
      SemanticCachingChatModel model = builder().build();
      ToolExecutionRequest call =
          ToolExecutionRequest.builder().id("c1").name("weather").arguments("{}").build();
      ChatRequest afterTool =
          ChatRequest.builder()
              .messages(
                  UserMessage.from("Weather in Oslo?"),
                  AiMessage.from(call),
                  ToolExecutionResultMessage.from(call, "-3 °C"))
              .build();
      ChatRequest withImage =
          ChatRequest.builder()
              .messages(
                  UserMessage.from(
                      TextContent.from("What is this?"),
                      ImageContent.from("https://example.com/cat.png")))
              .build();
      for (ChatRequest r : List.of(afterTool, afterTool, withImage, withImage)) {
        assertThat(SemanticCachingChatModel.isCacheHit(model.chat(r))).isFalse();
      }
      assertThat(delegate.calls()).isEqualTo(4);
      assertThat(h.cache.stats().lookups()).isZero();
    }

    @Test
    void aPromptFunctionDecidesWhatIsCachedAndNullOrBlankBypasses() {
      Function<ChatRequest, String> prompt =
          request -> {
            String text = SemanticCachingChatModel.lastUserText(request);
            return text != null && text.startsWith("faq:") ? text.substring(4) : " ";
          };
      SemanticCachingChatModel model = builder().prompt(prompt).build();
      model.chat(ask("faq:opening hours"));
      model.chat(ask("faq:opening hours"));
      model.chat(ask("my order status"));
      model.chat(ask("my order status"));
      assertThat(delegate.calls()).isEqualTo(3);
      assertThat(h.cache.stats().puts()).isEqualTo(1);
    }
  }

  @Nested
  class WhatIsStored {
    private void assertNotStored(ChatResponse response) {
      FakeChatModel model = new FakeChatModel(request -> response);
      SemanticCachingChatModel caching =
          SemanticCachingChatModel.builder().delegate(model).semanticCache(h.cache).build();
      assertThat(caching.chat(ask("Tell me something."))).isSameAs(response);
      assertThat(caching.chat(ask("Tell me something."))).isSameAs(response);
      assertThat(model.calls()).isEqualTo(2);
      assertThat(h.cache.stats().puts()).isZero();
    }

    @Test
    void aToolCallIsNotStored() {
      ToolExecutionRequest call =
          ToolExecutionRequest.builder().id("c1").name("fact").arguments("{}").build();
      assertNotStored(
          ChatResponse.builder()
              .aiMessage(AiMessage.from(call))
              .finishReason(FinishReason.TOOL_EXECUTION)
              .build());
    }

    @Test
    void aTextWithAToolCallIsNotStored() {
      ToolExecutionRequest call =
          ToolExecutionRequest.builder().id("c1").name("fact").arguments("{}").build();
      assertNotStored(
          ChatResponse.builder().aiMessage(AiMessage.from("Let me look.", List.of(call))).build());
    }

    @Test
    void aBlankAnswerIsNotStored() {
      assertNotStored(ChatResponse.builder().aiMessage(AiMessage.from(" \n")).build());
    }

    @Test
    void aFilteredAnswerIsNotStored() {
      assertNotStored(
          ChatResponse.builder()
              .aiMessage(AiMessage.from("I cannot help with that."))
              .finishReason(FinishReason.CONTENT_FILTER)
              .build());
    }

    @Test
    void anAnswerCutByTheTokenLimitIsStored() {
      FakeChatModel model =
          new FakeChatModel(
              request ->
                  ChatResponse.builder()
                      .aiMessage(AiMessage.from("A long story, cut"))
                      .finishReason(FinishReason.LENGTH)
                      .build());
      SemanticCachingChatModel caching =
          SemanticCachingChatModel.builder().delegate(model).semanticCache(h.cache).build();
      caching.chat(ask("Tell me a story."));
      ChatResponse hit = caching.chat(ask("Tell me a story."));
      assertThat(hit.aiMessage().text()).isEqualTo("A long story, cut");
      assertThat(hit.modelName()).as("no model name was answered").isEqualTo("fake-model");
      assertThat(model.calls()).isEqualTo(1);
    }
  }

  @Nested
  class Async {
    @Test
    void aMissAsksTheModelAndAHitDoesNot() {
      SemanticCachingChatModel model = builder().build();
      ChatResponse first = model.chatAsync(ask("Where is Timbuktu?")).join();
      ChatResponse second = model.chatAsync(ask("Where is Timbuktu?")).join();
      assertThat(SemanticCachingChatModel.isCacheHit(first)).isFalse();
      assertThat(SemanticCachingChatModel.isCacheHit(second)).isTrue();
      assertThat(second.aiMessage().text()).isEqualTo(first.aiMessage().text());
      assertThat(model.chat(ask("Where is Timbuktu?")).aiMessage().text())
          .isEqualTo(first.aiMessage().text());
      assertThat(delegate.calls()).isEqualTo(1);
    }

    @Test
    void bypassesAndUncacheableAnswersGoToTheModelEachTime() {
      SemanticCachingChatModel model = builder().build();
      ChatRequest withTools =
          ChatRequest.builder()
              .messages(UserMessage.from("Weather in Oslo?"))
              .toolSpecifications(ToolSpecification.builder().name("weather").build())
              .build();
      model.chatAsync(withTools).join();
      model.chatAsync(withTools).join();
      FakeChatModel blank =
          new FakeChatModel(
              request -> ChatResponse.builder().aiMessage(AiMessage.from("")).build());
      SemanticCachingChatModel blankModel =
          SemanticCachingChatModel.builder().delegate(blank).semanticCache(h.cache).build();
      blankModel.chatAsync(ask("Say nothing.")).join();
      blankModel.chatAsync(ask("Say nothing.")).join();
      assertThat(delegate.calls()).isEqualTo(2);
      assertThat(blank.calls()).isEqualTo(2);
      assertThat(h.cache.stats().puts()).isZero();
    }

    @Test
    void aFailingCacheNeverFailsTheChat() {
      SemanticCachingChatModel model = builder().build();
      BackendUnavailableException down =
          new BackendUnavailableException("qdrant", "connection refused", null);
      h.vectors.recorder().failOn("upsert", FailureMode.FAIL, () -> down);
      assertThat(model.chatAsync(ask("Is the cache up?")).join().aiMessage().text())
          .isEqualTo("answer 1 to: Is the cache up?");
      h.vectors.recorder().failOn("search", FailureMode.FAIL, () -> down);
      assertThat(model.chatAsync(ask("Is the cache up?")).join().aiMessage().text())
          .isEqualTo("answer 2 to: Is the cache up?");
      assertThat(h.cache.stats().puts()).isZero();
    }

    @Test
    void theModelsFailureFailsTheFuture() {
      IllegalStateException quota = new IllegalStateException("quota exceeded");
      FakeChatModel failing =
          new FakeChatModel(
              request -> {
                throw quota;
              });
      SemanticCachingChatModel model =
          SemanticCachingChatModel.builder().delegate(failing).semanticCache(h.cache).build();
      assertThat(model.chatAsync(ask("Anything?")))
          .failsWithin(Duration.ofSeconds(5))
          .withThrowableThat()
          .havingRootCause()
          .isSameAs(quota);
    }
  }

  @Nested
  class FailuresAndSettings {
    @Test
    void aFailingCacheNeverFailsTheChat() {
      SemanticCachingChatModel model = builder().build();
      BackendUnavailableException down =
          new BackendUnavailableException("qdrant", "connection refused", null);
      h.vectors.recorder().failOn("upsert", FailureMode.FAIL, () -> down);
      ChatResponse first = model.chat(ask("Is the cache up?"));
      assertThat(first.aiMessage().text()).isEqualTo("answer 1 to: Is the cache up?");
      assertThat(h.cache.stats().puts()).isZero();

      h.vectors.recorder().failOn("search", FailureMode.FAIL, () -> down);
      ChatResponse second = model.chat(ask("Is the cache up?"));
      assertThat(second.aiMessage().text()).isEqualTo("answer 2 to: Is the cache up?");
      assertThat(delegate.calls()).isEqualTo(2);
    }

    @Test
    void theModelsFailuresAreTheCallers() {
      IllegalStateException quota = new IllegalStateException("quota exceeded");
      FakeChatModel failing =
          new FakeChatModel(
              request -> {
                throw quota;
              });
      SemanticCachingChatModel model =
          SemanticCachingChatModel.builder().delegate(failing).semanticCache(h.cache).build();
      assertThatThrownBy(() -> model.chat(ask("Anything?"))).isSameAs(quota);
      assertThat(h.cache.stats().puts()).isZero();
    }

    @Test
    void theWrappedModelsSettingsShowThrough() {
      SemanticCachingChatModel model = builder().build();
      assertThat(model.defaultRequestParameters().modelName()).isEqualTo("fake-model");
      assertThat(model.provider()).isEqualTo(ModelProvider.OTHER);
      assertThat(model.supportedCapabilities()).isEqualTo(delegate.supportedCapabilities());
      assertThat(model.listeners()).isEmpty();
      assertThat(model.toString()).isEqualTo("SemanticCachingChatModel{delegate=FakeChatModel}");
    }

    @Test
    void theDelegateAndTheCacheAreRequired() {
      assertThatThrownBy(() -> SemanticCachingChatModel.builder().semanticCache(h.cache).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("delegate");
      assertThatThrownBy(() -> SemanticCachingChatModel.builder().delegate(delegate).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("semanticCache");
    }

    @Test
    void aCachedAnswerKeepsTheNameOfTheModelThatWroteIt() {
      SemanticCachingChatModel model = builder().build();
      model.chat(ChatRequest.builder().messages(UserMessage.from("Hi!")).modelName("m-1").build());
      ChatResponse hit =
          model.chat(
              ChatRequest.builder().messages(UserMessage.from("Hi!")).modelName("m-1").build());
      assertThat(hit.modelName()).isEqualTo("m-1");
      assertThat(
              h.cache.lookup(Scope.of("model", "m-1"), "Hi!").orElseThrow().response().metadata())
          .isEqualTo(Map.of(SemanticCachingChatModel.MODEL_NAME_FIELD, "m-1"));
    }
  }
}
