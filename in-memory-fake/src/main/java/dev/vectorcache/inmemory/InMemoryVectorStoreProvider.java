package dev.vectorcache.inmemory;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.spi.VectorStoreConfig;
import dev.vectorcache.spi.VectorStoreProvider;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Opens {@link InMemoryVectorStore}s for {@code memory:} URLs (and when no URL is given): {@code
 * memory:} is a new private store, {@code memory:NAME} the store shared by every caller in the JVM
 * that uses the same name. {@link EmbeddedOptions#mmapDirectory()} sets the directory for
 * memory-mapped vectors of a private store. Found by {@link java.util.ServiceLoader}.
 *
 * <p>A private store is durable with {@link EmbeddedOptions#storageDirectory()} or with URL
 * parameters: {@code
 * memory:?path=DIR&fsync=always|interval|never&fsyncIntervalMs=N&checkpointBytes=N} (URL parameters
 * win over the options; an unknown parameter is refused). Opening one recovers its directory (I/O);
 * a shared store ({@code memory:NAME}) is never durable and refuses both.
 */
public final class InMemoryVectorStoreProvider implements VectorStoreProvider {
  /** Called by {@link java.util.ServiceLoader}. */
  public InMemoryVectorStoreProvider() {}

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public Set<String> schemes() {
    return Set.of("memory");
  }

  @Override
  public int priority() {
    return 0;
  }

  @Override
  public String artifact() {
    return "dev.vectorcache:vectorcache-in-memory";
  }

  @Override
  public VectorStore open(VectorStoreConfig config) {
    config.checkAdapterOptions(name());
    String name = config.memoryName();
    EmbeddedOptions options =
        config
            .adapterOptions(EmbeddedOptions.class)
            .orElseGet(() -> EmbeddedOptions.builder().build());
    int query = name.indexOf('?');
    if (query >= 0) {
      if (query > 0) {
        throw new ConfigurationException(
            "invalid URL memory:"
                + name
                + ": expected no parameters on a shared store (memory:NAME), found "
                + name.substring(query)
                + "; a durable store is private: use memory:?path=DIR");
      }
      options = withParameters(options, name.substring(1));
      name = "";
    }
    Optional<Path> dir = options.mmapDirectory();
    if (!name.isEmpty()) {
      if (options.storageDirectory().isPresent()) {
        throw new ConfigurationException(
            "invalid EmbeddedOptions.storageDirectory: expected a private store (memory:), found"
                + " the shared store memory:"
                + name
                + "; a shared store is never durable, use memory: with the option");
      }
      if (dir.isPresent()) {
        throw new ConfigurationException(
            "invalid EmbeddedOptions.mmapDirectory: expected a private store (memory:), found the"
                + " shared store memory:"
                + name
                + "; its directory is chosen by its first opener, drop the option or use memory:");
      }
      return SharedStores.vectorStore(name);
    }
    if (options.storageDirectory().isPresent()) {
      return new InMemoryVectorStore(options);
    }
    return dir.map(InMemoryVectorStore::new).orElseGet(InMemoryVectorStore::new);
  }

  /** {@code options} with the parameters of a {@code memory:?...} URL; refuses unknown ones. */
  static EmbeddedOptions withParameters(EmbeddedOptions options, String query) {
    EmbeddedOptions.Builder b = options.mutate();
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (value.isEmpty()) {
        throw new ConfigurationException(
            "invalid URL parameter "
                + (key.isEmpty() ? "(empty)" : key)
                + " of memory:?"
                + query
                + ": expected name=value, found '"
                + pair
                + "'");
      }
      try {
        switch (key) {
          case "path" -> b.storageDirectory(Path.of(value));
          case "fsync" -> b.fsyncPolicy(policy(value));
          case "fsyncIntervalMs" -> b.fsyncInterval(Duration.ofMillis(number(key, value)));
          case "checkpointBytes" -> b.checkpointBytes(number(key, value));
          default ->
              throw new ConfigurationException(
                  "invalid URL parameter of memory:?"
                      + query
                      + ": expected one of path, fsync, fsyncIntervalMs, checkpointBytes, found '"
                      + key
                      + "'");
        }
      } catch (InvalidInputException e) {
        throw new ConfigurationException(
            "invalid URL parameter " + key + " of memory:?" + query + ": " + e.getMessage(), e);
      }
    }
    EmbeddedOptions out = b.build();
    if (out.storageDirectory().isEmpty()) {
      throw new ConfigurationException(
          "invalid URL memory:?"
              + query
              + ": expected a path=DIR parameter with the fsync settings, found none");
    }
    return out;
  }

  private static FsyncPolicy policy(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "always" -> FsyncPolicy.ALWAYS;
      case "interval" -> FsyncPolicy.INTERVAL;
      case "never" -> FsyncPolicy.NEVER;
      default -> throw new InvalidInputException("fsync", "always, interval or never", value);
    };
  }

  private static long number(String key, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(key, "a whole number", value);
    }
  }
}
