package dev.vectorcache.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.AuthenticationException;
import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.BackendRejectedException;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.BatchMetadataWrites;
import dev.vectorcache.core.port.BatchMetadataWrites.CopyWrite;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.spi.MetadataStoreConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a Redis adapter must do against a real {@code redis-server} for the fault-tolerance work
 * (issue 10), beside {@link RedisMetadataStoreReliabilityContract}: batch writes on the server (one
 * command per copy and per event, the version compare-and-set, a {@code SCRIPT FLUSH}, a pause),
 * honest error classes (a changed password is an authentication failure, a pause while connecting a
 * timeout), pub/sub through {@code CLIENT KILL TYPE pubsub} and the subscribe-after-unsubscribe
 * race, and no password in any log at TRACE.
 *
 * <p>An adapter adds one subclass naming how it opens and its provider name.
 */
@ExtendWith(RedisServerExtension.class)
public abstract class RedisMetadataStoreFaultContract {
  /** The command and connect timeout of the stores under test. */
  protected static final Duration TIMEOUT = Duration.ofMillis(800);

  /** Twice the timeout plus scheduling slack on a busy 2-core machine. */
  protected static final Duration FAIL_WITHIN = TIMEOUT.multipliedBy(2).plusMillis(700);

  /** How long recovery after a fault may take. */
  protected static final Duration RECOVER_WITHIN = Duration.ofSeconds(15);

  private static final long V = 1_700_000_000_000_000L;

  /** The server of this test class. */
  protected RedisServer server;

  /** A key prefix unique to this test. */
  protected String prefix;

  /** Subclasses have a no-argument constructor. */
  protected RedisMetadataStoreFaultContract() {}

  /**
   * Opens the adapter under test (blocking form).
   *
   * @param config the configuration
   * @return the store
   */
  protected abstract MetadataStore open(MetadataStoreConfig config);

  /**
   * The adapter's provider name, for the program that runs in a JVM of its own.
   *
   * @return {@code lettuce} or {@code jedis}
   */
  protected abstract String client();

  /**
   * Text that the client prints only when its wire log (the bytes it receives) is at TRACE, to
   * prove the log test ran at TRACE; empty when the client has no wire log.
   *
   * @return the marker, or empty
   */
  protected abstract Optional<String> wireTraceMarker();

  /**
   * Arranges for {@code action} to run once, on the thread that closes the next last listener of a
   * channel of {@code store}, after the store forgot the channel and before it unsubscribes (the
   * adapter's channel registry has the hook).
   *
   * @param store a store opened by {@link #open}
   * @param action what to run in between
   */
  protected abstract void beforeNextUnsubscribe(MetadataStore store, Runnable action);

  @BeforeEach
  void setUpServer(RedisServer server) {
    this.server = server;
    this.prefix = "fault:" + UUID.randomUUID() + ":";
  }

  /**
   * A config for the test server with this test's key prefix and short timeouts.
   *
   * @return the builder
   */
  protected MetadataStoreConfig.Builder config() {
    return MetadataStoreConfig.builder()
        .url(server.url())
        .keyPrefix(prefix)
        .commandTimeout(TIMEOUT)
        .connectTimeout(TIMEOUT)
        .clientName("vectorcache-fault-it");
  }

  private static MetadataEntry entry(String key, long version) {
    return new MetadataEntry(
        key, Map.of("v", version), version, Instant.now().plus(1, ChronoUnit.HOURS));
  }

  private static BatchMetadataWrites batch(MetadataStore store) {
    return store.extension(BatchMetadataWrites.class).orElseThrow();
  }

  @Nested
  @DisplayName("Batch writes on a real server")
  class BatchWrites {
    @DisplayName("One command per copy and per event, and a SCRIPT FLUSH is survived with EVAL")
    @Test
    void oneCommandPerCopyAndEventAndAScriptFlushIsSurvived() {
      try (MetadataStore store = open(config().build())) {
        store.put(entry("kept", V + 1), Duration.ofMinutes(1));
        Map<String, Long> before = server.commandStats();
        MetadataEvent ev =
            new MetadataEvent(MetadataEvent.Type.STORED, "c", "plain", V, Instant.now());
        int written =
            batch(store)
                .writeAll(
                    List.of(
                        new CopyWrite(
                            entry("plain", V), Duration.ofMinutes(1), CopyWrite.Condition.ALWAYS),
                        new CopyWrite(
                            entry("absent", V),
                            Duration.ofMinutes(1),
                            CopyWrite.Condition.IF_NEWER),
                        new CopyWrite(entry("kept", V), null, CopyWrite.Condition.IF_NEWER)),
                    List.of(ev, ev))
                .join();
        assertThat(written).isEqualTo(2);
        // commandstats counts what a script calls too: the plain SET and the script's one write
        assertThat(delta(before, "set")).isEqualTo(2);
        assertThat(delta(before, "evalsha")).isEqualTo(2);
        assertThat(delta(before, "publish")).isEqualTo(2);
        assertThat(delta(before, "eval")).isZero();
        assertThat((String) server.command("GET", prefix + "absent")).contains("\"version\":" + V);

        server.command("SCRIPT", "FLUSH");
        Map<String, Long> flushed = server.commandStats();
        int after =
            batch(store)
                .writeAll(
                    List.of(
                        new CopyWrite(
                            entry("absent", V + 5),
                            Duration.ofMinutes(1),
                            CopyWrite.Condition.IF_NEWER)),
                    List.of())
                .join();
        assertThat(after).isEqualTo(1);
        assertThat(delta(flushed, "eval")).isEqualTo(1);
        assertThat(store.get("absent").orElseThrow().version()).isEqualTo(V + 5);
        assertThat(store.get("kept").orElseThrow().version()).isEqualTo(V + 1);
      }
    }

    private long delta(Map<String, Long> before, String command) {
      return server.calls(command) - before.getOrDefault(command, 0L);
    }

    @DisplayName(
        "A value that is not a copy is replaced (kept by a refresh); a key of another type is"
            + " rejected, typed")
    @Test
    void aValueThatIsNotACopyIsReplacedAndAnotherTypeIsRejected() {
      try (MetadataStore store = open(config().build())) {
        server.command("SET", prefix + "garbage", "not json");
        server.command("HSET", prefix + "hash", "f", "v");
        BatchMetadataWrites batch = batch(store);
        // a refresh needs a copy of its version: what is not a copy is kept
        CopyWrite refreshGarbage =
            new CopyWrite(
                entry("garbage", V), Duration.ofMinutes(1), CopyWrite.Condition.IF_SAME_VERSION);
        assertThat(batch.writeAll(List.of(refreshGarbage), List.of()).join()).isZero();
        assertThat((String) server.command("GET", prefix + "garbage")).isEqualTo("not json");
        CopyWrite overGarbage =
            new CopyWrite(entry("garbage", V), Duration.ofMinutes(1), CopyWrite.Condition.IF_NEWER);
        assertThat(batch.writeAll(List.of(overGarbage), List.of()).join()).isEqualTo(1);
        assertThat(store.get("garbage").orElseThrow().version()).isEqualTo(V);
        CopyWrite overHash =
            new CopyWrite(entry("hash", V), Duration.ofMinutes(1), CopyWrite.Condition.IF_NEWER);
        Throwable t =
            catchThrowable(() -> Futures.join(batch.writeAll(List.of(overHash), List.of())));
        assertThat(t)
            .isInstanceOf(BackendRejectedException.class)
            .hasMessageContaining("WRONGTYPE");
      }
    }

    @DisplayName("With the server paused, a batch fails with a timeout within the bound")
    @Test
    void aPausedServerFailsTheBatchWithATimeout() {
      try (MetadataStore store = open(config().build())) {
        store.put(entry("p", V), Duration.ofMinutes(1));
        server.pause(TIMEOUT.multipliedBy(4));
        CopyWrite w =
            new CopyWrite(entry("p", V + 1), Duration.ofMinutes(1), CopyWrite.Condition.IF_NEWER);
        Throwable t =
            assertTimeoutPreemptively(
                FAIL_WITHIN,
                () ->
                    catchThrowable(
                        () -> Futures.join(batch(store).writeAll(List.of(w), List.of()))));
        assertThat(t).isInstanceOf(BackendTimeoutException.class);
        server.unpause();
      }
    }
  }

  @Nested
  @DisplayName("Error classes are honest")
  class ErrorClasses {
    @DisplayName("After the server's password changed, calls fail as authentication errors")
    @Test
    void aChangedPasswordIsAnAuthenticationFailure() {
      assumeTrue(server.owned(), "needs a server the harness may configure");
      String right = "pw-" + UUID.randomUUID();
      server.configSet("requirepass", right);
      try (MetadataStore store = open(config().password(right).build())) {
        store.put(entry("k", V), Duration.ofMinutes(1));
        server.configSet("requirepass", "pw-" + UUID.randomUUID());
        killNormalClients();
        assertThat(awaitAuthenticationFailure(store)).hasMessageContaining("WRONGPASS");
        // the right password again: the same store recovers
        server.configSet("requirepass", right);
        await()
            .atMost(RECOVER_WITHIN)
            .pollInterval(Duration.ofMillis(100))
            .ignoreExceptionsInstanceOf(BackendException.class)
            .until(() -> store.get("k").isPresent());
      }
    }

    @DisplayName("After a password was set on the server, calls fail as authentication errors")
    @Test
    void aPasswordSetLaterIsAnAuthenticationFailure() {
      assumeTrue(server.owned(), "needs a server the harness may configure");
      try (MetadataStore store = open(config().build())) {
        store.put(entry("k", V), Duration.ofMinutes(1));
        server.configSet("requirepass", "pw-" + UUID.randomUUID());
        killNormalClients();
        assertThat(awaitAuthenticationFailure(store)).hasMessageContaining("NOAUTH");
      }
    }

    private void killNormalClients() {
      server.command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
    }

    /**
     * Calls until one fails as an authentication error (the first after the kill may still see the
     * broken connection), then checks that it stays so, in both forms.
     */
    private Throwable awaitAuthenticationFailure(MetadataStore store) {
      List<Throwable> seen = new ArrayList<>();
      await()
          .atMost(RECOVER_WITHIN)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                Throwable t =
                    assertTimeoutPreemptively(
                        FAIL_WITHIN, () -> catchThrowable(() -> store.get("k")));
                seen.add(t);
                return t instanceof AuthenticationException;
              });
      assertThat(seen).allSatisfy(t -> assertThat(t).isInstanceOf(BackendException.class));
      for (int i = 0; i < 3; i++) {
        assertThat(catchThrowable(() -> store.get("k")))
            .isInstanceOf(AuthenticationException.class);
        assertThat(catchThrowable(() -> store.async().get("k").join()))
            .hasCauseInstanceOf(AuthenticationException.class);
      }
      return seen.get(seen.size() - 1);
    }

    @DisplayName("Opening while the server is frozen is a timeout, not 'unreachable'")
    @Test
    void openingWhileTheServerIsFrozenIsATimeout() {
      assumeTrue(server.canKill(), "needs a private redis-server process");
      RedisProcess process = server.process().orElseThrow();
      process.pause();
      try {
        Throwable t =
            assertTimeoutPreemptively(
                TIMEOUT.multipliedBy(2).plusSeconds(2),
                () -> catchThrowable(() -> open(config().build()).close()));
        assertThat(t).isInstanceOf(BackendTimeoutException.class);
        assertThat(t.getMessage()).contains("connect").doesNotContain("unreachable");
      } finally {
        process.resume();
      }
    }
  }

  @Nested
  @DisplayName("Subscriptions hold through disconnects and races")
  class PubSub {
    @DisplayName("Subscriptions survive CLIENT KILL TYPE pubsub, twice")
    @Test
    void subscriptionsSurviveClientKillTypePubsub() {
      try (MetadataStore subscriber = open(config().build());
          MetadataStore publisher = open(config().build())) {
        List<MetadataEvent> seen = new CopyOnWriteArrayList<>();
        subscriber.subscribe("killed", seen::add);
        for (int round = 0; round < 2; round++) {
          assertThat((Long) server.command("CLIENT", "KILL", "TYPE", "pubsub")).isPositive();
          MetadataEvent e =
              new MetadataEvent(MetadataEvent.Type.STORED, "killed", "k" + round, V, Instant.now());
          await()
              .atMost(RECOVER_WITHIN)
              .pollInterval(Duration.ofMillis(100))
              .until(
                  () -> {
                    publisher.publish(e);
                    return seen.contains(e);
                  });
        }
        // a channel added after the kills is served by the new connection too
        List<MetadataEvent> later = new CopyOnWriteArrayList<>();
        try (Subscription s = subscriber.subscribe("after-kill", later::add)) {
          MetadataEvent e =
              new MetadataEvent(MetadataEvent.Type.DELETED, "after-kill", "k", V, Instant.now());
          publisher.publish(e);
          await().atMost(Duration.ofSeconds(5)).until(() -> later.contains(e));
          assertThat(s.channel()).isEqualTo("after-kill");
        }
      }
    }

    @DisplayName("A subscribe between the last listener's leaving and its UNSUBSCRIBE holds")
    @Test
    void aSubscribeBetweenTheLastLeaveAndItsUnsubscribeHolds() {
      try (MetadataStore store = open(config().build());
          MetadataStore publisher = open(config().build());
          // another channel keeps the connection subscribed: a client that re-subscribes everything
          // when its last channel goes (Jedis's loop ends then) would otherwise hide the bug
          Subscription keeper = store.subscribe("race-keeper", e -> {})) {
        assertThat(keeper.channel()).isEqualTo("race-keeper");
        for (int round = 0; round < 3; round++) {
          String ch = "race-" + round;
          Subscription leaving = store.subscribe(ch, e -> {});
          List<MetadataEvent> heard = new CopyOnWriteArrayList<>();
          List<Subscription> joined = new CopyOnWriteArrayList<>();
          // the new listener subscribes after the channel was forgotten, before its UNSUBSCRIBE
          beforeNextUnsubscribe(store, () -> joined.add(store.subscribe(ch, heard::add)));
          leaving.close();
          assertThat(joined).hasSize(1);
          MetadataEvent e = new MetadataEvent(MetadataEvent.Type.STORED, ch, "k", V, Instant.now());
          await()
              .alias("channel " + ch + " must stay subscribed")
              .atMost(Duration.ofSeconds(3))
              .pollInterval(Duration.ofMillis(100))
              .until(
                  () -> {
                    publisher.publish(e);
                    return !heard.isEmpty();
                  });
          joined.get(0).close();
        }
      }
    }
  }

  @Nested
  @DisplayName("Passwords stay out of the logs at TRACE")
  class Secrets {
    @DisplayName("With every logger at TRACE, the password appears nowhere in the output")
    @Test
    void withEveryLoggerAtTraceThePasswordAppearsNowhere() throws Exception {
      assumeTrue(server.owned(), "needs a server the harness may configure");
      String canary = "CANARY-" + UUID.randomUUID();
      server.configSet("requirepass", canary);
      Path out = Files.createTempFile("vectorcache-trace-", ".log");
      try {
        Process probe = startProbe(canary, out);
        boolean ended = probe.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
          probe.destroyForcibly();
        }
        String log = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(ended).as("the probe ended: %s", tail(log)).isTrue();
        assertThat(probe.exitValue()).as(tail(log)).isZero();
        assertThat(log)
            .contains("trace-enabled=true")
            .contains("probe-done")
            .contains("AuthenticationException");
        wireTraceMarker().ifPresent(m -> assertThat(log).as("the wire log ran").contains(m));
        // neither the right nor the wrong password, both starting with CANARY-, may appear
        assertThat(log).doesNotContain("CANARY-");
      } finally {
        Files.deleteIfExists(out);
        server.restoreConfig();
      }
    }

    private Process startProbe(String canary, Path out) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String level = "-Dorg.slf4j.simpleLogger.";
      return new ProcessBuilder(
              java,
              "-cp",
              System.getProperty("java.class.path"),
              level + "defaultLogLevel=trace",
              level + "log.io.lettuce.core=trace",
              level + "log.io.netty=trace",
              level + "log.redis.clients=trace",
              level + "log.org.apache.commons.pool2=trace",
              level + "log.dev.vectorcache=trace",
              level + "logFile=System.err",
              TraceLogProbe.class.getName(),
              client(),
              server.host() + ":" + server.port(),
              canary,
              "CANARY-WRONG-" + UUID.randomUUID(),
              prefix)
          .redirectErrorStream(true)
          .redirectOutput(out.toFile())
          .start();
    }

    private String tail(String log) {
      return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }
  }
}
