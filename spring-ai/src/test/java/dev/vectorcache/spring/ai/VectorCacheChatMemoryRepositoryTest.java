package dev.vectorcache.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.testkit.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.Media;
import org.springframework.util.MimeTypeUtils;

/** {@link VectorCacheChatMemoryRepository} on the embedded metadata store. */
class VectorCacheChatMemoryRepositoryTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2031-01-01T00:00:00Z"));
  private final InMemoryMetadataStore metadata = new InMemoryMetadataStore(clock);
  private final AsyncMetadataStore store = metadata.async();
  private final VectorCacheChatMemoryRepository repository =
      VectorCacheChatMemoryRepository.builder().metadataStore(store).clock(clock).build();

  @AfterEach
  void close() {
    metadata.close();
  }

  /** A conversation with every message type, tool calls, tool responses and metadata. */
  static List<Message> conversation() {
    return List.of(
        new SystemMessage("You are terse."),
        UserMessage.builder().text("Weather in Sofia?").metadata(Map.of("user", "u-1")).build(),
        AssistantMessage.builder()
            .content("")
            .toolCalls(
                List.of(
                    new AssistantMessage.ToolCall(
                        "call-1", "function", "weather", "{\"city\":\"Sofia\"}")))
            .build(),
        ToolResponseMessage.builder()
            .responses(
                List.of(new ToolResponseMessage.ToolResponse("call-1", "weather", "{\"c\":21}")))
            .build(),
        AssistantMessage.builder()
            .content("21 °C and sunny.")
            .properties(Map.of("finishReason", "STOP", "tokens", 12L, "nested", Map.of("a", true)))
            .build());
  }

  @Test
  void everyMessageTypeRoundTripsAndANewRepositoryReadsItBack() {
    repository.saveAll("c1", conversation());
    assertThat(repository.findByConversationId("c1")).isEqualTo(conversation());

    VectorCacheChatMemoryRepository restarted =
        VectorCacheChatMemoryRepository.builder().metadataStore(store).build();
    List<Message> read = restarted.findByConversationId("c1");
    assertThat(read).isEqualTo(conversation());
    assertThat(((AssistantMessage) read.get(2)).getToolCalls())
        .extracting(AssistantMessage.ToolCall::name)
        .containsExactly("weather");
    assertThat(((ToolResponseMessage) read.get(3)).getResponses().get(0).responseData())
        .isEqualTo("{\"c\":21}");
    assertThat(repository.findByConversationId("never")).isEmpty();
  }

  @Test
  void theStoredValueIsTheDocumentedJson() {
    repository.saveAll("c1", List.of(new UserMessage("hi")));
    MetadataEntry entry = store.get("spring-ai:conversation:c1").join().orElseThrow();
    assertThat(entry.metadata().get("messages"))
        .isEqualTo(List.of(Map.of("type", "user", "text", "hi", "metadata", Map.of())));
    assertThat(entry.expiresAt()).isNull();
  }

  @Test
  void metadataValuesThatAreNotJsonAreStoredAsText() {
    repository.saveAll(
        "c1",
        List.of(
            UserMessage.builder()
                .text("hi")
                .metadata(Map.of("when", Instant.EPOCH, "n", 3, "f", 1.5f, "list", List.of(1, "x")))
                .build()));
    assertThat(repository.findByConversationId("c1").get(0).getMetadata())
        .containsEntry("when", "1970-01-01T00:00:00Z")
        .containsEntry("n", 3L)
        .containsEntry("f", 1.5)
        .containsEntry("list", List.of(1L, "x"));
  }

  @Test
  void findConversationIdsListsSavedConversationsAndForgetsDeletedOnes() {
    assertThat(repository.findConversationIds()).isEmpty();
    repository.saveAll("a", List.of(new UserMessage("1")));
    clock.advance(Duration.ofSeconds(1));
    repository.saveAll("b", List.of(new UserMessage("2")));
    clock.advance(Duration.ofSeconds(1));
    repository.saveAll("c", List.of());
    assertThat(repository.findConversationIds()).containsExactly("a", "b", "c");

    repository.deleteByConversationId("b");
    assertThat(repository.findConversationIds()).containsExactly("a", "c");
    assertThat(repository.findByConversationId("b")).isEmpty();

    store.delete("spring-ai:conversation:a").join(); // deleted behind the repository's back
    assertThat(repository.findConversationIds()).containsExactly("c");
    assertThat(metadata.async().extension(dev.vectorcache.core.port.ScoredSets.class))
        .hasValueSatisfying(s -> assertThat(s.size("spring-ai:conversations").join()).isOne());
  }

  @Test
  void withATtlConversationsExpireAfterTheirLastSaveAndLeaveTheList() {
    VectorCacheChatMemoryRepository expiring =
        VectorCacheChatMemoryRepository.builder()
            .metadataStore(store)
            .keyPrefix("bot")
            .ttl(Duration.ofMinutes(10))
            .clock(clock)
            .build();
    assertThat(expiring.ttl()).contains(Duration.ofMinutes(10));
    assertThat(repository.ttl()).isEmpty();
    expiring.saveAll("old", List.of(new UserMessage("1")));
    expiring.saveAll("active", List.of(new UserMessage("1")));
    clock.advance(Duration.ofMinutes(8));
    expiring.findByConversationId("old"); // a read does not extend it
    expiring.saveAll("active", List.of(new UserMessage("1"), new AssistantMessage("2")));
    clock.advance(Duration.ofMinutes(3));
    assertThat(expiring.findByConversationId("old")).isEmpty();
    assertThat(expiring.findByConversationId("active")).hasSize(2);
    assertThat(expiring.findConversationIds()).containsExactly("active");
    assertThat(store.get("bot:conversation:active").join().orElseThrow().expiresAt())
        .isEqualTo(Instant.parse("2031-01-01T00:18:00Z"));
  }

  @Test
  void springAisMessageWindowChatMemoryRunsOverIt() {
    ChatMemory memory =
        MessageWindowChatMemory.builder().chatMemoryRepository(repository).maxMessages(3).build();
    memory.add("s", new UserMessage("one"));
    memory.add("s", new AssistantMessage("two"));
    memory.add("s", List.of(new UserMessage("three"), new AssistantMessage("four")));
    List<Message> window = memory.get("s");
    assertThat(window).isEqualTo(repository.findByConversationId("s"));
    assertThat(window)
        .hasSizeLessThanOrEqualTo(3)
        .extracting(Message::getText)
        .endsWith("three", "four");
    assertThat(repository.findConversationIds()).containsExactly("s");
    memory.clear("s");
    assertThat(repository.findConversationIds()).isEmpty();
  }

  @Test
  void badInputIsRefusedBeforeAnyWrite() {
    assertThatThrownBy(() -> repository.saveAll(" ", List.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("conversationId");
    assertThatThrownBy(() -> repository.findByConversationId("bad\uD800"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("conversationId");
    assertThatThrownBy(() -> repository.saveAll("c", null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("messages");
    List<Message> withNull = new ArrayList<>();
    withNull.add(new UserMessage("ok"));
    withNull.add(null);
    assertThatThrownBy(() -> repository.saveAll("c", withNull))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("messages[1]");
    Message image =
        UserMessage.builder()
            .text("look")
            .media(new Media(MimeTypeUtils.IMAGE_PNG, java.net.URI.create("https://x/y.png")))
            .build();
    assertThatThrownBy(() -> repository.saveAll("c", List.of(new UserMessage("ok"), image)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("messages[1].media");
    assertThat(repository.findConversationIds()).isEmpty();
    assertThat(store.get("spring-ai:conversation:c").join()).isEmpty();
    assertThatThrownBy(() -> VectorCacheChatMemoryRepository.builder().keyPrefix(" "))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> VectorCacheChatMemoryRepository.builder().ttl(Duration.ZERO))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> VectorCacheChatMemoryRepository.builder().build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("metadataStore");
  }

  @Test
  void aValueThatIsNotAConversationIsABackendError() {
    store
        .put(
            new MetadataEntry("spring-ai:conversation:x", Map.of("messages", "text"), 1, null),
            null)
        .join();
    assertThatThrownBy(() -> repository.findByConversationId("x"))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("spring-ai:conversation:x");
    store
        .put(
            new MetadataEntry(
                "spring-ai:conversation:y",
                Map.of("messages", List.of(Map.of("type", "robot", "text", "beep"))),
                1,
                null),
            null)
        .join();
    assertThatThrownBy(() -> repository.findByConversationId("y"))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("robot");
  }

  @Test
  void aStoreWithoutScoredSetsIsRefused() {
    AsyncMetadataStore plain =
        (AsyncMetadataStore)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {AsyncMetadataStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("isSupported")) {
                    return args[0] != Capability.SCORED_SETS
                        && store.isSupported((Capability) args[0]);
                  }
                  if (method.getName().equals("extension")) {
                    return Optional.empty();
                  }
                  try {
                    return method.invoke(store, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    assertThatThrownBy(() -> VectorCacheChatMemoryRepository.builder().metadataStore(plain).build())
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("SCORED_SETS");
  }
}
