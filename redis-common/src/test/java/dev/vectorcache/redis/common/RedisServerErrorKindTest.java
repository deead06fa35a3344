package dev.vectorcache.redis.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.exception.BackendRejectedException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.redis.common.RedisErrors.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisServerErrorKindTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "CLUSTERDOWN The cluster is down",
        "TRYAGAIN Multiple keys request during rehashing of slot",
        "READONLY You can't write against a read only replica.",
        "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
        "LOADING Redis is loading the dataset in memory",
        "ERR Error running script (call to f_1): @user_script:1: READONLY You can't write"
      })
  void topologyChangesAreFailovers(String message) {
    assertThat(RedisErrors.serverErrorKind(message)).isEqualTo(Kind.FAILOVER);
    assertThat(RedisErrors.translate(Kind.FAILOVER, new RuntimeException(message), "put", "h:1/0"))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("topology changes")
        .hasMessageContaining("put on h:1/0");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "WRONGTYPE Operation against a key holding the wrong kind of value",
        "OOM command not allowed when used memory > 'maxmemory'.",
        "ERR unknown command 'FT.SEARCH'",
        "ERR value named LOADINGBAY is not a number"
      })
  void otherServerErrorsAreRejections(String message) {
    assertThat(RedisErrors.serverErrorKind(message)).isEqualTo(Kind.REJECTED);
    assertThat(RedisErrors.translate(Kind.REJECTED, new RuntimeException(message), "put", "h:1/0"))
        .isInstanceOf(BackendRejectedException.class);
  }

  @Test
  void authRefusalsStayAuth() {
    assertThat(RedisErrors.serverErrorKind("NOPERM this user has no permissions to run 'mget'"))
        .isEqualTo(Kind.AUTH);
    assertThat(RedisErrors.serverErrorKind(null)).isEqualTo(Kind.REJECTED);
  }
}
