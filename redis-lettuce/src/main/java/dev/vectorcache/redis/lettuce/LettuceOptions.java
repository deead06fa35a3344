package dev.vectorcache.redis.lettuce;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.spi.AdapterOptions;
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

  private final int requestQueueSize;
  private final int ioThreads;

  private LettuceOptions(Builder b) {
    this.requestQueueSize = b.requestQueueSize;
    this.ioThreads = b.ioThreads;
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
    return new Builder().requestQueueSize(requestQueueSize).ioThreads(ioThreads);
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

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof LettuceOptions l
        && requestQueueSize == l.requestQueueSize
        && ioThreads == l.ioThreads;
  }

  @Override
  public int hashCode() {
    return 31 * requestQueueSize + ioThreads;
  }

  @Override
  public String toString() {
    return "LettuceOptions[requestQueueSize=" + requestQueueSize + ", ioThreads=" + ioThreads + "]";
  }

  /** Builder for {@link LettuceOptions}. */
  public static final class Builder {
    private int requestQueueSize = DEFAULT_REQUEST_QUEUE_SIZE;
    private int ioThreads = DEFAULT_IO_THREADS;

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
  }
}
