package dev.vectorcache.spi;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door: opens vector and metadata stores from URLs or configs, with the providers that
 * {@link ServiceLoader} finds on the classpath.
 *
 * <p>Selection is strict and explainable. A provider named in the config ({@code client}) wins;
 * otherwise, among the providers claiming the URL's scheme, the highest {@code priority} (ties by
 * name). An unknown scheme, an unknown client name or a scheme no provider claims is a {@link
 * ConfigurationException} that names the artifact to add; there is never a silent fallback. Each
 * store opened is logged once at INFO with the chosen provider, the masked URL and the reason.
 *
 * <pre>{@code
 * Backends backends = Backends.discover();
 * try (VectorStore vectors = backends.openVectorStore("grpc://localhost:6334");
 *      MetadataStore metadata = backends.openMetadataStore("redis://localhost:6379")) {
 *   ...
 * }
 * }</pre>
 */
public final class Backends {
  private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

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

  /** The vector store providers found. */
  public List<VectorStoreProvider> vectorStoreProviders() {
    return vectorProviders;
  }

  /** The metadata store providers found. */
  public List<MetadataStoreProvider> metadataStoreProviders() {
    return metadataProviders;
  }

  // ---- vector stores ----

  /** Opens a blocking vector store for {@code config}. */
  public VectorStore openVectorStore(VectorStoreConfig config) {
    Resolution<VectorStoreProvider> r = resolveVectorStore(config);
    VectorStore store = r.provider().open(config);
    logOpened(Role.VECTOR, r.provider().name(), config.maskedUrl(), r.reason());
    return store;
  }

  /** Opens a blocking vector store for a URL with default settings. */
  public VectorStore openVectorStore(String url) {
    return openVectorStore(VectorStoreConfig.fromUrl(url));
  }

  /** Opens a non-blocking vector store for {@code config}. */
  public AsyncVectorStore openAsyncVectorStore(VectorStoreConfig config) {
    Resolution<VectorStoreProvider> r = resolveVectorStore(config);
    AsyncVectorStore store = r.provider().openAsync(config);
    logOpened(Role.VECTOR, r.provider().name(), config.maskedUrl(), r.reason());
    return store;
  }

  /** Opens a non-blocking vector store for a URL with default settings. */
  public AsyncVectorStore openAsyncVectorStore(String url) {
    return openAsyncVectorStore(VectorStoreConfig.fromUrl(url));
  }

  /** Opens a new, private embedded (in-process) vector store. */
  public VectorStore openEmbeddedVectorStore() {
    return openVectorStore(VectorStoreConfig.embedded());
  }

  /** Which provider would open {@code config}, and why. */
  public Resolution<VectorStoreProvider> resolveVectorStore(VectorStoreConfig config) {
    Objects.requireNonNull(config, "config");
    Resolution<VectorStoreProvider> r =
        resolve(
            Role.VECTOR,
            config.scheme(),
            config.client(),
            vectorProviders,
            VectorStoreProvider::name,
            VectorStoreProvider::schemes,
            VectorStoreProvider::priority);
    config.checkAdapterOptions(r.provider().name());
    return r;
  }

  // ---- metadata stores ----

  /** Opens a blocking metadata store for {@code config}. */
  public MetadataStore openMetadataStore(MetadataStoreConfig config) {
    Resolution<MetadataStoreProvider> r = resolveMetadataStore(config);
    MetadataStore store = r.provider().open(config);
    logOpened(Role.METADATA, r.provider().name(), config.maskedUrl(), r.reason());
    return store;
  }

  /** Opens a blocking metadata store for a URL with default settings. */
  public MetadataStore openMetadataStore(String url) {
    return openMetadataStore(MetadataStoreConfig.fromUrl(url));
  }

  /** Opens a non-blocking metadata store for {@code config}. */
  public AsyncMetadataStore openAsyncMetadataStore(MetadataStoreConfig config) {
    Resolution<MetadataStoreProvider> r = resolveMetadataStore(config);
    AsyncMetadataStore store = r.provider().openAsync(config);
    logOpened(Role.METADATA, r.provider().name(), config.maskedUrl(), r.reason());
    return store;
  }

  /** Opens a non-blocking metadata store for a URL with default settings. */
  public AsyncMetadataStore openAsyncMetadataStore(String url) {
    return openAsyncMetadataStore(MetadataStoreConfig.fromUrl(url));
  }

  /** Opens a new, private embedded (in-process) metadata store. */
  public MetadataStore openEmbeddedMetadataStore() {
    return openMetadataStore(MetadataStoreConfig.embedded());
  }

  /** Which provider would open {@code config}, and why. */
  public Resolution<MetadataStoreProvider> resolveMetadataStore(MetadataStoreConfig config) {
    Objects.requireNonNull(config, "config");
    Resolution<MetadataStoreProvider> r =
        resolve(
            Role.METADATA,
            config.scheme(),
            config.client(),
            metadataProviders,
            MetadataStoreProvider::name,
            MetadataStoreProvider::schemes,
            MetadataStoreProvider::priority);
    config.checkAdapterOptions(r.provider().name());
    return r;
  }

  // ---- resolution ----

  private static void logOpened(Role role, String provider, String maskedUrl, String reason) {
    if (LOG.isInfoEnabled()) {
      LOG.info(openedMessage(role, provider, maskedUrl, reason));
    }
  }

  /** The INFO line for an opened store; the URL is already masked by the config. */
  static String openedMessage(Role role, String provider, String maskedUrl, String reason) {
    return "opened "
        + role.what()
        + " "
        + maskedUrl
        + " with provider '"
        + provider
        + "': "
        + reason;
  }

  private static <P> Resolution<P> resolve(
      Role role,
      String scheme,
      @Nullable String client,
      List<P> providers,
      Function<P, String> name,
      Function<P, Set<String>> schemes,
      ToIntFunction<P> priority) {
    if (!role.schemeArtifacts().containsKey(scheme)
        && providers.stream().noneMatch(p -> schemes.apply(p).contains(scheme))) {
      throw ResolutionErrors.unknownScheme(role, scheme);
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
      return named(role, scheme, client, providers, candidates, names, name, schemes);
    }
    if (candidates.isEmpty()) {
      throw ResolutionErrors.noProvider(role, scheme);
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
                + "'; name another client explicitly to choose it";
    return new Resolution<>(chosen, reason, names);
  }

  /** The provider named {@code client} among the candidates, or an error that says why not. */
  private static <P> Resolution<P> named(
      Role role,
      String scheme,
      String client,
      List<P> providers,
      List<P> candidates,
      List<String> names,
      Function<P, String> name,
      Function<P, Set<String>> schemes) {
    for (P p : candidates) {
      if (name.apply(p).equalsIgnoreCase(client)) {
        return new Resolution<>(p, "client '" + client + "' was named in the configuration", names);
      }
    }
    for (P p : providers) {
      if (name.apply(p).equalsIgnoreCase(client)) {
        throw ResolutionErrors.wrongScheme(role, scheme, client, schemes.apply(p), names);
      }
    }
    throw ResolutionErrors.missingClient(role, scheme, client, names);
  }
}
