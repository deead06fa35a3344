package dev.vectorcache.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Parses durations written the short way ({@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code
 * 1d}, also combined: {@code 1h30m}) or in ISO-8601 ({@code PT1H}).
 */
final class Durations implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern SHORT = Pattern.compile("((\\d+)(ms|s|m|h|d))+");

  @Override
  public Duration convert(String value) {
    return parse(value, "duration");
  }

  /**
   * The duration written in {@code text}.
   *
   * @throws IllegalArgumentException with a message naming {@code what} and the accepted forms
   */
  static Duration parse(String text, String what) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          what + ": expected a duration such as 5s, 1h or PT1H, found nothing");
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    Duration d;
    if (t.startsWith("p")) {
      try {
        d = Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw invalid(text, what);
      }
    } else if (SHORT.matcher(t).matches()) {
      d = Duration.ZERO;
      Matcher m = PART.matcher(t);
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        d =
            d.plus(
                switch (m.group(2)) {
                  case "ms" -> Duration.ofMillis(n);
                  case "s" -> Duration.ofSeconds(n);
                  case "m" -> Duration.ofMinutes(n);
                  case "h" -> Duration.ofHours(n);
                  default -> Duration.ofDays(n);
                });
      }
    } else {
      throw invalid(text, what);
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(
          what + ": expected a positive duration, found \"" + text + "\"");
    }
    return d;
  }

  private static IllegalArgumentException invalid(String text, String what) {
    return new IllegalArgumentException(
        what
            + ": expected a duration such as 500ms, 5s, 2m, 1h, 1d, 1h30m or PT1H, found \""
            + text
            + "\"");
  }

  /**
   * The one form every duration is printed in: the short input form, without spaces ({@code
   * 0.12ms}, {@code 999ms}, {@code 1s}, {@code 1.5s}, {@code 2h}, {@code 1h30m}), so a printed
   * duration can be typed back as an option value (fractions aside).
   */
  static String human(Duration d) {
    long nanos = d.toNanos();
    if (nanos < 1_000_000L) {
      return String.format(Locale.ROOT, "%.2fms", nanos / 1e6);
    }
    if (nanos < 1_000_000_000L) {
      return Math.round(nanos / 1e6) + "ms";
    }
    long s = d.toSeconds();
    if (s < 60) {
      return nanos % 1_000_000_000L == 0
          ? s + "s"
          : String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }
    StringBuilder b = new StringBuilder();
    long[] sizes = {86_400, 3600, 60, 1};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (s >= sizes[i]) {
        b.append(s / sizes[i]).append(units[i]);
        s %= sizes[i];
      }
    }
    return b.toString();
  }
}
