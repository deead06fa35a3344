package dev.vectorcache.qdrant;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.spi.AdapterOptions;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings only the Qdrant gRPC adapter understands (its retries and the client's version check),
 * passed with {@code VectorStoreConfig.builder().adapterOptions(QdrantGrpcOptions.builder()
 * ...build())}. Immutable; change with {@link #mutate()}. The deadline of each call is the common
 * {@code VectorStoreConfig.timeout()}.
 */
public final class QdrantGrpcOptions implements AdapterOptions {
  /** The adapter these options are for. */
  public static final String ADAPTER = "qdrant-grpc";

  /** Retries of an idempotent call after {@code UNAVAILABLE}: 2. */
  public static final int DEFAULT_MAX_RETRIES = 2;

  /**
   * Wait before the first retry, doubled for each further one: 50 ms. Each wait is drawn between
   * half and all of that (jitter).
   */
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(50);

  /** The client checks the server's version on open. */
  public static final boolean DEFAULT_CHECK_COMPATIBILITY = true;

  private final int maxRetries;
  private final Duration retryBackoff;
  private final boolean checkCompatibility;

  private QdrantGrpcOptions(Builder b) {
    this.maxRetries = b.maxRetries;
    this.retryBackoff = b.retryBackoff;
    this.checkCompatibility = b.checkCompatibility;
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static QdrantGrpcOptions defaults() {
    return builder().build();
  }

  /** A builder holding these values. */
  public Builder mutate() {
    return new Builder()
        .maxRetries(maxRetries)
        .retryBackoff(retryBackoff)
        .checkCompatibility(checkCompatibility);
  }

  @Override
  public String adapter() {
    return ADAPTER;
  }

  /** Retries of an idempotent call after {@code UNAVAILABLE}, within one timeout. */
  public int maxRetries() {
    return maxRetries;
  }

  /**
   * Wait before the first retry; each further retry doubles it (at most 16 times), and each wait is
   * drawn between half and all of that (jitter).
   */
  public Duration retryBackoff() {
    return retryBackoff;
  }

  /** Whether the client checks on open that the server's version is compatible. */
  public boolean checkCompatibility() {
    return checkCompatibility;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof QdrantGrpcOptions q
        && maxRetries == q.maxRetries
        && retryBackoff.equals(q.retryBackoff)
        && checkCompatibility == q.checkCompatibility;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxRetries, retryBackoff, checkCompatibility);
  }

  @Override
  public String toString() {
    return "QdrantGrpcOptions[maxRetries="
        + maxRetries
        + ", retryBackoff="
        + retryBackoff
        + ", checkCompatibility="
        + checkCompatibility
        + "]";
  }

  /** Builder for {@link QdrantGrpcOptions}. */
  public static final class Builder {
    private int maxRetries = DEFAULT_MAX_RETRIES;
    private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
    private boolean checkCompatibility = DEFAULT_CHECK_COMPATIBILITY;

    private Builder() {}

    /**
     * Retries of an idempotent call (reads, upserts, deletes, payload writes) that failed with
     * {@code UNAVAILABLE}, 0 or more, only while the elapsed time stays within one timeout. Default
     * {@value QdrantGrpcOptions#DEFAULT_MAX_RETRIES}.
     */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0) {
        throw new ConfigurationException(
            "invalid QdrantGrpcOptions.maxRetries: expected 0 or more, found "
                + maxRetries
                + "; give 0 to switch retries off");
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * Wait before the first retry, doubled for each further one. Default 50 ms ({@link
     * QdrantGrpcOptions#DEFAULT_RETRY_BACKOFF}).
     */
    public Builder retryBackoff(Duration retryBackoff) {
      Objects.requireNonNull(retryBackoff, "retryBackoff");
      if (retryBackoff.isNegative() || retryBackoff.isZero()) {
        throw new ConfigurationException(
            "invalid QdrantGrpcOptions.retryBackoff: expected a positive duration, found "
                + retryBackoff
                + "; give a duration above zero");
      }
      this.retryBackoff = retryBackoff;
      return this;
    }

    /**
     * Whether the client checks on open that the server's version is compatible (it logs a warning
     * when not). Default {@value QdrantGrpcOptions#DEFAULT_CHECK_COMPATIBILITY}.
     */
    public Builder checkCompatibility(boolean checkCompatibility) {
      this.checkCompatibility = checkCompatibility;
      return this;
    }

    /** The options. */
    public QdrantGrpcOptions build() {
      return new QdrantGrpcOptions(this);
    }
  }
}
