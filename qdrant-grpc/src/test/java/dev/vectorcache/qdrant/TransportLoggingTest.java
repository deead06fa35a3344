package dev.vectorcache.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The OkHttp frame logger is kept quiet, even when its level is lowered again afterwards. */
class TransportLoggingTest {
  @Test
  void framesStayOutOfTheLogAtEveryLevelAndInfoStillPasses() {
    Logger frames = TransportLogging.frameLogger();
    Level level = frames.getLevel();
    Filter filter = frames.getFilter();
    List<LogRecord> seen = new ArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            if (isLoggable(r)) {
              seen.add(r);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    capture.setLevel(Level.ALL);
    frames.addHandler(capture);
    try {
      frames.setLevel(null);
      frames.setFilter(r -> !r.getMessage().contains("vetoed")); // the application's own filter
      TransportLogging.quietFrames();
      TransportLogging.quietFrames(); // idempotent: one filter, not two
      assertThat(frames.getLevel()).isEqualTo(Level.INFO);
      assertThat(frames.isLoggable(Level.FINE)).isFalse();

      frames.setLevel(Level.ALL); // a configuration reloaded later, a bridge copying levels
      frames.fine("OUTBOUND HEADERS: api-key=secret");
      frames.finest("OUTBOUND DATA");
      frames.info("transport closed");
      frames.info("vetoed by the application");
      frames.warning("transport failed");
      assertThat(seen)
          .extracting(LogRecord::getMessage)
          .containsExactly("transport closed", "transport failed");

      frames.setLevel(Level.WARNING); // a level the application raised is kept
      TransportLogging.quietFrames();
      assertThat(frames.getLevel()).isEqualTo(Level.WARNING);
    } finally {
      frames.removeHandler(capture);
      frames.setLevel(level);
      frames.setFilter(filter);
    }
  }
}
