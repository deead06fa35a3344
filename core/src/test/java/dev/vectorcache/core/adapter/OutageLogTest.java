package dev.vectorcache.core.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

@DisplayName("OutageLog")
class OutageLogTest {
  /** Records every line at INFO and above. */
  private static final class Lines extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    final transient List<String> lines = new ArrayList<>();

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String msg, Object[] args, Throwable t) {
      lines.add(level + " " + MessageFormatter.basicArrayFormat(msg, args));
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }

  @Test
  @DisplayName(
      "a 60 s outage of 10,000 failures logs one WARN line, a summary every 10 s, one INFO line")
  void staysSmall() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Lines out = new Lines();
    OutageLog log =
        new OutageLog(
            out, clock, "metadata store of collection docs", "continuing with the vector store");
    BackendTimeoutException cause = new BackendTimeoutException("redis", "timed out", null);
    for (int i = 0; i < 10_000; i++) {
      log.failure("getAll", cause);
      clock.advance(Duration.ofMillis(6));
    }
    log.success();
    log.success();

    assertThat(out.lines).hasSize(1 + 5 + 1);
    assertThat(out.lines.get(0))
        .isEqualTo(
            "WARN metadata store of collection docs: getAll failed; continuing with the vector"
                + " store (further failures are summarised every 10 s): "
                + cause);
    assertThat(out.lines.subList(1, 6))
        .allMatch(l -> l.startsWith("WARN metadata store of collection docs: still failing, "));
    assertThat(out.lines.get(6))
        .isEqualTo("INFO metadata store of collection docs: answers again after 10000 failures");
  }

  @Test
  @DisplayName("logs a wrapped failure by its cause")
  void unwrapsCompletionExceptions() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Lines out = new Lines();
    OutageLog log = new OutageLog(out, clock, "s", "c");
    BackendTimeoutException cause = new BackendTimeoutException("redis", "timed out", null);
    log.failure("get", new java.util.concurrent.CompletionException(cause));
    assertThat(out.lines)
        .containsExactly(
            "WARN s: get failed; c (further failures are summarised every 10 s): " + cause);
  }
}
