package dev.vectorcache.redis.common;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the ISO-8601 instants the codec writes ({@link Instant#toString()}) without the general
 * {@code DateTimeFormatter} machinery, which builds a parse context and several maps per call:
 * hydration reads one per hit. The common form, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, is parsed
 * here; any other text goes to {@link Instant#parse}, which either reads it or throws.
 */
final class Instants {
  private Instants() {}

  static Instant parse(String s) {
    int n = s.length();
    if (n < 20
        || n > 30
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z'
        || (n > 20 && (s.charAt(19) != '.' || n == 21))) {
      return Instant.parse(s);
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    int nanos = 0;
    if (n > 20) {
      int fraction = digits(s, 20, n - 1);
      if (fraction < 0) {
        return Instant.parse(s);
      }
      for (int i = n - 1 - 20; i < 9; i++) {
        fraction *= 10;
      }
      nanos = fraction;
    }
    if ((year | month | day | hour | minute | second) < 0
        || hour > 23
        || minute > 59
        || second > 59) {
      return Instant.parse(s);
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return Instant.parse(s); // throws with the formatter's own message
    }
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** The decimal value of {@code s[from, to)}, or -1 when a character is not a digit. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }
}
