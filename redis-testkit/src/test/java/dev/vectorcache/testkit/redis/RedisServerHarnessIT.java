package dev.vectorcache.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The harness itself: kill/restart on the same port, controls, and no orphan processes. */
@ExtendWith(RedisServerExtension.class)
class RedisServerHarnessIT {
  @Test
  void injectedServerAnswersAndIsNeverTheMachineDefault(RedisServer server) {
    assertThat(server.isUp()).isTrue();
    if (server.owned()) {
      assertThat(server.port()).isNotEqualTo(6379);
    }
    assertThat(server.commandStats()).isNotEmpty();
  }

  @Test
  void privateProcessKillsRestartsOnTheSamePortAndLeavesNoOrphan() {
    Optional<java.nio.file.Path> binary = RedisServer.findBinary();
    RedisServerExtension.requireOrSkip(binary.isPresent(), "needs redis-server on the PATH");
    RedisServer server = RedisServer.startProcess(binary.get(), "maxmemory 10mb");
    long pid;
    try {
      int port = server.port();
      pid = server.pid().getAsLong();
      assertThat(server.command("CONFIG", "GET", "maxmemory").toString()).contains("10485760");
      server.command("SET", "x", "1");
      server.kill();
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(server.isUp()).isFalse();
      server.restart();
      assertThat(server.port()).isEqualTo(port);
      assertThat(server.isUp()).isTrue();
      assertThat(server.command("GET", "x")).isNull(); // no persistence
      server.configSet("maxmemory", "1mb");
      server.restoreConfig();
      assertThat(server.command("CONFIG", "GET", "maxmemory").toString()).contains("10485760");
      pid = server.pid().getAsLong();
    } finally {
      server.close();
    }
    long p = pid;
    assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void aPausedProcessAnswersNothingUntilItIsResumed() {
    Optional<java.nio.file.Path> binary = RedisProcess.findBinary();
    RedisServerExtension.requireOrSkip(binary.isPresent(), "needs redis-server on the PATH");
    try (RedisProcess process = RedisProcess.start(binary.get(), java.util.List.of())) {
      process.pause();
      assertThat(process.isAlive()).isTrue();
      assertThatThrownBy(
              () -> {
                try (RespClient c =
                    RespClient.connect(
                        process.host(), process.port(), null, Duration.ofMillis(300))) {
                  c.command("PING");
                }
              })
          .isInstanceOf(RuntimeException.class);
      process.resume();
      try (RespClient c =
          RespClient.connect(process.host(), process.port(), null, Duration.ofSeconds(2))) {
        assertThat(c.command("PING")).isEqualTo("PONG");
      }
    }
  }

  @Test
  void anExternalServerIsNeverChanged() {
    RedisServer external = RedisServer.external("redis://127.0.0.1:6379");
    assertThat(external.owned()).isFalse();
    assertThatThrownBy(external::flushAll).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> external.configSet("maxmemory", "1mb"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> external.pause(Duration.ofMillis(1)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(external::kill).isInstanceOf(UnsupportedOperationException.class);
  }
}
