package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.spi.AdapterOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Settings only the Jedis adapter understands (its connection pool and the executor of its async
 * form), passed with {@code MetadataStoreConfig.builder().adapterOptions(JedisOptions.builder()
 * ...build())}. Immutable; change with {@link #mutate()}. Options given for a store that another
 * adapter opens are refused.
 */
public final class JedisOptions implements AdapterOptions {
  /** The adapter these options are for. */
  public static final String ADAPTER = "jedis";

  /** Largest number of pooled connections: 16. */
  public static final int DEFAULT_MAX_CONNECTIONS = 16;

  /** Calls of the async form that may wait for a free executor thread: 10,000. */
  public static final int DEFAULT_EXECUTOR_QUEUE_SIZE = 10_000;

  /** Period of the cluster's slot map renewal besides the one after {@code MOVED}: 30 s. */
  public static final Duration DEFAULT_TOPOLOGY_REFRESH_PERIOD = Duration.ofSeconds(30);

  private final int maxConnections;
  private final @Nullable Duration maxWait;
  private final @Nullable Integer executorThreads;
  private final int executorQueueSize;
  private final @Nullable Duration topologyRefreshPeriod;
  private final boolean readFromReplicas;

  private JedisOptions(Builder b) {
    this.maxConnections = b.maxConnections;
    this.maxWait = b.maxWait;
    this.executorThreads = b.executorThreads;
    this.executorQueueSize = b.executorQueueSize;
    this.topologyRefreshPeriod = b.topologyRefreshPeriod;
    this.readFromReplicas = b.readFromReplicas;
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
    Builder b = new Builder().maxConnections(maxConnections).executorQueueSize(executorQueueSize);
    b.maxWait = maxWait;
    b.executorThreads = executorThreads;
    b.topologyRefreshPeriod = topologyRefreshPeriod;
    b.readFromReplicas = readFromReplicas;
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
   * Longest wait for a pooled connection, and for a free executor thread, before a call fails with
   * a timeout; empty means the store's command timeout ({@code
   * MetadataStoreConfig.commandTimeout()}).
   */
  public Optional<Duration> maxWait() {
    return Optional.ofNullable(maxWait);
  }

  /**
   * Threads of the executor that runs the async form's calls ({@code store.async()}, and the batch
   * writes); empty means {@link #maxConnections()}, one thread per pooled connection.
   */
  public Optional<Integer> executorThreads() {
    return Optional.ofNullable(executorThreads);
  }

  /** Calls of the async form that may wait for a free executor thread; more are refused at once. */
  public int executorQueueSize() {
    return executorQueueSize;
  }

  /**
   * How often a cluster store renews its slot map (one {@code CLUSTER SLOTS}) besides after a
   * {@code MOVED} reply or two failed connections in a row; {@link
   * #DEFAULT_TOPOLOGY_REFRESH_PERIOD} unless set.
   */
  public Duration topologyRefreshPeriod() {
    return topologyRefreshPeriod == null ? DEFAULT_TOPOLOGY_REFRESH_PERIOD : topologyRefreshPeriod;
  }

  /** Whether {@link Builder#topologyRefreshPeriod(Duration)} was called (cluster only). */
  boolean topologyRefreshPeriodSet() {
    return topologyRefreshPeriod != null;
  }

  /** Whether a cluster store reads ({@code get}, {@code getAll}) from replicas; default false. */
  public boolean readFromReplicas() {
    return readFromReplicas;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof JedisOptions j
        && maxConnections == j.maxConnections
        && Objects.equals(maxWait, j.maxWait)
        && Objects.equals(executorThreads, j.executorThreads)
        && executorQueueSize == j.executorQueueSize
        && Objects.equals(topologyRefreshPeriod, j.topologyRefreshPeriod)
        && readFromReplicas == j.readFromReplicas;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        maxConnections,
        maxWait,
        executorThreads,
        executorQueueSize,
        topologyRefreshPeriod,
        readFromReplicas);
  }

  @Override
  public String toString() {
    return "JedisOptions[maxConnections="
        + maxConnections
        + ", maxWait="
        + maxWait
        + ", executorThreads="
        + executorThreads
        + ", executorQueueSize="
        + executorQueueSize
        + ", topologyRefreshPeriod="
        + topologyRefreshPeriod()
        + ", readFromReplicas="
        + readFromReplicas
        + "]";
  }

  /** Builder for {@link JedisOptions}. */
  public static final class Builder {
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private @Nullable Duration maxWait;
    private @Nullable Integer executorThreads;
    private int executorQueueSize = DEFAULT_EXECUTOR_QUEUE_SIZE;
    private @Nullable Duration topologyRefreshPeriod;
    private boolean readFromReplicas;

    private Builder() {}

    /**
     * How often a cluster store renews its slot map, besides after every {@code MOVED} reply and
     * after two failed connections in a row (which Jedis does by itself). Positive. Default {@link
     * JedisOptions#DEFAULT_TOPOLOGY_REFRESH_PERIOD}. Only for a cluster topology: set for one node
     * or a Sentinel group it is refused when the store opens.
     */
    public Builder topologyRefreshPeriod(Duration period) {
      Objects.requireNonNull(period, "topologyRefreshPeriod");
      if (period.isNegative() || period.isZero()) {
        throw new ConfigurationException(
            "invalid JedisOptions.topologyRefreshPeriod: expected a positive duration, found "
                + period
                + "; give a duration above zero");
      }
      this.topologyRefreshPeriod = period;
      return this;
    }

    /**
     * Reads ({@code get}, {@code getAll}) from a replica of each slot's primary instead of the
     * primary (every connection says {@code READONLY}); writes, scripts, {@code ttl} and pub/sub
     * stay on primaries. Default false. A replica may lag: {@code VectorCache} uses a copy only
     * when its version equals the vector store's payload, so a lagging copy costs a miss, never a
     * stale answer; a direct {@code get} may return an older copy. Jedis 7.1 can do this on a
     * cluster only: for one node or a Sentinel group it is refused when the store opens ({@code
     * UnsupportedCapabilityException}).
     */
    public Builder readFromReplicas(boolean readFromReplicas) {
      this.readFromReplicas = readFromReplicas;
      return this;
    }

    /**
     * Largest number of pooled connections, 1 or more: the most calls that run at once. Default
     * {@value JedisOptions#DEFAULT_MAX_CONNECTIONS}.
     */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = atLeastOne("maxConnections", maxConnections);
      return this;
    }

    /**
     * Longest wait for a pooled connection when all are busy, and for a free executor thread when
     * the async form's threads are all busy, after which the call fails with a timeout instead of
     * queueing longer. Default: the store's command timeout, so one setting bounds every wait of a
     * call.
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

    /**
     * Threads that run the async form's calls, 1 or more. Jedis blocks a thread per call, so the
     * async form runs each call on one of these threads, never on the caller's. Default: {@link
     * #maxConnections(int)}, so every thread can hold a pooled connection.
     */
    public Builder executorThreads(int executorThreads) {
      this.executorThreads = atLeastOne("executorThreads", executorThreads);
      return this;
    }

    /**
     * Calls of the async form that may wait for a free executor thread, 1 or more. When the queue
     * is full a call fails at once with a {@code BackendUnavailableException} (the caller is never
     * blocked), and a call that waited longer than {@link #maxWait(Duration)} fails with a {@code
     * BackendTimeoutException} without being sent. Default {@value
     * JedisOptions#DEFAULT_EXECUTOR_QUEUE_SIZE}, as Lettuce's request queue.
     */
    public Builder executorQueueSize(int executorQueueSize) {
      this.executorQueueSize = atLeastOne("executorQueueSize", executorQueueSize);
      return this;
    }

    /** The options. */
    public JedisOptions build() {
      return new JedisOptions(this);
    }

    private static int atLeastOne(String field, int value) {
      if (value < 1) {
        throw new ConfigurationException(
            "invalid JedisOptions."
                + field
                + ": expected 1 or more, found "
                + value
                + "; give a positive number");
      }
      return value;
    }
  }
}
