package dev.vectorcache.testkit.redis;

import dev.vectorcache.spi.TlsConfig;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Control-plane helpers shared by {@link RedisCluster} and {@link RedisSentinelGroup}. */
final class Control {
  static final Duration TIMEOUT = Duration.ofSeconds(3);

  /**
   * Between two looks at a topology that is settling: short enough that a failover is seen within a
   * tenth of a second, long enough not to take a core from the servers being watched.
   */
  static final Duration POLL = Duration.ofMillis(100);

  private Control() {}

  /** A control connection to {@code p} as the default user. */
  static RespClient connect(RedisProcess p, @Nullable String password) {
    return RespClient.connect(p.host(), p.port(), password, TIMEOUT, p.controlSockets());
  }

  /** One command on a fresh control connection. */
  static @Nullable Object command(RedisProcess p, @Nullable String password, String... args) {
    try (RespClient c = connect(p, password)) {
      return c.command(args);
    }
  }

  /** The {@code field:value} lines of an INFO-style reply. */
  static Map<String, String> fields(@Nullable Object reply) {
    Map<String, String> out = new LinkedHashMap<>();
    if (reply == null) {
      return out;
    }
    for (String line : reply.toString().split("\r?\n", -1)) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        out.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return out;
  }

  /** A flat {@code [k1, v1, k2, v2, ...]} reply (SENTINEL MASTER, SENTINEL REPLICAS) as a map. */
  static Map<String, String> pairs(@Nullable Object reply) {
    Map<String, String> out = new LinkedHashMap<>();
    if (reply instanceof List<?> list) {
      for (int i = 0; i + 1 < list.size(); i += 2) {
        out.put(String.valueOf(list.get(i)), String.valueOf(list.get(i + 1)));
      }
    }
    return out;
  }

  /** The first element of ROLE: {@code master}, {@code slave} or {@code sentinel}. */
  static String role(RedisProcess p, @Nullable String password) {
    Object reply = command(p, password, "ROLE");
    return reply instanceof List<?> l && !l.isEmpty() ? String.valueOf(l.get(0)) : "?";
  }

  /** {@code redis-cli} beside the server binary, else the first on the PATH. */
  static Optional<Path> findCli(Path serverBinary) {
    Path parent = serverBinary.toAbsolutePath().getParent();
    if (parent != null && Files.isExecutable(parent.resolve("redis-cli"))) {
      return Optional.of(parent.resolve("redis-cli"));
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(File.pathSeparator))
        .filter(s -> !s.isBlank())
        .map(s -> Path.of(s, "redis-cli"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** {@code redis[s]://[[user]:password@]127.0.0.1:port}, the credentials percent-encoded. */
  static String url(
      @Nullable RedisTls tls, @Nullable String user, @Nullable String password, int port) {
    StringBuilder sb = new StringBuilder(tls == null ? "redis://" : "rediss://");
    if (password != null) {
      if (user != null) {
        sb.append(URLEncoder.encode(user, StandardCharsets.UTF_8));
      }
      sb.append(':').append(URLEncoder.encode(password, StandardCharsets.UTF_8)).append('@');
    }
    return sb.append("127.0.0.1:").append(port).toString();
  }

  /** The client side of {@code tls}: trust the test CA, present the client certificate if asked. */
  static TlsConfig tlsConfig(RedisTls tls) {
    TlsConfig.Builder b =
        TlsConfig.builder().trustedCertificates(tls.certificates().caCertificate());
    if (tls.clientAuth() != RedisTls.ClientAuth.NONE) {
      b.clientCertificate(tls.certificates().clientCertificate())
          .clientKey(tls.certificates().clientKey());
    }
    return b.build();
  }

  /**
   * Polls {@code problem} every {@link #POLL} until it returns null (settled) and returns the time
   * since {@code startNanos}. A check that throws (a node still starting, a refused connection)
   * counts as not settled yet.
   *
   * @throws IllegalStateException with the last problem seen when {@code max} has passed
   */
  static Duration await(
      long startNanos, Duration max, String what, Supplier<@Nullable String> problem) {
    long deadline = startNanos + max.toNanos();
    String last = "not checked";
    while (true) {
      String now;
      try {
        now = problem.get();
      } catch (RuntimeException e) {
        now = e.toString();
      }
      long t = System.nanoTime();
      if (now == null) {
        return Duration.ofNanos(t - startNanos);
      }
      last = now;
      if (t >= deadline) {
        throw new IllegalStateException(what + " not within " + max + ": " + last);
      }
      sleep(POLL);
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Deletes a directory tree, best effort: a leftover temporary file is harmless. */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // best effort
                }
              });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
