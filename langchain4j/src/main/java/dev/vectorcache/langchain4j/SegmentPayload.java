package dev.vectorcache.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.vectorcache.core.exception.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The payload of one LangChain4j entry: the segment's metadata under its own keys (so that filters
 * name them directly), the text in {@value #TEXT} and each metadata value's LangChain4j type in
 * {@value #TYPES}, so that an {@code Integer} comes back an {@code Integer} and a {@code Float} a
 * {@code Float}. The only place that names these fields.
 */
final class SegmentPayload {
  /** The text of the segment; absent for an embedding added without one. */
  static final String TEXT = "lc4j_text";

  /** A map from each metadata key to its type: string, uuid, integer, long, float, double. */
  static final String TYPES = "lc4j_types";

  /** The prefix of the fields above; metadata keys may not start with it. */
  static final String PREFIX = "lc4j_";

  /** The prefix of the cache's own fields. */
  private static final String CACHE_PREFIX = "_vc_";

  private SegmentPayload() {}

  /**
   * The payload of a segment, or of none.
   *
   * @param segment the segment, or null for an embedding without one
   * @param field the name of the input, for errors
   * @return the payload map
   */
  static Map<String, Object> encode(@Nullable TextSegment segment, String field) {
    Map<String, Object> payload = new LinkedHashMap<>();
    if (segment == null) {
      return payload;
    }
    Map<String, Object> types = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : segment.metadata().toMap().entrySet()) {
      String key = e.getKey();
      checkKey(key, field + ".metadata");
      Object value = e.getValue();
      String type;
      Object stored;
      if (value instanceof String s) {
        type = "string";
        stored = s;
      } else if (value instanceof UUID u) {
        type = "uuid";
        stored = u.toString();
      } else if (value instanceof Integer i) {
        type = "integer";
        stored = i.longValue();
      } else if (value instanceof Long l) {
        type = "long";
        stored = l;
      } else if (value instanceof Float f) {
        type = "float";
        stored = f.doubleValue();
      } else if (value instanceof Double d) {
        type = "double";
        stored = d;
      } else {
        throw new InvalidInputException(
            field + ".metadata." + key,
            "a String, UUID, Integer, Long, Float or Double",
            value == null ? null : value.getClass().getName());
      }
      payload.put(key, stored);
      types.put(key, type);
    }
    payload.put(TEXT, segment.text());
    payload.put(TYPES, types);
    return payload;
  }

  /**
   * Refuses a metadata key that names one of the bridge's or the cache's own fields.
   *
   * @param key the key
   * @param field the name of the input, for errors
   */
  static void checkKey(String key, String field) {
    if (key.startsWith(PREFIX) || key.startsWith(CACHE_PREFIX)) {
      throw new InvalidInputException(
          field + "." + key,
          "a key that does not start with \"" + PREFIX + "\" or \"" + CACHE_PREFIX + "\"",
          key);
    }
  }

  /**
   * The segment a payload holds, or null when it was stored without one.
   *
   * @param payload the entry's metadata as the cache returns it
   * @return the segment, with its metadata values of their original types
   */
  static @Nullable TextSegment decode(Map<String, Object> payload) {
    Object text = payload.get(TEXT);
    if (!(text instanceof String s)) {
      return null;
    }
    Object typesValue = payload.get(TYPES);
    Map<?, ?> types = typesValue instanceof Map<?, ?> m ? m : Map.of();
    Metadata metadata = new Metadata();
    for (Map.Entry<String, Object> e : payload.entrySet()) {
      String key = e.getKey();
      if (key.startsWith(PREFIX)) {
        continue;
      }
      Object type = types.get(key);
      putTyped(metadata, key, e.getValue(), type == null ? "" : type.toString());
    }
    return TextSegment.from(s, metadata);
  }

  private static void putTyped(Metadata metadata, String key, @Nullable Object value, String type) {
    if (value instanceof String s) {
      if (type.equals("uuid")) {
        metadata.put(key, UUID.fromString(s));
      } else {
        metadata.put(key, s);
      }
    } else if (value instanceof Number n) {
      switch (type) {
        case "integer" -> metadata.put(key, n.intValue());
        case "float" -> metadata.put(key, n.floatValue());
        case "double" -> metadata.put(key, n.doubleValue());
        case "long" -> metadata.put(key, n.longValue());
        default -> {
          // a value written by another program: its JSON type decides
          if (value instanceof Double d) {
            metadata.put(key, d.doubleValue());
          } else {
            metadata.put(key, n.longValue());
          }
        }
      }
    } else {
      throw new IllegalStateException(
          "metadata key '"
              + key
              + "' holds a value LangChain4j's Metadata cannot hold: "
              + (value == null ? "null" : value.getClass().getSimpleName()));
    }
  }
}
