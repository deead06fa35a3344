package dev.vectorcache.spi;

import dev.vectorcache.core.exception.ConfigurationException;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a vector store, whichever adapter opens it. Immutable; start from {@link
 * #embedded()}, {@link #fromUrl(String)} or {@link #builder()}, change with {@link #mutate()}.
 *
 * <p>The URL picks the adapter: {@code http(s)://host:6333} (Qdrant's REST address; the gRPC port
 * 6334 is used, as the official clients do), {@code grpc://host:6334}, {@code grpcs://} (TLS), or
 * {@code memory:} for the embedded in-process engine. {@code memory:NAME} opens the store shared by
 * every caller in the JVM that uses the same name.
 *
 * <p>Common blocks: {@link TlsConfig} and {@link Topology}. Settings that only one adapter
 * understands live in that adapter's module ({@code QdrantGrpcOptions}, {@code EmbeddedOptions})
 * and are passed with {@link Builder#adapterOptions(AdapterOptions)}. The memory settings of a
 * collection are per collection, in {@link dev.vectorcache.core.model.CollectionConfig}. The API
 * key never appears in {@link #toString()}.
 */
public final class VectorStoreConfig {
  /** The URL of the embedded in-process engine. */
  public static final String EMBEDDED_URL = "memory:";

  /** Qdrant's REST port; a URL {@code http(s)://host:6333} is mapped to the gRPC port. */
  public static final int DEFAULT_REST_PORT = 6333;

  /** Qdrant's gRPC port, used when a {@code grpc(s)://} URL names none. */
  public static final int DEFAULT_GRPC_PORT = 6334;

  /** Deadline of every call: 10 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final String FIELD = "vector store url";

  private final String url;
  private final @Nullable String client;
  private final @Nullable String apiKey;
  private final Duration timeout;
  private final TlsConfig tls;
  private final @Nullable Topology explicitTopology;
  private final @Nullable Topology topology;
  private final AdapterOptionsSet adapterOptions;

  private VectorStoreConfig(Builder b, @Nullable Topology topology) {
    this.explicitTopology = b.explicitTopology;
    this.url = b.url;
    this.client = b.client;
    this.apiKey = b.apiKey;
    this.timeout = b.timeout;
    this.tls = b.tls;
    this.topology = topology;
    this.adapterOptions = b.adapterOptions;
  }

  /** A builder with every default: the embedded engine, no client named. */
  public static Builder builder() {
    return new Builder();
  }

  /** The embedded in-process engine (a new private store per open). */
  public static VectorStoreConfig embedded() {
    return builder().build();
  }

  /**
   * A config for {@code url} with every other setting at its default.
   *
   * @throws ConfigurationException for a null, blank or malformed URL (use {@link #embedded()} for
   *     the in-process engine)
   */
  public static VectorStoreConfig fromUrl(String url) {
    return builder().url(url).build();
  }

  /** A builder holding this config's values. */
  public Builder mutate() {
    Builder b = new Builder();
    b.url = url;
    b.client = client;
    b.apiKey = apiKey;
    b.timeout = timeout;
    b.tls = tls;
    b.explicitTopology = explicitTopology;
    b.adapterOptions = adapterOptions;
    return b;
  }

  /** The URL as given (log {@link #maskedUrl()} instead). */
  public String url() {
    return url;
  }

  /** The URL with any user-info replaced by {@code ****}. */
  public String maskedUrl() {
    return Urls.mask(url);
  }

  /** The URL scheme: {@code http}, {@code https}, {@code grpc}, {@code grpcs} or {@code memory}. */
  public String scheme() {
    return Urls.scheme(url);
  }

  /** Whether this is the embedded in-process engine ({@code memory:}). */
  public boolean isEmbedded() {
    return scheme().equals("memory");
  }

  /** Whether the connection uses TLS ({@code https} or {@code grpcs}). */
  public boolean tlsEnabled() {
    String s = scheme();
    return s.equals("https") || s.equals("grpcs");
  }

  /** The TLS settings; they apply only when {@link #tlsEnabled()}. */
  public TlsConfig tls() {
    return tls;
  }

  /**
   * Where the server is: the topology set on the builder, or one node at the URL's host and gRPC
   * port ({@code http(s)://} port 6333, given or implied, maps to 6334). Empty for the embedded
   * engine.
   */
  public Optional<Topology> topology() {
    return Optional.ofNullable(topology);
  }

  /** The name after {@code memory:}, or empty for a private embedded store. */
  public String memoryName() {
    return Urls.memoryName(url);
  }

  /** The adapter named by {@link Builder#client(String)}, or {@code null} for the default. */
  public @Nullable String client() {
    return client;
  }

  /** The API key, or {@code null}. Never log it. */
  public @Nullable String apiKey() {
    return apiKey;
  }

  /** Deadline of every call. */
  public Duration timeout() {
    return timeout;
  }

  /** The options object of class {@code type}, if one was given. */
  public <T extends AdapterOptions> Optional<T> adapterOptions(Class<T> type) {
    return adapterOptions.get(type);
  }

  /** Every adapter options object given. */
  public Collection<AdapterOptions> adapterOptions() {
    return adapterOptions.all();
  }

  /**
   * For adapters: refuses options meant for another adapter than {@code adapter}.
   *
   * @throws ConfigurationException naming both adapters
   */
  public void checkAdapterOptions(String adapter) {
    adapterOptions.check(Objects.requireNonNull(adapter, "adapter"), "the adapter opening it");
  }

  @Override
  public String toString() {
    return "VectorStoreConfig[url="
        + maskedUrl()
        + ", client="
        + client
        + ", apiKey="
        + (apiKey == null ? "none" : "****")
        + ", timeout="
        + timeout
        + ", tls="
        + tls
        + ", topology="
        + topology
        + ", adapterOptions="
        + adapterOptions
        + "]";
  }

  private static @Nullable Topology urlTopology(String url) {
    String scheme = Urls.scheme(url);
    if (scheme.equals("memory")) {
      return null;
    }
    URI uri = Urls.parse(url, FIELD);
    int p = uri.getPort();
    int port;
    if (scheme.equals("http") || scheme.equals("https")) {
      port = p < 0 || p == DEFAULT_REST_PORT ? DEFAULT_GRPC_PORT : p;
    } else {
      port = p < 0 ? DEFAULT_GRPC_PORT : p;
    }
    return Topology.standalone(HostAndPort.of(uri.getHost(), port));
  }

  /** Builder for {@link VectorStoreConfig}; every setter says its default. */
  public static final class Builder {
    private String url = EMBEDDED_URL;
    private @Nullable String client;
    private @Nullable String apiKey;
    private Duration timeout = DEFAULT_TIMEOUT;
    private TlsConfig tls = TlsConfig.defaults();
    private @Nullable Topology explicitTopology;
    private AdapterOptionsSet adapterOptions = AdapterOptionsSet.EMPTY;

    private Builder() {}

    /**
     * The store's URL: {@code grpc(s)://host:6334}, {@code http(s)://host:6333} or {@code
     * memory:[NAME]}. Default {@value VectorStoreConfig#EMBEDDED_URL} (the embedded engine).
     *
     * @throws ConfigurationException for null (call {@link VectorStoreConfig#embedded()} instead),
     *     blank, or {@code host:port} without a scheme
     */
    public Builder url(String url) {
      this.url = Checks.url(FIELD, url, "VectorStoreConfig", "grpc");
      return this;
    }

    /**
     * The adapter to use by name ({@code qdrant-grpc}, {@code memory}), overriding the preference
     * among the providers for the URL's scheme. Default: none, the highest priority wins.
     */
    public Builder client(@Nullable String client) {
      this.client = client == null || client.isBlank() ? null : client.trim();
      return this;
    }

    /** The API key sent with every call. Default: none. Never logged or printed. */
    public Builder apiKey(@Nullable String apiKey) {
      this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
      return this;
    }

    /** Deadline of every call. Default 10 seconds ({@link VectorStoreConfig#DEFAULT_TIMEOUT}). */
    public Builder timeout(Duration timeout) {
      this.timeout = Checks.positive("timeout", timeout);
      return this;
    }

    /**
     * TLS settings, used with {@code grpcs://} or {@code https://} URLs. Default {@link
     * TlsConfig#defaults()}: the JVM's trust store, no client certificate, host name verified.
     */
    public Builder tls(TlsConfig tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /**
     * The servers, instead of the URL's single host and port (the URL still gives the scheme).
     * Default: one node at the URL's address. Not allowed with the embedded engine.
     */
    public Builder topology(Topology topology) {
      this.explicitTopology = Objects.requireNonNull(topology, "topology");
      return this;
    }

    /**
     * Settings of one adapter ({@code QdrantGrpcOptions}, {@code EmbeddedOptions}); replaces an
     * earlier object of the same class. Default: none, the adapter's defaults.
     */
    public Builder adapterOptions(AdapterOptions options) {
      this.adapterOptions = adapterOptions.with(options);
      return this;
    }

    /**
     * Checks the URL, the TLS block against the scheme, the topology against the embedded engine,
     * and that adapter options are for one adapter (the named one, if any).
     *
     * @throws ConfigurationException naming the setting, what was expected and what was found
     */
    public VectorStoreConfig build() {
      Topology topology = Checks.topology(urlTopology(url), explicitTopology, "grpc://host:6334");
      Checks.tlsNeedsScheme(tls, Urls.scheme(url), List.of("grpcs", "https"));
      adapterOptions.checkConsistent(client);
      return new VectorStoreConfig(this, topology);
    }
  }
}
