package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.redis.common.ChannelRegistry;
import dev.vectorcache.redis.common.RedisErrors;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * The pub/sub side of a Jedis store: one daemon thread ({@code vectorcache-jedis-pubsub-N}),
 * started on the first subscribe, holds a connection in {@code SUBSCRIBE} mode (classic pub/sub: on
 * a cluster any node delivers every {@code PUBLISH} of the cluster, so one connection to any node
 * suffices; on Sentinel it is the current master). When that connection drops (a restart, {@code
 * CLIENT KILL}, a killed node) it reconnects with a back-off from 20 ms to 1 s, on a cluster to the
 * next known node, and subscribes every channel that has listeners. Events published while it was
 * disconnected are lost.
 *
 * <p>Every {@code SUBSCRIBE} and {@code UNSUBSCRIBE} is sent under {@link #lock}, and an {@code
 * UNSUBSCRIBE} only while the channel is still idle (see {@link ChannelRegistry}). Commands go only
 * to a connection whose first confirmation arrived; a channel added before that is subscribed by
 * {@link Handler#reconcile} when it arrives.
 */
final class JedisSubscriber {
  private static final Logger log = LoggerFactory.getLogger(JedisSubscriber.class);

  private final JedisConnections connections;
  private final String threadName;
  private final Object lock = new Object();
  private final ChannelRegistry channels = new ChannelRegistry();
  private @Nullable Thread thread;
  private @Nullable Handler live;
  private @Nullable Jedis connection;

  JedisSubscriber(JedisConnections connections, String threadName) {
    this.connections = connections;
    this.threadName = threadName;
  }

  /** The channels and their listeners (tests reach the registry's hook through it). */
  ChannelRegistry channels() {
    return channels;
  }

  /** Adds a listener and waits, bounded, until the server confirmed the channel. */
  Subscription subscribe(String collection, String channel, Consumer<MetadataEvent> listener) {
    connections.checkOpen("subscribe");
    ChannelRegistry.Added added;
    synchronized (lock) {
      added = channels.add(channel, listener);
      if (added.first()) {
        if (thread == null) {
          Thread t = new Thread(this::loop, threadName);
          t.setDaemon(true);
          thread = t;
          t.start();
        } else if (live != null) {
          send(live, true, channel);
        }
      }
    }
    Subscription sub =
        channels.subscription(collection, channel, added, listener, this::unsubscribe);
    awaitConfirmation(added, sub);
    return sub;
  }

  private void awaitConfirmation(ChannelRegistry.Added added, Subscription sub) {
    Duration bound =
        connections.config().connectTimeout().plus(connections.config().commandTimeout());
    String where = "subscribe on " + connections.address();
    try {
      added.listeners().ready().get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      sub.close();
      throw new BackendTimeoutException(
          RedisErrors.BACKEND, where + " was not confirmed within " + bound, e);
    } catch (CancellationException | ExecutionException e) {
      // cancelled: the store was closed while waiting (close() drops every pending subscription)
      sub.close();
      throw connections.isClosed()
          ? RedisErrors.closed("subscribe", connections.address())
          : new BackendUnavailableException(RedisErrors.BACKEND, where + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sub.close();
      throw new BackendUnavailableException(
          RedisErrors.BACKEND, "interrupted while subscribing on " + connections.address(), e);
    }
  }

  /** Sends UNSUBSCRIBE once the last listener left, unless a new one subscribed meanwhile. */
  private void unsubscribe(String channel) {
    synchronized (lock) {
      if (live != null && channels.isIdle(channel)) {
        send(live, false, channel);
      }
    }
  }

  /** Called under {@link #lock}. */
  private static void send(Handler handler, boolean subscribe, String channel) {
    try {
      if (subscribe) {
        handler.subscribe(channel);
      } else {
        handler.unsubscribe(channel);
      }
    } catch (RuntimeException e) {
      // the connection is going away; the loop subscribes every channel again on reconnect
      log.debug("(un)subscribe on the pub/sub connection failed: {}", e.getClass().getName());
    }
  }

  /** Runs on the subscriber thread: one SUBSCRIBE connection, re-made after every failure. */
  private void loop() {
    long backoff = 20;
    while (!connections.isClosed()) {
      String[] wanted;
      synchronized (lock) {
        if (channels.isEmpty()) {
          thread = null;
          return;
        }
        wanted = channels.channels();
      }
      Jedis jedis;
      try {
        jedis = connections.newPubSubConnection();
      } catch (RuntimeException e) {
        backoff = pause(backoff);
        continue;
      }
      synchronized (lock) {
        // close() sets the flag before it takes the lock: it either sees this connection or we
        // see the flag
        if (connections.isClosed()) {
          jedis.close();
          break;
        }
        connection = jedis;
      }
      backoff = listen(jedis, wanted, backoff);
    }
    synchronized (lock) {
      thread = null;
    }
  }

  /** Subscribes and dispatches until the connection ends; returns the next back-off. */
  private long listen(Jedis jedis, String[] wanted, long backoff) {
    long next = backoff;
    try {
      jedis.subscribe(new Handler(Set.of(wanted)), wanted);
      next = 20;
    } catch (RuntimeException e) {
      if (!connections.isClosed()) {
        log.debug(
            "pub/sub connection to {} lost ({}); reconnecting",
            connections.address(),
            e.getClass().getSimpleName());
        next = pause(backoff);
      }
    } finally {
      synchronized (lock) {
        live = null;
        connection = null;
      }
      try {
        jedis.close();
      } catch (RuntimeException ignored) {
        // already broken
      }
    }
    return next;
  }

  private static long pause(long backoff) {
    try {
      Thread.sleep(backoff);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Math.min(1000, backoff * 2);
  }

  /** Stops the thread: drops every channel and closes the connection; bounded wait. */
  void close(Duration bound) {
    Thread t;
    synchronized (lock) {
      t = thread;
      channels.clear();
      if (live != null) {
        try {
          live.unsubscribe();
        } catch (RuntimeException ignored) {
          // the connection is closed below anyway
        }
      }
      if (connection != null) {
        try {
          connection.disconnect();
        } catch (RuntimeException ignored) {
          // already closed
        }
      }
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(bound.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private final class Handler extends JedisPubSub {
    private final Set<String> sentAtStart;
    private boolean confirmed;

    Handler(Set<String> sentAtStart) {
      this.sentAtStart = sentAtStart;
    }

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      if (!confirmed) {
        confirmed = true;
        synchronized (lock) {
          live = this;
          reconcile();
        }
      }
      channels.confirmed(channel);
    }

    /**
     * Under {@link #lock}, once the connection answered: subscribes what was added and unsubscribes
     * what was dropped since the channel list was read (subscribing first, so the count of
     * subscriptions never drops to zero, which would end Jedis's loop).
     */
    private void reconcile() {
      for (String c : channels.channels()) {
        if (!sentAtStart.contains(c)) {
          send(this, true, c);
        }
      }
      for (String c : sentAtStart) {
        if (channels.isIdle(c)) {
          send(this, false, c);
        }
      }
    }

    @Override
    public void onMessage(String channel, String message) {
      channels.deliver(channel, message);
    }
  }
}
