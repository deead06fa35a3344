package dev.vectorcache.redis.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.InvalidMetadataException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * JSON encoding of entries and events, with Jackson. Integers are read back as {@link Long} ({@code
 * USE_LONG_FOR_INTS}) and decimals as {@link Double} (never BigDecimal), and Jackson writes a
 * double {@code 2.0} as {@code 2.0}, so the payload's number types round-trip exactly. Instants are
 * ISO-8601 strings, which keep nanoseconds.
 */
public final class MetadataJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_LONG_FOR_INTS)
          .disable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .build();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final ObjectReader METADATA = MAPPER.readerFor(MAP);

  private MetadataJson() {}

  public static String encode(MetadataEntry entry) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("key", entry.key());
    node.put("version", entry.version());
    if (entry.expiresAt() != null) {
      node.put("expiresAt", entry.expiresAt().toString()); // absent: stored without expiry
    }
    node.set("metadata", MAPPER.valueToTree(entry.metadata()));
    return write(node, "metadata");
  }

  /**
   * The entry {@link #encode(MetadataEntry)} wrote, read in one streaming pass (hydration decodes
   * one per hit, so no intermediate tree is built).
   *
   * @throws BackendException when the value is not such an entry
   */
  public static MetadataEntry decodeEntry(String json) {
    try (JsonParser p = MAPPER.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      @Nullable String key = null;
      @Nullable Long version = null;
      @Nullable Instant expiresAt = null;
      @Nullable Map<String, Object> metadata = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "key" -> key = value == JsonToken.VALUE_STRING ? p.getText() : null;
          case "version" -> version = value.isNumeric() ? p.getLongValue() : null;
          case "expiresAt" ->
              expiresAt = value == JsonToken.VALUE_NULL ? null : Instants.parse(p.getText());
          case "metadata" ->
              metadata = value == JsonToken.START_OBJECT ? METADATA.readValue(p) : null;
          default -> p.skipChildren();
        }
      }
      if (key == null || version == null || metadata == null) {
        throw new IllegalArgumentException("key, version or metadata missing");
      }
      return new MetadataEntry(key, metadata, version, expiresAt);
    } catch (IOException | RuntimeException e) {
      throw new BackendException(
          "redis",
          "a value in redis is not a vectorcache metadata entry ("
              + e.getClass().getSimpleName()
              + "); was the key written by another program?",
          e);
    }
  }

  public static String encode(MetadataEvent event) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("type", event.type().name());
    node.put("collection", event.collection());
    node.put("key", event.key());
    node.put("version", event.version());
    node.put("at", event.at().toString());
    return write(node, "event");
  }

  /** The event, or {@code null} when the message is not one of ours. */
  public static @Nullable MetadataEvent decodeEvent(String json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      return new MetadataEvent(
          MetadataEvent.Type.valueOf(node.get("type").asText()),
          node.get("collection").asText(),
          node.get("key").asText(),
          node.get("version").asLong(),
          Instants.parse(node.get("at").asText()));
    } catch (JsonProcessingException | RuntimeException e) {
      return null;
    }
  }

  private static String write(JsonNode node, String field) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new InvalidMetadataException(
          field, "JSON-serialisable values", e.getOriginalMessage(), "use JSON types only");
    }
  }
}
