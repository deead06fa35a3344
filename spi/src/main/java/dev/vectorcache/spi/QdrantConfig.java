package dev.vectorcache.spi;

import dev.vectorcache.core.ConfigurationException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Connection settings for a vector store. Immutable; build with {@link #builder()} or {@link
 * #fromUrl(String)}, change with {@link #mutate()}.
 *
 * <p>The URL picks the backend: {@code http(s)://host:6333} (Qdrant's REST address; the gRPC port
 * 6334 is used, as the official clients do), {@code grpc://host:6334} or {@code grpcs://} (TLS), or
 * {@code memory:} for the embedded engine, also the default when no URL is given. A {@code
 * memory:NAME} URL opens a store shared by every caller in the JVM that uses the same name.
 *
 * <p>The memory settings of a collection (storage mode, quantization, on-disk payload and HNSW,
 * memmap threshold) are per collection, in {@link dev.vectorcache.core.model.CollectionConfig}. The
 * API key never appears in {@link #toString()}.
 */
public final class QdrantConfig {
  public static final int DEFAULT_REST_PORT = 6333;
  public static final int DEFAULT_GRPC_PORT = 6334;

  private final String url;
  private final String client;
  private final String apiKey;
  private final Duration timeout;
  private final int maxRetries;
  private final boolean checkCompatibility;
  private final Map<String, String> options;

  private QdrantConfig(Builder b) {
    this.url = b.url;
    this.client = b.client;
    this.apiKey = b.apiKey;
    this.timeout = b.timeout;
    this.maxRetries = b.maxRetries;
    this.checkCompatibility = b.checkCompatibility;
    this.options = Map.copyOf(b.options);
  }

  public static Builder builder() {
    return new Builder();
  }

  public static QdrantConfig fromUrl(String url) {
    return builder().url(url).build();
  }

  /** The embedded engine. */
  public static QdrantConfig memory() {
    return builder().url("memory:").build();
  }

  public Builder mutate() {
    Builder b = new Builder();
    b.url = url;
    b.client = client;
    b.apiKey = apiKey;
    b.timeout = timeout;
    b.maxRetries = maxRetries;
    b.checkCompatibility = checkCompatibility;
    b.options.putAll(options);
    return b;
  }

  public String url() {
    return url;
  }

  /** The URL scheme: {@code http}, {@code https}, {@code grpc}, {@code grpcs} or {@code memory}. */
  public String scheme() {
    return Urls.scheme(url);
  }

  /** Whether the connection uses TLS ({@code https} or {@code grpcs}). */
  public boolean tls() {
    String s = scheme();
    return s.equals("https") || s.equals("grpcs");
  }

  public String host() {
    return Urls.parse(url, "qdrant url").getHost();
  }

  /**
   * The gRPC port: the URL's port for {@code grpc(s)://}; for {@code http(s)://} the REST port 6333
   * (given or implied) maps to 6334, any other port is taken as the gRPC port.
   */
  public int grpcPort() {
    URI uri = Urls.parse(url, "qdrant url");
    int p = uri.getPort();
    String s = scheme();
    if (s.equals("http") || s.equals("https")) {
      return p < 0 || p == DEFAULT_REST_PORT ? DEFAULT_GRPC_PORT : p;
    }
    return p < 0 ? DEFAULT_GRPC_PORT : p;
  }

  /** The name after {@code memory:}, or empty for a private embedded store. */
  public String memoryName() {
    return url.startsWith("memory:") ? url.substring("memory:".length()) : "";
  }

  /** The client to use by name, or {@code null} for the default. */
  public String client() {
    return client;
  }

  /** The API key, or {@code null}. Never log it. */
  public String apiKey() {
    return apiKey;
  }

  /** Deadline of every call. */
  public Duration timeout() {
    return timeout;
  }

  /** Retries of idempotent operations after a transient failure. */
  public int maxRetries() {
    return maxRetries;
  }

  /** Whether the client checks that the server's version is compatible. */
  public boolean checkCompatibility() {
    return checkCompatibility;
  }

  /** Provider-specific extra settings (for the embedded engine: {@code mmap.dir}). */
  public Map<String, String> options() {
    return options;
  }

  @Override
  public String toString() {
    return "QdrantConfig[url="
        + Urls.mask(url)
        + ", client="
        + client
        + ", apiKey="
        + (apiKey == null ? "none" : "****")
        + ", timeout="
        + timeout
        + ", maxRetries="
        + maxRetries
        + ", options="
        + options
        + "]";
  }

  /** Builder for {@link QdrantConfig}. */
  public static final class Builder {
    private String url = "memory:";
    private String client;
    private String apiKey;
    private Duration timeout = Duration.ofSeconds(10);
    private int maxRetries = 2;
    private boolean checkCompatibility = true;
    private final Map<String, String> options = new HashMap<>();

    private Builder() {}

    /** The server URL; {@code null} or blank means the embedded engine. */
    public Builder url(String url) {
      this.url = url == null || url.isBlank() ? "memory:" : url.trim();
      return this;
    }

    public Builder client(String client) {
      this.client = client == null || client.isBlank() ? null : client.trim();
      return this;
    }

    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = RedisConfig.positive("timeout", timeout);
      return this;
    }

    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0) {
        throw new ConfigurationException(
            "invalid maxRetries: expected 0 or more, found " + maxRetries);
      }
      this.maxRetries = maxRetries;
      return this;
    }

    public Builder checkCompatibility(boolean checkCompatibility) {
      this.checkCompatibility = checkCompatibility;
      return this;
    }

    public Builder option(String name, String value) {
      options.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public QdrantConfig build() {
      String scheme = Urls.scheme(url);
      if (!scheme.equals("memory")) {
        Urls.parse(url, "qdrant url");
      }
      return new QdrantConfig(this);
    }
  }
}
