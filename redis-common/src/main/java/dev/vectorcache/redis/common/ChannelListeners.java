package dev.vectorcache.redis.common;

import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.Subscription;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one pub/sub channel, shared by the Redis adapters; each adapter keeps its own
 * map of channels and its own locking around its client's subscribe calls.
 */
public final class ChannelListeners {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelListeners.class);

  private final List<Consumer<MetadataEvent>> listeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();

  /** The listeners; the adapter adds and removes under its own lock. */
  public List<Consumer<MetadataEvent>> listeners() {
    return listeners;
  }

  /** Completes when the server confirmed the SUBSCRIBE. */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /**
   * Decodes one message and hands the event to every listener. A message that is not an event is
   * ignored, and a listener that throws does not keep the others from running.
   */
  public void deliver(String message) {
    MetadataEvent event = MetadataJson.decodeEvent(message);
    if (event == null) {
      LOG.warn("ignored a message on a vectorcache channel that is not an event");
      return;
    }
    for (Consumer<MetadataEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("a metadata event listener failed", e);
      }
    }
  }

  /** A subscription to {@code collection}'s channel that runs {@code unsubscribe} once on close. */
  public static Subscription subscription(String collection, Runnable unsubscribe) {
    AtomicBoolean done = new AtomicBoolean();
    return new Subscription() {
      @Override
      public String channel() {
        return collection;
      }

      @Override
      public void close() {
        if (done.compareAndSet(false, true)) {
          unsubscribe.run();
        }
      }

      @Override
      public String toString() {
        return "Subscription[" + collection + "]";
      }
    };
  }
}
