package dev.vectorcache.semantic;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The metadata-store key of a text: {@code <namespace>:<model>:<sha256>}, where {@code <model>} is
 * the model id with every character outside {@code [A-Za-z0-9._-]} replaced by {@code _} and cut to
 * {@value #MODEL_CHARS} characters (readable only: the hash is what tells models apart), and {@code
 * <sha256>} is the lowercase hex SHA-256 of the model id and the text, each as an 8-byte big-endian
 * length followed by its UTF-8 bytes. The length prefixes keep ("ab", "c") and ("a", "bc") apart.
 *
 * <p>The text is hashed exactly as given: no trimming, case folding or Unicode normalisation, since
 * an embedding model may embed any of those differences differently.
 */
final class EmbeddingCacheKeys {
  static final int MODEL_CHARS = 64;

  private final String prefix;
  private final byte[] model;

  EmbeddingCacheKeys(String namespace, String modelId) {
    this.prefix = namespace + ":" + safe(modelId) + ":";
    this.model = modelId.getBytes(StandardCharsets.UTF_8);
  }

  /** The key of {@code text}, which is well-formed UTF-16 (checked by the caller). */
  String key(String text) {
    byte[] t = text.getBytes(StandardCharsets.UTF_8);
    MessageDigest sha = sha256();
    sha.update(length(model.length));
    sha.update(model);
    sha.update(length(t.length));
    sha.update(t);
    return prefix + HexFormat.of().formatHex(sha.digest());
  }

  /** What every key of this cache starts with. */
  String prefix() {
    return prefix;
  }

  static String safe(String modelId) {
    StringBuilder b = new StringBuilder(Math.min(modelId.length(), MODEL_CHARS));
    for (int i = 0; i < modelId.length() && b.length() < MODEL_CHARS; i++) {
      char c = modelId.charAt(i);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      b.append(plain ? c : '_');
    }
    return b.toString();
  }

  private static byte[] length(long n) {
    return ByteBuffer.allocate(Long.BYTES).putLong(n).array();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
