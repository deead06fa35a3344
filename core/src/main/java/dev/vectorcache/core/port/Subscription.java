package dev.vectorcache.core.port;

/** A live subscription; {@link #close()} unsubscribes. Idempotent. */
public interface Subscription extends AutoCloseable {
  /** The channel (collection) subscribed to. */
  String channel();

  @Override
  void close();
}
