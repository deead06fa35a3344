package dev.vectorcache.qdrant;

import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the OkHttp transport's frame log, which prints request headers and so the API key, off
 * every log: the one {@code java.util.logging} logger it writes to, {@value #FRAME_LOGGER}, is
 * raised to INFO and given a filter that drops its records below INFO (the frames are logged at
 * FINE). The filter holds even if something lowers the level again later (a logging configuration
 * reloaded, a bridge that copies SLF4J levels to JUL); it keeps a filter the application had set,
 * and INFO and above (transport failures) still pass.
 *
 * <p>The boundary, documented in docs/security.md: this logger and no other is touched; an
 * application that replaces the filter of this exact logger after a store opened takes the frame
 * log back, API key included.
 */
final class TransportLogging {
  /** The logger of grpc-okhttp's client frame logger ({@code OkHttpFrameLogger}). */
  static final String FRAME_LOGGER = "io.grpc.okhttp.OkHttpClientTransport";

  /** A strong reference: JUL keeps loggers weakly, and a collected logger forgets its settings. */
  private static final Logger FRAMES = Logger.getLogger(FRAME_LOGGER);

  private TransportLogging() {}

  /** Quiets the frame logger; cheap and idempotent, called whenever a channel opens. */
  static synchronized void quietFrames() {
    Level level = FRAMES.getLevel();
    if (level == null || level.intValue() < Level.INFO.intValue()) {
      FRAMES.setLevel(Level.INFO);
    }
    Filter current = FRAMES.getFilter();
    if (!(current instanceof NoFrames)) {
      FRAMES.setFilter(new NoFrames(current));
    }
  }

  /** The frame logger, for tests. */
  static Logger frameLogger() {
    return FRAMES;
  }

  /** Drops records below INFO, then asks the filter it replaced. */
  private static final class NoFrames implements Filter {
    private final @Nullable Filter previous;

    NoFrames(@Nullable Filter previous) {
      this.previous = previous;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
      return record.getLevel().intValue() >= Level.INFO.intValue()
          && (previous == null || previous.isLoggable(record));
    }
  }
}
