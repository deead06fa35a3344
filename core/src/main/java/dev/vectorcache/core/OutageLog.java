package dev.vectorcache.core;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging of metadata-store failures that stays small during an outage: the first failure after a
 * success is one WARN line; later failures are DEBUG, and a WARN summary (how many failed, the last
 * cause) is written at most once per {@link #SUMMARY_EVERY_MILLIS}; the first success after
 * failures is one INFO line. Time comes from the cache's clock.
 */
final class OutageLog {
  static final long SUMMARY_EVERY_MILLIS = 10_000;
  private final Logger log;
  private final String collection;
  private final Clock clock;

  // guarded by this
  private volatile boolean failing;
  private long failuresSinceSummary;
  private long failuresInOutage;
  private long lastSummaryMillis;

  OutageLog(String collection, Clock clock) {
    this(collection, clock, LoggerFactory.getLogger(MetadataCopies.class));
  }

  OutageLog(String collection, Clock clock, Logger log) {
    this.collection = collection;
    this.clock = clock;
    this.log = log;
  }

  void failure(String operation, Throwable cause) {
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
          "metadata store {} failed for collection {}; continuing with the vector store (further"
              + " failures are summarised every {} s): {}",
          operation,
          collection,
          SUMMARY_EVERY_MILLIS / 1000,
          cause.toString());
    } else if (summarise > 0) {
      log.warn(
          "metadata store still failing for collection {}: {} more failed calls; last: {} {}",
          collection,
          summarise,
          operation,
          cause.toString());
    } else {
      log.debug("metadata store {} failed for collection {}: {}", operation, collection, cause);
    }
  }

  void success() {
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
    log.info(
        "metadata store answers again for collection {} after {} failed calls", collection, failed);
  }
}
