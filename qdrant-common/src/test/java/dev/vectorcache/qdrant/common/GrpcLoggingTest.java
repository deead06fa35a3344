package dev.vectorcache.qdrant.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class GrpcLoggingTest {
  private static final String TCP_METRICS = "io.grpc.netty.shaded.io.grpc.netty.TcpMetrics";

  @Test
  void raisesTheStartupLoggerToWarningButKeepsALevelTheApplicationSet() {
    Logger logger = Logger.getLogger(TCP_METRICS);
    Level before = logger.getLevel();
    try {
      logger.setLevel(null);
      GrpcLogging.quietStartupChatter();
      assertThat(logger.getLevel()).isEqualTo(Level.WARNING);
      assertThat(logger.isLoggable(Level.INFO)).isFalse();

      logger.setLevel(Level.FINE); // the application asked for more
      GrpcLogging.quietStartupChatter();
      assertThat(logger.getLevel()).isEqualTo(Level.FINE);
    } finally {
      logger.setLevel(before);
    }
  }
}
