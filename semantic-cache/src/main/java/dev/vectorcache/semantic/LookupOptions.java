package dev.vectorcache.semantic;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Options of one {@link SemanticCache#lookup(Scope, String, LookupOptions) lookup}. Immutable;
 * {@link #DEFAULT} sets nothing.
 *
 * <pre>{@code
 * cache.lookup(scope, prompt, LookupOptions.builder().threshold(0.95).build());
 * cache.lookup(scope, prompt, LookupOptions.builder().exactOnly(true).build());
 * }</pre>
 */
public final class LookupOptions {
  /** No options: both tiers, the cache's threshold, the vector from its embedding function. */
  public static final LookupOptions DEFAULT = new Builder().build();

  private final @Nullable Double threshold;
  private final boolean exactOnly;
  private final float @Nullable [] vector;

  private LookupOptions(Builder b) {
    this.threshold = b.threshold;
    this.exactOnly = b.exactOnly;
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
    b.threshold = threshold;
    b.exactOnly = exactOnly;
    b.vector = vector;
    return b;
  }

  /**
   * The threshold of this lookup.
   *
   * @return the threshold, or {@code null} for the cache's
   */
  public @Nullable Double threshold() {
    return threshold;
  }

  /**
   * Whether only the exact tier is asked (no embedding, no vector search).
   *
   * @return true for exact-only
   */
  public boolean exactOnly() {
    return exactOnly;
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
    return "LookupOptions[threshold="
        + (threshold == null ? "the cache's" : threshold)
        + ", exactOnly="
        + exactOnly
        + ", vector="
        + (vector == null ? "from the embedding function" : vector.length + " dimensions")
        + "]";
  }

  /** Builder of {@link LookupOptions}. */
  public static final class Builder {
    private @Nullable Double threshold;
    private boolean exactOnly;
    private float @Nullable [] vector;

    private Builder() {}

    /**
     * The threshold of this lookup, in the collection's own score terms and strict, as {@link
     * SemanticCacheBuilder#threshold(double)}; checked against the metric when the lookup is made.
     *
     * @param threshold the threshold
     * @return this builder
     */
    public Builder threshold(double threshold) {
      this.threshold = threshold;
      return this;
    }

    /**
     * Asks only the exact tier: one metadata-store read, no embedding and no vector search.
     *
     * @param exactOnly true for exact-only; default false
     * @return this builder
     */
    public Builder exactOnly(boolean exactOnly) {
      this.exactOnly = exactOnly;
      return this;
    }

    /**
     * The prompt's vector, when the caller has it (the cache then does not call its embedding
     * function). Checked before any I/O.
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
    public LookupOptions build() {
      return new LookupOptions(this);
    }
  }
}
