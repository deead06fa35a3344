package dev.vectorcache.redis.jedis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.redis.common.RedisErrors.Kind;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;

/** How Jedis's failures are classified, without a server. */
class JedisErrorsTest {
  @Test
  void timeoutsWhileConnectingAndWhileReadingAreTold() {
    assertThat(
            JedisErrors.classify(
                new JedisConnectionException(new SocketTimeoutException("Connect timed out"))))
        .isEqualTo(Kind.CONNECT_TIMEOUT);
    assertThat(
            JedisErrors.classify(
                new JedisConnectionException(new SocketTimeoutException("Read timed out"))))
        .isEqualTo(Kind.TIMEOUT);
    assertThat(
            JedisErrors.classify(
                new JedisConnectionException(new ConnectException("Connection refused"))))
        .isEqualTo(Kind.UNAVAILABLE);
  }

  @Test
  void everyOtherKind() {
    assertThat(JedisErrors.classify(new JedisAccessControlException("WRONGPASS invalid")))
        .isEqualTo(Kind.AUTH);
    assertThat(JedisErrors.classify(new JedisDataException("NOAUTH Authentication required.")))
        .isEqualTo(Kind.AUTH);
    assertThat(JedisErrors.classify(new JedisDataException("OOM command not allowed")))
        .isEqualTo(Kind.REJECTED);
    assertThat(
            JedisErrors.classify(
                new JedisException("Could not get a resource", new NoSuchElementException())))
        .isEqualTo(Kind.POOL_EXHAUSTED);
    assertThat(JedisErrors.classify(new JedisException("broken"))).isEqualTo(Kind.UNAVAILABLE);
    assertThat(JedisErrors.classify(new IllegalStateException("?"))).isEqualTo(Kind.OTHER);
  }

  @Test
  void clusterAndFailoverRepliesAreFailoverNotRejected() {
    for (String line :
        new String[] {
          "CLUSTERDOWN The cluster is down",
          "TRYAGAIN Multiple keys request during rehashing of slot",
          "READONLY You can't write against a read only replica.",
          "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
          "LOADING Redis is loading the dataset in memory"
        }) {
      assertThat(JedisErrors.classify(new JedisDataException(line)))
          .as(line)
          .isEqualTo(Kind.FAILOVER);
    }
    assertThat(JedisErrors.classify(new JedisClusterException("CLUSTERDOWN Hash slot not served")))
        .isEqualTo(Kind.FAILOVER);
    assertThat(
            JedisErrors.classify(
                new JedisMovedDataException("MOVED 1 127.0.0.1:7001", new HostAndPort("h", 1), 1)))
        .isEqualTo(Kind.FAILOVER);
    assertThat(JedisErrors.classify(new JedisDataException("WRONGTYPE Operation against a key")))
        .isEqualTo(Kind.REJECTED);
  }

  @Test
  void theClusterExecutorsGiveUpIsClassifiedByTheLastAttemptsFailure() {
    JedisClusterOperationException gaveUp =
        new JedisClusterOperationException("No more cluster attempts left.");
    JedisAccessControlException last = new JedisAccessControlException("WRONGPASS invalid");
    gaveUp.addSuppressed(last);
    assertThat(JedisErrors.effective(gaveUp)).isSameAs(last);
    assertThat(JedisErrors.classify(JedisErrors.effective(gaveUp))).isEqualTo(Kind.AUTH);
    JedisClusterOperationException bare = new JedisClusterOperationException("No reachable node");
    assertThat(JedisErrors.effective(bare)).isSameAs(bare);
    assertThat(JedisErrors.classify(bare)).isEqualTo(Kind.UNAVAILABLE);
  }

  @Test
  void aReadTimeoutWhileANewConnectionSaysHelloIsOneOfConnecting() {
    SocketTimeoutException t = new SocketTimeoutException("Read timed out");
    t.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement("java.net.Socket", "read", null, 1),
          new StackTraceElement(
              "redis.clients.jedis.Connection", "initializeFromClientConfig", null, 2)
        });
    assertThat(JedisErrors.classify(new JedisConnectionException(t)))
        .isEqualTo(Kind.CONNECT_TIMEOUT);
  }
}
