package dev.vectorcache.semantic;

import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.InvalidMetadataException;
import dev.vectorcache.core.model.Payloads;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An answer kept by a {@link SemanticCache}: its text and optional JSON metadata (the model that
 * wrote it, token counts, sources, ...).
 *
 * <p><b>Serialised form.</b> The text is stored as the string field {@code sc_response} of the
 * entry; each metadata field is stored as a top-level field of the entry under its own name, as a
 * JSON value (string, boolean, 64-bit integer, finite double, list, object or null; other boxed
 * integers become 64-bit integers and floats doubles, as {@link Payloads#copy} does), so that
 * {@link SemanticCache#invalidateWhere} can filter on it. {@link SemanticCache} lists every stored
 * field.
 *
 * @param text the answer; may be empty, not null
 * @param metadata JSON metadata, copied and unmodifiable ({@code null} means none); keys may not
 *     start with {@value #RESERVED_PREFIX} (the cache's own fields) or {@value
 *     EntryPayload#RESERVED_PREFIX} (the vector cache's)
 */
public record CachedResponse(String text, Map<String, Object> metadata) {
  /** Prefix of the semantic cache's own fields in an entry. */
  public static final String RESERVED_PREFIX = "sc_";

  /**
   * Validates and copies the components.
   *
   * @throws InvalidInputException naming {@code response.text} for a null or ill-formed text
   * @throws InvalidMetadataException naming {@code response.metadata...} for metadata that is not
   *     JSON or a reserved key
   */
  public CachedResponse {
    text = checkText(text);
    metadata = copy(metadata);
  }

  /**
   * A response without metadata.
   *
   * @param text the answer
   * @return the response
   */
  public static CachedResponse of(String text) {
    return new CachedResponse(text, Map.of());
  }

  private static String checkText(@Nullable String text) {
    if (text == null) {
      throw new InvalidInputException("response.text", "a string (it may be empty)", null);
    }
    int lone = Payloads.loneSurrogateAt(text);
    if (lone >= 0) {
      throw new InvalidInputException(
          "response.text",
          "well-formed UTF-16 text",
          Payloads.describeLoneSurrogate(text, lone),
          "the text was cut in the middle of a character; cut it at a code point boundary");
    }
    return text;
  }

  private static Map<String, Object> copy(@Nullable Map<String, ?> metadata) {
    Map<String, Object> copy = Payloads.copy(metadata, "response.metadata");
    for (String k : copy.keySet()) {
      if (k.startsWith(RESERVED_PREFIX) || k.startsWith(EntryPayload.RESERVED_PREFIX)) {
        throw new InvalidMetadataException(
            "response.metadata." + k,
            "a key that starts with neither \""
                + RESERVED_PREFIX
                + "\" nor \""
                + EntryPayload.RESERVED_PREFIX
                + "\"",
            k,
            "those prefixes are reserved for the caches' own fields; rename the key");
      }
    }
    return copy;
  }
}
