package dev.vectorcache.spring.boot;

import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.spring.ai.VectorCacheChatMemoryRepository;
import java.time.Duration;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * A Spring AI {@link ChatMemoryRepository} on the metadata store bean, when Spring AI's chat memory
 * and the vectorcache-spring-ai module are on the classpath and {@code
 * vectorcache.spring-ai.chat-memory.enabled} is not false. Ordered before Spring AI's own chat
 * memory auto-configuration, whose in-memory repository then backs off; an application's own {@code
 * ChatMemoryRepository} bean wins over both.
 */
@AutoConfiguration(
    after = VectorCacheAutoConfiguration.class,
    beforeName =
        "org.springframework.ai.model.chat.memory.autoconfigure.ChatMemoryAutoConfiguration")
@ConditionalOnClass({ChatMemoryRepository.class, VectorCacheChatMemoryRepository.class})
@ConditionalOnBean(AsyncMetadataStore.class)
@ConditionalOnProperty(
    prefix = VectorCacheProperties.PREFIX + ".spring-ai.chat-memory",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
public class VectorCacheChatMemoryAutoConfiguration {
  private static final String P = VectorCacheProperties.PREFIX + ".spring-ai.chat-memory";

  /** Creates the auto-configuration. */
  public VectorCacheChatMemoryAutoConfiguration() {}

  /**
   * The conversations, in the metadata store under {@code
   * vectorcache.spring-ai.chat-memory.key-prefix}.
   *
   * @param metadata the metadata store bean (it needs sorted sets: Redis or the in-process store)
   * @param properties the properties
   * @return the repository
   */
  @Bean
  @ConditionalOnMissingBean(ChatMemoryRepository.class)
  public VectorCacheChatMemoryRepository vectorCacheChatMemoryRepository(
      AsyncMetadataStore metadata, VectorCacheProperties properties) {
    VectorCacheProperties.ChatMemory c = properties.getSpringAi().getChatMemory();
    VectorCacheChatMemoryRepository.Builder b =
        VectorCacheChatMemoryRepository.builder().metadataStore(metadata);
    PropertyChecks.at(P + ".key-prefix", () -> b.keyPrefix(c.getKeyPrefix()));
    Duration ttl = c.getTtl();
    if (ttl != null) {
      PropertyChecks.at(P + ".ttl", () -> b.ttl(ttl));
    }
    return PropertyChecks.at(P, b::build);
  }
}
