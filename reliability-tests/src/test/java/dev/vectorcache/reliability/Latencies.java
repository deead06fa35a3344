package dev.vectorcache.reliability;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/** Durations of one kind of call, for percentiles. Thread safe. */
final class Latencies {
  private long[] nanos = new long[64];
  private int size;

  synchronized void add(long n) {
    if (size == nanos.length) {
      nanos = Arrays.copyOf(nanos, size * 2);
    }
    nanos[size++] = n;
  }

  synchronized int count() {
    return size;
  }

  /** The {@code p}-th percentile (0 to 100), nearest rank; zero when empty. */
  synchronized Duration percentile(double p) {
    if (size == 0) {
      return Duration.ZERO;
    }
    long[] sorted = Arrays.copyOf(nanos, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * size);
    return Duration.ofNanos(sorted[Math.max(0, Math.min(size - 1, rank - 1))]);
  }

  Duration max() {
    return percentile(100);
  }

  /** "p50 / p99 / max" in milliseconds. */
  String summary() {
    return String.format(
        Locale.ROOT, "%s / %s / %s", ms(percentile(50)), ms(percentile(99)), ms(max()));
  }

  static String ms(Duration d) {
    double ms = d.toNanos() / 1e6;
    return ms >= 100
        ? String.format(Locale.ROOT, "%,.0f ms", ms)
        : String.format(Locale.ROOT, "%.1f ms", ms);
  }
}
