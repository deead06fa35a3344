package dev.vectorcache.redis.jedis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.redis.common.RedisErrors.Kind;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

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
}
