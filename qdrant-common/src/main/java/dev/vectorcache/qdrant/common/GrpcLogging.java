package dev.vectorcache.qdrant.common;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps gRPC's start-up chatter off the application's stderr.
 *
 * <p>gRPC logs through {@code java.util.logging}, whose default console handler prints INFO to
 * stderr: the first channel or server of a JVM prints "Epoll available during static init of
 * TcpMetrics". This raises the level of exactly those loggers to WARNING, and only when the
 * application has not configured them itself (their level is still unset), so an application that
 * wants them sets a level in its logging configuration and gets them.
 */
public final class GrpcLogging {
  /** Loggers that print one INFO line at start-up and nothing an operator needs. */
  private static final List<String> CHATTY =
      List.of("io.grpc.netty.shaded.io.grpc.netty.TcpMetrics", "io.grpc.netty.TcpMetrics");

  /** Strong references: JUL keeps loggers weakly, and a collected logger forgets its level. */
  private static final List<Logger> QUIETED = CHATTY.stream().map(Logger::getLogger).toList();

  private GrpcLogging() {}

  /** Raises the start-up loggers to WARNING unless the application set their level. */
  public static void quietStartupChatter() {
    for (Logger logger : QUIETED) {
      if (logger.getLevel() == null) {
        logger.setLevel(Level.WARNING);
      }
    }
  }
}
