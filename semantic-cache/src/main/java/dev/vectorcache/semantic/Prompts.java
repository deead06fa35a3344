package dev.vectorcache.semantic;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.Payloads;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Prompt normalisation and the hashes of the exact tier.
 *
 * <ul>
 *   <li>A normalised prompt is the prompt in Unicode NFC, trimmed, with every run of whitespace
 *       (Unicode white space and space separators, the no-break spaces included) replaced by one
 *       space; case is kept.
 *   <li>An entry's key is the lowercase hex SHA-256 of the length-prefixed encoding of the scope's
 *       canonical form, the model id and the normalised prompt: each part as its length in bytes of
 *       UTF-8, a colon and its UTF-8 bytes.
 *   <li>A scope's hash (the ranking's set names) is the first 32 hex characters of the SHA-256 of
 *       its canonical form: 128 bits, far from any collision among the scopes of one cache.
 * </ul>
 */
final class Prompts {
  private static final HexFormat HEX = HexFormat.of();

  private Prompts() {}

  /** The normalised prompt; a blank or ill-formed prompt is refused. */
  static String normalise(@Nullable String prompt) {
    if (prompt == null || prompt.isBlank()) {
      throw new InvalidInputException(
          "prompt", "a non-blank string", prompt, "there is nothing to cache for a blank prompt");
    }
    int lone = Payloads.loneSurrogateAt(prompt);
    if (lone >= 0) {
      throw new InvalidInputException(
          "prompt",
          "well-formed UTF-16 text",
          Payloads.describeLoneSurrogate(prompt, lone),
          "the prompt was cut in the middle of a character");
    }
    String nfc = Normalizer.normalize(prompt, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(nfc.length());
    boolean pendingSpace = false;
    for (int i = 0; i < nfc.length(); ) {
      int cp = nfc.codePointAt(i);
      i += Character.charCount(cp);
      if (isSpace(cp)) {
        pendingSpace = out.length() > 0;
      } else {
        if (pendingSpace) {
          out.append(' ');
          pendingSpace = false;
        }
        out.appendCodePoint(cp);
      }
    }
    if (out.length() == 0) {
      // only separators that isBlank() does not count (no-break spaces)
      throw new InvalidInputException(
          "prompt", "a non-blank string", prompt, "there is nothing to cache for a blank prompt");
    }
    return out.toString();
  }

  private static boolean isSpace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }

  /** The entry key of a normalised prompt in a scope, for a model. */
  static String key(Scope scope, String modelId, String normalisedPrompt) {
    MessageDigest sha = sha256();
    part(sha, scope.canonical());
    part(sha, modelId);
    part(sha, normalisedPrompt);
    return HEX.formatHex(sha.digest());
  }

  /** The scope's hash: 32 hex characters. */
  static String scopeHash(Scope scope) {
    MessageDigest sha = sha256();
    sha.update(scope.canonical().getBytes(StandardCharsets.UTF_8));
    return HEX.formatHex(sha.digest()).substring(0, 32);
  }

  private static void part(MessageDigest sha, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
    sha.update((byte) ':');
    sha.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
