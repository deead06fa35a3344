package dev.vectorcache.testkit.redis;

import dev.vectorcache.testkit.TestRequirements;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each integration-test class a real Redis, injectable as a {@link RedisServer} parameter
 * (constructor, {@code @BeforeAll}, {@code @BeforeEach}, test methods).
 *
 * <pre>{@code
 * @ExtendWith(RedisServerExtension.class)
 * class MyRedisIT {
 *   @Test
 *   void works(RedisServer redis) {
 *     try (MetadataStore store = Backends.discover().openMetadataStore(redis.url())) { ... }
 *   }
 * }
 * }</pre>
 *
 * <p>Where the server comes from, in order:
 *
 * <ol>
 *   <li>the {@code REDIS_URL} environment variable (or system property {@code
 *       vectorcache.redis.url}); the harness never changes that server, so fault tests abort on it;
 *   <li>a private {@code redis-server} process from the PATH (or system property {@code
 *       vectorcache.redis.server}) on a free loopback port, stopped by PID after the class;
 *   <li>a Testcontainers container when Testcontainers is on the class path and Docker answers;
 *   <li>otherwise the class is skipped with a message, or fails when system property {@code
 *       vectorcache.it.required=true} (CI).
 * </ol>
 *
 * <p>After each test an owned server is made usable again ({@link RedisServer#resetAfterTest()}:
 * restarted if killed, unpaused, settings restored). Data is not flushed: tests use their own key
 * prefixes.
 */
public final class RedisServerExtension
    implements BeforeAllCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(RedisServerExtension.class);
  private static final String KEY = "redis-server";

  /** Set to {@code true} to fail instead of skip when no Redis can be found. */
  public static final String REQUIRED_PROPERTY = TestRequirements.REQUIRED_PROPERTY;

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Holder h = classContext(context).getStore(NS).get(KEY, Holder.class);
    if (h != null && h.server != null) {
      h.server.resetAfterTest();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
    return parameterContext.getParameter().getType() == RedisServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    return server(context);
  }

  private static RedisServer server(ExtensionContext context) {
    Holder h =
        classContext(context)
            .getStore(NS)
            .computeIfAbsent(KEY, k -> new Holder(obtain()), Holder.class);
    RedisServer server = h.server;
    if (server == null) {
      throw missing(String.valueOf(h.problem)); // a holder without a server has a problem
    }
    return server;
  }

  /**
   * Skips the test with {@code problem} when a server or tool it needs is missing, or fails it when
   * integration tests are required ({@value #REQUIRED_PROPERTY}{@code =true}, as in CI): the one
   * rule for everything the integration tests need ({@link TestRequirements}, shared with the tests
   * that need no Redis).
   *
   * @param available whether what the test needs is there
   * @param problem what is missing and how to provide it
   */
  public static void requireOrSkip(boolean available, String problem) {
    TestRequirements.requireOrSkip(available, problem);
  }

  private static RuntimeException missing(String problem) {
    return TestRequirements.missing(problem);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  private static Object obtain() {
    String url = System.getProperty("vectorcache.redis.url", System.getenv("REDIS_URL"));
    if (url != null && !url.isBlank()) {
      return RedisServer.external(url.trim());
    }
    Optional<java.nio.file.Path> binary = RedisServer.findBinary();
    String processProblem = "no redis-server on the PATH";
    if (binary.isPresent()) {
      try {
        return RedisServer.startProcess(binary.get());
      } catch (RuntimeException e) {
        processProblem = "redis-server at " + binary.get() + " failed to start: " + e.getMessage();
      }
    }
    Optional<RedisServer> container = RedisServer.startContainer();
    if (container.isPresent()) {
      return container.get();
    }
    return "No Redis for this integration test: REDIS_URL is not set, "
        + processProblem
        + ", and Testcontainers or a Docker engine is not available. Set REDIS_URL, install"
        + " redis-server (apt-get install redis-server), or start Docker.";
  }

  /** Store entry: JUnit closes AutoCloseable store values when the test class finishes. */
  static final class Holder implements AutoCloseable {
    final @Nullable RedisServer server;
    final @Nullable String problem;

    Holder(Object found) {
      this.server = found instanceof RedisServer s ? s : null;
      this.problem = found instanceof String p ? p : null;
    }

    @Override
    public void close() {
      if (server != null) {
        server.close();
      }
    }
  }
}
