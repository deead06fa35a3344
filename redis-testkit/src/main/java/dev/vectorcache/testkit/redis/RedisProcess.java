package dev.vectorcache.testkit.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * One private {@code redis-server} child process on a free loopback port: the building block of
 * every topology the harness starts. {@link RedisServer} wraps one for a standalone node; a cluster
 * of several primaries is several of these with more configuration lines (a cluster node adds
 * {@code cluster-enabled yes}). With {@link RedisTls} it listens with TLS only ({@code port 0},
 * {@code tls-port} on the free port) and the harness's own PING goes over TLS too.
 *
 * <p>The configuration is written to {@code redis.conf} in the process's own temporary directory (a
 * file rather than command-line options, because Sentinel and cluster nodes rewrite theirs). The
 * defaults: loopback only, no persistence, {@code DEBUG} allowed from loopback. The process is
 * stopped by its PID, never by name, and a JVM shutdown hook stops any process a test left running.
 */
public final class RedisProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);
  private static final Set<RedisProcess> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(RedisProcess::close), "vectorcache-redis-process-stop"));
  }

  private final Path binary;
  private final int port;
  private final List<String> configLines;
  private final List<String> arguments;
  private final @Nullable RedisTls tls;
  private final @Nullable SSLSocketFactory controlSockets;
  private final Path dir;
  private volatile @Nullable Process process;
  private volatile boolean closed;

  private RedisProcess(
      Path binary,
      int port,
      List<String> configLines,
      List<String> arguments,
      @Nullable RedisTls tls,
      Path dir) {
    this.binary = binary;
    this.port = port;
    this.configLines = List.copyOf(configLines);
    this.arguments = List.copyOf(arguments);
    this.tls = tls;
    this.controlSockets = tls == null ? null : tls.controlSockets();
    this.dir = dir;
  }

  /**
   * The {@code redis-server} binary: system property {@code vectorcache.redis.server} when set,
   * else the first one on the {@code PATH}.
   *
   * @return the binary, or empty when none is found
   */
  public static Optional<Path> findBinary() {
    String explicit = System.getProperty("vectorcache.redis.server");
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(File.pathSeparator))
        .filter(s -> !s.isBlank())
        .map(s -> Path.of(s, "redis-server"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * Starts a {@code redis-server} on a free loopback port and waits until it answers PING. A port
   * taken by somebody else between probing and binding is retried on another port.
   *
   * @param binary the {@code redis-server} executable
   * @param configLines more configuration directives, one per line, for example {@code "maxmemory
   *     10mb"}; they come after the defaults and so override them
   * @return the running process
   * @throws IllegalStateException when the server does not start
   */
  public static RedisProcess start(Path binary, List<String> configLines) {
    return launchNew(binary, configLines, List.of(), null);
  }

  /**
   * Starts a {@code redis-server} that speaks TLS only, on a free loopback port, and waits until it
   * answers PING over TLS.
   *
   * @param binary the {@code redis-server} executable
   * @param tls the certificates and whether clients must present one
   * @param configLines more configuration directives, after the TLS ones
   * @return the running process
   * @throws IllegalStateException when the server does not start
   */
  public static RedisProcess start(Path binary, RedisTls tls, List<String> configLines) {
    return launchNew(binary, configLines, List.of(), Objects.requireNonNull(tls, "tls"));
  }

  /**
   * Starts a {@code redis-server} with more command-line arguments after the configuration file,
   * for example {@code --sentinel} for a Sentinel ({@link RedisSentinelGroup}).
   */
  static RedisProcess start(
      Path binary, @Nullable RedisTls tls, List<String> configLines, List<String> arguments) {
    return launchNew(binary, configLines, Objects.requireNonNull(arguments, "arguments"), tls);
  }

  private static RedisProcess launchNew(
      Path binary, List<String> configLines, List<String> arguments, @Nullable RedisTls tls) {
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(configLines, "configLines");
    IllegalStateException last = new IllegalStateException("redis-server did not start");
    for (int attempt = 0; attempt < 3; attempt++) {
      RedisProcess p =
          new RedisProcess(binary, freePort(), configLines, arguments, tls, createDir());
      try {
        p.launch();
        LIVE.add(p);
        return p;
      } catch (IllegalStateException e) {
        p.close();
        last = e;
      }
    }
    throw last;
  }

  /**
   * The loopback address the process listens on.
   *
   * @return {@code 127.0.0.1}
   */
  public String host() {
    return "127.0.0.1";
  }

  /**
   * The port, the same across {@link #restart()}.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * The TLS settings of a server that speaks TLS only.
   *
   * @return the settings, or empty for a plain-text server
   */
  public Optional<RedisTls> tls() {
    return Optional.ofNullable(tls);
  }

  /** Sockets for control connections: TLS ones for a TLS server, else null (plain). */
  @Nullable SSLSocketFactory controlSockets() {
    return controlSockets;
  }

  /**
   * The process id while it runs.
   *
   * @return the PID, or empty when stopped
   */
  public OptionalLong pid() {
    Process p = process;
    return p != null && p.isAlive() ? OptionalLong.of(p.pid()) : OptionalLong.empty();
  }

  /**
   * Whether the process is alive (it may still be paused).
   *
   * @return true while the process runs
   */
  public boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /**
   * The process's working directory, where {@code redis.conf} and {@code redis.log} are.
   *
   * @return the directory
   */
  public Path directory() {
    return dir;
  }

  /** Kills the process with SIGKILL and waits until it is gone. Data is lost. */
  public void kill() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      waitFor(p);
    }
  }

  /**
   * Starts the process again on the same port with the same configuration, stopping it first if it
   * still runs. Without persistence it comes back empty.
   */
  public void restart() {
    Process p = process;
    if (p != null && p.isAlive()) {
      resume(); // a stopped process cannot handle SIGTERM
      stop(p);
    }
    launch();
  }

  /**
   * Freezes the process with SIGSTOP: connections stay open but nothing is answered, as with a hung
   * server or a network partition (unlike {@code CLIENT PAUSE}, which the server itself applies).
   */
  public void pause() {
    signal("STOP");
  }

  /** Resumes a process frozen by {@link #pause()} (SIGCONT); harmless when it is not frozen. */
  public void resume() {
    signal("CONT");
  }

  /** Stops the process by its PID and deletes its directory. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    LIVE.remove(this);
    Process p = process;
    if (p != null) {
      resume();
      stop(p);
    }
    deleteDir();
  }

  @Override
  public String toString() {
    OptionalLong pid = pid();
    return "RedisProcess["
        + (tls == null ? "" : "tls ")
        + "127.0.0.1:"
        + port
        + (pid.isPresent() ? " pid " + pid.getAsLong() : " stopped")
        + "]";
  }

  // ---------------------------------------------------------------- process handling

  private void launch() {
    Path log = dir.resolve("redis.log");
    try {
      Path conf = writeConfig();
      List<String> command = new ArrayList<>();
      command.add(binary.toString());
      command.add(conf.toString());
      command.addAll(arguments);
      Process started =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      process = started;
      awaitPing(started, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
  }

  private Path writeConfig() throws IOException {
    List<String> lines = new ArrayList<>();
    if (tls == null) {
      lines.add("port " + port);
    } else {
      lines.addAll(tls.configLines(port));
    }
    lines.add("bind 127.0.0.1");
    lines.add("dir " + dir);
    lines.add("save \"\"");
    lines.add("appendonly no");
    lines.add("enable-debug-command local");
    lines.addAll(configLines);
    Path conf = dir.resolve("redis.conf");
    Files.write(conf, lines, StandardCharsets.UTF_8);
    return conf;
  }

  private void awaitPing(Process started, Path log) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (!started.isAlive()) {
          throw new IllegalStateException(
              "redis-server exited with "
                  + started.exitValue()
                  + " on port "
                  + port
                  + ": "
                  + tail(log));
        }
        if (answersPing()) {
          return;
        }
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(started);
      throw new IllegalStateException("interrupted while starting redis-server", e);
    }
    stop(started);
    throw new IllegalStateException(
        "redis-server did not answer PING within " + START_TIMEOUT + ": " + tail(log));
  }

  private boolean answersPing() {
    try (RespClient c = RespClient.connect(host(), port, null, PING_TIMEOUT, controlSockets)) {
      return "PONG".equals(c.command("PING"));
    } catch (RespClient.ServerError e) {
      // it answered: a server configured with requirepass refuses an unauthenticated PING
      return e.getMessage() != null && e.getMessage().startsWith("NOAUTH");
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void signal(String name) {
    OptionalLong pid = pid();
    if (pid.isEmpty()) {
      return;
    }
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + name, Long.toString(pid.getAsLong()))
              .redirectErrorStream(true)
              .start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + pid.getAsLong() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot send SIG" + name + " to " + this, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + this, e);
    }
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log, StandardCharsets.UTF_8);
      return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        waitFor(p);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void waitFor(Process p) {
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server pid " + p.pid() + " did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Path createDir() {
    try {
      return Files.createTempDirectory("vectorcache-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for redis-server", e);
    }
  }

  private void deleteDir() {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // best effort: a leftover temp file is harmless
                }
              });
    } catch (IOException ignored) {
      // best effort
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
