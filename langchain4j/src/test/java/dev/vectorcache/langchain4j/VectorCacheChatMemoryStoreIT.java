package dev.vectorcache.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.redis.jedis.JedisMetadataStore;
import dev.vectorcache.redis.lettuce.LettuceMetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link VectorCacheChatMemoryStore} against a real redis-server through both Redis adapters: the
 * messages outlive the application (a new client and a new store read them back), the TTL is the
 * Redis key's and each write sets it again.
 */
@ExtendWith(RedisServerExtension.class)
class VectorCacheChatMemoryStoreIT {
  private static final AtomicInteger RUNS = new AtomicInteger();

  enum Client {
    LETTUCE,
    JEDIS
  }

  private final RedisServer server;
  private final String prefix = "chat-it-" + RUNS.incrementAndGet() + ":";
  private final List<MetadataStore> open = new ArrayList<>();

  VectorCacheChatMemoryStoreIT(RedisServer server) {
    this.server = server;
  }

  @AfterEach
  void closeAll() {
    open.forEach(MetadataStore::close);
  }

  /** A new client, as a restarted application would open it. */
  private MetadataStore connect(Client client) {
    MetadataStoreConfig config =
        MetadataStoreConfig.builder()
            .url(server.url())
            .keyPrefix(prefix)
            .commandTimeout(Duration.ofSeconds(2))
            .build();
    MetadataStore store =
        client == Client.LETTUCE
            ? LettuceMetadataStore.open(config)
            : JedisMetadataStore.open(config);
    open.add(store);
    return store;
  }

  private long pttl(String key) {
    return ((Number) server.command("PTTL", prefix + key)).longValue();
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void theMessagesSurviveAnApplicationRestart(Client client) {
    MetadataStore first = connect(client);
    VectorCacheChatMemoryStore store =
        VectorCacheChatMemoryStore.builder().metadataStore(first.async()).build();
    store.updateMessages("user-1", VectorCacheChatMemoryStoreTest.conversation());
    store.updateMessages(2, List.of(UserMessage.from("another memory")));
    first.close();
    open.remove(first);

    VectorCacheChatMemoryStore restarted =
        VectorCacheChatMemoryStore.builder().metadataStore(connect(client).async()).build();
    assertThat(restarted.getMessages("user-1"))
        .isEqualTo(VectorCacheChatMemoryStoreTest.conversation());
    assertThat(restarted.getMessages(2)).containsExactly(UserMessage.from("another memory"));
    assertThat(server.command("EXISTS", prefix + "chat:user-1")).isEqualTo(1L);
    assertThat(pttl("chat:user-1")).as("no TTL").isEqualTo(-1L);

    restarted.deleteMessages("user-1");
    assertThat(server.command("EXISTS", prefix + "chat:user-1")).isEqualTo(0L);
    assertThat(restarted.getMessages("user-1")).isEmpty();
    assertThat(restarted.getMessages("never-written")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void theTtlIsTheKeysAndEachWriteSetsItAgain(Client client) {
    VectorCacheChatMemoryStore store =
        VectorCacheChatMemoryStore.builder()
            .metadataStore(connect(client).async())
            .keyPrefix("bot")
            .ttl(Duration.ofMinutes(10))
            .build();
    store.updateMessages("s1", List.of(UserMessage.from("hello")));
    assertThat(pttl("bot:s1")).isBetween(Duration.ofMinutes(9).toMillis(), 600_000L);

    server.command("PEXPIRE", prefix + "bot:s1", "60000"); // as if 9 minutes had passed
    assertThat(store.getMessages("s1")).hasSize(1);
    assertThat(pttl("bot:s1")).as("a read does not extend it").isLessThanOrEqualTo(60_000L);
    store.updateMessages("s1", List.of(UserMessage.from("hello"), AiMessage.from("hi")));
    assertThat(pttl("bot:s1")).isGreaterThan(Duration.ofMinutes(9).toMillis());
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void anExpiredMemoryReadsAsEmpty(Client client) {
    VectorCacheChatMemoryStore store =
        VectorCacheChatMemoryStore.builder()
            .metadataStore(connect(client).async())
            .ttl(Duration.ofMillis(200))
            .build();
    store.updateMessages("short", List.of(UserMessage.from("soon gone")));
    // the stored expiry instant is taken just before the write, so the store may read the memory
    // as gone a few milliseconds before Redis drops the key: wait for Redis
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(server.command("EXISTS", prefix + "chat:short")).isEqualTo(0L));
    assertThat(store.getMessages("short")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void aMessageWindowChatMemoryResumesAfterARestart(Client client) {
    VectorCacheChatMemoryStore store =
        VectorCacheChatMemoryStore.builder().metadataStore(connect(client).async()).build();
    MessageWindowChatMemory memory =
        MessageWindowChatMemory.builder()
            .id("user-9")
            .maxMessages(2)
            .chatMemoryStore(store)
            .build();
    memory.add(UserMessage.from("first"));
    memory.add(AiMessage.from("second"));
    memory.add(UserMessage.from("third"));

    MessageWindowChatMemory resumed =
        MessageWindowChatMemory.builder()
            .id("user-9")
            .maxMessages(2)
            .chatMemoryStore(
                VectorCacheChatMemoryStore.builder().metadataStore(connect(client).async()).build())
            .build();
    List<ChatMessage> expected = List.of(AiMessage.from("second"), UserMessage.from("third"));
    assertThat(resumed.messages()).isEqualTo(expected);
    resumed.clear();
    assertThat(memory.messages()).isEmpty();
  }
}
