package dev.vectorcache.semantic;

import dev.vectorcache.core.model.MetadataEntry;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The stored form of one cached vector: a {@link MetadataEntry} of version {@value #FORMAT_VERSION}
 * whose metadata is {@code {"encoding": "FLOAT32", "dimension": 384, "vector": "<Base64>"}}, the
 * vector's {@link VectorEncoding} bytes in standard Base64 with padding.
 */
final class EmbeddingCacheValues {
  /** The version of every entry: the stored form's format, not a write counter. */
  static final long FORMAT_VERSION = 1;

  static final String ENCODING = "encoding";
  static final String DIMENSION = "dimension";
  static final String VECTOR = "vector";

  private final VectorEncoding encoding;
  private final int dimension;

  EmbeddingCacheValues(VectorEncoding encoding, int dimension) {
    this.encoding = encoding;
    this.dimension = dimension;
  }

  /** The entry holding {@code bytes}, the output of {@link VectorEncoding#encode}. */
  MetadataEntry entry(String key, byte[] bytes, @Nullable Instant expiresAt) {
    return new MetadataEntry(
        key,
        Map.of(
            ENCODING,
            encoding.name(),
            DIMENSION,
            dimension,
            VECTOR,
            Base64.getEncoder().encodeToString(bytes)),
        FORMAT_VERSION,
        expiresAt);
  }

  /**
   * The vector an entry holds, or {@code null} when it cannot be used: expired at {@code now}, of
   * another format, encoding or dimension (a cache reconfigured over the same namespace), or
   * damaged. Such an entry is a miss, and the write after the embedding replaces it.
   */
  float @Nullable [] read(MetadataEntry entry, Instant now) {
    if (entry.isExpiredAt(now) || entry.version() != FORMAT_VERSION) {
      return null;
    }
    Map<String, Object> m = entry.metadata();
    if (!encoding.name().equals(m.get(ENCODING))
        || !(m.get(DIMENSION) instanceof Number d)
        || d.longValue() != dimension
        || !(m.get(VECTOR) instanceof String base64)) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (bytes.length != encoding.bytes(dimension)) {
      return null;
    }
    float[] v = encoding.decode(bytes, dimension);
    for (float x : v) {
      if (!Float.isFinite(x)) {
        return null;
      }
    }
    return v;
  }
}
