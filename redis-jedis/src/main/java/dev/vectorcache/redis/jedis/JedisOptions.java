package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.spi.AdapterOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Settings only the Jedis adapter understands (its connection pool), passed with {@code
 * MetadataStoreConfig.builder().adapterOptions(JedisOptions.builder()...build())}. Immutable;
 * change with {@link #mutate()}. Options given for a store that another adapter opens are refused.
 */
public final class JedisOptions implements AdapterOptions {
  /** The adapter these options are for. */
  public static final String ADAPTER = "jedis";

  /** Largest number of pooled connections: 16. */
  public static final int DEFAULT_MAX_CONNECTIONS = 16;

  private final int maxConnections;
  private final @Nullable Duration maxWait;

  private JedisOptions(Builder b) {
    this.maxConnections = b.maxConnections;
    this.maxWait = b.maxWait;
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static JedisOptions defaults() {
    return builder().build();
  }

  /** A builder holding these values. */
  public Builder mutate() {
    Builder b = new Builder().maxConnections(maxConnections);
    b.maxWait = maxWait;
    return b;
  }

  @Override
  public String adapter() {
    return ADAPTER;
  }

  /** Largest number of pooled connections. */
  public int maxConnections() {
    return maxConnections;
  }

  /**
   * Longest wait for a pooled connection before a call fails with a timeout; empty means the
   * store's command timeout ({@code MetadataStoreConfig.commandTimeout()}).
   */
  public Optional<Duration> maxWait() {
    return Optional.ofNullable(maxWait);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof JedisOptions j
        && maxConnections == j.maxConnections
        && Objects.equals(maxWait, j.maxWait);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxConnections, maxWait);
  }

  @Override
  public String toString() {
    return "JedisOptions[maxConnections=" + maxConnections + ", maxWait=" + maxWait + "]";
  }

  /** Builder for {@link JedisOptions}. */
  public static final class Builder {
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private @Nullable Duration maxWait;

    private Builder() {}

    /**
     * Largest number of pooled connections, 1 or more: the most calls that run at once. Default
     * {@value JedisOptions#DEFAULT_MAX_CONNECTIONS}.
     */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1) {
        throw new ConfigurationException(
            "invalid JedisOptions.maxConnections: expected 1 or more, found "
                + maxConnections
                + "; give a positive pool size");
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /**
     * Longest wait for a pooled connection when all are busy, after which the call fails with a
     * timeout instead of queueing. Default: the store's command timeout, so one setting bounds
     * every wait of a call.
     */
    public Builder maxWait(Duration maxWait) {
      Objects.requireNonNull(maxWait, "maxWait");
      if (maxWait.isNegative() || maxWait.isZero()) {
        throw new ConfigurationException(
            "invalid JedisOptions.maxWait: expected a positive duration, found "
                + maxWait
                + "; give a duration above zero");
      }
      this.maxWait = maxWait;
      return this;
    }

    /** The options. */
    public JedisOptions build() {
      return new JedisOptions(this);
    }
  }
}
