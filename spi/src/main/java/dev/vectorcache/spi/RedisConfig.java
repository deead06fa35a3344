package dev.vectorcache.spi;

import dev.vectorcache.core.ConfigurationException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Connection settings for a metadata store. Immutable; build with {@link #builder()} or {@link
 * #fromUrl(String)}, change with {@link #mutate()}.
 *
 * <p>The URL picks the backend: {@code redis://[user:password@]host:port/db}, {@code rediss://}
 * (TLS), or {@code memory:} (in-process; also the default when no URL is given). User, password and
 * database in the URL are read into the config; values set on the builder afterwards win. The
 * password never appears in {@link #toString()} or {@link #maskedUrl()}.
 */
public final class RedisConfig {
  /** Default Redis port. */
  public static final int DEFAULT_PORT = 6379;

  private final String url;
  private final String client;
  private final String username;
  private final String password;
  private final int database;
  private final String keyPrefix;
  private final String clientName;
  private final Duration commandTimeout;
  private final Duration connectTimeout;
  private final int maxConnections;
  private final Duration maxWait;
  private final int requestQueueSize;
  private final boolean verifyPeer;
  private final Map<String, String> options;

  private RedisConfig(Builder b) {
    this.url = b.url;
    this.client = b.client;
    this.username = b.username;
    this.password = b.password;
    this.database = b.database;
    this.keyPrefix = b.keyPrefix;
    this.clientName = b.clientName;
    this.commandTimeout = b.commandTimeout;
    this.connectTimeout = b.connectTimeout;
    this.maxConnections = b.maxConnections;
    this.maxWait = b.maxWait;
    this.requestQueueSize = b.requestQueueSize;
    this.verifyPeer = b.verifyPeer;
    this.options = Map.copyOf(b.options);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A config for this URL with every other setting at its default. */
  public static RedisConfig fromUrl(String url) {
    return builder().url(url).build();
  }

  /** The in-process store. */
  public static RedisConfig memory() {
    return builder().url("memory:").build();
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
    b.maxConnections = maxConnections;
    b.maxWait = maxWait;
    b.requestQueueSize = requestQueueSize;
    b.verifyPeer = verifyPeer;
    b.options.putAll(options);
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

  /** The URL scheme: {@code redis}, {@code rediss} or {@code memory}. */
  public String scheme() {
    return Urls.scheme(url);
  }

  /** Whether the connection uses TLS ({@code rediss://}). */
  public boolean tls() {
    return "rediss".equals(scheme());
  }

  public String host() {
    return Urls.parse(url, "redis url").getHost();
  }

  public int port() {
    int p = Urls.parse(url, "redis url").getPort();
    return p < 0 ? DEFAULT_PORT : p;
  }

  /**
   * The client to use by name ({@code lettuce}, {@code jedis}), or {@code null} for the default.
   */
  public String client() {
    return client;
  }

  /** ACL user name, or {@code null}. */
  public String username() {
    return username;
  }

  /** The password, or {@code null}. Never log it. */
  public String password() {
    return password;
  }

  public int database() {
    return database;
  }

  /** Prefix of every key and channel, so that several caches can share one Redis. */
  public String keyPrefix() {
    return keyPrefix;
  }

  /** Name shown by {@code CLIENT LIST}, or {@code null}. */
  public String clientName() {
    return clientName;
  }

  /** How long one command may take before it fails with a timeout. */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Largest connection pool (pooled clients such as Jedis). */
  public int maxConnections() {
    return maxConnections;
  }

  /** How long to wait for a pooled connection before failing. */
  public Duration maxWait() {
    return maxWait;
  }

  /** Commands buffered while disconnected before new ones are rejected (Lettuce). */
  public int requestQueueSize() {
    return requestQueueSize;
  }

  /** Whether TLS verifies the server certificate. */
  public boolean verifyPeer() {
    return verifyPeer;
  }

  /** Provider-specific extra settings. */
  public Map<String, String> options() {
    return options;
  }

  @Override
  public String toString() {
    return "RedisConfig[url="
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
        + ", maxConnections="
        + maxConnections
        + ", maxWait="
        + maxWait
        + ", requestQueueSize="
        + requestQueueSize
        + "]";
  }

  /** Builder for {@link RedisConfig}. */
  public static final class Builder {
    private String url = "memory:";
    private String client;
    private String username;
    private String password;
    private int database;
    private String keyPrefix = "vectorcache:";
    private String clientName = "vectorcache";
    private Duration commandTimeout = Duration.ofSeconds(2);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private int maxConnections = 16;
    private Duration maxWait = Duration.ofSeconds(2);
    private int requestQueueSize = 10_000;
    private boolean verifyPeer = true;
    private final java.util.HashMap<String, String> options = new java.util.HashMap<>();

    private Builder() {}

    /**
     * The server URL; reads user, password and database from it. {@code null} or blank means the
     * in-process store.
     */
    public Builder url(String url) {
      if (url == null || url.isBlank()) {
        this.url = "memory:";
        return this;
      }
      String scheme = Urls.scheme(url);
      this.url = url.trim();
      if (scheme.equals("redis") || scheme.equals("rediss")) {
        URI uri = Urls.parse(url, "redis url");
        String info = uri.getRawUserInfo();
        if (info != null) {
          int colon = info.indexOf(':');
          String user = colon < 0 ? info : info.substring(0, colon);
          String pass = colon < 0 ? null : info.substring(colon + 1);
          if (colon < 0) {
            // redis://secret@host is the classic password-only form
            this.password = decode(user);
          } else {
            this.username = user.isEmpty() ? null : decode(user);
            this.password = decode(pass);
          }
        }
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
          try {
            this.database = Integer.parseInt(path.substring(1));
          } catch (NumberFormatException e) {
            throw new ConfigurationException(
                "invalid redis url database: expected an integer after '/', found \""
                    + path.substring(1)
                    + "\"");
          }
        }
      }
      return this;
    }

    private static String decode(String s) {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public Builder client(String client) {
      this.client = client == null || client.isBlank() ? null : client.trim();
      return this;
    }

    public Builder username(String username) {
      this.username = username;
      return this;
    }

    public Builder password(String password) {
      this.password = password;
      return this;
    }

    public Builder database(int database) {
      if (database < 0) {
        throw new ConfigurationException("invalid database: expected 0 or more, found " + database);
      }
      this.database = database;
      return this;
    }

    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    public Builder clientName(String clientName) {
      this.clientName = clientName;
      return this;
    }

    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = positive("commandTimeout", commandTimeout);
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive("connectTimeout", connectTimeout);
      return this;
    }

    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1) {
        throw new ConfigurationException(
            "invalid maxConnections: expected 1 or more, found " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    public Builder maxWait(Duration maxWait) {
      this.maxWait = positive("maxWait", maxWait);
      return this;
    }

    public Builder requestQueueSize(int requestQueueSize) {
      if (requestQueueSize < 1) {
        throw new ConfigurationException(
            "invalid requestQueueSize: expected 1 or more, found " + requestQueueSize);
      }
      this.requestQueueSize = requestQueueSize;
      return this;
    }

    public Builder verifyPeer(boolean verifyPeer) {
      this.verifyPeer = verifyPeer;
      return this;
    }

    public Builder option(String name, String value) {
      options.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public RedisConfig build() {
      String scheme = Urls.scheme(url);
      if (!scheme.equals("memory")) {
        Urls.parse(url, "redis url");
      }
      return new RedisConfig(this);
    }
  }

  static Duration positive(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative() || d.isZero()) {
      throw new ConfigurationException(
          "invalid " + field + ": expected a positive duration, found " + d);
    }
    return d;
  }
}
