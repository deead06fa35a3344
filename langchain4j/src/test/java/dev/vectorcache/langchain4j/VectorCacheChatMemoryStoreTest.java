package dev.vectorcache.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.testkit.CallRecorder.FailureMode;
import dev.vectorcache.testkit.MutableClock;
import dev.vectorcache.testkit.RecordingMetadataStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link VectorCacheChatMemoryStore} on the embedded metadata store, time from a test clock. */
class VectorCacheChatMemoryStoreTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2031-01-01T00:00:00Z"));
  private final InMemoryMetadataStore metadata = new InMemoryMetadataStore(clock);
  private final RecordingMetadataStore recorded = new RecordingMetadataStore(metadata);

  @AfterEach
  void close() {
    metadata.close();
  }

  private VectorCacheChatMemoryStore.Builder builder() {
    return VectorCacheChatMemoryStore.builder().metadataStore(recorded).clock(clock);
  }

  static List<ChatMessage> conversation() {
    ToolExecutionRequest call =
        ToolExecutionRequest.builder()
            .id("call-1")
            .name("weather")
            .arguments("{\"city\":\"Zürich\"}")
            .build();
    return List.of(
        SystemMessage.from("You are terse."),
        UserMessage.from("alice", "What is the weather in Zürich? 🌦"),
        AiMessage.from(call),
        ToolExecutionResultMessage.from(call, "12 °C, rain"),
        AiMessage.from("12 °C and rain."));
  }

  @Nested
  class ReadAndWrite {
    @Test
    void everyMessageTypeRoundTripsUnderOneKey() {
      VectorCacheChatMemoryStore store = builder().build();
      store.updateMessages("s1", conversation());

      assertThat(store.getMessages("s1")).isEqualTo(conversation());
      MetadataEntry entry = metadata.get("chat:s1").orElseThrow();
      assertThat(entry.metadata()).containsOnlyKeys(VectorCacheChatMemoryStore.MESSAGES_FIELD);
      assertThat(entry.metadata().get("messages")).isInstanceOf(String.class);
      assertThat(entry.expiresAt()).isNull();
    }

    @Test
    void aMissingMemoryIsAnEmptyModifiableList() {
      VectorCacheChatMemoryStore store = builder().build();
      List<ChatMessage> messages = store.getMessages("nobody");
      assertThat(messages).isEmpty();
      messages.add(UserMessage.from("hi"));
      assertThat(messages).hasSize(1);
    }

    @Test
    void anUpdateReplacesTheWholeListAndADeleteRemovesIt() {
      VectorCacheChatMemoryStore store = builder().build();
      store.updateMessages("s1", conversation());
      store.updateMessages("s1", List.of(UserMessage.from("only me")));
      assertThat(store.getMessages("s1")).containsExactly(UserMessage.from("only me"));

      store.updateMessages("s1", List.of());
      assertThat(store.getMessages("s1")).isEmpty();
      assertThat(metadata.get("chat:s1")).isPresent();

      store.deleteMessages("s1");
      assertThat(metadata.get("chat:s1")).isEmpty();
      assertThat(store.getMessages("s1")).isEmpty();
      store.deleteMessages("s1"); // deleting a missing memory does nothing
      assertThat(store.getMessages("s1")).isEmpty();
    }

    @Test
    void memoriesAreApartAndEachWriteHasANewVersion() {
      VectorCacheChatMemoryStore store = builder().build();
      store.updateMessages("a", List.of(UserMessage.from("for a")));
      long first = metadata.get("chat:a").orElseThrow().version();
      store.updateMessages("b", List.of(UserMessage.from("for b")));
      store.updateMessages("a", List.of(UserMessage.from("for a, again")));

      assertThat(store.getMessages("a")).containsExactly(UserMessage.from("for a, again"));
      assertThat(store.getMessages("b")).containsExactly(UserMessage.from("for b"));
      assertThat(metadata.get("chat:a").orElseThrow().version()).isGreaterThan(first);
    }

    @Test
    void idsAreTheirTextSoEqualTextsShareAMemory() {
      VectorCacheChatMemoryStore store = builder().keyPrefix("bot").build();
      UUID uuid = UUID.fromString("8f1c3b0e-5d1a-4c43-9a5e-0f6e2b7c9d10");
      store.updateMessages(42, List.of(UserMessage.from("number")));
      store.updateMessages(uuid, List.of(UserMessage.from("uuid")));

      assertThat(store.key(42)).isEqualTo("bot:42");
      assertThat(store.getMessages("42")).containsExactly(UserMessage.from("number"));
      assertThat(metadata.get("bot:" + uuid)).isPresent();
      assertThat(store.getMessages(uuid)).containsExactly(UserMessage.from("uuid"));
    }

    @Test
    void aNewStoreOverTheSameMetadataStoreReadsTheMessagesBack() {
      builder().build().updateMessages("s1", conversation());
      VectorCacheChatMemoryStore restarted =
          VectorCacheChatMemoryStore.builder().metadataStore(metadata.async()).build();
      assertThat(restarted.getMessages("s1")).isEqualTo(conversation());
    }

    @Test
    void theAsyncFormsDoTheSame() {
      VectorCacheChatMemoryStore store = builder().build();
      store.updateMessagesAsync("s1", conversation()).join();
      assertThat(store.getMessagesAsync("s1").join()).isEqualTo(conversation());
      store.deleteMessagesAsync("s1").join();
      assertThat(store.getMessagesAsync("s1").join()).isEmpty();
    }
  }

  @Nested
  class Expiry {
    @Test
    void withoutATtlAMemoryStays() {
      VectorCacheChatMemoryStore store = builder().build();
      store.updateMessages("s1", conversation());
      clock.advance(Duration.ofDays(3650));
      assertThat(store.getMessages("s1")).isEqualTo(conversation());
      assertThat(metadata.ttl("chat:s1")).contains(ChronoUnit.FOREVER.getDuration());
      assertThat(store.ttl()).isEmpty();
    }

    @Test
    void eachWriteStartsTheTtlAgainAndReadsDoNot() {
      VectorCacheChatMemoryStore store = builder().ttl(Duration.ofMinutes(10)).build();
      store.updateMessages("s1", List.of(UserMessage.from("one")));
      assertThat(metadata.get("chat:s1").orElseThrow().expiresAt())
          .isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
      assertThat(metadata.ttl("chat:s1")).contains(Duration.ofMinutes(10));

      clock.advance(Duration.ofMinutes(9));
      assertThat(store.getMessages("s1")).hasSize(1);
      store.updateMessages("s1", List.of(UserMessage.from("one"), UserMessage.from("two")));
      clock.advance(Duration.ofMinutes(9)); // 18 minutes after the first write, 9 after the last
      assertThat(store.getMessages("s1")).hasSize(2);
      clock.advance(Duration.ofMinutes(1)); // the read above did not extend it
      assertThat(store.getMessages("s1")).isEmpty();
      assertThat(store.ttl()).contains(Duration.ofMinutes(10));
    }

    @Test
    void anEntryPastItsExpiryIsNotReadEvenIfTheStoreStillHoldsIt() {
      MutableClock storeClock = MutableClock.at(clock.instant());
      InMemoryMetadataStore lagging = new InMemoryMetadataStore(storeClock);
      VectorCacheChatMemoryStore store =
          VectorCacheChatMemoryStore.builder()
              .metadataStore(lagging.async())
              .clock(clock)
              .ttl(Duration.ofMinutes(1))
              .build();
      store.updateMessages("s1", conversation());
      clock.advance(Duration.ofMinutes(2)); // the store's own clock has not moved
      assertThat(lagging.get("chat:s1")).isPresent();
      assertThat(store.getMessages("s1")).isEmpty();
      lagging.close();
    }
  }

  @Nested
  class WithLangChain4j {
    @Test
    void aMessageWindowChatMemoryKeepsItsWindowInTheStore() {
      VectorCacheChatMemoryStore store = builder().build();
      MessageWindowChatMemory memory =
          MessageWindowChatMemory.builder()
              .id("user-7")
              .maxMessages(3)
              .chatMemoryStore(store)
              .build();
      memory.add(SystemMessage.from("Be brief."));
      for (int i = 1; i <= 4; i++) {
        memory.add(UserMessage.from("question " + i));
      }

      List<ChatMessage> expected =
          List.of(
              SystemMessage.from("Be brief."),
              UserMessage.from("question 3"),
              UserMessage.from("question 4"));
      assertThat(store.getMessages("user-7")).isEqualTo(expected);
      MessageWindowChatMemory reopened =
          MessageWindowChatMemory.builder()
              .id("user-7")
              .maxMessages(3)
              .chatMemoryStore(builder().build())
              .build();
      assertThat(reopened.messages()).isEqualTo(expected);

      reopened.clear();
      assertThat(metadata.get("chat:user-7")).isEmpty();
      assertThat(memory.messages()).isEmpty();
    }
  }

  @Nested
  class BadInputAndFailures {
    @Test
    void badIdsAndMessagesAreRefusedBeforeAnyIo() {
      VectorCacheChatMemoryStore store = builder().build();
      assertThatThrownBy(() -> store.getMessages(null))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("memoryId"));
      assertThatThrownBy(() -> store.updateMessages(" ", List.of()))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.found()).isEqualTo("\" \""));
      assertThatThrownBy(() -> store.deleteMessages("cut \uD83D"))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("lone surrogate");
      assertThatThrownBy(() -> store.updateMessages("s1", null))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("messages"));
      List<ChatMessage> withNull = new ArrayList<>();
      withNull.add(UserMessage.from("ok"));
      withNull.add(null);
      assertThatThrownBy(() -> store.updateMessages("s1", withNull))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("messages[1]"));
      assertThatThrownBy(() -> store.getMessagesAsync(""))
          .isInstanceOf(InvalidInputException.class);
      assertThat(recorded.recorder().totalCalls()).isZero();
    }

    @Test
    void badSettingsAreRefused() {
      assertThatThrownBy(() -> VectorCacheChatMemoryStore.builder().build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("metadataStore");
      assertThatThrownBy(() -> builder().keyPrefix(""))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("keyPrefix"));
      assertThatThrownBy(() -> builder().keyPrefix("x\uDC00"))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("keyPrefix");
      assertThatThrownBy(() -> builder().ttl(Duration.ZERO))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("ttl"));
      assertThatThrownBy(() -> builder().ttl(Duration.ofNanos(999_999)))
          .isInstanceOf(InvalidInputException.class);
      assertThat(builder().keyPrefix("p").ttl(Duration.ofSeconds(5)).build().toString())
          .isEqualTo("VectorCacheChatMemoryStore{keyPrefix=p, ttl=PT5S}");
    }

    @Test
    void aStoreFailureIsTheLibrarysExceptionNotAWrapper() {
      VectorCacheChatMemoryStore store = builder().build();
      BackendUnavailableException down =
          new BackendUnavailableException("redis", "connection refused", null);
      recorded.recorder().failOn("get", FailureMode.FAIL, () -> down);
      recorded.recorder().failOn("put", FailureMode.FAIL, () -> down);
      recorded.recorder().failOn("delete", FailureMode.FAIL, () -> down);

      assertThatThrownBy(() -> store.getMessages("s1")).isSameAs(down);
      assertThatThrownBy(() -> store.updateMessages("s1", conversation())).isSameAs(down);
      assertThatThrownBy(() -> store.deleteMessages("s1")).isSameAs(down);
    }

    @Test
    void aValueThatIsNotAChatMemoryIsABackendException() {
      VectorCacheChatMemoryStore store = builder().build();
      metadata.put(new MetadataEntry("chat:other", Map.of("x", 1L), 1, null), null);
      metadata.put(new MetadataEntry("chat:bad", Map.of("messages", "not json"), 1, null), null);

      assertThatThrownBy(() -> store.getMessages("other"))
          .isInstanceOf(BackendException.class)
          .hasMessageContaining("not a chat memory");
      assertThatThrownBy(() -> store.getMessages("bad"))
          .isInstanceOf(BackendException.class)
          .hasMessageContaining("not LangChain4j's chat message JSON")
          .hasCauseInstanceOf(RuntimeException.class);
    }
  }
}
