package dev.vectorcache.cli;

import dev.vectorcache.core.adapter.InlineAsyncMetadataStore;
import dev.vectorcache.core.adapter.InlineAsyncVectorStore;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.inmemory.InMemoryMetadataStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.MetadataStoreProvider;
import dev.vectorcache.spi.Topology;
import dev.vectorcache.spi.VectorStoreConfig;
import dev.vectorcache.spi.VectorStoreProvider;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only providers, registered in the test classpath's META-INF/services, for the failures the
 * embedded store cannot produce:
 *
 * <ul>
 *   <li>{@code down://...}: every ping fails with a message that leaks the URL's password and the
 *       API key, as a careless client might (the CLI must mask them);
 *   <li>{@code hang://...}: every ping blocks (the CLI's deadline must fire);
 *   <li>{@code flaky://NAME:N}: an in-memory store, kept under NAME, whose N-th upsert fails.
 * </ul>
 */
final class TestProviders {
  static final Map<String, InMemoryVectorStore> FLAKY = new ConcurrentHashMap<>();

  private TestProviders() {}

  static Object behave(
      String scheme,
      String leak,
      Object delegate,
      Object self,
      java.lang.reflect.Method m,
      Object[] args,
      AtomicInteger upserts,
      int failAt)
      throws Throwable {
    switch (m.getName()) {
      case "close" -> {
        return null;
      }
      case "ping" -> {
        if (scheme.equals("down")) {
          throw new BackendUnavailableException("test", "connection refused (" + leak + ")", null);
        }
        if (scheme.equals("hang")) {
          Thread.sleep(60_000);
        }
      }
      case "upsert" -> {
        if (upserts.incrementAndGet() == failAt) {
          throw new BackendUnavailableException("test", "connection reset during upsert", null);
        }
      }
      case "async" -> {
        return self instanceof VectorStore v
            ? new InlineAsyncVectorStore(v)
            : new InlineAsyncMetadataStore((MetadataStore) self);
      }
      case "toString" -> {
        return "test store " + scheme;
      }
      case "hashCode" -> {
        return System.identityHashCode(self);
      }
      case "equals" -> {
        return self == args[0];
      }
      default -> {
        // every other method goes to the delegate below
      }
    }
    try {
      return m.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** The vector side. */
  public static final class Vectors implements VectorStoreProvider {
    public Vectors() {}

    @Override
    public String name() {
      return "test";
    }

    @Override
    public Set<String> schemes() {
      return Set.of("down", "hang", "flaky");
    }

    @Override
    public int priority() {
      return 0;
    }

    @Override
    public String artifact() {
      return "test classpath";
    }

    @Override
    public VectorStore open(VectorStoreConfig config) {
      String scheme = config.scheme();
      HostAndPort node = config.topology().map(t -> ((Topology.Standalone) t).node()).orElse(null);
      InMemoryVectorStore delegate =
          scheme.equals("flaky")
              ? FLAKY.computeIfAbsent(node.host(), h -> new InMemoryVectorStore())
              : new InMemoryVectorStore();
      String leak = config.url() + " key=" + config.apiKey();
      AtomicInteger upserts = new AtomicInteger();
      int failAt = scheme.equals("flaky") ? node.port() : -1;
      VectorStore[] self = new VectorStore[1];
      InvocationHandler h = (p, m, a) -> behave(scheme, leak, delegate, p, m, a, upserts, failAt);
      self[0] =
          (VectorStore)
              Proxy.newProxyInstance(
                  VectorStore.class.getClassLoader(), new Class<?>[] {VectorStore.class}, h);
      return self[0];
    }
  }

  /** The metadata side. */
  public static final class Metadata implements MetadataStoreProvider {
    public Metadata() {}

    @Override
    public String name() {
      return "test";
    }

    @Override
    public Set<String> schemes() {
      return Set.of("down", "hang");
    }

    @Override
    public int priority() {
      return 0;
    }

    @Override
    public String artifact() {
      return "test classpath";
    }

    @Override
    public MetadataStore open(MetadataStoreConfig config) {
      String scheme = config.scheme();
      String leak = config.url() + " password " + config.password();
      InMemoryMetadataStore delegate = new InMemoryMetadataStore();
      AtomicInteger none = new AtomicInteger();
      InvocationHandler h = (p, m, a) -> behave(scheme, leak, delegate, p, m, a, none, -1);
      return (MetadataStore)
          Proxy.newProxyInstance(
              MetadataStore.class.getClassLoader(), new Class<?>[] {MetadataStore.class}, h);
    }
  }
}
