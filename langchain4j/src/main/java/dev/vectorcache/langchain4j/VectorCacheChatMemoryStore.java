package dev.vectorcache.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.Payloads;
import dev.vectorcache.core.port.AsyncMetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A LangChain4j {@link ChatMemoryStore} over the library's metadata store ({@link
 * AsyncMetadataStore}: Redis through Lettuce or Jedis, or the embedded default), so that a chat
 * memory outlives the application: a new store over the same Redis reads the messages back.
 *
 * <pre>{@code
 * ChatMemoryStore store = VectorCacheChatMemoryStore.builder()
 *     .metadataStore(metadataStore)          // not closed by this store
 *     .keyPrefix("support-bot")
 *     .ttl(Duration.ofDays(7))               // optional: forget idle conversations
 *     .build();
 * ChatMemory memory = MessageWindowChatMemory.builder()
 *     .id("user-42").maxMessages(20).chatMemoryStore(store).build();
 * }</pre>
 *
 * <h2>Keys and values</h2>
 *
 * <p>One key per memory id: {@code <keyPrefix>:<memoryId>} (the metadata store adds its own
 * configured key prefix in front). LangChain4j's memory ids are {@code Object}s: the key uses
 * {@link String#valueOf(Object)} of the id, so give ids whose {@code toString()} is stable and
 * distinct (a {@code String}, a number, a {@code UUID}); two ids with the same text share one
 * memory. A null id, an id whose text is blank or is not well-formed UTF-16 is refused with an
 * {@link InvalidInputException} naming {@code memoryId}, before any I/O.
 *
 * <p>The value is one {@link MetadataEntry} whose metadata holds one string field, {@value
 * #MESSAGES_FIELD}: the whole list as LangChain4j's own JSON ({@link
 * ChatMessageSerializer#messagesToJson(List)}), read back with {@link
 * ChatMessageDeserializer#messagesFromJson(String)}. Its version is a number that grows with each
 * write of this store instance (informational only) and its {@code expiresAt} the write's expiry.
 *
 * <h2>Expiry</h2>
 *
 * <p>Without a {@linkplain Builder#ttl(Duration) TTL} a memory stays until {@link
 * #deleteMessages(Object)}. With one, the key expires {@code ttl} after its last write: every
 * {@link #updateMessages(Object, List)} rewrites the key with a fresh TTL (so an active
 * conversation stays, an idle one goes), while reads never extend it. An expired memory reads as an
 * empty list.
 *
 * <h2>Blocking and failures</h2>
 *
 * <p>LangChain4j's interface is blocking: each method waits for the metadata store's future (each
 * call is bounded by the adapter's command timeout). The {@code ...Async} methods of the interface
 * are implemented without blocking. Failures are the library's exceptions ({@code
 * BackendUnavailableException}, {@code BackendTimeoutException}, ...); a value under the key that
 * is not a chat memory written by this class is a {@link BackendException}. Thread-safe; this store
 * does not own the metadata store, whose owner closes it.
 */
public final class VectorCacheChatMemoryStore implements ChatMemoryStore {
  /** The default key prefix. */
  public static final String DEFAULT_KEY_PREFIX = "chat";

  /** The metadata field that holds the messages' JSON. */
  public static final String MESSAGES_FIELD = "messages";

  private static final String BACKEND = "metadata store";

  private final AsyncMetadataStore store;
  private final String keyPrefix;
  private final @Nullable Duration ttl;
  private final Clock clock;
  private final AtomicLong lastVersion = new AtomicLong();

  private VectorCacheChatMemoryStore(Builder b) {
    this.store = Objects.requireNonNull(b.store, "metadataStore");
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
   * The metadata-store key of a memory: {@code <keyPrefix>:<memoryId>}.
   *
   * @param memoryId the memory id
   * @return the key
   * @throws InvalidInputException for a null id, or one whose text is blank or ill-formed
   */
  public String key(Object memoryId) {
    return keyPrefix + ":" + checkId(memoryId);
  }

  /**
   * The TTL given to each write, if any.
   *
   * @return the TTL, or empty when memories never expire
   */
  public Optional<Duration> ttl() {
    return Optional.ofNullable(ttl);
  }

  /**
   * The messages of a memory, in order.
   *
   * @param memoryId the memory id
   * @return a new, modifiable list; empty when the memory is missing or expired
   * @throws InvalidInputException before any I/O for a bad id
   */
  @Override
  public List<ChatMessage> getMessages(Object memoryId) {
    return Futures.join(getMessagesAsync(memoryId));
  }

  /**
   * Replaces the messages of a memory (one write; with a TTL, its expiry starts again).
   *
   * @param memoryId the memory id
   * @param messages the whole memory, in order; may be empty, not null
   * @throws InvalidInputException before any I/O for a bad id or a null list or message
   */
  @Override
  public void updateMessages(Object memoryId, List<ChatMessage> messages) {
    Futures.join(updateMessagesAsync(memoryId, messages));
  }

  /**
   * Deletes a memory; nothing happens when it does not exist.
   *
   * @param memoryId the memory id
   * @throws InvalidInputException before any I/O for a bad id
   */
  @Override
  public void deleteMessages(Object memoryId) {
    Futures.join(deleteMessagesAsync(memoryId));
  }

  /**
   * The non-blocking form of {@link #getMessages(Object)}: a bad id is thrown at once, a store
   * failure fails the future.
   */
  @Override
  public CompletableFuture<List<ChatMessage>> getMessagesAsync(Object memoryId) {
    String key = key(memoryId);
    return store.get(key).thenApply(found -> found.map(this::decode).orElseGet(ArrayList::new));
  }

  /**
   * The non-blocking form of {@link #updateMessages(Object, List)}: bad input is thrown at once, a
   * store failure fails the future.
   */
  @Override
  public CompletableFuture<Void> updateMessagesAsync(Object memoryId, List<ChatMessage> messages) {
    String key = key(memoryId);
    String json = ChatMessageSerializer.messagesToJson(checkMessages(messages));
    Instant expiresAt = ttl == null ? null : clock.instant().plus(ttl);
    MetadataEntry entry =
        new MetadataEntry(key, Map.of(MESSAGES_FIELD, json), version(), expiresAt);
    return store.put(entry, ttl);
  }

  /**
   * The non-blocking form of {@link #deleteMessages(Object)}: a bad id is thrown at once, a store
   * failure fails the future.
   */
  @Override
  public CompletableFuture<Void> deleteMessagesAsync(Object memoryId) {
    String key = key(memoryId);
    return store.delete(key).thenApply(existed -> null);
  }

  private List<ChatMessage> decode(MetadataEntry entry) {
    if (entry.isExpiredAt(clock.instant())) {
      return new ArrayList<>();
    }
    Object json = entry.metadata().get(MESSAGES_FIELD);
    if (!(json instanceof String text)) {
      throw new BackendException(
          BACKEND,
          "the value of "
              + entry.key()
              + " is not a chat memory (no string field \""
              + MESSAGES_FIELD
              + "\"); was the key written by another program?",
          null);
    }
    try {
      return new ArrayList<>(ChatMessageDeserializer.messagesFromJson(text));
    } catch (RuntimeException e) {
      throw new BackendException(
          BACKEND,
          "the value of "
              + entry.key()
              + " is not LangChain4j's chat message JSON ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
  }

  /** A version larger than the last one this instance wrote, near the clock's milliseconds. */
  private long version() {
    long now = clock.millis();
    return lastVersion.updateAndGet(last -> Math.max(last + 1, now));
  }

  private static String checkId(@Nullable Object memoryId) {
    if (memoryId == null) {
      throw new InvalidInputException(
          "memoryId", "a memory id (String, number, UUID, ...)", null, "give every memory an id");
    }
    String id = String.valueOf(memoryId);
    return Payloads.requireWellFormedText("memoryId", id, "an id whose text is not blank");
  }

  private static List<ChatMessage> checkMessages(@Nullable List<ChatMessage> messages) {
    if (messages == null) {
      throw new InvalidInputException(
          "messages", "a list of messages (empty for none)", null, "use deleteMessages to drop it");
    }
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i) == null) {
        throw new InvalidInputException("messages[" + i + "]", "a message", null);
      }
    }
    return messages;
  }

  @Override
  public String toString() {
    return "VectorCacheChatMemoryStore{keyPrefix=" + keyPrefix + ", ttl=" + ttl + "}";
  }

  /** Builds a {@link VectorCacheChatMemoryStore}; {@link #metadataStore} is required. */
  public static final class Builder {
    private @Nullable AsyncMetadataStore store;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private @Nullable Duration ttl;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The metadata store that holds the memories (required). Not closed by the chat memory store.
     *
     * @param store the store's non-blocking form ({@code MetadataStore.async()} for a blocking one)
     * @return this builder
     */
    public Builder metadataStore(AsyncMetadataStore store) {
      this.store = Objects.requireNonNull(store, "metadataStore");
      return this;
    }

    /**
     * The first part of every key, {@value VectorCacheChatMemoryStore#DEFAULT_KEY_PREFIX} by
     * default: keys are {@code <keyPrefix>:<memoryId>}.
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
     * Memories expire this long after their last write (each write starts it again); none by
     * default.
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
     * The clock of the entries' expiry instants and versions; the system UTC clock by default.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The store.
     *
     * @return a new store
     * @throws ConfigurationException without a metadata store
     */
    public VectorCacheChatMemoryStore build() {
      if (store == null) {
        throw new ConfigurationException(
            "VectorCacheChatMemoryStore needs a metadataStore(...): the Redis or embedded store"
                + " that holds the memories");
      }
      return new VectorCacheChatMemoryStore(this);
    }
  }
}
