package dev.vectorcache.semantic;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Options of one {@link SemanticCache#put(Scope, String, CachedResponse, PutOptions) put}.
 * Immutable; {@link #DEFAULT} sets nothing.
 *
 * <pre>{@code
 * cache.put(scope, prompt, answer,
 *     PutOptions.builder().ttl(TtlPolicy.sliding(Duration.ofHours(1))).vector(embedding).build());
 * }</pre>
 */
public final class PutOptions {
  /** No options: the cache's default TTL, the vector from its embedding function. */
  public static final PutOptions DEFAULT = new Builder().build();

  private final @Nullable TtlPolicy ttl;
  private final float @Nullable [] vector;

  private PutOptions(Builder b) {
    this.ttl = b.ttl;
    this.vector = b.vector == null ? null : b.vector.clone();
  }

  /**
   * A new builder with nothing set.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding these options.
   *
   * @return the builder
   */
  public Builder mutate() {
    Builder b = new Builder();
    b.ttl = ttl;
    b.vector = vector;
    return b;
  }

  /**
   * The TTL policy.
   *
   * @return the policy, or {@code null} for the cache's default
   */
  public @Nullable TtlPolicy ttl() {
    return ttl;
  }

  /**
   * The prompt's vector, computed by the caller.
   *
   * @return a copy, or {@code null} to use the cache's embedding function
   */
  public float @Nullable [] vector() {
    return vector == null ? null : vector.clone();
  }

  /** The array itself, for the cache's checks (which copy it). */
  float @Nullable [] vectorUnsafe() {
    return vector;
  }

  @Override
  public String toString() {
    return "PutOptions[ttl="
        + ttl
        + ", vector="
        + (vector == null ? "from the embedding function" : vector.length + " dimensions")
        + "]";
  }

  /** Builder of {@link PutOptions}. */
  public static final class Builder {
    private @Nullable TtlPolicy ttl;
    private float @Nullable [] vector;

    private Builder() {}

    /**
     * The answer's TTL policy.
     *
     * @param ttl the policy; default the cache's {@link SemanticCacheBuilder#defaultTtl(TtlPolicy)}
     * @return this builder
     */
    public Builder ttl(TtlPolicy ttl) {
      this.ttl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /**
     * The prompt's vector, when the caller has it (the cache then does not call its embedding
     * function). It must be the embedding of the normalised prompt by the cache's model; its
     * dimension and finiteness are checked before any I/O.
     *
     * @param vector the vector, copied
     * @return this builder
     */
    public Builder vector(float[] vector) {
      this.vector = Objects.requireNonNull(vector, "vector").clone();
      return this;
    }

    /**
     * The options.
     *
     * @return the options
     */
    public PutOptions build() {
      return new PutOptions(this);
    }
  }
}
