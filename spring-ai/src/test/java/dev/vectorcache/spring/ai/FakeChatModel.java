package dev.vectorcache.spring.ai;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.publisher.Flux;

/**
 * A Spring AI {@link ChatModel} that answers {@code "answer to: <last user text>"} (or nothing for
 * a question containing "silence"), in three chunks when streamed, and counts its calls and
 * streams.
 */
final class FakeChatModel implements ChatModel {
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger streams = new AtomicInteger();

  @Override
  public ChatResponse call(Prompt prompt) {
    calls.incrementAndGet();
    return response(answer(prompt));
  }

  @Override
  public Flux<ChatResponse> stream(Prompt prompt) {
    streams.incrementAndGet();
    String answer = answer(prompt);
    int third = Math.max(1, answer.length() / 3);
    List<ChatResponse> chunks = new ArrayList<>();
    for (int i = 0; i < answer.length(); i += third) {
      chunks.add(response(answer.substring(i, Math.min(answer.length(), i + third))));
    }
    return Flux.fromIterable(chunks);
  }

  int calls() {
    return calls.get();
  }

  int streams() {
    return streams.get();
  }

  private static String answer(Prompt prompt) {
    List<Message> messages = prompt.getInstructions();
    String question = "";
    for (Message m : messages) {
      if (m instanceof UserMessage u && u.getText() != null) {
        question = u.getText();
      }
    }
    return question.contains("silence") ? " " : "answer to: " + question;
  }

  private static ChatResponse response(String text) {
    return new ChatResponse(List.of(new Generation(new AssistantMessage(text))));
  }
}
