package dev.vectorcache.redis.lettuce;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.VectorCacheException;
import dev.vectorcache.redis.common.RedisErrors;
import dev.vectorcache.redis.common.RedisErrors.Kind;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.PartitionException;
import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * Classifies Lettuce failures; {@link RedisErrors} turns the classification into the port's
 * exception (shared with the Jedis adapter), keeping the cause.
 */
final class LettuceErrors {
  private LettuceErrors() {}

  static RuntimeException translate(Throwable failure, String operation, String address) {
    Throwable t = Futures.unwrap(failure);
    if (t instanceof VectorCacheException v) {
      return v;
    }
    return RedisErrors.translate(classify(t), t, operation, address);
  }

  static Kind classify(Throwable t) {
    if (RedisErrors.has(t, LettuceErrors::isAuthFailure)) {
      return Kind.AUTH;
    }
    if (RedisErrors.isTlsFailure(t)) {
      return Kind.TLS;
    }
    if (isConnectTimeout(t)) {
      return Kind.CONNECT_TIMEOUT;
    }
    if (t instanceof RedisCommandTimeoutException
        || RedisErrors.has(t, TimeoutException.class::isInstance)) {
      return Kind.TIMEOUT;
    }
    if (t instanceof RedisCommandExecutionException) {
      return RedisErrors.serverErrorKind(t.getMessage());
    }
    if (t instanceof RedisConnectionException
        || RedisErrors.has(t, IOException.class::isInstance)) {
      return Kind.UNAVAILABLE;
    }
    if (t instanceof PartitionException) {
      // the cluster client's own view has no node for the slot (its primary failed and no replica
      // took over yet), or the node is not in the topology: what CLUSTERDOWN is on the server
      return Kind.FAILOVER;
    }
    if (t instanceof RedisException) {
      // Lettuce reports a full request queue as "Request queue size exceeded: n ..."
      String msg = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      return msg.contains("size exceeded") ? Kind.QUEUE_FULL : Kind.NOT_CONNECTED;
    }
    if (t instanceof CancellationException) {
      return Kind.CANCELLED;
    }
    return Kind.OTHER;
  }

  /**
   * A timeout while connecting: Netty's TCP connect timeout, or the handshake ({@code HELLO},
   * {@code AUTH}, ...) timing out, which Lettuce reports as a {@link RedisCommandTimeoutException}
   * inside a {@link RedisConnectionException}. A refused connection is not a timeout (it stays
   * UNAVAILABLE).
   */
  private static boolean isConnectTimeout(Throwable t) {
    return RedisErrors.has(t, ConnectTimeoutException.class::isInstance)
        || (t instanceof RedisConnectionException
            && RedisErrors.has(t, RedisCommandTimeoutException.class::isInstance));
  }

  private static boolean isAuthFailure(Throwable t) {
    return (t instanceof RedisCommandExecutionException || t instanceof RedisConnectionException)
        && RedisErrors.isAuthReply(t.getMessage());
  }
}
