package dev.vectorcache.spi;

import dev.vectorcache.core.exception.ConfigurationException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a metadata store, whichever adapter opens it. Immutable; start from {@link
 * #embedded()}, {@link #fromUrl(String)} or {@link #builder()}, change with {@link #mutate()}.
 *
 * <p>The URL picks the adapter: {@code redis://[user:password@]host:port/db}, {@code rediss://}
 * (TLS), or {@code memory:} for the in-process store ({@code memory:NAME}: the store shared by
 * every caller in the JVM that uses the same name). User, password and database in the URL are read
 * into the config; values set on the builder afterwards win.
 *
 * <p>A URL may name several servers (docs/scaling.md): {@code
 * redis://[user:password@]h1:p1,h2:p2?cluster=true} for the seed nodes of a Redis Cluster (no
 * database: a cluster has database 0 only), and {@code
 * redis-sentinel://[user:password@]h1:p1,h2:p2[/db]?sentinelMasterId=NAME} (or {@code
 * rediss-sentinel://} for TLS) for the primary that a Sentinel group knows as NAME; the credentials
 * and TLS settings apply to the sentinels and the data nodes alike. {@link
 * Builder#topology(Topology)} is the equivalent builder form, next to a single-node URL.
 *
 * <p>Common blocks: {@link TlsConfig} and {@link Topology}. Settings that only one adapter
 * understands live in that adapter's module ({@code LettuceOptions}, {@code JedisOptions}) and are
 * passed with {@link Builder#adapterOptions(AdapterOptions)}. The password never appears in {@link
 * #toString()} or {@link #maskedUrl()}.
 */
public final class MetadataStoreConfig {
  /** The URL of the in-process store. */
  public static final String EMBEDDED_URL = "memory:";

  /** Redis's port, used when a URL names none. */
  public static final int DEFAULT_PORT = 6379;

  /** Database 0. */
  public static final int DEFAULT_DATABASE = 0;

  /** Prefix of every key and channel. */
  public static final String DEFAULT_KEY_PREFIX = "vectorcache:";

  /** Name shown by {@code CLIENT LIST}. */
  public static final String DEFAULT_CLIENT_NAME = "vectorcache";

  /** How long one command may take: 2 seconds. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

  /** How long opening a connection may take: 2 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private static final String FIELD = "metadata store url";

  private final String url;
  private final @Nullable String client;
  private final @Nullable String username;
  private final @Nullable String password;
  private final int database;
  private final String keyPrefix;
  private final @Nullable String clientName;
  private final Duration commandTimeout;
  private final Duration connectTimeout;
  private final TlsConfig tls;
  private final @Nullable Topology explicitTopology;
  private final @Nullable Topology topology;
  private final AdapterOptionsSet adapterOptions;

  private MetadataStoreConfig(Builder b, @Nullable Topology topology) {
    this.url = b.url;
    this.client = b.client;
    this.username = b.username;
    this.password = b.password;
    this.database = b.database;
    this.keyPrefix = b.keyPrefix;
    this.clientName = b.clientName;
    this.commandTimeout = b.commandTimeout;
    this.connectTimeout = b.connectTimeout;
    this.tls = b.tls;
    this.explicitTopology = b.explicitTopology;
    this.topology = topology;
    this.adapterOptions = b.adapterOptions;
  }

  /** A builder with every default: the in-process store, no client named. */
  public static Builder builder() {
    return new Builder();
  }

  /** The in-process store (a new private store per open). */
  public static MetadataStoreConfig embedded() {
    return builder().build();
  }

  /**
   * A config for {@code url} with every other setting at its default.
   *
   * @throws ConfigurationException for a null, blank or malformed URL (use {@link #embedded()} for
   *     the in-process store)
   */
  public static MetadataStoreConfig fromUrl(String url) {
    return builder().url(url).build();
  }

  /** A builder holding this config's values. */
  public Builder mutate() {
    Builder b = new Builder();
    b.url = url;
    b.client = client;
    b.username = username;
    b.password = password;
    b.database = database;
    b.keyPrefix = keyPrefix;
    b.clientName = clientName;
    b.commandTimeout = commandTimeout;
    b.connectTimeout = connectTimeout;
    b.tls = tls;
    b.explicitTopology = explicitTopology;
    b.adapterOptions = adapterOptions;
    return b;
  }

  /** The URL as given (it may hold a password: log {@link #maskedUrl()} instead). */
  public String url() {
    return url;
  }

  /** The URL with any user-info replaced by {@code ****}. */
  public String maskedUrl() {
    return Urls.mask(url);
  }

  /**
   * The URL scheme: {@code redis}, {@code rediss}, {@code redis-sentinel}, {@code rediss-sentinel}
   * or {@code memory}.
   */
  public String scheme() {
    return Urls.scheme(url);
  }

  /** Whether this is the in-process store ({@code memory:}). */
  public boolean isEmbedded() {
    return scheme().equals("memory");
  }

  /** Whether the connections use TLS ({@code rediss://} or {@code rediss-sentinel://}). */
  public boolean tlsEnabled() {
    return RedisUrls.TLS_SCHEMES.contains(scheme());
  }

  /** The TLS settings; they apply only when {@link #tlsEnabled()}. */
  public TlsConfig tls() {
    return tls;
  }

  /**
   * Where the servers are: the topology set on the builder, or one node at the URL's host and port
   * (default 6379). Empty for the in-process store.
   */
  public Optional<Topology> topology() {
    return Optional.ofNullable(topology);
  }

  /** The name after {@code memory:}, or empty for a private in-process store. */
  public String memoryName() {
    return Urls.memoryName(url);
  }

  /** The adapter named by {@link Builder#client(String)}, or {@code null} for the default. */
  public @Nullable String client() {
    return client;
  }

  /** ACL user name, or {@code null}. */
  public @Nullable String username() {
    return username;
  }

  /** The password, or {@code null}. Never log it. */
  public @Nullable String password() {
    return password;
  }

  /** The database number. */
  public int database() {
    return database;
  }

  /** Prefix of every key and channel, so that several caches can share one Redis. */
  public String keyPrefix() {
    return keyPrefix;
  }

  /** Name shown by {@code CLIENT LIST}, or {@code null}. */
  public @Nullable String clientName() {
    return clientName;
  }

  /** How long one command may take before it fails with a timeout. */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /** How long opening a connection may take. */
  public Duration connectTimeout() {
    return connectTimeout;
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
    return "MetadataStoreConfig[url="
        + maskedUrl()
        + ", client="
        + client
        + ", username="
        + username
        + ", password="
        + (password == null ? "none" : "****")
        + ", database="
        + database
        + ", keyPrefix="
        + keyPrefix
        + ", clientName="
        + clientName
        + ", commandTimeout="
        + commandTimeout
        + ", connectTimeout="
        + connectTimeout
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
    if (RedisUrls.SCHEMES.contains(scheme)) {
      return RedisUrls.parse(url, FIELD).topology();
    }
    URI uri = Urls.parse(url, FIELD);
    int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
    return Topology.standalone(HostAndPort.of(uri.getHost(), port));
  }

  /** Builder for {@link MetadataStoreConfig}; every setter says its default. */
  public static final class Builder {
    private String url = EMBEDDED_URL;
    private @Nullable String client;
    private @Nullable String username;
    private @Nullable String password;
    private int database = DEFAULT_DATABASE;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private @Nullable String clientName = DEFAULT_CLIENT_NAME;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private TlsConfig tls = TlsConfig.defaults();
    private @Nullable Topology explicitTopology;
    private AdapterOptionsSet adapterOptions = AdapterOptionsSet.EMPTY;

    private Builder() {}

    /**
     * The store's URL: {@code redis://[user:password@]host:port/db}, {@code rediss://...}, a
     * cluster's seeds ({@code redis://h1:p1,h2:p2?cluster=true}), a Sentinel group ({@code
     * redis-sentinel://h1:p1,h2:p2/db?sentinelMasterId=NAME}, {@code rediss-sentinel://...}) or
     * {@code memory:[NAME]}; reads user, password and database from it. Default {@value
     * MetadataStoreConfig#EMBEDDED_URL} (the in-process store).
     *
     * @throws ConfigurationException for null (call {@link MetadataStoreConfig#embedded()}
     *     instead), blank, {@code host:port} without a scheme, a database that is not a number,
     *     several hosts without {@code cluster=true}, a database on a cluster, a Sentinel URL
     *     without {@code sentinelMasterId}, or any other query parameter
     */
    public Builder url(String url) {
      String u = Checks.url(FIELD, url, "MetadataStoreConfig", "redis");
      String scheme = Urls.scheme(u);
      if (RedisUrls.SCHEMES.contains(scheme)) {
        RedisUrls.Parsed parsed = RedisUrls.parse(u, FIELD);
        this.url = u;
        readUrl(parsed.rawUserInfo(), parsed.path());
      } else {
        this.url = u;
      }
      return this;
    }

    private void readUrl(@Nullable String info, String path) {
      if (info != null) {
        int colon = info.indexOf(':');
        if (colon < 0) {
          // redis://secret@host is the classic password-only form
          this.password = decode(info);
        } else {
          String user = info.substring(0, colon);
          this.username = user.isEmpty() ? null : decode(user);
          this.password = decode(info.substring(colon + 1));
        }
      }
      if (path.length() > 1) {
        try {
          database(Integer.parseInt(path.substring(1)));
        } catch (NumberFormatException e) {
          throw Checks.invalid(
              "metadata store url database",
              "an integer after '/'",
              "\"" + path.substring(1) + "\"",
              "write redis://host:port/0 (or leave the path out)");
        }
      }
    }

    private static String decode(String s) {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /**
     * The adapter to use by name ({@code lettuce}, {@code jedis}, {@code memory}), overriding the
     * preference among the providers for the URL's scheme. Default: none, the highest priority wins
     * (Lettuce before Jedis).
     */
    public Builder client(@Nullable String client) {
      this.client = client == null || client.isBlank() ? null : client.trim();
      return this;
    }

    /** ACL user name. Default: none, or the URL's user. */
    public Builder username(@Nullable String username) {
      this.username = username;
      return this;
    }

    /** The password. Default: none, or the URL's password. Never logged or printed. */
    public Builder password(@Nullable String password) {
      this.password = password;
      return this;
    }

    /** The database number, 0 or more. Default 0, or the URL's path. */
    public Builder database(int database) {
      this.database = Checks.atLeast("database", 0, database);
      return this;
    }

    /**
     * Prefix of every key and channel, so that several caches can share one Redis. Default {@value
     * MetadataStoreConfig#DEFAULT_KEY_PREFIX}.
     */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    /**
     * Name shown by {@code CLIENT LIST}; {@code null} or blank sends none. Default {@value
     * MetadataStoreConfig#DEFAULT_CLIENT_NAME}.
     */
    public Builder clientName(@Nullable String clientName) {
      this.clientName = clientName;
      return this;
    }

    /** How long one command may take. Default 2 seconds. */
    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = Checks.positive("commandTimeout", commandTimeout);
      return this;
    }

    /** How long opening a connection may take. Default 2 seconds. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Checks.positive("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * TLS settings, used with {@code rediss://} URLs. Default {@link TlsConfig#defaults()}: the
     * JVM's trust store, no client certificate, host name verified.
     */
    public Builder tls(TlsConfig tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /**
     * The servers, instead of the URL's single host and port (the URL still gives the scheme,
     * credentials and database). Default: one node at the URL's address. Not allowed with the
     * in-process store, nor with a URL that names servers itself ({@code ?cluster=true}, several
     * hosts, {@code redis-sentinel://}): one place names the servers.
     */
    public Builder topology(Topology topology) {
      this.explicitTopology = Objects.requireNonNull(topology, "topology");
      return this;
    }

    /**
     * Settings of one adapter ({@code LettuceOptions}, {@code JedisOptions}); replaces an earlier
     * object of the same class. Default: none, the adapter's defaults.
     */
    public Builder adapterOptions(AdapterOptions options) {
      this.adapterOptions = adapterOptions.with(options);
      return this;
    }

    /**
     * Checks the URL, the TLS block against the scheme, the topology against the in-process store,
     * and that adapter options are for one adapter (the named one, if any).
     *
     * @throws ConfigurationException naming the setting, what was expected and what was found
     */
    public MetadataStoreConfig build() {
      Topology fromUrl = urlTopology(url);
      if (explicitTopology != null
          && fromUrl != null
          && !(fromUrl instanceof Topology.Standalone)) {
        throw Checks.invalid(
            "topology",
            "the servers named once: by the URL or by topology(...)",
            "a " + fromUrl.kind() + " URL and topology(" + explicitTopology.kind() + ")",
            "use a single-node URL with topology(...), or drop topology(...)");
      }
      Topology topology = Checks.topology(fromUrl, explicitTopology, "redis://host:6379");
      if (topology instanceof Topology.Cluster && database != 0) {
        throw Checks.invalid(
            "database",
            "0 on a Redis Cluster (a cluster has database 0 only)",
            database,
            "drop database(...) and the /db of the URL; use keyPrefix(...) to separate caches");
      }
      Checks.tlsNeedsScheme(tls, Urls.scheme(url), RedisUrls.TLS_SCHEMES);
      adapterOptions.checkConsistent(client);
      return new MetadataStoreConfig(this, topology);
    }
  }
}
