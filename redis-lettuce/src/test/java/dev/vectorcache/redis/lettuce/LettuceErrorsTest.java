package dev.vectorcache.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.redis.common.RedisErrors.Kind;
import dev.vectorcache.spi.MetadataStoreConfig;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.PartitionSelectorException;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How Lettuce's failures are classified, without a server. */
class LettuceErrorsTest {
  @Test
  void aTimeoutWhileConnectingIsAConnectTimeoutAndARefusalIsUnavailable() {
    RedisConnectionException handshake =
        new RedisConnectionException(
            "Unable to connect to 127.0.0.1:6390",
            new RedisCommandTimeoutException("Connection initialization timed out after 2 s"));
    RedisConnectionException tcp =
        new RedisConnectionException(
            "Unable to connect", new ConnectTimeoutException("connection timed out"));
    RedisConnectionException refused =
        new RedisConnectionException(
            "Unable to connect", new ConnectException("Connection refused"));
    assertThat(LettuceErrors.classify(handshake)).isEqualTo(Kind.CONNECT_TIMEOUT);
    assertThat(LettuceErrors.classify(tcp)).isEqualTo(Kind.CONNECT_TIMEOUT);
    assertThat(LettuceErrors.classify(refused)).isEqualTo(Kind.UNAVAILABLE);
    assertThat(LettuceErrors.classify(new RedisCommandTimeoutException("Command timed out")))
        .isEqualTo(Kind.TIMEOUT);
  }

  @Test
  void anAuthRefusalAnywhereInTheChainIsAuth() {
    RedisConnectionException reconnect =
        new RedisConnectionException(
            "io.lettuce.core.RedisCommandExecutionException: WRONGPASS invalid",
            new RedisCommandExecutionException("WRONGPASS invalid username-password pair"));
    assertThat(LettuceErrors.classify(reconnect)).isEqualTo(Kind.AUTH);
    assertThat(LettuceErrors.classify(new RedisException("Currently not connected.")))
        .isEqualTo(Kind.NOT_CONNECTED);
  }

  @Test
  void topologyChangesAreFailoverErrorsOfTheBreakerAndOtherServerErrorsRejections() {
    assertThat(
            LettuceErrors.classify(
                new RedisCommandExecutionException("CLUSTERDOWN The cluster is down")))
        .isEqualTo(Kind.FAILOVER);
    assertThat(
            LettuceErrors.classify(
                new RedisCommandExecutionException(
                    "READONLY You can't write against a read only replica.")))
        .isEqualTo(Kind.FAILOVER);
    assertThat(
            LettuceErrors.classify(
                new PartitionSelectorException(
                    "Cannot determine a partition for slot 42.", new Partitions())))
        .isEqualTo(Kind.FAILOVER);
    assertThat(
            LettuceErrors.classify(new RedisCommandExecutionException("OOM command not allowed")))
        .isEqualTo(Kind.REJECTED);
    assertThat(
            LettuceErrors.translate(
                new RedisCommandExecutionException(
                    "TRYAGAIN Multiple keys request during rehashing of slot"),
                "getAll",
                "cluster 127.0.0.1:7000"))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("TRYAGAIN")
        .hasMessageContaining("getAll on cluster 127.0.0.1:7000");
  }

  @Test
  void theHandshakeIsBoundedByTheConnectPlusTheCommandTimeout() {
    MetadataStoreConfig config =
        MetadataStoreConfig.builder()
            .url("redis://127.0.0.1:6390")
            .connectTimeout(Duration.ofMillis(700))
            .commandTimeout(Duration.ofMillis(300))
            .build();
    assertThat(LettuceSetup.handshakeTimeout(config)).isEqualTo(Duration.ofSeconds(1));
    assertThat(LettuceSetup.handshakeTimeout(MetadataStoreConfig.fromUrl("redis://h:1")))
        .isEqualTo(Duration.ofSeconds(4));
  }
}
