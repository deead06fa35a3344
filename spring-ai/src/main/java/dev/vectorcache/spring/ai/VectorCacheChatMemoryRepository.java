package dev.vectorcache.spring.ai;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.Payloads;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.ScoredSets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.Message;

/**
 * A Spring AI {@link ChatMemoryRepository} over the library's metadata store ({@link
 * AsyncMetadataStore}: Redis through Lettuce or Jedis, or the embedded default), so that chat
 * memories outlive the application.
 *
 * <pre>{@code
 * ChatMemoryRepository repository = VectorCacheChatMemoryRepository.builder()
 *     .metadataStore(metadataStore)          // not closed by this repository
 *     .keyPrefix("support-bot")
 *     .ttl(Duration.ofDays(7))               // optional: forget idle conversations
 *     .build();
 * ChatMemory memory = MessageWindowChatMemory.builder().chatMemoryRepository(repository).build();
 * }</pre>
 *
 * <h2>Keys and values</h2>
 *
 * <p>One key per conversation, {@code <keyPrefix>:conversation:<conversationId>} (the metadata
 * store adds its own key prefix in front), whose entry holds one field, {@value #MESSAGES_FIELD}:
 * the list of messages as JSON objects with {@code type}, {@code text}, {@code metadata} and, for
 * assistant and tool messages, {@code toolCalls} and {@code toolResponses} (docs/spring.md, "Chat
 * memory"). Messages with media are refused. Metadata values that are not JSON values are stored as
 * their {@code toString()}; integers come back as {@code Long}s.
 *
 * <h2>Listing conversations</h2>
 *
 * <p>{@link #findConversationIds()} reads an index, the scored set {@code
 * <keyPrefix>:conversations} (the {@link ScoredSets} extension, {@link Capability#SCORED_SETS}),
 * whose members are the conversation ids scored by the time of their last save; the builder refuses
 * a store without that extension. Ids whose conversation has expired or was deleted by someone else
 * are removed from the index when the list is read. The list is ordered by last save, oldest first.
 *
 * <h2>Expiry</h2>
 *
 * <p>Without a {@linkplain Builder#ttl(Duration) TTL} a conversation stays until {@link
 * #deleteByConversationId(String)}. With one, its key expires {@code ttl} after its last {@link
 * #saveAll(String, List)}; reads never extend it, and an expired conversation reads as empty.
 *
 * <p>Each method blocks on the metadata store (each command bounded by the adapter's timeout);
 * failures are the library's exceptions. Thread-safe; the repository does not own the store.
 */
public final class VectorCacheChatMemoryRepository implements ChatMemoryRepository {
  /** The default key prefix. */
  public static final String DEFAULT_KEY_PREFIX = "spring-ai";

  /** The metadata field that holds the messages. */
  public static final String MESSAGES_FIELD = "messages";

  private final AsyncMetadataStore store;
  private final ScoredSets index;
  private final String keyPrefix;
  private final @Nullable Duration ttl;
  private final Clock clock;
  private final AtomicLong lastVersion = new AtomicLong();

  private VectorCacheChatMemoryRepository(Builder b, AsyncMetadataStore store, ScoredSets index) {
    this.store = store;
    this.index = index;
    this.keyPrefix = b.keyPrefix;
    this.ttl = b.ttl;
    this.clock = b.clock;
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The metadata-store key of a conversation.
   *
   * @param conversationId the id
   * @return {@code <keyPrefix>:conversation:<conversationId>}
   * @throws InvalidInputException for a null, blank or ill-formed id
   */
  public String key(String conversationId) {
    return keyPrefix + ":conversation:" + checkId(conversationId);
  }

  /**
   * The key of the index of conversation ids.
   *
   * @return {@code <keyPrefix>:conversations}
   */
  public String indexKey() {
    return keyPrefix + ":conversations";
  }

  /**
   * The TTL given to each save, if any.
   *
   * @return the TTL, or empty when conversations never expire
   */
  public Optional<Duration> ttl() {
    return Optional.ofNullable(ttl);
  }

  /**
   * The ids of the stored conversations, oldest save first; ids of expired or deleted conversations
   * are pruned from the index.
   *
   * @return the ids
   */
  @Override
  public List<String> findConversationIds() {
    String indexKey = indexKey();
    long size = Futures.join(index.size(indexKey));
    if (size == 0) {
      return List.of();
    }
    List<String> ids =
        Futures.join(index.lowest(indexKey, (int) Math.min(size, Integer.MAX_VALUE - 8)));
    List<String> keys = new ArrayList<>(ids.size());
    for (String id : ids) {
      keys.add(keyPrefix + ":conversation:" + id);
    }
    Map<String, MetadataEntry> found = Futures.join(store.getAll(keys));
    Instant now = clock.instant();
    List<String> live = new ArrayList<>(ids.size());
    List<String> gone = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      MetadataEntry entry = found.get(keys.get(i));
      if (entry == null || entry.isExpiredAt(now)) {
        gone.add(ids.get(i));
      } else {
        live.add(ids.get(i));
      }
    }
    if (!gone.isEmpty()) {
      Futures.join(index.remove(indexKey, gone));
    }
    return live;
  }

  /**
   * The messages of a conversation, in order.
   *
   * @param conversationId the id
   * @return a new list; empty when the conversation is missing or expired
   */
  @Override
  public List<Message> findByConversationId(String conversationId) {
    String key = key(conversationId);
    Optional<MetadataEntry> found = Futures.join(store.get(key));
    if (found.isEmpty() || found.get().isExpiredAt(clock.instant())) {
      return new ArrayList<>();
    }
    Object raw = found.get().metadata().get(MESSAGES_FIELD);
    if (!(raw instanceof List<?> list)) {
      throw MessageCodec.corrupt(key, "no list field \"" + MESSAGES_FIELD + "\"");
    }
    List<Message> messages = new ArrayList<>(list.size());
    for (Object o : list) {
      messages.add(MessageCodec.decode(o, key));
    }
    return messages;
  }

  /**
   * Replaces the messages of a conversation (one write, then the index; with a TTL, the expiry
   * starts again). All messages are checked before any I/O.
   *
   * @param conversationId the id
   * @param messages the whole conversation, in order; may be empty, not null
   * @throws InvalidInputException for a bad id, a null list or message, or a message with media
   */
  @Override
  public void saveAll(String conversationId, List<Message> messages) {
    String id = checkId(conversationId);
    String key = key(id);
    if (messages == null) {
      throw new InvalidInputException(
          "messages", "a list of messages (empty for none)", null, "use deleteByConversationId");
    }
    List<Object> encoded = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (m == null) {
        throw new InvalidInputException("messages[" + i + "]", "a message", null);
      }
      encoded.add(MessageCodec.encode(m, "messages[" + i + "]"));
    }
    Instant now = clock.instant();
    Instant expiresAt = ttl == null ? null : now.plus(ttl);
    MetadataEntry entry =
        new MetadataEntry(key, Map.of(MESSAGES_FIELD, encoded), version(), expiresAt);
    Futures.join(store.put(entry, ttl));
    Futures.join(
        index.update(List.of(ScoredSets.Update.set(indexKey(), id, (double) now.toEpochMilli()))));
  }

  /**
   * Deletes a conversation and its index entry; nothing happens when it does not exist.
   *
   * @param conversationId the id
   */
  @Override
  public void deleteByConversationId(String conversationId) {
    String id = checkId(conversationId);
    Futures.join(store.delete(key(id)));
    Futures.join(index.remove(indexKey(), List.of(id)));
  }

  private long version() {
    long now = clock.millis();
    return lastVersion.updateAndGet(last -> Math.max(last + 1, now));
  }

  private static String checkId(@Nullable String id) {
    return Payloads.requireWellFormedText("conversationId", id, "a non-blank conversation id");
  }

  @Override
  public String toString() {
    return "VectorCacheChatMemoryRepository{keyPrefix=" + keyPrefix + ", ttl=" + ttl + "}";
  }

  /** Builds a {@link VectorCacheChatMemoryRepository}; {@link #metadataStore} is required. */
  public static final class Builder {
    private @Nullable AsyncMetadataStore store;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private @Nullable Duration ttl;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The metadata store that holds the conversations (required); it must offer the {@link
     * ScoredSets} extension. Not closed by the repository.
     *
     * @param store the store's non-blocking form
     * @return this builder
     */
    public Builder metadataStore(AsyncMetadataStore store) {
      this.store = Objects.requireNonNull(store, "metadataStore");
      return this;
    }

    /**
     * The first part of every key, {@value VectorCacheChatMemoryRepository#DEFAULT_KEY_PREFIX} by
     * default.
     *
     * @param keyPrefix a non-blank, well-formed string
     * @return this builder
     * @throws InvalidInputException for a null, blank or ill-formed prefix
     */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Payloads.requireWellFormedText("keyPrefix", keyPrefix, "a non-blank string");
      return this;
    }

    /**
     * Conversations expire this long after their last save; never by default.
     *
     * @param ttl at least one millisecond
     * @return this builder
     * @throws InvalidInputException for a null TTL or one below a millisecond
     */
    public Builder ttl(Duration ttl) {
      if (ttl == null || ttl.compareTo(Duration.ofMillis(1)) < 0) {
        throw new InvalidInputException("ttl", "a duration of at least 1 ms", ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * The clock of expiry instants, versions and the index's scores; the system UTC clock by
     * default.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The repository.
     *
     * @return a new repository
     * @throws ConfigurationException without a metadata store
     * @throws UnsupportedCapabilityException when the store has no {@link ScoredSets} extension
     */
    public VectorCacheChatMemoryRepository build() {
      AsyncMetadataStore s = store;
      if (s == null) {
        throw new ConfigurationException(
            "VectorCacheChatMemoryRepository needs a metadataStore(...): the Redis or embedded"
                + " store that holds the conversations");
      }
      Optional<ScoredSets> sets = s.extension(ScoredSets.class);
      if (!s.isSupported(Capability.SCORED_SETS) || sets.isEmpty()) {
        throw new UnsupportedCapabilityException(
            "VectorCacheChatMemoryRepository needs a metadata store with scored sets ("
                + Capability.SCORED_SETS
                + ") to index conversation ids for findConversationIds(); "
                + s.getClass().getSimpleName()
                + " has none");
      }
      return new VectorCacheChatMemoryRepository(this, s, sets.get());
    }
  }
}
