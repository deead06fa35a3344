package dev.vectorcache.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar on stderr, redrawn in place with a carriage return. */
final class Progress {
  static final int WIDTH = 30;

  private final PrintWriter err;
  private final long total;
  private final String label;
  private final boolean enabled;

  Progress(PrintWriter err, String label, long total, boolean enabled) {
    this.err = err;
    this.label = label;
    this.total = total;
    this.enabled = enabled && total > 0;
  }

  void update(long done) {
    if (!enabled) {
      return;
    }
    int filled = (int) (WIDTH * done / total);
    err.print(
        String.format(
            Locale.ROOT,
            "\r%s [%s%s] %d/%d (%d%%)",
            label,
            "#".repeat(filled),
            "-".repeat(WIDTH - filled),
            done,
            total,
            100 * done / total));
    err.flush();
  }

  void finish() {
    if (enabled) {
      err.println();
      err.flush();
    }
  }
}
