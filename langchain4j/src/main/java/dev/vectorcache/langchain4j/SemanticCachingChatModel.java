package dev.vectorcache.langchain4j;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.output.FinishReason;
import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.VectorCacheException;
import dev.vectorcache.semantic.CachedResponse;
import dev.vectorcache.semantic.PutOptions;
import dev.vectorcache.semantic.Scope;
import dev.vectorcache.semantic.SemanticCache;
import dev.vectorcache.semantic.SemanticHit;
import dev.vectorcache.semantic.TtlPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A LangChain4j {@link ChatModel} that answers from a {@link SemanticCache} and stores the answers
 * of the model it wraps: the same or a similar question, within the same scope, is answered without
 * calling the model again. Use it wherever a {@code ChatModel} goes, AI services included.
 *
 * <pre>{@code
 * ChatModel model = SemanticCachingChatModel.builder()
 *     .delegate(openAiModel)
 *     .semanticCache(semanticCache)
 *     .scope(request -> Scope.of("tenant", currentTenant()).with("model", "gpt-4o-mini"))
 *     .build();
 * Assistant assistant = AiServices.create(Assistant.class, model);
 * }</pre>
 *
 * <h2>What is cached</h2>
 *
 * <p>The cache key of a request is its <b>prompt</b> (by default the text of its last message,
 * which must be a {@link UserMessage} of text alone) within its <b>scope</b>. These requests bypass
 * the cache and go straight to the model, neither looked up nor stored:
 *
 * <ul>
 *   <li>requests with tool specifications (the answer may be a tool call, and tools have effects);
 *   <li>requests whose {@linkplain Builder#prompt(Function) prompt function} returns null or a
 *       blank text: with the default one, those whose last message is not a user message of text
 *       alone (a tool result, an image, ...).
 * </ul>
 *
 * <p>On a miss the model's answer is stored when it has text that is not blank, asks for no tool
 * execution and did not finish for a tool call or a content filter. The store is done before the
 * answer is returned (an embedding and one write), so the next identical question is a hit.
 *
 * <h2>Scope</h2>
 *
 * <p>The default scope is {@code model} = the request's model name (or the wrapped model's default
 * one, or {@code "default"} when neither names one) and, when the request has system messages,
 * {@code system} = the SHA-256 of their text, so that assistants with different instructions never
 * share answers. It does not separate users or tenants: <b>a multi-tenant application must give a
 * {@linkplain Builder#scope(Function) scope function}</b> that puts the tenant (and the user, when
 * answers are personal) into the scope, or one user may be served another's answer. The default
 * prompt is the last user message alone: an answer that depends on earlier turns of a conversation
 * is served for the same question in another conversation of the same scope; put the conversation
 * into the scope, or the turns into the prompt, when that matters.
 *
 * <h2>A cached answer</h2>
 *
 * <p>A hit returns a {@link ChatResponse} with an {@link AiMessage} of the cached text, finish
 * reason {@link FinishReason#STOP}, no token usage, the model name that wrote the answer (kept in
 * the entry's metadata field {@value #MODEL_NAME_FIELD}) and an id that starts with {@value
 * #CACHE_HIT_ID_PREFIX} followed by the cache tier ({@code exact} or {@code semantic}) and the
 * entry's key: {@link #isCacheHit(ChatResponse)} tells a cached answer.
 *
 * <h2>Failures</h2>
 *
 * <p>The cache never fails a chat: when a lookup or a store fails with a library exception (a
 * backend down or slow, an embedding the cache refuses), the failure is logged at WARN (without the
 * prompt) and the model answers as if there were no cache. Exceptions of the model, and of the
 * scope and prompt functions, are the caller's, unchanged.
 *
 * <p>{@link #chatAsync(ChatRequest)} does the same without blocking, over the cache's {@code
 * ...Async} calls and the wrapped model's own {@code chatAsync}. Streaming is not covered: wrap a
 * {@code ChatModel}, not a {@code StreamingChatModel}.
 */
public final class SemanticCachingChatModel implements ChatModel {
  /** The start of the id of a cached answer's response: {@code vectorcache:<tier>:<key>}. */
  public static final String CACHE_HIT_ID_PREFIX = "vectorcache:";

  /** The metadata field of a cached answer that holds the name of the model that wrote it. */
  public static final String MODEL_NAME_FIELD = "lc4j_model_name";

  /** The scope's model field when neither the request nor the model names a model. */
  public static final String DEFAULT_MODEL_NAME = "default";

  private static final Logger LOG = LoggerFactory.getLogger(SemanticCachingChatModel.class);

  private final ChatModel delegate;
  private final SemanticCache cache;
  private final @Nullable Function<ChatRequest, Scope> scope;
  private final @Nullable Function<ChatRequest, String> prompt;
  private final PutOptions putOptions;

  private SemanticCachingChatModel(Builder b) {
    this.delegate = Objects.requireNonNull(b.delegate, "delegate");
    this.cache = Objects.requireNonNull(b.cache, "semanticCache");
    this.scope = b.scope;
    this.prompt = b.prompt;
    this.putOptions = b.ttl == null ? PutOptions.DEFAULT : PutOptions.builder().ttl(b.ttl).build();
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
   * Whether a response was served from the cache by a {@code SemanticCachingChatModel}.
   *
   * @param response a response
   * @return true when its id starts with {@value #CACHE_HIT_ID_PREFIX}
   */
  public static boolean isCacheHit(ChatResponse response) {
    String id = response.id();
    return id != null && id.startsWith(CACHE_HIT_ID_PREFIX);
  }

  /**
   * The default prompt: the text of the last message when it is a user message of text alone.
   *
   * @param request the request
   * @return the text, or null when the last message is not such a user message
   */
  public static @Nullable String lastUserText(ChatRequest request) {
    List<ChatMessage> messages = request.messages();
    if (messages.isEmpty()
        || !(messages.get(messages.size() - 1) instanceof UserMessage user)
        || !user.hasSingleText()) {
      return null;
    }
    return user.singleText();
  }

  /**
   * Answers from the cache, or from the wrapped model (whose answer is then stored).
   *
   * @param request the request
   * @return the cached or the model's response
   */
  @Override
  public ChatResponse chat(ChatRequest request) {
    return chat(request, ChatRequestOptions.EMPTY);
  }

  /**
   * Answers from the cache, or from the wrapped model with these options (whose answer is then
   * stored).
   *
   * @param request the request
   * @param options the options given to the wrapped model on a miss
   * @return the cached or the model's response
   */
  @Override
  public ChatResponse chat(ChatRequest request, ChatRequestOptions options) {
    Objects.requireNonNull(request, "request");
    Key key = keyOf(request);
    if (key == null) {
      return delegate.chat(request, options);
    }
    Optional<SemanticHit> hit = lookup(key);
    if (hit.isPresent()) {
      return cachedResponse(hit.get(), key);
    }
    ChatResponse response = delegate.chat(request, options);
    if (cacheable(response)) {
      store(key, response);
    }
    return response;
  }

  /**
   * The non-blocking form of {@link #chat(ChatRequest)}.
   *
   * @param request the request
   * @return completes with the cached or the model's response
   */
  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    return chatAsync(request, ChatRequestOptions.EMPTY);
  }

  /**
   * The non-blocking form of {@link #chat(ChatRequest, ChatRequestOptions)}: the lookup and the
   * store are the cache's {@code ...Async} calls, a miss is the wrapped model's {@code chatAsync}
   * (which fails when that model has no asynchronous form). The scope and prompt functions run on
   * the caller's thread; their exceptions are thrown.
   *
   * @param request the request
   * @param options the options given to the wrapped model on a miss
   * @return completes with the cached or the model's response
   */
  @Override
  public CompletableFuture<ChatResponse> chatAsync(
      ChatRequest request, ChatRequestOptions options) {
    Objects.requireNonNull(request, "request");
    Key key = keyOf(request);
    if (key == null) {
      return delegate.chatAsync(request, options);
    }
    return lookupAsync(key)
        .thenCompose(
            hit -> {
              if (hit.isPresent()) {
                return CompletableFuture.completedFuture(cachedResponse(hit.get(), key));
              }
              return delegate
                  .chatAsync(request, options)
                  .thenCompose(
                      response ->
                          cacheable(response)
                              ? storeAsync(key, response).thenApply(stored -> response)
                              : CompletableFuture.completedFuture(response));
            });
  }

  /** The scope and prompt of a request, or null when it bypasses the cache. */
  private @Nullable Key keyOf(ChatRequest request) {
    List<ToolSpecification> tools = request.toolSpecifications();
    if (tools != null && !tools.isEmpty()) {
      return null;
    }
    String text = prompt != null ? prompt.apply(request) : lastUserText(request);
    if (text == null || text.isBlank()) {
      return null;
    }
    Scope s = scope != null ? scope.apply(request) : defaultScope(request);
    if (s == null) {
      throw new InvalidInputException(
          "scope", "a Scope from the scope function", null, "return a scope for every request");
    }
    return new Key(s, text);
  }

  private record Key(Scope scope, String prompt) {}

  private Optional<SemanticHit> lookup(Key key) {
    try {
      return cache.lookup(key.scope(), key.prompt());
    } catch (VectorCacheException e) {
      return lookupFailed(e);
    }
  }

  private CompletableFuture<Optional<SemanticHit>> lookupAsync(Key key) {
    CompletableFuture<Optional<SemanticHit>> lookup;
    try {
      lookup = cache.lookupAsync(key.scope(), key.prompt());
    } catch (VectorCacheException e) {
      return CompletableFuture.completedFuture(lookupFailed(e));
    }
    return lookup.handle(
        (hit, failure) -> {
          if (failure == null) {
            return hit;
          }
          return lookupFailed(cacheFailure(failure));
        });
  }

  private static Optional<SemanticHit> lookupFailed(VectorCacheException e) {
    LOG.warn("semantic cache lookup failed, asking the model: {}", e.toString());
    return Optional.empty();
  }

  private void store(Key key, ChatResponse response) {
    try {
      cache.put(key.scope(), key.prompt(), toCached(response), putOptions);
    } catch (VectorCacheException e) {
      storeFailed(e);
    }
  }

  private CompletableFuture<Void> storeAsync(Key key, ChatResponse response) {
    CompletableFuture<Void> put;
    try {
      put = cache.putAsync(key.scope(), key.prompt(), toCached(response), putOptions);
    } catch (VectorCacheException e) {
      storeFailed(e);
      return CompletableFuture.completedFuture(null);
    }
    return put.handle(
        (done, failure) -> {
          if (failure != null) {
            storeFailed(cacheFailure(failure));
          }
          return null;
        });
  }

  private static void storeFailed(VectorCacheException e) {
    LOG.warn("semantic cache store failed, the answer is not cached: {}", e.toString());
  }

  /** The library's exception behind a failed future; anything else is rethrown as it is. */
  private static VectorCacheException cacheFailure(Throwable failure) {
    Throwable cause = Futures.unwrap(failure);
    if (cause instanceof VectorCacheException e) {
      return e;
    }
    throw failure instanceof CompletionException c ? c : new CompletionException(cause);
  }

  private static CachedResponse toCached(ChatResponse response) {
    String modelName = response.modelName();
    Map<String, Object> metadata =
        modelName == null ? Map.of() : Map.of(MODEL_NAME_FIELD, modelName);
    return new CachedResponse(response.aiMessage().text(), metadata);
  }

  private static boolean cacheable(ChatResponse response) {
    AiMessage message = response.aiMessage();
    FinishReason finish = response.finishReason();
    return message != null
        && message.text() != null
        && !message.text().isBlank()
        && !message.hasToolExecutionRequests()
        && finish != FinishReason.TOOL_EXECUTION
        && finish != FinishReason.CONTENT_FILTER;
  }

  private static ChatResponse cachedResponse(SemanticHit hit, Key key) {
    Object writer = hit.response().metadata().get(MODEL_NAME_FIELD);
    String modelName = writer instanceof String name ? name : key.scope().fields().get("model");
    return ChatResponse.builder()
        .aiMessage(AiMessage.from(hit.response().text()))
        .metadata(
            ChatResponseMetadata.builder()
                .id(
                    CACHE_HIT_ID_PREFIX
                        + hit.tier().name().toLowerCase(Locale.ROOT)
                        + ":"
                        + hit.key())
                .modelName(modelName)
                .finishReason(FinishReason.STOP)
                .build())
        .build();
  }

  /** {@code model} and, with system messages, {@code system}: see the class description. */
  private Scope defaultScope(ChatRequest request) {
    String model = request.modelName();
    if (model == null || model.isBlank()) {
      ChatRequestParameters defaults = delegate.defaultRequestParameters();
      model = defaults == null ? null : defaults.modelName();
    }
    Scope s = Scope.of("model", model == null || model.isBlank() ? DEFAULT_MODEL_NAME : model);
    StringBuilder system = new StringBuilder();
    for (ChatMessage m : request.messages()) {
      if (m instanceof SystemMessage sm) {
        system.append(sm.text().length()).append(':').append(sm.text());
      }
    }
    return system.length() == 0 ? s : s.with("system", sha256(system.toString()));
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The wrapped model's default parameters. */
  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return delegate.defaultRequestParameters();
  }

  /**
   * No listeners of its own: the wrapped model's listeners see the requests that reach it (the
   * misses and the bypasses).
   */
  @Override
  public List<ChatModelListener> listeners() {
    return List.of();
  }

  /** The wrapped model's provider. */
  @Override
  public ModelProvider provider() {
    return delegate.provider();
  }

  /** The wrapped model's capabilities. */
  @Override
  public Set<Capability> supportedCapabilities() {
    return delegate.supportedCapabilities();
  }

  @Override
  public String toString() {
    return "SemanticCachingChatModel{delegate=" + delegate.getClass().getSimpleName() + "}";
  }

  /**
   * Builds a {@link SemanticCachingChatModel}; the delegate and the semantic cache are required.
   */
  public static final class Builder {
    private @Nullable ChatModel delegate;
    private @Nullable SemanticCache cache;
    private @Nullable Function<ChatRequest, Scope> scope;
    private @Nullable Function<ChatRequest, String> prompt;
    private @Nullable TtlPolicy ttl;

    private Builder() {}

    /**
     * The model that answers misses (required).
     *
     * @param delegate the model
     * @return this builder
     */
    public Builder delegate(ChatModel delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      return this;
    }

    /**
     * The semantic cache of the answers (required); not closed by this model.
     *
     * @param semanticCache the cache, initialised
     * @return this builder
     */
    public Builder semanticCache(SemanticCache semanticCache) {
      this.cache = Objects.requireNonNull(semanticCache, "semanticCache");
      return this;
    }

    /**
     * The scope of a request: only answers stored in exactly this scope are served. Multi-tenant
     * applications must give one (see the class description for the default).
     *
     * @param scope a function that returns a scope for every request
     * @return this builder
     */
    public Builder scope(Function<ChatRequest, Scope> scope) {
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    /**
     * The prompt of a request, looked up and stored; null or blank means "bypass the cache". The
     * default is {@link SemanticCachingChatModel#lastUserText(ChatRequest)}. Requests with tool
     * specifications bypass the cache whatever this function returns.
     *
     * @param prompt a function from the request to its prompt
     * @return this builder
     */
    public Builder prompt(Function<ChatRequest, String> prompt) {
      this.prompt = Objects.requireNonNull(prompt, "prompt");
      return this;
    }

    /**
     * The TTL of the answers stored; the semantic cache's default TTL when not given.
     *
     * @param ttl the policy
     * @return this builder
     */
    public Builder ttl(TtlPolicy ttl) {
      this.ttl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /**
     * The model.
     *
     * @return a new model
     * @throws ConfigurationException without a delegate or a semantic cache
     */
    public SemanticCachingChatModel build() {
      if (delegate == null) {
        throw new ConfigurationException(
            "SemanticCachingChatModel needs a delegate(...): the ChatModel that answers misses");
      }
      if (cache == null) {
        throw new ConfigurationException(
            "SemanticCachingChatModel needs a semanticCache(...): the cache of the answers");
      }
      return new SemanticCachingChatModel(this);
    }
  }
}
