package dev.vectorcache.redis.common;

import dev.vectorcache.core.exception.BackendException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The server-side compare-and-set of a conditional copy write: a Lua script over exactly one key
 * ({@code KEYS[1]}) that reads the copy the key holds, if any, and its {@code version} (with {@code
 * cjson.decode} from the {@link MetadataJson} value), then writes the new copy only when the mode
 * allows it:
 *
 * <ul>
 *   <li>{@link #IF_NEWER} ({@code IF_NEWER} writes): when the key holds no copy, or a copy whose
 *       version is lower. A value that is not a JSON object with a numeric {@code version} is
 *       overwritten: it is not a copy this library wrote.
 *   <li>{@link #IF_SAME_VERSION} ({@code IF_SAME_VERSION} writes): only when the key holds a copy
 *       of exactly this version; a missing key, another version or a value that is not a copy is
 *       kept.
 * </ul>
 *
 * <p>Arguments: the JSON, the version, the TTL in milliseconds or an empty string for none, the
 * mode. Replies 1 when it wrote, 0 when it kept what the key held; an unknown mode is an error
 * reply. A key of another type (a hash, a sorted set) makes the script's {@code GET} fail with
 * {@code WRONGTYPE}.
 *
 * <p>Lua numbers are doubles, so versions compare exactly up to 2^53 (versions are microseconds
 * since the epoch, far below). Adapters send it with {@code EVALSHA} and the locally computed
 * {@link #SHA1}, and fall back to {@code EVAL} (which also caches the script on the server) when
 * the server answers {@code NOSCRIPT}.
 */
public final class CopyWriteScript {
  /** The mode argument of an {@code IF_NEWER} write. */
  public static final String IF_NEWER = "newer";

  /** The mode argument of an {@code IF_SAME_VERSION} write. */
  public static final String IF_SAME_VERSION = "same";

  /** The script. */
  public static final String SOURCE =
      """
      local held = nil
      local current = redis.call('GET', KEYS[1])
      if current then
        local ok, doc = pcall(cjson.decode, current)
        if ok and type(doc) == 'table' and type(doc['version']) == 'number' then
          held = doc['version']
        end
      end
      local version = tonumber(ARGV[2])
      if ARGV[4] == 'same' then
        if held ~= version then
          return 0
        end
      elseif ARGV[4] == 'newer' then
        if held and held >= version then
          return 0
        end
      else
        return redis.error_reply('ERR unknown copy-write mode')
      end
      if ARGV[3] == '' then
        redis.call('SET', KEYS[1], ARGV[1])
      else
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
      end
      return 1
      """;

  /** The lower-case hex SHA-1 of {@link #SOURCE}, as {@code SCRIPT LOAD} would return it. */
  public static final String SHA1 = sha1(SOURCE);

  private CopyWriteScript() {}

  /**
   * Whether a server error says the script is not cached ({@code NOSCRIPT}), after a restart or
   * {@code SCRIPT FLUSH}: the adapter then sends the write again with {@code EVAL}.
   *
   * @param message the error text
   * @return true for {@code NOSCRIPT}
   */
  public static boolean isNoScript(@Nullable String message) {
    return message != null && message.startsWith("NOSCRIPT");
  }

  /**
   * Reads the script's reply.
   *
   * @param reply what the client returned for the script: an integer 1 or 0
   * @return whether the copy was written
   * @throws BackendException for any other reply
   */
  public static boolean applied(@Nullable Object reply) {
    if (reply instanceof Long n && (n == 0L || n == 1L)) {
      return n == 1L;
    }
    throw new BackendException(
        RedisErrors.BACKEND,
        "the copy-write script answered "
            + (reply == null ? "nil" : reply.getClass().getSimpleName())
            + " instead of 0 or 1",
        null);
  }

  static String sha1(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
