package dev.vectorcache.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A chat model for the tests: answers "answer N to: <last user text>" (or what a given function
 * returns), named "fake-model" unless told otherwise, and records the requests that reach it.
 */
final class FakeChatModel implements ChatModel {
  final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
  private final Function<ChatRequest, ChatResponse> answer;
  private final @Nullable String modelName;

  FakeChatModel() {
    this.modelName = "fake-model";
    this.answer =
        request ->
            ChatResponse.builder()
                .aiMessage(
                    AiMessage.from(
                        "answer "
                            + requests.size()
                            + " to: "
                            + SemanticCachingChatModel.lastUserText(request)))
                .modelName(request.modelName())
                .finishReason(FinishReason.STOP)
                .build();
  }

  FakeChatModel(Function<ChatRequest, ChatResponse> answer) {
    this("fake-model", answer);
  }

  FakeChatModel(@Nullable String modelName, Function<ChatRequest, ChatResponse> answer) {
    this.modelName = modelName;
    this.answer = answer;
  }

  int calls() {
    return requests.size();
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    requests.add(request);
    return answer.apply(request);
  }

  /** The asynchronous form, answered at once (a failure of the answer function fails it). */
  @Override
  public CompletableFuture<ChatResponse> doChatAsync(ChatRequest request) {
    try {
      return CompletableFuture.completedFuture(doChat(request));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return ChatRequestParameters.builder().modelName(modelName).build();
  }

  @Override
  public ModelProvider provider() {
    return ModelProvider.OTHER;
  }
}
