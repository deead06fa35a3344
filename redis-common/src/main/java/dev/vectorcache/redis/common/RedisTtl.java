package dev.vectorcache.redis.common;

import dev.vectorcache.core.exception.InvalidInputException;
import java.time.Duration;

/** The millisecond TTL sent with {@code SET ... PX} and {@code PEXPIRE}. */
public final class RedisTtl {
  private RedisTtl() {}

  /**
   * {@code ttl} in whole milliseconds, rounded up so that an entry never lives shorter than asked.
   *
   * @throws InvalidInputException for a null, zero or negative TTL, or one that does not fit in 64
   *     bits of milliseconds (Redis would reject it, or with {@code EXPIRE} delete the key)
   */
  public static long millis(Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new InvalidInputException(
          "ttl", "a positive duration", ttl, "pass a TTL of at least 1 ms");
    }
    try {
      long ms = ttl.toMillis();
      return ttl.minusMillis(ms).isZero() ? ms : ms + 1;
    } catch (ArithmeticException e) {
      throw new InvalidInputException("ttl", "a duration that fits in 64-bit milliseconds", ttl);
    }
  }
}
