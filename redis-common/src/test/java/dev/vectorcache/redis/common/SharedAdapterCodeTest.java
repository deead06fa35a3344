package dev.vectorcache.redis.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.exception.AuthenticationException;
import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.BackendRejectedException;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.TlsException;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SharedAdapterCodeTest {
  @Nested
  @DisplayName("Error mapping")
  class Errors {
    @Test
    @DisplayName("every kind maps to its exception, names host:port and keeps the cause")
    void everyKindMapsToItsExceptionAndKeepsTheCause() {
      RuntimeException cause = new RuntimeException("OOM command not allowed\nsecond line");
      Map<RedisErrors.Kind, Class<? extends BackendException>> expected =
          Map.ofEntries(
              Map.entry(RedisErrors.Kind.AUTH, AuthenticationException.class),
              Map.entry(RedisErrors.Kind.TIMEOUT, BackendTimeoutException.class),
              Map.entry(RedisErrors.Kind.CONNECT_TIMEOUT, BackendTimeoutException.class),
              Map.entry(RedisErrors.Kind.POOL_EXHAUSTED, BackendTimeoutException.class),
              Map.entry(RedisErrors.Kind.QUEUE_FULL, BackendUnavailableException.class),
              Map.entry(RedisErrors.Kind.REJECTED, BackendRejectedException.class),
              Map.entry(RedisErrors.Kind.UNAVAILABLE, BackendUnavailableException.class),
              Map.entry(RedisErrors.Kind.FAILOVER, BackendUnavailableException.class),
              Map.entry(RedisErrors.Kind.TLS, TlsException.class),
              Map.entry(RedisErrors.Kind.NOT_CONNECTED, BackendUnavailableException.class),
              Map.entry(RedisErrors.Kind.CANCELLED, BackendUnavailableException.class),
              Map.entry(RedisErrors.Kind.OTHER, BackendException.class));
      assertThat(expected).hasSize(RedisErrors.Kind.values().length);
      expected.forEach(
          (kind, type) -> {
            BackendException e = RedisErrors.translate(kind, cause, "get", "cache.local:6380/2");
            assertThat(e).as(kind.name()).isExactlyInstanceOf(type).hasCause(cause);
            assertThat(e.getMessage()).as(kind.name()).contains("get on cache.local:6380/2");
          });
    }

    @Test
    @DisplayName("a rejection quotes only the first line of the server's error")
    void rejectionQuotesTheFirstLine() {
      BackendException e =
          RedisErrors.translate(
              RedisErrors.Kind.REJECTED,
              new RuntimeException("OOM command not allowed\nvalue=secret"),
              "put",
              "h:1/0");
      assertThat(e.getMessage()).endsWith("OOM command not allowed").doesNotContain("secret");
    }

    @Test
    @DisplayName("an auth refusal names the Redis error code found anywhere in the cause chain")
    void authNamesTheCode() {
      Throwable chain =
          new RuntimeException("cannot connect", new IllegalStateException("WRONGPASS invalid"));
      BackendException e = RedisErrors.translate(RedisErrors.Kind.AUTH, chain, "connect", "h:1/0");
      assertThat(e.getMessage()).contains("(WRONGPASS)").contains("check the user name");
      // a wrapper quoting the wrapped exception: the code is found inside its message
      Throwable wrapped =
          new RuntimeException("io.lettuce.core.RedisCommandExecutionException: NOAUTH HELLO must");
      assertThat(RedisErrors.translate(RedisErrors.Kind.AUTH, wrapped, "get", "h:1/0").getMessage())
          .contains("(NOAUTH)");
      assertThat(RedisErrors.isAuthReply("NOPERM this user has no permissions")).isTrue();
      assertThat(RedisErrors.isAuthReply("OOM")).isFalse();
      assertThat(RedisErrors.isAuthReply(null)).isFalse();
    }

    @Test
    @DisplayName("the cause chain is searched and a self-cause does not loop")
    void causeChainSearch() {
      IOException io = new IOException("reset");
      RuntimeException outer = new RuntimeException(new RuntimeException(io));
      assertThat(RedisErrors.find(outer, IOException.class::isInstance)).isSameAs(io);
      assertThat(RedisErrors.has(outer, IllegalStateException.class::isInstance)).isFalse();
      assertThat(RedisErrors.closed("ping", "h:1/0").getMessage()).contains("the store is closed");
    }
  }

  @Nested
  @DisplayName("INFO parsing")
  class Info {
    private static final String INFO =
        """
        # Server\r
        redis_version:7.2.4\r
        redis_mode:standalone\r
        \r
        # Clients\r
        connected_clients:3\r
        """;

    @Test
    @DisplayName("fields are read across sections and a missing one is unknown")
    void fields() {
      assertThat(RedisInfo.parse(INFO))
          .containsEntry("redis_version", "7.2.4")
          .containsEntry("connected_clients", "3")
          .hasSize(3);
      assertThat(RedisInfo.field(INFO, "redis_version")).isEqualTo("7.2.4");
      assertThat(RedisInfo.field(INFO, "nope")).isEqualTo("unknown");
    }

    @Test
    @DisplayName("a ping reports version, address, prefix, TLS and the adapter's extras")
    void backendInfo() {
      BackendInfo info =
          RedisInfo.backendInfo(
              "jedis", INFO, Duration.ofMillis(3), "h:1/0", "p:", true, Map.of("x", "y"));
      assertThat(info.serverVersion()).isEqualTo("7.2.4");
      assertThat(info.details())
          .containsEntry("address", "h:1/0")
          .containsEntry("keyPrefix", "p:")
          .containsEntry("tls", "true")
          .containsEntry("x", "y");
    }
  }

  @Nested
  @DisplayName("Subscription bookkeeping")
  class Subscriptions {
    @Test
    @DisplayName("the first listener subscribes, the last one to leave unsubscribes, once")
    void firstAndLast() {
      ChannelRegistry registry = new ChannelRegistry();
      List<String> unsubscribed = new ArrayList<>();
      List<MetadataEvent> got = new ArrayList<>();
      Consumer<MetadataEvent> a = got::add;
      Consumer<MetadataEvent> b = got::add;
      ChannelRegistry.Added first = registry.add("p:events:c", a);
      ChannelRegistry.Added second = registry.add("p:events:c", b);
      assertThat(first.first()).isTrue();
      assertThat(second.first()).isFalse();
      assertThat(registry.channels()).containsExactly("p:events:c");

      registry.deliver(
          "p:events:c",
          MetadataJson.encode(
              new MetadataEvent(MetadataEvent.Type.EXPIRED, "c", "k", 1, Instant.EPOCH)));
      assertThat(got).hasSize(2);

      Subscription sa = registry.subscription("c", "p:events:c", first, a, unsubscribed::add);
      Subscription sb = registry.subscription("c", "p:events:c", second, b, unsubscribed::add);
      sa.close();
      assertThat(unsubscribed).isEmpty();
      sb.close();
      sb.close();
      assertThat(unsubscribed).containsExactly("p:events:c");
      assertThat(registry.isEmpty()).isTrue();
    }

    @Test
    @DisplayName("the test hook runs once, after the channel left and before UNSUBSCRIBE")
    void hookRunsBetweenTheLastLeaveAndTheUnsubscribe() {
      ChannelRegistry registry = new ChannelRegistry();
      List<String> order = new ArrayList<>();
      Consumer<MetadataEvent> a = e -> {};
      Consumer<MetadataEvent> b = e -> {};
      ChannelRegistry.Added first = registry.add("c", a);
      Subscription sa =
          registry.subscription(
              "c", "c", first, a, ch -> order.add("unsubscribe " + idle(registry)));
      registry.beforeNextUnsubscribe(
          () -> {
            order.add("hook " + idle(registry));
            registry.add("c", b); // a new first listener, as a racing subscribe would add it
          });
      sa.close();
      assertThat(order).containsExactly("hook idle", "unsubscribe busy");
      assertThat(registry.isIdle("c")).isFalse();
    }

    private String idle(ChannelRegistry registry) {
      return registry.isIdle("c") ? "idle" : "busy";
    }

    @Test
    @DisplayName("confirmation completes readiness and clear cancels what still waits")
    void readiness() {
      ChannelRegistry registry = new ChannelRegistry();
      ChannelRegistry.Added x = registry.add("x", e -> {});
      ChannelRegistry.Added y = registry.add("y", e -> {});
      registry.confirmed("x");
      registry.clear();
      assertThat(x.listeners().ready()).isCompleted();
      assertThat(y.listeners().ready()).isCancelled();
      assertThat(registry.get("x")).isNull();
    }
  }
}
