package dev.vectorcache.qdrant.testserver;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that starts one {@link QdrantTestServer} per test class and injects it into
 * constructors, lifecycle and test methods that take a {@code QdrantTestServer} parameter. Faults
 * are cleared after each test; the server stops after the class.
 *
 * <pre>{@code
 * @ExtendWith(QdrantTestServerExtension.class)
 * class MyTest {
 *   @Test
 *   void works(QdrantTestServer server) { ... server.port() ... }
 * }
 *
 * // or, with settings:
 * @RegisterExtension
 * static final QdrantTestServerExtension QDRANT = QdrantTestServerExtension.withApiKey("secret");
 * }</pre>
 */
public final class QdrantTestServerExtension
    implements BeforeAllCallback, AfterAllCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(QdrantTestServerExtension.class);

  private final @Nullable String apiKey;
  private volatile @Nullable QdrantTestServer server;

  /** A server without an API key. */
  public QdrantTestServerExtension() {
    this(null);
  }

  private QdrantTestServerExtension(@Nullable String apiKey) {
    this.apiKey = apiKey;
  }

  /** A server that requires {@code apiKey}. */
  public static QdrantTestServerExtension withApiKey(String apiKey) {
    return new QdrantTestServerExtension(apiKey);
  }

  /** The running server (for a static {@code @RegisterExtension} field). */
  public QdrantTestServer server() {
    QdrantTestServer s = server;
    if (s == null) {
      throw new IllegalStateException("the Qdrant test server starts before all tests of a class");
    }
    return s;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    QdrantTestServer started = QdrantTestServer.builder().apiKey(apiKey).start();
    server = started;
    context.getStore(NS).put(context.getRequiredTestClass(), started);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    QdrantTestServer s = find(context);
    if (s != null) {
      s.faults().clear();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    QdrantTestServer s =
        context.getStore(NS).remove(context.getRequiredTestClass(), QdrantTestServer.class);
    if (s != null) {
      s.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
    return parameterContext.getParameter().getType() == QdrantTestServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    QdrantTestServer s = find(context);
    if (s == null) {
      throw new IllegalStateException("no Qdrant test server for " + context.getDisplayName());
    }
    return s;
  }

  private static @Nullable QdrantTestServer find(ExtensionContext context) {
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      if (c.getTestClass().isPresent()) {
        QdrantTestServer s = c.getStore(NS).get(c.getTestClass().get(), QdrantTestServer.class);
        if (s != null) {
          return s;
        }
      }
    }
    return null;
  }
}
