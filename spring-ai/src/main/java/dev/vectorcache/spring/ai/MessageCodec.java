package dev.vectorcache.spring.ai;

import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AbstractMessage;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.MediaContent;

/**
 * Spring AI chat messages as JSON-shaped maps (docs/spring.md, "Chat memory"): {@code type} (user,
 * assistant, system, tool), {@code text}, {@code metadata}, and for an assistant message {@code
 * toolCalls} ({@code id}, {@code type}, {@code name}, {@code arguments}), for a tool message {@code
 * toolResponses} ({@code id}, {@code name}, {@code responseData}). The only place that names these
 * fields.
 */
final class MessageCodec {
  static final String TYPE = "type";
  static final String TEXT = "text";
  static final String METADATA = "metadata";
  static final String TOOL_CALLS = "toolCalls";
  static final String TOOL_RESPONSES = "toolResponses";

  private MessageCodec() {}

  /**
   * One message as a map.
   *
   * @param message the message
   * @param field the name of the input, for errors
   * @return the map
   * @throws InvalidInputException for a message with media or of a type other than Spring AI's four
   */
  static Map<String, Object> encode(Message message, String field) {
    if (message instanceof MediaContent mc && !mc.getMedia().isEmpty()) {
      throw new InvalidInputException(
          field + ".media",
          "no media (a chat memory stores text)",
          mc.getMedia().size() + " media");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(TYPE, message.getMessageType().getValue());
    String text = message.getText();
    if (text != null) {
      map.put(TEXT, text);
    }
    map.put(METADATA, metadata(message.getMetadata()));
    if (message instanceof AssistantMessage a) {
      List<Object> calls = new ArrayList<>();
      for (AssistantMessage.ToolCall c : a.getToolCalls()) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("id", c.id());
        call.put("type", c.type());
        call.put("name", c.name());
        call.put("arguments", c.arguments());
        calls.add(call);
      }
      map.put(TOOL_CALLS, calls);
    } else if (message instanceof ToolResponseMessage t) {
      List<Object> responses = new ArrayList<>();
      for (ToolResponseMessage.ToolResponse r : t.getResponses()) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("id", r.id());
        response.put("name", r.name());
        response.put("responseData", r.responseData());
        responses.add(response);
      }
      map.put(TOOL_RESPONSES, responses);
    } else if (!(message instanceof UserMessage || message instanceof SystemMessage)) {
      throw new InvalidInputException(
          field,
          "a UserMessage, AssistantMessage, SystemMessage or ToolResponseMessage",
          message.getClass().getName());
    }
    return map;
  }

  /**
   * The metadata to store: JSON values (strings, booleans, numbers, lists and maps of them) as they
   * are, any other value as its {@code toString()}; Spring AI's own {@code messageType} entry is
   * left out (the type is stored).
   */
  private static Map<String, Object> metadata(Map<String, Object> metadata) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : metadata.entrySet()) {
      if (e.getKey().equals(AbstractMessage.MESSAGE_TYPE) || e.getValue() == null) {
        continue;
      }
      out.put(e.getKey(), jsonValue(e.getValue()));
    }
    return out;
  }

  private static Object jsonValue(Object value) {
    if (value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number n) {
      if (value instanceof Double || value instanceof Float) {
        double d = n.doubleValue();
        return Double.isFinite(d) ? d : value.toString();
      }
      if (value instanceof Integer || value instanceof Long || value instanceof Short) {
        return n.longValue();
      }
      return value.toString();
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        if (o != null) {
          out.add(jsonValue(o));
        }
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (e.getKey() != null && e.getValue() != null) {
          out.put(e.getKey().toString(), jsonValue(e.getValue()));
        }
      }
      return out;
    }
    return value.toString();
  }

  /**
   * A message from its map.
   *
   * @param raw the map as the metadata store returns it
   * @param where the key, for errors
   * @return the message
   * @throws BackendException when the map is not a message written by this codec
   */
  static Message decode(@Nullable Object raw, String where) {
    if (!(raw instanceof Map<?, ?> map)) {
      throw corrupt(where, "a message is not a JSON object");
    }
    Object type = map.get(TYPE);
    Object textValue = map.get(TEXT);
    String text = textValue instanceof String s ? s : null;
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (map.get(METADATA) instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (e.getKey() instanceof String k && e.getValue() != null) {
          metadata.put(k, e.getValue());
        }
      }
    }
    if (!(type instanceof String t)) {
      throw corrupt(where, "a message has no type");
    }
    return switch (t) {
      case "user" ->
          UserMessage.builder().text(text == null ? "" : text).metadata(metadata).build();
      case "system" ->
          SystemMessage.builder().text(text == null ? "" : text).metadata(metadata).build();
      case "assistant" ->
          AssistantMessage.builder()
              .content(text)
              .properties(metadata)
              .toolCalls(toolCalls(map.get(TOOL_CALLS), where))
              .build();
      case "tool" ->
          ToolResponseMessage.builder()
              .responses(toolResponses(map.get(TOOL_RESPONSES), where))
              .metadata(metadata)
              .build();
      default -> throw corrupt(where, "unknown message type '" + t + "'");
    };
  }

  private static List<AssistantMessage.ToolCall> toolCalls(@Nullable Object raw, String where) {
    List<AssistantMessage.ToolCall> calls = new ArrayList<>();
    if (raw instanceof List<?> list) {
      for (Object o : list) {
        if (!(o instanceof Map<?, ?> m)) {
          throw corrupt(where, "a tool call is not a JSON object");
        }
        calls.add(
            new AssistantMessage.ToolCall(
                string(m, "id", where),
                string(m, "type", where),
                string(m, "name", where),
                string(m, "arguments", where)));
      }
    }
    return calls;
  }

  private static List<ToolResponseMessage.ToolResponse> toolResponses(
      @Nullable Object raw, String where) {
    List<ToolResponseMessage.ToolResponse> responses = new ArrayList<>();
    if (raw instanceof List<?> list) {
      for (Object o : list) {
        if (!(o instanceof Map<?, ?> m)) {
          throw corrupt(where, "a tool response is not a JSON object");
        }
        responses.add(
            new ToolResponseMessage.ToolResponse(
                string(m, "id", where),
                string(m, "name", where),
                string(m, "responseData", where)));
      }
    }
    return responses;
  }

  private static String string(Map<?, ?> m, String name, String where) {
    Object v = m.get(name);
    if (!(v instanceof String s)) {
      throw corrupt(where, "field '" + name + "' is not a string");
    }
    return s;
  }

  static BackendException corrupt(String where, String what) {
    return new BackendException(
        "metadata store",
        "the value of "
            + where
            + " is not a chat memory written by VectorCacheChatMemoryRepository ("
            + what
            + ")",
        null);
  }
}
