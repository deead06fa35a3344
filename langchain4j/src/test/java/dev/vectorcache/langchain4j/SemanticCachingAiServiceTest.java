package dev.vectorcache.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.SystemMessage;
import dev.vectorcache.semantic.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's AI services over {@link SemanticCachingChatModel}: the second identical question is
 * answered without a model call, with and without a chat memory kept by {@link
 * VectorCacheChatMemoryStore}.
 */
class SemanticCachingAiServiceTest {
  private final SemanticCacheHarness h = new SemanticCacheHarness();
  private final FakeChatModel delegate = new FakeChatModel();

  @AfterEach
  void close() {
    h.close();
  }

  interface Assistant {
    @SystemMessage("You answer geography questions in one sentence.")
    String answer(String question);
  }

  interface ChatAssistant {
    String chat(@MemoryId String user, @dev.langchain4j.service.UserMessage String question);
  }

  @Test
  void theSecondIdenticalQuestionIsAnsweredWithoutAModelCall() {
    Assistant assistant =
        AiServices.create(
            Assistant.class,
            SemanticCachingChatModel.builder().delegate(delegate).semanticCache(h.cache).build());

    String first = assistant.answer("What is the capital of Peru?");
    String second = assistant.answer("What is the capital of Peru?");
    String other = assistant.answer("What is the capital of Chile?");

    assertThat(first).isEqualTo("answer 1 to: What is the capital of Peru?");
    assertThat(second).isEqualTo(first);
    assertThat(other).isEqualTo("answer 2 to: What is the capital of Chile?");
    assertThat(delegate.calls()).isEqualTo(2);
    assertThat(delegate.requests.get(0).messages().get(0))
        .isEqualTo(
            dev.langchain4j.data.message.SystemMessage.from(
                "You answer geography questions in one sentence."));
    assertThat(h.cache.stats().exactHits()).isEqualTo(1);
  }

  @Test
  void withAChatMemoryTheCachedAnswerJoinsTheConversation() {
    VectorCacheChatMemoryStore memories =
        VectorCacheChatMemoryStore.builder().metadataStore(h.metadata.async()).build();
    ChatAssistant assistant =
        AiServices.builder(ChatAssistant.class)
            .chatModel(
                SemanticCachingChatModel.builder()
                    .delegate(delegate)
                    .semanticCache(h.cache)
                    .scope(request -> Scope.of("app", "faq"))
                    .build())
            .chatMemoryProvider(
                id ->
                    MessageWindowChatMemory.builder()
                        .id(id)
                        .maxMessages(10)
                        .chatMemoryStore(memories)
                        .build())
            .build();

    String answer = assistant.chat("ann", "When does the shop open?");
    assertThat(assistant.chat("bob", "When does the shop open?")).isEqualTo(answer);
    assertThat(assistant.chat("ann", "When does the shop open?")).isEqualTo(answer);

    assertThat(delegate.calls()).isEqualTo(1);
    assertThat(memories.getMessages("bob"))
        .containsExactly(UserMessage.from("When does the shop open?"), AiMessage.from(answer));
    assertThat(memories.getMessages("ann")).hasSize(4);
  }
}
