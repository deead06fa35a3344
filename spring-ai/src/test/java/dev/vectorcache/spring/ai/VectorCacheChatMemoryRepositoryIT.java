package dev.vectorcache.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.redis.lettuce.LettuceAsyncMetadataStore;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.testkit.redis.RedisServer;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.ai.chat.messages.UserMessage;

/**
 * {@link VectorCacheChatMemoryRepository} against a real redis-server through Lettuce: the
 * conversations and their index outlive the application, the TTL is the Redis key's.
 */
@ExtendWith(RedisServerExtension.class)
class VectorCacheChatMemoryRepositoryIT {
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final RedisServer server;
  private final String prefix = "sai-chat-it-" + RUNS.incrementAndGet() + ":";
  private final List<LettuceAsyncMetadataStore> open = new ArrayList<>();

  VectorCacheChatMemoryRepositoryIT(RedisServer server) {
    this.server = server;
  }

  @AfterEach
  void closeAll() {
    open.forEach(LettuceAsyncMetadataStore::close);
  }

  /** A new client, as a restarted application would open it. */
  private LettuceAsyncMetadataStore connect() {
    LettuceAsyncMetadataStore store =
        LettuceAsyncMetadataStore.open(
            MetadataStoreConfig.builder()
                .url(server.url())
                .keyPrefix(prefix)
                .commandTimeout(Duration.ofSeconds(2))
                .build());
    open.add(store);
    return store;
  }

  private long pttl(String key) {
    return ((Number) server.command("PTTL", prefix + key)).longValue();
  }

  @Test
  void conversationsAndTheirListSurviveARestart() {
    LettuceAsyncMetadataStore first = connect();
    VectorCacheChatMemoryRepository repository =
        VectorCacheChatMemoryRepository.builder().metadataStore(first).build();
    repository.saveAll("user-1", VectorCacheChatMemoryRepositoryTest.conversation());
    repository.saveAll("user-2", List.of(new UserMessage("another")));
    first.close();
    open.remove(first);

    VectorCacheChatMemoryRepository restarted =
        VectorCacheChatMemoryRepository.builder().metadataStore(connect()).build();
    assertThat(restarted.findByConversationId("user-1"))
        .isEqualTo(VectorCacheChatMemoryRepositoryTest.conversation());
    assertThat(restarted.findConversationIds()).containsExactlyInAnyOrder("user-1", "user-2");
    assertThat(server.command("EXISTS", prefix + "spring-ai:conversation:user-1")).isEqualTo(1L);
    assertThat(pttl("spring-ai:conversation:user-1")).as("no TTL").isEqualTo(-1L);

    restarted.deleteByConversationId("user-1");
    assertThat(server.command("EXISTS", prefix + "spring-ai:conversation:user-1")).isEqualTo(0L);
    assertThat(restarted.findConversationIds()).containsExactly("user-2");
  }

  @Test
  void theTtlIsTheKeysAndAnExpiredConversationLeavesTheList() {
    VectorCacheChatMemoryRepository repository =
        VectorCacheChatMemoryRepository.builder()
            .metadataStore(connect())
            .keyPrefix("bot")
            .ttl(Duration.ofMinutes(10))
            .build();
    repository.saveAll("s1", List.of(new UserMessage("hello")));
    repository.saveAll("s2", List.of(new UserMessage("hello")));
    assertThat(pttl("bot:conversation:s1")).isBetween(Duration.ofMinutes(9).toMillis(), 600_000L);

    server.command("DEL", prefix + "bot:conversation:s1"); // as if it had expired
    assertThat(repository.findByConversationId("s1")).isEmpty();
    assertThat(repository.findConversationIds()).containsExactly("s2");
    assertThat(server.command("ZCARD", prefix + "bot:conversations")).isEqualTo(1L);
  }
}
