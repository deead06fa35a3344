package dev.vectorcache.spi;

import dev.vectorcache.core.ConfigurationException;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * The front door: opens vector and metadata stores from URLs or configs, with the providers that
 * {@link ServiceLoader} finds on the classpath.
 *
 * <p>Selection is strict and explainable. A provider named in the config ({@code client}) wins;
 * otherwise, among the providers claiming the URL's scheme, the highest {@code priority} (ties by
 * name). With no URL the in-process store ({@code memory:}) is used. An unknown scheme, an unknown
 * client name or a scheme no provider claims is a {@link ConfigurationException} that names the
 * artifact to add; there is never a silent fallback.
 *
 * <pre>{@code
 * Backends backends = Backends.discover();
 * try (VectorStore vectors = backends.openVectorStore(QdrantConfig.fromUrl("grpc://localhost:6334"));
 *      MetadataStore metadata = backends.openMetadataStore(RedisConfig.fromUrl("redis://localhost:6379"))) {
 *   ...
 * }
 * }</pre>
 */
public final class Backends {
  /** Artifacts that provide each scheme, for messages when none is on the classpath. */
  private static final Map<String, String> VECTOR_ARTIFACTS =
      Map.of(
          "memory", "dev.vectorcache:vectorcache-in-memory",
          "http", "dev.vectorcache:vectorcache-qdrant-grpc",
          "https", "dev.vectorcache:vectorcache-qdrant-grpc",
          "grpc", "dev.vectorcache:vectorcache-qdrant-grpc",
          "grpcs", "dev.vectorcache:vectorcache-qdrant-grpc");

  private static final Map<String, String> METADATA_ARTIFACTS =
      Map.of(
          "memory", "dev.vectorcache:vectorcache-in-memory",
          "redis",
              "dev.vectorcache:vectorcache-redis-lettuce (or dev.vectorcache:vectorcache-redis-jedis)",
          "rediss",
              "dev.vectorcache:vectorcache-redis-lettuce (or dev.vectorcache:vectorcache-redis-jedis)");

  private static final Map<String, String> CLIENT_ARTIFACTS =
      Map.of(
          "memory", "dev.vectorcache:vectorcache-in-memory",
          "lettuce", "dev.vectorcache:vectorcache-redis-lettuce",
          "jedis", "dev.vectorcache:vectorcache-redis-jedis",
          "qdrant-grpc", "dev.vectorcache:vectorcache-qdrant-grpc");

  private final List<VectorStoreProvider> vectorProviders;
  private final List<MetadataStoreProvider> metadataProviders;

  private Backends(
      List<VectorStoreProvider> vectorProviders, List<MetadataStoreProvider> metadataProviders) {
    this.vectorProviders = List.copyOf(vectorProviders);
    this.metadataProviders = List.copyOf(metadataProviders);
  }

  /** Providers found by the thread's context class loader (or this class's loader). */
  public static Backends discover() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return discover(cl == null ? Backends.class.getClassLoader() : cl);
  }

  /** Providers found by {@code classLoader}. */
  public static Backends discover(ClassLoader classLoader) {
    List<VectorStoreProvider> v = new ArrayList<>();
    ServiceLoader.load(VectorStoreProvider.class, classLoader).forEach(v::add);
    List<MetadataStoreProvider> m = new ArrayList<>();
    ServiceLoader.load(MetadataStoreProvider.class, classLoader).forEach(m::add);
    return new Backends(v, m);
  }

  /** Exactly these providers; for tests and for applications that wire providers by hand. */
  public static Backends of(
      List<? extends VectorStoreProvider> vectorProviders,
      List<? extends MetadataStoreProvider> metadataProviders) {
    return new Backends(List.copyOf(vectorProviders), List.copyOf(metadataProviders));
  }

  public List<VectorStoreProvider> vectorStoreProviders() {
    return vectorProviders;
  }

  public List<MetadataStoreProvider> metadataStoreProviders() {
    return metadataProviders;
  }

  // ---- vector stores (create_client, create_async_client, create_local_client) ----

  /** Opens a blocking vector store for {@code config}. */
  public VectorStore openVectorStore(QdrantConfig config) {
    return resolveVectorStore(config).provider().open(config);
  }

  /** Opens a blocking vector store for a URL with default settings. */
  public VectorStore openVectorStore(String url) {
    return openVectorStore(QdrantConfig.fromUrl(url));
  }

  /** Opens a non-blocking vector store for {@code config}. */
  public AsyncVectorStore openAsyncVectorStore(QdrantConfig config) {
    return resolveVectorStore(config).provider().openAsync(config);
  }

  /** Opens a new, private in-process vector store. */
  public VectorStore openLocalVectorStore() {
    return openVectorStore(QdrantConfig.memory());
  }

  /** Which provider would open {@code config}, and why. */
  public Resolution<VectorStoreProvider> resolveVectorStore(QdrantConfig config) {
    Objects.requireNonNull(config, "config");
    return resolve(
        "vector store",
        config.scheme(),
        config.client(),
        vectorProviders,
        VectorStoreProvider::name,
        p -> p.schemes(),
        VectorStoreProvider::priority,
        VECTOR_ARTIFACTS);
  }

  // ---- metadata stores ----

  public MetadataStore openMetadataStore(RedisConfig config) {
    return resolveMetadataStore(config).provider().open(config);
  }

  public MetadataStore openMetadataStore(String url) {
    return openMetadataStore(RedisConfig.fromUrl(url));
  }

  public AsyncMetadataStore openAsyncMetadataStore(RedisConfig config) {
    return resolveMetadataStore(config).provider().openAsync(config);
  }

  /** Opens a new, private in-process metadata store. */
  public MetadataStore openLocalMetadataStore() {
    return openMetadataStore(RedisConfig.memory());
  }

  public Resolution<MetadataStoreProvider> resolveMetadataStore(RedisConfig config) {
    Objects.requireNonNull(config, "config");
    return resolve(
        "metadata store",
        config.scheme(),
        config.client(),
        metadataProviders,
        MetadataStoreProvider::name,
        p -> p.schemes(),
        MetadataStoreProvider::priority,
        METADATA_ARTIFACTS);
  }

  private static <P> Resolution<P> resolve(
      String what,
      String scheme,
      String client,
      List<P> providers,
      Function<P, String> name,
      Function<P, java.util.Set<String>> schemes,
      ToIntFunction<P> priority,
      Map<String, String> artifacts) {
    if (!artifacts.containsKey(scheme)
        && providers.stream().noneMatch(p -> schemes.apply(p).contains(scheme))) {
      throw new ConfigurationException(
          "unknown "
              + what
              + " URL scheme '"
              + scheme
              + "': expected one of "
              + artifacts.keySet().stream().sorted().collect(Collectors.joining(", "))
              + " (for example redis://localhost:6379, grpc://localhost:6334 or memory:)");
    }
    List<P> candidates =
        providers.stream()
            .filter(p -> schemes.apply(p).contains(scheme))
            .sorted(
                Comparator.comparingInt(priority)
                    .reversed()
                    .thenComparing(name, Comparator.naturalOrder()))
            .toList();
    List<String> names = candidates.stream().map(name).toList();
    if (client != null) {
      for (P p : candidates) {
        if (name.apply(p).equalsIgnoreCase(client)) {
          return new Resolution<>(
              p, "client '" + client + "' was named in the configuration", names);
        }
      }
      String artifact = CLIENT_ARTIFACTS.get(client.toLowerCase(java.util.Locale.ROOT));
      throw new ConfigurationException(
          "no "
              + what
              + " provider named '"
              + client
              + "' for scheme '"
              + scheme
              + "' on the classpath; found "
              + (names.isEmpty() ? "none" : names)
              + (artifact == null
                  ? "; known clients are " + CLIENT_ARTIFACTS.keySet().stream().sorted().toList()
                  : "; add " + artifact + " to the classpath"));
    }
    if (candidates.isEmpty()) {
      throw new ConfigurationException(
          "no "
              + what
              + " provider for scheme '"
              + scheme
              + "' on the classpath; add "
              + artifacts.get(scheme));
    }
    P chosen = candidates.get(0);
    String reason =
        candidates.size() == 1
            ? "the only provider on the classpath for scheme '" + scheme + "'"
            : "highest priority ("
                + priority.applyAsInt(chosen)
                + ") of "
                + names
                + " for scheme '"
                + scheme
                + "'; name another with client(...)";
    return new Resolution<>(chosen, reason, names);
  }
}
