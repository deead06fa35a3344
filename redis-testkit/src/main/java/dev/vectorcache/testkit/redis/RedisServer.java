package dev.vectorcache.testkit.redis;

import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

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
 *
 * <p>This is the facade for one standalone node, plain-text or TLS ({@link #startProcess(Path,
 * RedisTls, String...)}). A private node is a {@link RedisProcess}; later topologies (a cluster of
 * several primaries, Sentinel) are composed from several {@link RedisProcess} pieces with more
 * configuration lines, behind a facade of their own.
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
  private static final Set<RedisServer> LIVE = ConcurrentHashMap.newKeySet();

  static {
    // a process stops itself through RedisProcess's own hook; this one is for containers
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(RedisServer::close), "vectorcache-redis-harness-stop"));
  }

  private final Kind kind;
  private final String host;
  private final int port;
  private final @Nullable String externalUrl;
  private final @Nullable RedisProcess process;
  private final @Nullable Object container;
  private final Map<String, String> originalConfig = new LinkedHashMap<>();
  private volatile @Nullable String password;
  private volatile boolean closed;

  private RedisServer(
      Kind kind,
      String host,
      int port,
      @Nullable String externalUrl,
      @Nullable String password,
      @Nullable RedisProcess process,
      @Nullable Object container) {
    this.kind = kind;
    this.host = host;
    this.port = port;
    this.externalUrl = externalUrl;
    this.password = password;
    this.process = process;
    this.container = container;
  }

  // ---------------------------------------------------------------- factories

  /** The server named by a {@code redis://} URL (for example {@code REDIS_URL}). */
  public static RedisServer external(String url) {
    URI uri = URI.create(url);
    @Nullable String pass = null;
    if (uri.getUserInfo() != null) {
      String info = uri.getUserInfo();
      int colon = info.indexOf(':');
      pass = colon < 0 ? info : info.substring(colon + 1);
    }
    int p = uri.getPort() < 0 ? 6379 : uri.getPort();
    return new RedisServer(Kind.EXTERNAL, uri.getHost(), p, url, pass, null, null);
  }

  /**
   * The {@code redis-server} binary: system property {@code vectorcache.redis.server} when set,
   * else the first one on the PATH.
   *
   * @return the binary, or empty when none is found
   */
  public static Optional<Path> findBinary() {
    return RedisProcess.findBinary();
  }

  /**
   * Starts a private {@code redis-server} on a free loopback port, in its own temporary directory,
   * without persistence and with {@code DEBUG} allowed from loopback, and waits until it answers
   * PING.
   *
   * @param binary the {@code redis-server} executable
   * @param configLines more configuration directives, for example {@code "maxmemory 10mb"}
   * @return the running server
   */
  public static RedisServer startProcess(Path binary, String... configLines) {
    RedisProcess p = RedisProcess.start(binary, List.of(configLines));
    RedisServer server = new RedisServer(Kind.PROCESS, p.host(), p.port(), null, null, p, null);
    LIVE.add(server);
    return server;
  }

  /**
   * Starts a private {@code redis-server} that speaks TLS only (see {@link RedisTls}); {@link
   * #url()} is then a {@code rediss://} URL and the harness's control connections use TLS too.
   *
   * @param binary the {@code redis-server} executable
   * @param tls the certificates and whether clients must present one
   * @param configLines more configuration directives
   * @return the running server
   */
  public static RedisServer startProcess(Path binary, RedisTls tls, String... configLines) {
    RedisProcess p = RedisProcess.start(binary, tls, List.of(configLines));
    RedisServer server = new RedisServer(Kind.PROCESS, p.host(), p.port(), null, null, p, null);
    LIVE.add(server);
    return server;
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
      RedisServer server = new RedisServer(Kind.CONTAINER, h, p, null, null, null, c);
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
    RedisProcess p = process;
    return p != null ? p.pid() : OptionalLong.empty();
  }

  /**
   * The process behind a {@link Kind#PROCESS} server, for process-level faults such as {@link
   * RedisProcess#pause()} (SIGSTOP).
   *
   * @return the process, or empty for an external server or a container
   */
  public Optional<RedisProcess> process() {
    return Optional.ofNullable(process);
  }

  /**
   * A URL for clients: {@code REDIS_URL} as given for an external server, else {@code
   * redis://host:port} ({@code rediss://} for a TLS server) without credentials.
   */
  public String url() {
    if (externalUrl != null) {
      return externalUrl;
    }
    return (tls().isPresent() ? "rediss://" : "redis://") + host + ":" + port;
  }

  /**
   * The TLS settings of a private TLS server.
   *
   * @return the settings, or empty for a plain-text server
   */
  public Optional<RedisTls> tls() {
    RedisProcess p = process;
    return p == null ? Optional.empty() : p.tls();
  }

  // ---------------------------------------------------------------- control

  /** Sends one command on a fresh control connection and returns the reply. */
  public @Nullable Object command(String... args) {
    try (RespClient c = control()) {
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
    requireProcess("kill").kill();
  }

  /**
   * Starts the server again on the same port (stopping it first if it still runs). Without
   * persistence it comes back empty, and with its original configuration.
   */
  public void restart() {
    RedisProcess p = requireProcess("restart");
    password = null;
    synchronized (originalConfig) {
      originalConfig.clear();
    }
    p.restart();
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
    try (RespClient c = control()) {
      n += reply(c.command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"), Long.class);
      n += reply(c.command("CLIENT", "KILL", "TYPE", "pubsub", "SKIPME", "yes"), Long.class);
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
        List<?> pair = reply(got, List.class);
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
    String info = reply(command("INFO", "commandstats"), String.class);
    Map<String, Long> calls = new LinkedHashMap<>();
    for (String line : info.split("\r?\n", -1)) {
      if (!line.startsWith("cmdstat_")) {
        continue;
      }
      int colon = line.indexOf(':');
      String cmd = line.substring("cmdstat_".length(), colon);
      for (String field : line.substring(colon + 1).split(",", -1)) {
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
    try (RespClient c = control()) {
      long self = reply(c.command("CLIENT", "ID"), Long.class);
      String list = reply(c.command("CLIENT", "LIST"), String.class);
      List<Map<String, String>> out = new ArrayList<>();
      for (String line : list.split("\r?\n", -1)) {
        if (line.isBlank()) {
          continue;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String f : line.trim().split(" ", -1)) {
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
   * Brings an owned server back to a usable state after a test: restarts a killed process, resumes
   * a frozen one, unpauses, and restores changed settings.
   */
  public void resetAfterTest() {
    if (!owned() || closed) {
      return;
    }
    RedisProcess p = process;
    if (p != null && !p.isAlive()) {
      restart();
      return;
    }
    if (p != null) {
      p.resume(); // a test may have frozen the process with SIGSTOP
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
    RedisProcess p = process;
    if (p != null) {
      p.close();
    } else if (container != null) {
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

  private RespClient control() {
    RedisProcess p = process;
    return RespClient.connect(
        host, port, password, CONTROL_TIMEOUT, p == null ? null : p.controlSockets());
  }

  private void requireOwned(String what) {
    if (!owned()) {
      throw new UnsupportedOperationException(
          what + " is refused on an external server (REDIS_URL): the harness never changes it");
    }
  }

  private static <T> T reply(@Nullable Object reply, Class<T> type) {
    if (!type.isInstance(reply)) {
      throw new IllegalStateException(
          "unexpected control reply: expected a " + type.getSimpleName() + ", got " + reply);
    }
    return type.cast(reply);
  }

  private RedisProcess requireProcess(String what) {
    RedisProcess p = process;
    if (p == null) {
      throw new UnsupportedOperationException(
          what + " needs a private redis-server process; this server is " + kind);
    }
    return p;
  }
}
