package dev.vectorcache.semantic;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.Payloads;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link EmbeddingCache} refuses: bad texts before any I/O, and an embedding function's
 * output that does not fit the cache before anything is stored. Messages never quote a text (texts
 * may be private): only their position and what is wrong.
 */
final class EmbeddingCacheChecks {
  private EmbeddingCacheChecks() {}

  /** Refuses a null list, or a null, blank or ill-formed text, naming {@code texts[i]}. */
  static List<String> texts(@Nullable List<String> texts) {
    if (texts == null) {
      throw new InvalidInputException("texts", "a list of texts", null);
    }
    for (int i = 0; i < texts.size(); i++) {
      text(texts.get(i), "texts[" + i + "]");
    }
    return texts;
  }

  /** Refuses a null, blank or ill-formed text, naming {@code field}. */
  static String text(@Nullable String text, String field) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException(
          field,
          "a non-blank text",
          text == null ? null : "a blank text of " + text.length() + " characters");
    }
    int lone = Payloads.loneSurrogateAt(text);
    if (lone >= 0) {
      // UTF-8 would turn the lone surrogate into '?', so two different texts would share a key
      throw new InvalidInputException(
          field,
          "well-formed UTF-16 text",
          Payloads.describeLoneSurrogate(text, lone),
          "the text was cut in the middle of a character; cut it at a code point boundary");
    }
    return text;
  }

  /**
   * Refuses the output of one embedding call unless it holds {@code count} vectors of {@code
   * dimension} finite components, each storable in {@code encoding}.
   */
  static void vectors(
      @Nullable List<float[]> vectors, int count, int dimension, VectorEncoding encoding) {
    if (vectors == null) {
      throw new InvalidInputException("embedding", count + " vectors, one per text", null);
    }
    if (vectors.size() != count) {
      throw new InvalidInputException(
          "embedding", count + " vectors, one per text", vectors.size() + " vectors");
    }
    for (int i = 0; i < count; i++) {
      float[] v = vectors.get(i);
      String field = "embedding[" + i + "]";
      if (v == null) {
        throw new InvalidInputException(field, "a vector of dimension " + dimension, null);
      }
      if (v.length != dimension) {
        throw new InvalidInputException(
            field, "a vector of dimension " + dimension, "dimension " + v.length);
      }
      for (int j = 0; j < dimension; j++) {
        float x = v[j];
        if (!Float.isFinite(x)) {
          throw new InvalidInputException(field + "[" + j + "]", "a finite number", x);
        }
        if (encoding == VectorEncoding.FLOAT16 && Math.abs(x) > VectorEncoding.FLOAT16_MAX) {
          throw new InvalidInputException(
              field + "[" + j + "]",
              "a number within ±" + VectorEncoding.FLOAT16_MAX + " (the FLOAT16 encoding)",
              x,
              "use VectorEncoding.FLOAT32 for this model");
        }
      }
    }
  }
}
