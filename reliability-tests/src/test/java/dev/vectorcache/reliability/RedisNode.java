package dev.vectorcache.reliability;

import dev.vectorcache.testkit.redis.RedisProcess;
import dev.vectorcache.testkit.redis.RedisServerExtension;
import dev.vectorcache.testkit.redis.RespClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One private {@code redis-server} for a scenario ({@link RedisProcess}: a free loopback port,
 * stopped by PID), by default requiring the canary password, with the fault controls the suite uses
 * (kill, restart, SIGSTOP, {@code CLIENT KILL}, {@code CONFIG SET}) and a raw control connection
 * ({@link RespClient}) that never goes through the code under test.
 *
 * <p>A missing {@code redis-server} (or {@code faketime}) skips the scenario, or fails it in CI
 * ({@link RedisServerExtension#requireOrSkip}).
 */
final class RedisNode implements AutoCloseable {
  private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(5);

  private final RedisProcess process;
  private volatile @Nullable String password;
  private final @Nullable Path wrapperDir;

  private RedisNode(RedisProcess process, @Nullable String password, @Nullable Path wrapperDir) {
    this.process = process;
    this.password = password;
    this.wrapperDir = wrapperDir;
  }

  /** A server requiring the canary password, with these extra configuration lines. */
  static RedisNode start(String... config) {
    return start(Canaries.REDIS_PASSWORD, config);
  }

  /** A server without a password (the measurement harness, which also runs before issue 10). */
  static RedisNode startWithoutPassword(String... config) {
    return start(null, config);
  }

  /** A server requiring {@code password} ({@code null}: none). */
  static RedisNode start(@Nullable String password, String... config) {
    return new RedisNode(RedisProcess.start(binary(), lines(password, config)), password, null);
  }

  /**
   * A server whose clock is skewed by libfaketime, for example {@code "-5s x0.5"}: five seconds
   * behind and running at half speed, so that its keys expire late in real time. Debian's
   * redis-server allocates with jemalloc, which deadlocks under libfaketime's start-up; preloading
   * glibc ahead of jemalloc makes malloc glibc's, and libfaketime then starts cleanly.
   */
  static RedisNode startSkewed(String faketime, String... config) {
    Path redis = binary();
    Optional<Path> lib = firstExisting(FAKETIME_LIBS);
    Optional<Path> libc = firstExisting(LIBC);
    RedisServerExtension.requireOrSkip(
        lib.isPresent() && libc.isPresent(),
        "libfaketime is not installed (apt-get install faketime): the real clock-skew scenario"
            + " runs redis-server under it");
    Path dir = tempDir();
    Path wrapper = dir.resolve("redis-server-faketime");
    String script =
        "#!/bin/sh\n"
            + "LD_PRELOAD='"
            + lib.orElseThrow()
            + " "
            + libc.orElseThrow()
            + "' FAKETIME='"
            + faketime
            + "' FAKETIME_DONT_FAKE_MONOTONIC=1 exec '"
            + redis
            + "' \"$@\"\n";
    try {
      Files.writeString(wrapper, script, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String pw = Canaries.REDIS_PASSWORD;
    return new RedisNode(RedisProcess.start(wrapper, lines(pw, config)), pw, dir);
  }

  private static final List<String> FAKETIME_LIBS =
      List.of(
          "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
          "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
          "/usr/lib64/faketime/libfaketime.so.1",
          "/usr/lib/faketime/libfaketime.so.1");
  private static final List<String> LIBC =
      List.of(
          "/lib/x86_64-linux-gnu/libc.so.6",
          "/usr/lib/x86_64-linux-gnu/libc.so.6",
          "/lib/aarch64-linux-gnu/libc.so.6",
          "/lib64/libc.so.6");

  private static Optional<Path> firstExisting(List<String> paths) {
    return paths.stream().map(Path::of).filter(Files::isReadable).findFirst();
  }

  private static Path binary() {
    Optional<Path> b = RedisProcess.findBinary();
    RedisServerExtension.requireOrSkip(
        b.isPresent(), "no redis-server on the PATH (apt-get install redis-server)");
    return b.orElseThrow();
  }

  private static List<String> lines(@Nullable String password, String... config) {
    List<String> lines = new ArrayList<>();
    if (password != null) {
      lines.add("requirepass " + password);
    }
    lines.addAll(List.of(config));
    return lines;
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("vectorcache-reliability-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- facts

  String url() {
    return "redis://127.0.0.1:" + process.port();
  }

  int port() {
    return process.port();
  }

  @Nullable String password() {
    return password;
  }

  RedisProcess process() {
    return process;
  }

  // ---------------------------------------------------------------- faults

  /** SIGKILL; the data is gone. */
  void kill() {
    process.kill();
  }

  /** Starts again on the same port, empty, with the original configuration and password. */
  void restart() {
    process.restart();
    password = initialPassword();
  }

  private @Nullable String initialPassword() {
    try {
      List<String> conf = Files.readAllLines(process.directory().resolve("redis.conf"));
      return conf.stream()
          .filter(l -> l.startsWith("requirepass "))
          .map(l -> l.substring("requirepass ".length()))
          .reduce((a, b) -> b)
          .orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGSTOP: connections stay open, nothing is answered. */
  void pause() {
    process.pause();
  }

  /** SIGCONT. */
  void resume() {
    process.resume();
  }

  /** {@code CLIENT KILL TYPE type SKIPME yes}; returns how many connections were killed. */
  long clientKill(String type) {
    Object n = command("CLIENT", "KILL", "TYPE", type, "SKIPME", "yes");
    return n instanceof Long l ? l : 0;
  }

  /** {@code CONFIG SET}; a new {@code requirepass} is used by later control connections. */
  void configSet(String name, String value) {
    command("CONFIG", "SET", name, value);
    if (name.equalsIgnoreCase("requirepass")) {
      password = value.isEmpty() ? null : value;
    }
  }

  // ---------------------------------------------------------------- reads

  /** One command on a fresh control connection. */
  @Nullable Object command(String... args) {
    try (RespClient c =
        RespClient.connect("127.0.0.1", process.port(), password, CONTROL_TIMEOUT)) {
      return c.command(args);
    }
  }

  /** The raw value of {@code key}, or null. */
  @Nullable String get(String key) {
    Object v = command("GET", key);
    return v == null ? null : v.toString();
  }

  /** The remaining time to live of {@code key} in ms ({@code PTTL}: -2 missing, -1 none). */
  long pttl(String key) {
    Object v = command("PTTL", key);
    return v instanceof Long l ? l : -2;
  }

  /** Every key matching {@code pattern}, by {@code SCAN}. */
  List<String> keys(String pattern) {
    List<String> out = new ArrayList<>();
    try (RespClient c =
        RespClient.connect("127.0.0.1", process.port(), password, CONTROL_TIMEOUT)) {
      String cursor = "0";
      do {
        List<?> reply = (List<?>) c.command("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
        cursor = String.valueOf(reply.get(0));
        for (Object k : (List<?>) reply.get(1)) {
          out.add(String.valueOf(k));
        }
      } while (!cursor.equals("0"));
    }
    return out;
  }

  /**
   * Successful calls per command from {@code INFO commandstats} ({@code calls} less {@code
   * failed_calls} and {@code rejected_calls}), names in lower case.
   */
  Map<String, Long> commandCalls() {
    String info = String.valueOf(command("INFO", "commandstats"));
    Map<String, Long> calls = new LinkedHashMap<>();
    for (String line : info.split("\r?\n", -1)) {
      if (!line.startsWith("cmdstat_")) {
        continue;
      }
      int colon = line.indexOf(':');
      String name = line.substring("cmdstat_".length(), colon).toLowerCase(Locale.ROOT);
      long n = 0;
      for (String field : line.substring(colon + 1).split(",", -1)) {
        int eq = field.indexOf('=');
        String k = eq < 0 ? field : field.substring(0, eq);
        switch (k) {
          case "calls" -> n += Long.parseLong(field.substring(eq + 1));
          case "failed_calls", "rejected_calls" -> n -= Long.parseLong(field.substring(eq + 1));
          default -> {}
        }
      }
      calls.put(name, n);
    }
    return calls;
  }

  /**
   * Changes to the data set so far ({@code rdb_changes_since_last_save}: the server never saves, so
   * it only grows). A write counts once whether it is a plain {@code SET} or made by a script, and
   * a compare-and-set that refuses does not count; {@code INFO commandstats} counts a scripted
   * write twice (the script, and the command it calls).
   */
  long changes() {
    String info = String.valueOf(command("INFO", "persistence"));
    for (String line : info.split("\r?\n", -1)) {
      if (line.startsWith("rdb_changes_since_last_save:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    throw new IllegalStateException("no rdb_changes_since_last_save in INFO persistence");
  }

  /** The sum of the successful calls of {@code commands} so far. */
  long calls(Set<String> commands) {
    return commandCalls().entrySet().stream()
        .filter(e -> commands.contains(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** Whether the server answers PING now. */
  boolean isUp() {
    try {
      return "PONG".equals(command("PING"));
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.close();
    if (wrapperDir != null) {
      try (Stream<Path> files = Files.list(wrapperDir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(f);
        }
        Files.deleteIfExists(wrapperDir);
      } catch (IOException ignored) {
        // a leftover script in the temp directory is harmless
      }
    }
  }

  @Override
  public String toString() {
    return "RedisNode[" + process + "]";
  }
}
