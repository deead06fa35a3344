package dev.vectorcache.spring.ai;

import dev.vectorcache.core.exception.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.document.Document;

/**
 * The payload of one Spring AI document: the metadata under its own keys (so that filters name
 * them), the text in {@value #CONTENT} and each metadata value's Java type in {@value #TYPES}, so
 * that an {@code Integer} comes back an {@code Integer} and a {@code Float} a {@code Float}. The
 * only place that names these fields.
 */
final class DocumentPayload {
  /** The document's text. */
  static final String CONTENT = "sai_content";

  /** A map from each metadata key to its type: string, boolean, integer, long, float, double. */
  static final String TYPES = "sai_types";

  /** The prefix of the fields above; metadata keys may not start with it. */
  static final String PREFIX = "sai_";

  /** The prefix of the cache's own fields. */
  static final String CACHE_PREFIX = "_vc_";

  /** The metadata key of a hit's distance, {@code 1 - score} (Spring AI's {@code distance}). */
  static final String DISTANCE = "distance";

  private DocumentPayload() {}

  /**
   * The payload of a document; refuses reserved keys and unsupported values.
   *
   * @param document the document (with text)
   * @param field the name of the input, for errors
   * @return the payload map
   * @throws InvalidInputException for a reserved key or an unsupported value type
   */
  static Map<String, Object> encode(Document document, String field) {
    Map<String, Object> payload = new LinkedHashMap<>();
    Map<String, Object> types = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : document.getMetadata().entrySet()) {
      String key = e.getKey();
      checkKey(key, field + ".metadata");
      Object value = e.getValue();
      String type;
      Object stored;
      if (value instanceof String s) {
        type = "string";
        stored = s;
      } else if (value instanceof Boolean b) {
        type = "boolean";
        stored = b;
      } else if (value instanceof Integer i) {
        type = "integer";
        stored = i.longValue();
      } else if (value instanceof Long l) {
        type = "long";
        stored = l;
      } else if (value instanceof Float f && Float.isFinite(f)) {
        type = "float";
        stored = f.doubleValue();
      } else if (value instanceof Double d && Double.isFinite(d)) {
        type = "double";
        stored = d;
      } else {
        throw new InvalidInputException(
            field + ".metadata." + key,
            "a String, Boolean, Integer, Long or a finite Float or Double",
            value == null ? null : value.getClass().getName());
      }
      payload.put(key, stored);
      types.put(key, type);
    }
    String text = document.getText();
    payload.put(CONTENT, text == null ? "" : text);
    payload.put(TYPES, types);
    return payload;
  }

  /**
   * Refuses a key that names one of the bridge's or the cache's own fields, or Spring AI's {@value
   * #DISTANCE}, which search results carry.
   *
   * @param key the key
   * @param field the name of the input, for errors
   */
  static void checkKey(@Nullable String key, String field) {
    if (key == null || key.isBlank()) {
      throw new InvalidInputException(field, "a non-blank metadata key", key);
    }
    if (key.startsWith(PREFIX) || key.startsWith(CACHE_PREFIX) || key.equals(DISTANCE)) {
      throw new InvalidInputException(
          field + "." + key,
          "a key that is not \""
              + DISTANCE
              + "\" and does not start with \""
              + PREFIX
              + "\" or \""
              + CACHE_PREFIX
              + "\"",
          key);
    }
  }

  /**
   * The document a hit's payload holds.
   *
   * @param id the document id (the cache key)
   * @param payload the entry's metadata as the cache returns it
   * @param score the score in [0, 1]
   * @return the document, with metadata values of their original types and {@value #DISTANCE}
   */
  static Document decode(String id, Map<String, Object> payload, double score) {
    Object text = payload.get(CONTENT);
    Object typesValue = payload.get(TYPES);
    Map<?, ?> types = typesValue instanceof Map<?, ?> m ? m : Map.of();
    Map<String, Object> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : payload.entrySet()) {
      String key = e.getKey();
      if (key.startsWith(PREFIX) || key.startsWith(CACHE_PREFIX)) {
        continue;
      }
      Object type = types.get(key);
      Object value = typed(e.getValue(), type == null ? "" : type.toString());
      if (value != null) {
        metadata.put(key, value);
      }
    }
    metadata.put(DISTANCE, 1.0 - score);
    return Document.builder()
        .id(id)
        .text(text instanceof String s ? s : "")
        .metadata(metadata)
        .score(score)
        .build();
  }

  private static @Nullable Object typed(@Nullable Object value, String type) {
    if (value instanceof Number n) {
      return switch (type) {
        case "integer" -> n.intValue();
        case "float" -> n.floatValue();
        case "double" -> n.doubleValue();
        case "long" -> n.longValue();
        default -> value; // written by another program: its JSON type decides
      };
    }
    return value;
  }
}
