package dev.vectorcache.redis.common;

import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.Subscription;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The pub/sub bookkeeping of one Redis store: which channels have listeners, whether a listener is
 * the first of its channel (so the adapter sends {@code SUBSCRIBE}) or the last one to leave (so it
 * sends {@code UNSUBSCRIBE}), and the delivery of incoming messages. The adapter keeps only its
 * client's connection handling.
 *
 * <p>Thread-safe. The adapter may call in while holding its own lock; the registry never calls out
 * while holding its lock.
 *
 * <p><b>Subscribe after unsubscribe.</b> The last listener's {@code close()} removes the channel
 * here first and sends {@code UNSUBSCRIBE} after; a new first listener may subscribe in between.
 * Sent in that order, the late {@code UNSUBSCRIBE} would cancel the new {@code SUBSCRIBE} and leave
 * a listener that never hears anything. So the adapter sends both commands under one lock of its
 * own, and sends {@code UNSUBSCRIBE} only while {@link #isIdle} still holds: either the new {@code
 * SUBSCRIBE} comes after the {@code UNSUBSCRIBE} on the wire, or the {@code UNSUBSCRIBE} is not
 * sent.
 */
public final class ChannelRegistry {
  private final Object lock = new Object();
  private final Map<String, ChannelListeners> channels = new ConcurrentHashMap<>();
  private final AtomicReference<@Nullable Runnable> beforeUnsubscribe = new AtomicReference<>();

  /**
   * The result of {@link #add}: the channel's listeners, and whether this listener was its first.
   *
   * @param listeners the channel's listeners and readiness
   * @param first true when the channel had no listener before: the adapter must subscribe
   */
  public record Added(ChannelListeners listeners, boolean first) {}

  /** Creates an empty registry. */
  public ChannelRegistry() {}

  /**
   * Adds a listener to a channel.
   *
   * @param channel the full channel name (with the key prefix)
   * @param listener the listener
   * @return the channel's state and whether the adapter must subscribe now
   */
  public Added add(String channel, Consumer<MetadataEvent> listener) {
    synchronized (lock) {
      ChannelListeners state = channels.get(channel);
      boolean first = state == null;
      if (state == null) {
        state = new ChannelListeners();
        channels.put(channel, state);
      }
      state.listeners().add(listener);
      return new Added(state, first);
    }
  }

  /**
   * Removes a listener.
   *
   * @param channel the full channel name
   * @param state the channel state that {@link #add} returned for this listener
   * @param listener the listener
   * @return true when it was the channel's last listener and the channel is gone: the adapter may
   *     unsubscribe
   */
  public boolean remove(String channel, ChannelListeners state, Consumer<MetadataEvent> listener) {
    synchronized (lock) {
      return state.listeners().remove(listener)
          && state.listeners().isEmpty()
          && channels.remove(channel, state);
    }
  }

  /**
   * Forgets a channel whose subscription failed, so the next {@link #add} subscribes again.
   *
   * @param channel the full channel name
   * @param state its state
   */
  public void forget(String channel, ChannelListeners state) {
    synchronized (lock) {
      channels.remove(channel, state);
    }
  }

  /**
   * A subscription handle for one listener that, on its first {@code close()}, removes the listener
   * and runs {@code unsubscribe} with the channel name when the channel became empty.
   *
   * @param collection the collection, as the handle reports it
   * @param channel the full channel name
   * @param added what {@link #add} returned
   * @param listener the listener
   * @param unsubscribe sends {@code UNSUBSCRIBE channel} on the adapter's connection
   * @return the handle
   */
  public Subscription subscription(
      String collection,
      String channel,
      Added added,
      Consumer<MetadataEvent> listener,
      Consumer<String> unsubscribe) {
    ChannelListeners state = added.listeners();
    return ChannelListeners.subscription(
        collection,
        () -> {
          if (remove(channel, state, listener)) {
            Runnable between = beforeUnsubscribe.getAndSet(null);
            if (between != null) {
              between.run();
            }
            unsubscribe.accept(channel);
          }
        });
  }

  /**
   * A test hook: runs {@code action} once, on the thread that closes the next last listener of a
   * channel, after the channel left this registry and before the adapter is asked to unsubscribe. A
   * test subscribes there to force the interleaving the class comment describes.
   *
   * @param action what to run in between
   */
  public void beforeNextUnsubscribe(Runnable action) {
    beforeUnsubscribe.set(Objects.requireNonNull(action, "action"));
  }

  /**
   * Marks a channel as confirmed by the server ({@code SUBSCRIBE} acknowledged).
   *
   * @param channel the full channel name
   */
  public void confirmed(String channel) {
    ChannelListeners s = channels.get(channel);
    if (s != null) {
      s.ready().complete(null);
    }
  }

  /**
   * Delivers one pub/sub message to the listeners of its channel; unknown channels are ignored.
   *
   * @param channel the full channel name
   * @param message the message body
   */
  public void deliver(String channel, String message) {
    ChannelListeners s = channels.get(channel);
    if (s != null) {
      s.deliver(message);
    }
  }

  /**
   * The channels that have listeners now, for re-subscribing after a reconnect.
   *
   * @return the full channel names
   */
  public String[] channels() {
    return channels.keySet().toArray(String[]::new);
  }

  /**
   * Whether a channel has no listener now, so that {@code UNSUBSCRIBE} may be sent; the adapter
   * asks while holding the lock under which it also sends {@code SUBSCRIBE} (see the class
   * comment).
   *
   * @param channel the full channel name
   * @return true when no listener is registered for it
   */
  public boolean isIdle(String channel) {
    return !channels.containsKey(channel);
  }

  /**
   * Whether no channel has a listener.
   *
   * @return true when empty
   */
  public boolean isEmpty() {
    return channels.isEmpty();
  }

  /**
   * The state of one channel.
   *
   * @param channel the full channel name
   * @return its state, or null when it has no listener
   */
  public @Nullable ChannelListeners get(String channel) {
    return channels.get(channel);
  }

  /** Drops every channel and cancels subscriptions still waiting for confirmation (on close). */
  public void clear() {
    synchronized (lock) {
      channels.values().forEach(s -> s.ready().cancel(false));
      channels.clear();
    }
  }
}
