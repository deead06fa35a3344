package dev.vectorcache.spring.ai;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.VectorCacheException;
import dev.vectorcache.semantic.CachedResponse;
import dev.vectorcache.semantic.Scope;
import dev.vectorcache.semantic.SemanticCache;
import dev.vectorcache.semantic.SemanticHit;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.client.ChatClientMessageAggregator;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.Advisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A Spring AI {@link org.springframework.ai.chat.client.ChatClient} advisor that answers from a
 * {@link SemanticCache}: the same or a similar question, within the same scope, is answered without
 * calling the model; a miss calls the rest of the chain and stores the model's answer.
 *
 * <pre>{@code
 * ChatClient client = ChatClient.builder(chatModel)
 *     .defaultAdvisors(SemanticCacheAdvisor.builder().semanticCache(semanticCache).build())
 *     .build();
 * String answer = client.prompt().user("What is a vector cache?")
 *     .advisors(a -> a.param(SemanticCacheAdvisor.SCOPE_KEY, Scope.of("tenant", tenantId)))
 *     .call().content();
 * }</pre>
 *
 * <h2>Scope</h2>
 *
 * <p>Only answers stored in exactly the request's scope are served. By default the scope is read
 * from the request context under {@value #SCOPE_KEY} (an advisor parameter, as above) and must be a
 * {@link Scope}; a request without one fails with an {@link InvalidInputException} naming the key,
 * before the cache or the model is called: there is no shared "all users" scope by accident. A
 * {@linkplain Builder#scope(Function) scope function} replaces that rule. When the prompt has
 * system messages, the field {@code system} (the SHA-256 of their text) is added to the scope, so
 * that assistants with different instructions never share answers.
 *
 * <h2>What is cached</h2>
 *
 * <p>The cache key is the text of the prompt's last message, which must be a user message of text
 * alone. A request whose last message is not such a message (no user text, media) or whose options
 * carry tool callbacks passes through to the chain, neither looked up nor stored. An answer is
 * stored when it has text that is not blank and asks for no tool call; the call path stores it
 * before returning, the stream path after the last chunk, from the aggregated answer.
 *
 * <h2>A cached answer</h2>
 *
 * <p>A hit returns a {@link ChatResponse} of one generation with the cached text, finish reason
 * {@code STOP}, and metadata {@value #HIT_KEY} = {@code true}, {@value #TIER_KEY} = {@code exact}
 * or {@code semantic} and {@value #SCORE_KEY} = the hit's score; its id is {@code
 * vectorcache:<tier>:<entry key>}. A stream hit is one chunk.
 *
 * <h2>Failures</h2>
 *
 * <p>The cache never fails a chat: a lookup or a store that fails with a library exception is
 * logged at WARN (without the prompt) and the model answers as if there were no cache. The missing
 * scope above is the exception: it is the caller's error.
 */
public final class SemanticCacheAdvisor implements CallAdvisor, StreamAdvisor {
  /** The request-context key of the request's {@link Scope}. */
  public static final String SCOPE_KEY = "vectorcache.semantic-cache.scope";

  /** The response-metadata key that marks a cached answer ({@code true}). */
  public static final String HIT_KEY = "vectorcache.cache.hit";

  /** The response-metadata key of a cached answer's tier: {@code exact} or {@code semantic}. */
  public static final String TIER_KEY = "vectorcache.cache.tier";

  /** The response-metadata key of a cached answer's score (the collection's own terms). */
  public static final String SCORE_KEY = "vectorcache.cache.score";

  /** The default order: just after Spring AI's chat-memory advisors, so memory sees hits. */
  public static final int DEFAULT_ORDER = Advisor.DEFAULT_CHAT_MEMORY_PRECEDENCE_ORDER + 100;

  private static final Logger LOG = LoggerFactory.getLogger(SemanticCacheAdvisor.class);

  private final SemanticCache cache;
  private final int order;
  private final Function<ChatClientRequest, Scope> scope;

  private SemanticCacheAdvisor(Builder b, SemanticCache cache) {
    this.cache = cache;
    this.order = b.order;
    this.scope = b.scope;
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
   * Whether a response was served from the cache by this advisor.
   *
   * @param response a chat response, or null
   * @return true when its metadata holds {@value #HIT_KEY} = true
   */
  public static boolean isCacheHit(@Nullable ChatResponse response) {
    return response != null && Boolean.TRUE.equals(response.getMetadata().get(HIT_KEY));
  }

  /**
   * The default scope: the {@link Scope} in the request context under {@value #SCOPE_KEY}.
   *
   * @param request the request
   * @return the scope
   * @throws InvalidInputException when the context holds no scope there
   */
  public static Scope contextScope(ChatClientRequest request) {
    Object value = request.context().get(SCOPE_KEY);
    if (value instanceof Scope s) {
      return s;
    }
    throw new InvalidInputException(
        "context[" + SCOPE_KEY + "]",
        "a dev.vectorcache.semantic.Scope",
        value == null ? null : value.getClass().getName(),
        "pass .advisors(a -> a.param(SemanticCacheAdvisor.SCOPE_KEY, scope))");
  }

  @Override
  public String getName() {
    return "SemanticCacheAdvisor";
  }

  @Override
  public int getOrder() {
    return order;
  }

  /**
   * Answers from the cache, or from the chain (whose answer is then stored).
   *
   * @param request the request
   * @param chain the rest of the chain
   * @return the cached or the chain's response
   */
  @Override
  public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
    Key key = keyOf(request);
    if (key == null) {
      return chain.nextCall(request);
    }
    Optional<SemanticHit> hit = lookup(key);
    if (hit.isPresent()) {
      return hitResponse(request, hit.get());
    }
    ChatClientResponse response = chain.nextCall(request);
    String answer = cacheableText(response.chatResponse());
    if (answer != null) {
      store(key, answer);
    }
    return response;
  }

  /**
   * Answers from the cache in one chunk, or streams the chain's chunks and stores their aggregate
   * when the stream completes.
   *
   * @param request the request
   * @param chain the rest of the chain
   * @return the chunks
   */
  @Override
  public Flux<ChatClientResponse> adviseStream(
      ChatClientRequest request, StreamAdvisorChain chain) {
    Key key = keyOf(request);
    if (key == null) {
      return chain.nextStream(request);
    }
    return Mono.fromCallable(() -> lookup(key))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMapMany(
            hit -> {
              if (hit.isPresent()) {
                return Flux.just(hitResponse(request, hit.get()));
              }
              return new ChatClientMessageAggregator()
                  .aggregateChatClientResponse(
                      chain.nextStream(request),
                      aggregated -> {
                        String answer = cacheableText(aggregated.chatResponse());
                        if (answer != null) {
                          storeInBackground(key, answer);
                        }
                      });
            });
  }

  /** The scope and prompt of a request, or null when it passes through. */
  private @Nullable Key keyOf(ChatClientRequest request) {
    List<Message> messages = request.prompt().getInstructions();
    if (messages.isEmpty()
        || !(messages.get(messages.size() - 1) instanceof UserMessage user)
        || !user.getMedia().isEmpty()) {
      return null;
    }
    String text = user.getText();
    if (text == null || text.isBlank() || hasTools(request.prompt().getOptions())) {
      return null;
    }
    Scope s = scope.apply(request);
    if (s == null) {
      throw new InvalidInputException(
          "scope", "a Scope from the scope function", null, "return a scope for every request");
    }
    StringBuilder system = new StringBuilder();
    for (Message m : messages) {
      if (m instanceof SystemMessage sm && sm.getText() != null) {
        system.append(sm.getText().length()).append(':').append(sm.getText());
      }
    }
    return new Key(system.length() == 0 ? s : s.with("system", sha256(system.toString())), text);
  }

  private static boolean hasTools(@Nullable ChatOptions options) {
    if (options instanceof ToolCallingChatOptions t) {
      List<?> callbacks = t.getToolCallbacks();
      return callbacks != null && !callbacks.isEmpty();
    }
    return false;
  }

  private record Key(Scope scope, String prompt) {}

  private Optional<SemanticHit> lookup(Key key) {
    try {
      return cache.lookup(key.scope(), key.prompt());
    } catch (VectorCacheException e) {
      LOG.warn("semantic cache lookup failed, asking the model: {}", e.toString());
      return Optional.empty();
    }
  }

  private void store(Key key, String answer) {
    try {
      cache.put(key.scope(), key.prompt(), CachedResponse.of(answer));
    } catch (VectorCacheException e) {
      storeFailed(e);
    }
  }

  private void storeInBackground(Key key, String answer) {
    CompletableFuture<Void> put;
    try {
      put = cache.putAsync(key.scope(), key.prompt(), CachedResponse.of(answer));
    } catch (VectorCacheException e) {
      storeFailed(e);
      return;
    }
    CompletableFuture<?> unused =
        put.whenComplete(
            (done, failure) -> {
              if (failure != null) {
                Throwable cause = Futures.unwrap(failure);
                LOG.warn(
                    "semantic cache store failed, the answer is not cached: {}", cause.toString());
              }
            });
  }

  private static void storeFailed(VectorCacheException e) {
    LOG.warn("semantic cache store failed, the answer is not cached: {}", e.toString());
  }

  /** The answer's text when it may be cached: not blank, no tool call. */
  private static @Nullable String cacheableText(@Nullable ChatResponse response) {
    if (response == null || response.hasToolCalls()) {
      return null;
    }
    Generation result = response.getResult();
    if (result == null) {
      return null;
    }
    AssistantMessage output = result.getOutput();
    String text = output.getText();
    String finish = result.getMetadata().getFinishReason();
    if (text == null
        || text.isBlank()
        || output.hasToolCalls()
        || (finish != null && finish.toLowerCase(Locale.ROOT).contains("tool"))
        || (finish != null && finish.toLowerCase(Locale.ROOT).contains("filter"))) {
      return null;
    }
    return text;
  }

  private static ChatClientResponse hitResponse(ChatClientRequest request, SemanticHit hit) {
    String tier = hit.tier().name().toLowerCase(Locale.ROOT);
    ChatResponse chatResponse =
        ChatResponse.builder()
            .generations(
                List.of(
                    new Generation(
                        new AssistantMessage(hit.response().text()),
                        ChatGenerationMetadata.builder().finishReason("STOP").build())))
            .metadata(
                ChatResponseMetadata.builder()
                    .id("vectorcache:" + tier + ":" + hit.key())
                    .metadata(Map.of(HIT_KEY, true, TIER_KEY, tier, SCORE_KEY, hit.score()))
                    .build())
            .build();
    return ChatClientResponse.builder()
        .chatResponse(chatResponse)
        .context(request.context())
        .build();
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "SemanticCacheAdvisor{order=" + order + "}";
  }

  /** Builds a {@link SemanticCacheAdvisor}; the semantic cache is required. */
  public static final class Builder {
    private @Nullable SemanticCache cache;
    private int order = DEFAULT_ORDER;
    private Function<ChatClientRequest, Scope> scope = SemanticCacheAdvisor::contextScope;

    private Builder() {}

    /**
     * The semantic cache of the answers (required); not closed by the advisor.
     *
     * @param semanticCache the cache, initialised
     * @return this builder
     */
    public Builder semanticCache(SemanticCache semanticCache) {
      this.cache = Objects.requireNonNull(semanticCache, "semanticCache");
      return this;
    }

    /**
     * The advisor's order, {@link SemanticCacheAdvisor#DEFAULT_ORDER} by default.
     *
     * @param order the order (lower runs first)
     * @return this builder
     */
    public Builder order(int order) {
      this.order = order;
      return this;
    }

    /**
     * The scope of a request, instead of the context's {@value SemanticCacheAdvisor#SCOPE_KEY}.
     *
     * @param scope a function that returns a scope for every request (or throws)
     * @return this builder
     */
    public Builder scope(Function<ChatClientRequest, Scope> scope) {
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    /**
     * The advisor.
     *
     * @return a new advisor
     * @throws ConfigurationException without a semantic cache
     */
    public SemanticCacheAdvisor build() {
      SemanticCache c = cache;
      if (c == null) {
        throw new ConfigurationException(
            "SemanticCacheAdvisor needs a semanticCache(...): the cache of the answers");
      }
      return new SemanticCacheAdvisor(this, c);
    }
  }
}
