package dev.vectorcache.redis.lettuce;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.spi.AdapterOptions;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings only the Lettuce adapter understands, passed with {@code
 * MetadataStoreConfig.builder().adapterOptions(LettuceOptions.builder()...build())}. Immutable;
 * change with {@link #mutate()}. Options given for a store that another adapter opens are refused.
 */
public final class LettuceOptions implements AdapterOptions {
  /** The adapter these options are for. */
  public static final String ADAPTER = "lettuce";

  /** Commands buffered before new ones are rejected: 10,000. */
  public static final int DEFAULT_REQUEST_QUEUE_SIZE = 10_000;

  /** Netty I/O threads per store: 2. */
  public static final int DEFAULT_IO_THREADS = 2;

  /** Reads from replicas: off ({@link ReplicaReads#PRIMARY}). */
  public static final ReplicaReads DEFAULT_REPLICA_READS = ReplicaReads.PRIMARY;

  /** Periodic cluster topology refresh: every 30 seconds. */
  public static final Duration DEFAULT_TOPOLOGY_REFRESH_PERIOD = Duration.ofSeconds(30);

  /** Least time between two refreshes a cluster event triggers: 1 second. */
  public static final Duration DEFAULT_ADAPTIVE_REFRESH_TIMEOUT = Duration.ofSeconds(1);

  /** Where reads may go when the topology has replicas (a cluster or a Sentinel group). */
  public enum ReplicaReads {
    /** Every command goes to the primary (the default): reads see every acknowledged write. */
    PRIMARY,
    /**
     * The get-many read ({@code MGET}, what {@code getAll} and the cache's hydration send) goes to
     * a replica when one is up, else to the primary; every other command stays on the primary. A
     * replica may lag: the cache then sees an older copy, whose version differs from the vector
     * store's payload, and falls back to the payload (a miss, never a stale answer).
     */
    REPLICA_PREFERRED
  }

  private final int requestQueueSize;
  private final int ioThreads;
  private final ReplicaReads replicaReads;
  private final Duration topologyRefreshPeriod;
  private final Duration adaptiveRefreshTimeout;

  private LettuceOptions(Builder b) {
    this.requestQueueSize = b.requestQueueSize;
    this.ioThreads = b.ioThreads;
    this.replicaReads = b.replicaReads;
    this.topologyRefreshPeriod = b.topologyRefreshPeriod;
    this.adaptiveRefreshTimeout = b.adaptiveRefreshTimeout;
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static LettuceOptions defaults() {
    return builder().build();
  }

  /** A builder holding these values. */
  public Builder mutate() {
    return new Builder()
        .requestQueueSize(requestQueueSize)
        .ioThreads(ioThreads)
        .replicaReads(replicaReads)
        .topologyRefreshPeriod(topologyRefreshPeriod)
        .adaptiveRefreshTimeout(adaptiveRefreshTimeout);
  }

  @Override
  public String adapter() {
    return ADAPTER;
  }

  /** Commands buffered (sent but unanswered, or waiting) before new ones are rejected. */
  public int requestQueueSize() {
    return requestQueueSize;
  }

  /** Netty I/O threads of the store. */
  public int ioThreads() {
    return ioThreads;
  }

  /** Where reads may go on a cluster or a Sentinel group. */
  public ReplicaReads replicaReads() {
    return replicaReads;
  }

  /** How often a cluster store reloads the cluster's topology, whatever happens. */
  public Duration topologyRefreshPeriod() {
    return topologyRefreshPeriod;
  }

  /** Least time between two topology refreshes that cluster events trigger. */
  public Duration adaptiveRefreshTimeout() {
    return adaptiveRefreshTimeout;
  }

  /** Whether a cluster setting differs from its default (they apply to a cluster only). */
  boolean hasClusterSettings() {
    return !topologyRefreshPeriod.equals(DEFAULT_TOPOLOGY_REFRESH_PERIOD)
        || !adaptiveRefreshTimeout.equals(DEFAULT_ADAPTIVE_REFRESH_TIMEOUT);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof LettuceOptions l
        && requestQueueSize == l.requestQueueSize
        && ioThreads == l.ioThreads
        && replicaReads == l.replicaReads
        && topologyRefreshPeriod.equals(l.topologyRefreshPeriod)
        && adaptiveRefreshTimeout.equals(l.adaptiveRefreshTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        requestQueueSize, ioThreads, replicaReads, topologyRefreshPeriod, adaptiveRefreshTimeout);
  }

  @Override
  public String toString() {
    return "LettuceOptions[requestQueueSize="
        + requestQueueSize
        + ", ioThreads="
        + ioThreads
        + ", replicaReads="
        + replicaReads
        + ", topologyRefreshPeriod="
        + topologyRefreshPeriod
        + ", adaptiveRefreshTimeout="
        + adaptiveRefreshTimeout
        + "]";
  }

  /** Builder for {@link LettuceOptions}. */
  public static final class Builder {
    private int requestQueueSize = DEFAULT_REQUEST_QUEUE_SIZE;
    private int ioThreads = DEFAULT_IO_THREADS;
    private ReplicaReads replicaReads = DEFAULT_REPLICA_READS;
    private Duration topologyRefreshPeriod = DEFAULT_TOPOLOGY_REFRESH_PERIOD;
    private Duration adaptiveRefreshTimeout = DEFAULT_ADAPTIVE_REFRESH_TIMEOUT;

    private Builder() {}

    /**
     * Commands buffered before new ones are rejected with a typed error, so a stalled server cannot
     * pile up work without bound. Default {@value LettuceOptions#DEFAULT_REQUEST_QUEUE_SIZE}.
     */
    public Builder requestQueueSize(int requestQueueSize) {
      this.requestQueueSize = atLeastOne("requestQueueSize", requestQueueSize);
      return this;
    }

    /**
     * Netty I/O threads of the store (each store owns its threads and stops them on close). Default
     * {@value LettuceOptions#DEFAULT_IO_THREADS}.
     */
    public Builder ioThreads(int ioThreads) {
      this.ioThreads = atLeastOne("ioThreads", ioThreads);
      return this;
    }

    /**
     * Whether the get-many read may go to replicas; default {@link ReplicaReads#PRIMARY}. Needs a
     * topology with replicas: a standalone store refuses {@link ReplicaReads#REPLICA_PREFERRED}
     * when it opens ({@code UnsupportedCapabilityException}).
     */
    public Builder replicaReads(ReplicaReads replicaReads) {
      this.replicaReads = Objects.requireNonNull(replicaReads, "replicaReads");
      return this;
    }

    /**
     * How often a cluster store reloads the topology (Lettuce's periodic refresh), a safety net
     * behind the adaptive refresh. Default 30 s. A cluster setting: another topology refuses a
     * value other than the default when the store opens.
     */
    public Builder topologyRefreshPeriod(Duration period) {
      this.topologyRefreshPeriod = positive("topologyRefreshPeriod", period);
      return this;
    }

    /**
     * Least time between two topology refreshes triggered by what the cluster store sees ({@code
     * MOVED}/{@code ASK} redirects, a node it keeps failing to reconnect to, a slot no known node
     * serves, an unknown node). Short, so that a store finds a promoted replica within about a
     * second of the failover; each refresh asks every node for {@code CLUSTER NODES}. Default 1 s.
     * A cluster setting, as {@link #topologyRefreshPeriod(Duration)}.
     */
    public Builder adaptiveRefreshTimeout(Duration timeout) {
      this.adaptiveRefreshTimeout = positive("adaptiveRefreshTimeout", timeout);
      return this;
    }

    /** The options. */
    public LettuceOptions build() {
      return new LettuceOptions(this);
    }

    private static int atLeastOne(String field, int value) {
      if (value < 1) {
        throw new ConfigurationException(
            "invalid LettuceOptions."
                + field
                + ": expected 1 or more, found "
                + value
                + "; give a positive number");
      }
      return value;
    }

    private static Duration positive(String field, Duration value) {
      Objects.requireNonNull(value, field);
      if (value.isNegative() || value.isZero()) {
        throw new ConfigurationException(
            "invalid LettuceOptions."
                + field
                + ": expected a positive duration, found "
                + value
                + "; give a positive duration");
      }
      return value;
    }
  }
}
