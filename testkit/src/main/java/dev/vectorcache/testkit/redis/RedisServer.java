package dev.vectorcache.testkit.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Redis server for an integration test, handed out by {@link RedisServerExtension}.
 *
 * <p>Three kinds: {@link Kind#EXTERNAL} (the server named by {@code REDIS_URL}; the harness never
 * changes it), {@link Kind#PROCESS} (a private {@code redis-server} child process on a free
 * loopback port, which can be killed and restarted on the same port) and {@link Kind#CONTAINER}
 * (Testcontainers). Fault controls ({@link #pause}, {@link #clientKillAll}, {@link #configSet},
 * {@link #flushAll}) act only on a server the harness owns; {@link #kill()} and {@link #restart()}
 * need a {@link Kind#PROCESS} server ({@link #canKill()}).
 *
 * <p>Control commands use {@link RespClient}, a raw RESP client, never the code under test.
 */
public final class RedisServer implements AutoCloseable {
  /** Where the server comes from. */
  public enum Kind {
    /** {@code REDIS_URL}: somebody else's server, used read-only by the harness. */
    EXTERNAL,
    /** A private {@code redis-server} process started from the binary on the PATH. */
    PROCESS,
    /** A Testcontainers container. */
    CONTAINER
  }

  private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  private static final Set<RedisServer> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(RedisServer::close), "vectorcache-redis-harness-stop"));
  }

  private final Kind kind;
  private final String host;
  private final String externalUrl;
  private final Path binary;
  private final List<String> extraArgs;
  private final Object container;
  private final Map<String, String> originalConfig = new LinkedHashMap<>();
  private volatile int port;
  private volatile String password;
  private volatile Process process;
  private volatile Path dir;
  private volatile boolean closed;

  private RedisServer(
      Kind kind,
      String host,
      int port,
      String externalUrl,
      String password,
      Path binary,
      List<String> extraArgs,
      Object container) {
    this.kind = kind;
    this.host = host;
    this.port = port;
    this.externalUrl = externalUrl;
    this.password = password;
    this.binary = binary;
    this.extraArgs = List.copyOf(extraArgs);
    this.container = container;
  }

  // ---------------------------------------------------------------- factories

  /** The server named by a {@code redis://} URL (for example {@code REDIS_URL}). */
  public static RedisServer external(String url) {
    URI uri = URI.create(url);
    String pass = null;
    if (uri.getUserInfo() != null) {
      String info = uri.getUserInfo();
      int colon = info.indexOf(':');
      pass = colon < 0 ? info : info.substring(colon + 1);
    }
    int p = uri.getPort() < 0 ? 6379 : uri.getPort();
    return new RedisServer(Kind.EXTERNAL, uri.getHost(), p, url, pass, null, List.of(), null);
  }

  /**
   * The {@code redis-server} binary: system property {@code vectorcache.redis.server} when set,
   * else the first one on the PATH.
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
    return Stream.of(path.split(java.io.File.pathSeparator))
        .filter(s -> !s.isBlank())
        .map(s -> Path.of(s, "redis-server"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * Starts a private {@code redis-server} on a free loopback port, in its own temporary directory,
   * without persistence and with {@code DEBUG} allowed from loopback, and waits until it answers
   * PING.
   *
   * @param extraArgs more command-line options, for example {@code "--maxmemory", "10mb"}
   */
  public static RedisServer startProcess(Path binary, String... extraArgs) {
    Objects.requireNonNull(binary, "binary");
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      RedisServer server =
          new RedisServer(
              Kind.PROCESS, "127.0.0.1", freePort(), null, null, binary, List.of(extraArgs), null);
      try {
        server.launch();
        LIVE.add(server);
        return server;
      } catch (IllegalStateException e) {
        // most likely another process took the port between probing and binding: try another
        server.close();
        last = e;
      }
    }
    throw last;
  }

  /**
   * Starts a Redis container with Testcontainers, found by reflection so that neither
   * Testcontainers nor Docker is required. Empty when either is missing.
   */
  public static Optional<RedisServer> startContainer() {
    try {
      Class<?> factory = Class.forName("org.testcontainers.DockerClientFactory");
      Object instance = factory.getMethod("instance").invoke(null);
      if (!(Boolean) factory.getMethod("isDockerAvailable").invoke(instance)) {
        return Optional.empty();
      }
      String image = System.getProperty("vectorcache.redis.image", "redis:7.2-alpine");
      Class<?> gc = Class.forName("org.testcontainers.containers.GenericContainer");
      Object c = gc.getConstructor(String.class).newInstance(image);
      gc.getMethod("withExposedPorts", Integer[].class).invoke(c, (Object) new Integer[] {6379});
      gc.getMethod("withCommand", String[].class)
          .invoke(
              c,
              (Object)
                  new String[] {
                    "redis-server",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--enable-debug-command",
                    "yes"
                  });
      gc.getMethod("start").invoke(c);
      String h = (String) gc.getMethod("getHost").invoke(c);
      int p = (Integer) gc.getMethod("getMappedPort", int.class).invoke(c, 6379);
      RedisServer server = new RedisServer(Kind.CONTAINER, h, p, null, null, null, List.of(), c);
      LIVE.add(server);
      return Optional.of(server);
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Optional.empty();
    }
  }

  // ---------------------------------------------------------------- facts

  public Kind kind() {
    return kind;
  }

  /** True unless this is somebody else's server ({@code REDIS_URL}). */
  public boolean owned() {
    return kind != Kind.EXTERNAL;
  }

  /** True when {@link #kill()} and {@link #restart()} work (a private process). */
  public boolean canKill() {
    return kind == Kind.PROCESS;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The process id of a {@link Kind#PROCESS} server while it runs. */
  public OptionalLong pid() {
    Process p = process;
    return p != null && p.isAlive() ? OptionalLong.of(p.pid()) : OptionalLong.empty();
  }

  /**
   * A URL for clients: {@code REDIS_URL} as given for an external server, else {@code
   * redis://host:port} without credentials.
   */
  public String url() {
    return externalUrl != null ? externalUrl : "redis://" + host + ":" + port;
  }

  // ---------------------------------------------------------------- control

  /** Sends one command on a fresh control connection and returns the reply. */
  public Object command(String... args) {
    try (RespClient c = RespClient.connect(host, port, password, CONTROL_TIMEOUT)) {
      return c.command(args);
    }
  }

  /** True when the server answers PING now. */
  public boolean isUp() {
    try {
      return "PONG".equals(command("PING"));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Kills the server with SIGKILL and waits until the process is gone. Data is lost. */
  public void kill() {
    requireProcess("kill");
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      waitFor(p);
    }
  }

  /**
   * Starts the server again on the same port (stopping it first if it still runs). Without
   * persistence it comes back empty, and with its original configuration.
   */
  public void restart() {
    requireProcess("restart");
    Process p = process;
    if (p != null && p.isAlive()) {
      stopProcess(p);
    }
    password = null;
    originalConfig.clear();
    launch();
  }

  /** {@code CLIENT PAUSE ms ALL}: the server stops answering clients for {@code duration}. */
  public void pause(Duration duration) {
    requireOwned("pause");
    command("CLIENT", "PAUSE", Long.toString(duration.toMillis()), "ALL");
  }

  /** {@code CLIENT UNPAUSE}. */
  public void unpause() {
    requireOwned("unpause");
    command("CLIENT", "UNPAUSE");
  }

  /** Kills every normal and pub/sub client connection; returns how many were killed. */
  public long clientKillAll() {
    requireOwned("clientKillAll");
    long n = 0;
    try (RespClient c = RespClient.connect(host, port, password, CONTROL_TIMEOUT)) {
      n += (Long) c.command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
      n += (Long) c.command("CLIENT", "KILL", "TYPE", "pubsub", "SKIPME", "yes");
    }
    return n;
  }

  /**
   * {@code CONFIG SET name value}. The original value is remembered and put back by {@link
   * #restoreConfig()} (the extension does it after each test). Setting {@code requirepass} makes
   * the harness authenticate its own control connections with it.
   */
  public void configSet(String name, String value) {
    requireOwned("configSet");
    String key = name.toLowerCase(Locale.ROOT);
    synchronized (originalConfig) {
      if (!originalConfig.containsKey(key)) {
        Object got = command("CONFIG", "GET", key);
        List<?> pair = (List<?>) got;
        originalConfig.put(key, pair.size() >= 2 ? String.valueOf(pair.get(1)) : "");
      }
    }
    command("CONFIG", "SET", key, value);
    if (key.equals("requirepass")) {
      password = value.isEmpty() ? null : value;
    }
  }

  /** Puts back every setting changed through {@link #configSet}. */
  public void restoreConfig() {
    if (!owned()) {
      return;
    }
    synchronized (originalConfig) {
      for (Map.Entry<String, String> e : originalConfig.entrySet()) {
        command("CONFIG", "SET", e.getKey(), e.getValue());
        if (e.getKey().equals("requirepass")) {
          password = e.getValue().isEmpty() ? null : e.getValue();
        }
      }
      originalConfig.clear();
    }
  }

  /** Calls per command from {@code INFO commandstats} (for example {@code "mget" -> 3}). */
  public Map<String, Long> commandStats() {
    String info = (String) command("INFO", "commandstats");
    Map<String, Long> calls = new LinkedHashMap<>();
    for (String line : info.split("\r?\n")) {
      if (!line.startsWith("cmdstat_")) {
        continue;
      }
      int colon = line.indexOf(':');
      String cmd = line.substring("cmdstat_".length(), colon);
      for (String field : line.substring(colon + 1).split(",")) {
        if (field.startsWith("calls=")) {
          calls.put(cmd, Long.parseLong(field.substring("calls=".length())));
        }
      }
    }
    return calls;
  }

  /** Calls of one command so far (0 when never called). */
  public long calls(String command) {
    return commandStats().getOrDefault(command.toLowerCase(Locale.ROOT), 0L);
  }

  /**
   * The client connections other than the harness's own control connection, one map of fields
   * ({@code id}, {@code name}, {@code cmd}, ...) per client, from {@code CLIENT LIST}.
   */
  public List<Map<String, String>> clients() {
    try (RespClient c = RespClient.connect(host, port, password, CONTROL_TIMEOUT)) {
      long self = (Long) c.command("CLIENT", "ID");
      String list = (String) c.command("CLIENT", "LIST");
      List<Map<String, String>> out = new ArrayList<>();
      for (String line : list.split("\r?\n")) {
        if (line.isBlank()) {
          continue;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String f : line.trim().split(" ")) {
          int eq = f.indexOf('=');
          if (eq > 0) {
            fields.put(f.substring(0, eq), f.substring(eq + 1));
          }
        }
        if (!Long.toString(self).equals(fields.get("id"))) {
          out.add(fields);
        }
      }
      return out;
    }
  }

  /** Empties every database of this server; refused for a server the harness does not own. */
  public void flushAll() {
    requireOwned("flushAll");
    command("FLUSHALL");
  }

  /**
   * Brings an owned server back to a usable state after a test: restarts a killed process,
   * unpauses, and restores changed settings.
   */
  public void resetAfterTest() {
    if (!owned() || closed) {
      return;
    }
    if (kind == Kind.PROCESS && (process == null || !process.isAlive())) {
      restart();
      return;
    }
    command("CLIENT", "UNPAUSE");
    restoreConfig();
  }

  /** Stops an owned server (by PID for a process) and deletes its directory. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    LIVE.remove(this);
    if (kind == Kind.PROCESS) {
      Process p = process;
      if (p != null) {
        stopProcess(p);
      }
      deleteDir();
    } else if (kind == Kind.CONTAINER) {
      try {
        Method stop = container.getClass().getMethod("stop");
        stop.invoke(container);
      } catch (ReflectiveOperationException | RuntimeException ignored) {
        // Testcontainers' Ryuk reaps the container if stopping fails
      }
    }
  }

  @Override
  public String toString() {
    OptionalLong pid = pid();
    return "RedisServer["
        + kind
        + " "
        + host
        + ":"
        + port
        + (pid.isPresent() ? " pid " + pid.getAsLong() : "")
        + "]";
  }

  // ---------------------------------------------------------------- process handling

  private void launch() {
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("vectorcache-redis-");
      }
      List<String> cmd = new ArrayList<>();
      cmd.add(binary.toString());
      cmd.addAll(
          List.of(
              "--port",
              Integer.toString(port),
              "--bind",
              "127.0.0.1",
              "--save",
              "",
              "--appendonly",
              "no",
              "--enable-debug-command",
              "local",
              "--dir",
              dir.toString()));
      cmd.addAll(extraArgs);
      Path log = dir.resolve("redis.log");
      process =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "redis-server exited with "
                  + process.exitValue()
                  + " on port "
                  + port
                  + ": "
                  + tail(log));
        }
        if (isUp()) {
          return;
        }
        Thread.sleep(20);
      }
      stopProcess(process);
      throw new IllegalStateException(
          "redis-server did not answer PING within " + START_TIMEOUT + ": " + tail(log));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting redis-server", e);
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

  private static void stopProcess(Process p) {
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

  private void deleteDir() {
    Path d = dir;
    if (d == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(d)) {
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

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private void requireOwned(String what) {
    if (!owned()) {
      throw new UnsupportedOperationException(
          what + " is refused on an external server (REDIS_URL): the harness never changes it");
    }
  }

  private void requireProcess(String what) {
    if (kind != Kind.PROCESS) {
      throw new UnsupportedOperationException(
          what + " needs a private redis-server process; this server is " + kind);
    }
  }
}
