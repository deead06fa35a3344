package dev.vectorcache.core.adapter;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;

/**
 * Logging of a backend's failures that stays small during an outage: the first failure after a
 * success is one WARN line; later failures are DEBUG, and a WARN summary (how many failed, the last
 * cause) is written at most once per {@link #SUMMARY_EVERY_MILLIS}; the first success after
 * failures is one INFO line. Time comes from the given clock. Thread-safe.
 *
 * <p>The lines name a subject (what is failing, e.g. {@code "metadata store of collection docs"})
 * and, in the first line, the consequence (what the caller does meanwhile):
 *
 * <pre>{@code
 * WARN <subject>: <operation> failed; <consequence> (further failures are summarised every 10 s): <cause>
 * WARN <subject>: still failing, <n> more failures; last: <operation> <cause>
 * INFO <subject>: answers again after <n> failures
 * }</pre>
 *
 * <p>A {@link CompletionException} or {@link ExecutionException} is logged by its cause.
 */
public final class OutageLog {
  /** The shortest time between two WARN summaries of one outage, in milliseconds. */
  public static final long SUMMARY_EVERY_MILLIS = 10_000;

  private final Logger log;
  private final String subject;
  private final String consequence;
  private final Clock clock;

  // guarded by this (failing is read without the lock on the success path)
  private volatile boolean failing;
  private long failuresSinceSummary;
  private long failuresInOutage;
  private long lastSummaryMillis;

  /**
   * A log of one subject's outages.
   *
   * @param log where the lines go
   * @param clock the time of each failure
   * @param subject what fails, the start of every line
   * @param consequence what happens meanwhile, said once in the first line of an outage
   */
  public OutageLog(Logger log, Clock clock, String subject, String consequence) {
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.subject = Objects.requireNonNull(subject, "subject");
    this.consequence = Objects.requireNonNull(consequence, "consequence");
  }

  /**
   * Records a failure.
   *
   * @param operation what failed, e.g. {@code "getAll"}
   * @param error why
   */
  public void failure(String operation, Throwable error) {
    Throwable cause =
        (error instanceof CompletionException || error instanceof ExecutionException)
                && error.getCause() != null
            ? error.getCause()
            : error;
    long now = clock.millis();
    boolean first;
    long summarise = 0;
    synchronized (this) {
      first = !failing;
      failing = true;
      failuresInOutage++;
      if (first) {
        lastSummaryMillis = now;
        failuresSinceSummary = 0;
      } else {
        failuresSinceSummary++;
        if (now - lastSummaryMillis >= SUMMARY_EVERY_MILLIS) {
          summarise = failuresSinceSummary;
          failuresSinceSummary = 0;
          lastSummaryMillis = now;
        }
      }
    }
    if (first) {
      log.warn(
          "{}: {} failed; {} (further failures are summarised every {} s): {}",
          subject,
          operation,
          consequence,
          SUMMARY_EVERY_MILLIS / 1000,
          cause.toString());
    } else if (summarise > 0) {
      log.warn(
          "{}: still failing, {} more failures; last: {} {}",
          subject,
          summarise,
          operation,
          cause.toString());
    } else {
      log.debug("{}: {} failed", subject, operation, cause);
    }
  }

  /** Records a success: ends an outage, if one is going on, with one INFO line. */
  public void success() {
    if (!failing) {
      return; // the common case, without the lock
    }
    long failed;
    synchronized (this) {
      if (!failing) {
        return;
      }
      failing = false;
      failed = failuresInOutage;
      failuresInOutage = 0;
    }
    log.info("{}: answers again after {} failures", subject, failed);
  }
}
